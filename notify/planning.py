"""Decide, once per notice, whether and in which e-mail it goes out.

A notice is decided when its moment has come for its recipient's digest
(``notify.schedule``): it joins a new message, or is set aside for good,
with the reason: ``unsubscribed`` (the person turned that kind off),
``no_address`` (no e-mail address in the directory, or it was erased),
``stale`` (older than ``max_age``: a worker that was down, or a first start
on an old ledger, does not mail old news), ``moot`` (a reminder for a
consultation already answered or a matter that ended, a claim remedied, a
finding that no longer stands).  Every notice stays in the person's list in
the web application whatever its e-mail's fate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy.exc
from sqlalchemy import and_, insert, select

from notify.compose import Notice
from notify.delivery import Deliveries
from notify.preferences import Preferences, preferences_of
from notify.relevance import Relevance
from notify.schedule import Timing, fixed, send_after


@dataclass(frozen=True)
class Planned:
    messages: int
    notices: int
    set_aside: int


def undecided(deliveries: Deliveries, origin: str, now: datetime, timing: Timing) -> list[Notice]:
    """The notices of ``origin`` not yet decided that could be due by ``now``."""
    o, d = deliveries.t.outbox, deliveries.t.deliveries
    horizon = fixed(now + timedelta(days=timing.reminder_days + 1))
    joined = o.outerjoin(
        d, and_(d.c.origin == o.c.origin, d.c.person == o.c.person, d.c.cause == o.c.cause)
    )
    with deliveries.session() as session:
        rows = session.execute(
            select(o)
            .select_from(joined)
            .where(and_(o.c.origin == origin, d.c.cause.is_(None), o.c.due_at <= horizon))
            .order_by(o.c.person, o.c.due_at, o.c.cause)
        ).all()
    return [Notice.of_row(dict(row._mapping)) for row in rows]


def plan(
    deliveries: Deliveries,
    origin: str,
    now: datetime,
    timing: Timing,
    max_age: timedelta,
    relevance: Relevance,
) -> Planned:
    """Decide every notice of ``origin`` whose moment has come; one message per person."""
    by_person: dict[str, list[Notice]] = defaultdict(list)
    for notice in undecided(deliveries, origin, now, timing):
        by_person[notice.person].append(notice)
    prefs = preferences_of(deliveries, origin, list(by_person))
    addresses = relevance.addresses(list(by_person))
    planned = Planned(0, 0, 0)
    for person, notices in by_person.items():
        chosen: list[Notice] = []
        aside: dict[str, str] = {}
        for notice in notices:
            ready = send_after(notice.kind, notice.due_at, prefs[person].digest, timing)
            if ready > now:
                continue
            reason = _set_aside(notice, prefs[person], ready, now - max_age, relevance)
            if reason is None and person not in addresses:
                reason = "no_address"
            if reason is None:
                chosen.append(notice)
            else:
                aside[notice.cause] = reason
        if chosen or aside:
            _record(deliveries, origin, person, chosen, aside, now)
            planned = Planned(
                planned.messages + bool(chosen),
                planned.notices + len(chosen),
                planned.set_aside + len(aside),
            )
    return planned


def _set_aside(
    notice: Notice, prefs: Preferences, ready: datetime, oldest: datetime, relevance: Relevance
) -> str | None:
    if notice.kind in prefs.unsubscribed:
        return "unsubscribed"
    if ready < oldest:
        return "stale"
    if not relevance.still_relevant(notice):
        return "moot"
    return None


def _record(
    deliveries: Deliveries,
    origin: str,
    person: str,
    chosen: list[Notice],
    aside: dict[str, str],
    now: datetime,
) -> None:
    """One transaction: the new message (if any) and every decision; a notice another
    worker decided meanwhile rolls it all back, to be planned again on the next pass."""
    m, d = deliveries.t.messages, deliveries.t.deliveries
    try:
        with deliveries.session() as session, session.begin():
            message_id = None
            if chosen:
                created = session.execute(
                    insert(m).values(
                        origin=origin,
                        person=person,
                        status="pending",
                        attempts=0,
                        created_at=fixed(now),
                        next_attempt_at=fixed(now),
                    )
                )
                message_id = int(created.inserted_primary_key[0])  # type: ignore[attr-defined]
            decided = [(n.cause, "message", message_id) for n in chosen]
            decided += [(cause, reason, None) for cause, reason in aside.items()]
            session.execute(
                insert(d),
                [
                    {
                        "origin": origin,
                        "person": person,
                        "cause": cause,
                        "message_id": mid,
                        "outcome": outcome,
                        "decided_at": fixed(now),
                    }
                    for cause, outcome, mid in decided
                ],
            )
    except sqlalchemy.exc.IntegrityError:
        return
