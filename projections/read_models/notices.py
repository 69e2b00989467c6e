"""The notification outbox: who must hear of what, written with the read models it follows.

Each row says that one person should hear of one cause: an event of a
matter (a matter opened in their body, material shared with it, a
consultation or hearing, a meeting, minutes awaiting their approval, their
disagreement or breach claim answered), a moment that follows from one (a
respond-by date drawing near, a breach claim's remedy window running out),
or a finding falling due in a body they chair or audit.  The key is
``(origin, person, cause)``; rows are inserted with "insert or ignore" in
the projector's own transaction, beside the rows of the read models, so a
catch-up, a replay or a rebuild writes each notice at most once and never
moves it.  ``nt_outbox`` is therefore not a read model table: a rebuild
never deletes it and a change of the read models' layout never drops it.

A row holds routing facts only (kind, matter id, body, leaf, times), never
a title or free text: what a message says is composed when it is sent, from
the read models, for what its recipient may read then (``notify/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from enum import StrEnum
from pathlib import Path
from time import sleep
from typing import Any

import sqlalchemy.exc
from sqlalchemy import MetaData, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger.domain import events as ev
from ledger.domain.groupings import INVOLVING_TYPES, names
from ledger.storage.tables import tables_from_file
from projections.facts.encoding import fixed_time, json_text
from projections.facts.fold import FoldChanges, LedgerFold
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.bulk import BulkInsert
from projections.read_models.disputes import remedy_window_end
from projections.read_models.source import Row


class NoticeKind(StrEnum):
    """Every kind of notice, in the order a message lists them."""

    MATTER_OPENED = "matter_opened"
    MATERIAL_SHARED = "material_shared"
    CONSULTATION = "consultation"
    RESPOND_BY = "respond_by"
    MEETING = "meeting"
    MINUTES_APPROVAL = "minutes_approval"
    ANSWERED = "answered"
    DEADLINE = "deadline"
    FINDING_DUE = "finding_due"


NOTICE_KINDS: tuple[str, ...] = tuple(kind.value for kind in NoticeKind)
"""Every kind of notice's name, in the order a message lists them."""


def create_tables(metadata: MetaData, engine: Engine) -> None:
    """Create ``metadata``'s tables if missing, when several processes start at once.

    The API, the projection worker and the notification worker may all create
    them at the same moment on PostgreSQL; the loser's error is retried.
    """
    for attempt in range(5):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except sqlalchemy.exc.DBAPIError:
            if attempt == 4:
                raise
            sleep(0.1 * (attempt + 1))


class Outbox:
    """The ``nt_outbox`` table of one database (created if missing, never dropped).

    Beside it, ``nt_planned`` keeps how far each ledger's notices were
    planned: a rebuild of the read models folds the log again from its
    start, and the batches below that position plan nothing (their notices
    were written when the log first passed them), so a rebuild neither
    spends its time on them nor brings back a notice removed since.
    """

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.engine = engine
        self.metadata = MetaData(schema=schema)
        tables = tables_from_file(self.metadata, Path(__file__).with_name("outbox.toml"))
        self.table = tables["nt_outbox"]
        self.planned = tables["nt_planned"]
        create_tables(self.metadata, engine)
        self._insert_planned = (
            pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        )(self.planned).on_conflict_do_nothing()
        make = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._insert = BulkInsert.compile(make(self.table).on_conflict_do_nothing(), engine.dialect)

    def planned_through(self, origin: str) -> int:
        """The log position below which ``origin``'s notices are planned (0: none yet)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(self.planned.c.position).where(self.planned.c.origin == origin)
            ).scalar()
        return int(found or 0)

    def insert_new(
        self, session: Session, rows: list[Row], origin: str, end: int, planned: int
    ) -> None:
        """Insert ``rows``, leaving any notice already written as it is (one statement
        compiled once, as the read models' rows are inserted), and record that the
        notices of ``origin``'s log below ``end`` are planned.  ``planned``: how far
        they were known to be planned (0: perhaps not at all), which spares the
        statements a batch below it, or the position's row once it exists, needs not."""
        self._insert.run(session, rows)
        if end <= planned:
            return
        if planned == 0:
            session.execute(self._insert_planned.values(origin=origin, position=0))
        session.execute(
            update(self.planned)
            .where(self.planned.c.origin == origin, self.planned.c.position < end)
            .values(position=end)
        )


@dataclass(frozen=True)
class _Notice:
    person: str
    cause: str
    kind: str
    body: str
    due_at: str
    detail: dict[str, Any]


def batch_rows(fold: LedgerFold, changes: FoldChanges, findings: Iterable[Row]) -> list[Row]:
    """The notices of one batch: its new matter events and the findings it left standing."""
    rows: list[Row] = []
    for matter_id in sorted(changes.touched):
        facts = fold.matters[matter_id]
        for fact in facts.events:
            if changes.start <= fact.leaf < changes.end and not fact.imported:
                rows.extend(_rows(fold.origin, fact, _event_notices(facts, fact, fold.registry)))
    rows.extend(_finding_rows(fold.origin, fold.registry, findings, fold.position))
    unique = {(row["person"], row["cause"]): row for row in rows}
    return [unique[key] for key in sorted(unique)]


def _rows(origin: str, fact: Fact, notices: Iterable[_Notice]) -> Iterator[Row]:
    for notice in notices:
        yield {
            "origin": origin,
            "person": notice.person,
            "cause": notice.cause,
            "kind": notice.kind,
            "matter": fact.matter or "",
            "body": notice.body,
            "leaf_index": fact.leaf,
            "event_time": fixed_time(fact.moment),
            "due_at": notice.due_at,
            "detail": json_text(notice.detail),
        }


def _members(registry: RegistryView, body: str, fact: Fact, *roles: str) -> list[str]:
    """The people in ``body`` when ``fact`` was logged (with one of ``roles``, if given),
    but not its actor: nobody is told of what they did themselves."""
    found = {
        t.person
        for t in registry.members(body, fact.leaf)
        if t.person != fact.actor and (not roles or set(roles) & set(t.roles))
    }
    return sorted(found)


def _day_start(day: str) -> str:
    return fixed_time(datetime.combine(datetime.fromisoformat(day).date(), time(), tzinfo=UTC))


_NOTIFYING = names(
    ev.MatterOpened, ev.DisagreementAnswered, ev.BreachRemedied, ev.BreachResolved, ev.BreachClaimed
)
"""Events, beside those that involve a body, that someone hears of (the others are not
decoded for it)."""


def _event_notices(matter: MatterFacts, fact: Fact, registry: RegistryView) -> list[_Notice]:
    """Who hears of ``fact`` itself, and of the moments it sets."""
    at = fixed_time(fact.moment)
    cause = f"leaf:{fact.leaf}"
    if fact.type in INVOLVING_TYPES:
        return _body_notices(fact, registry, cause, at)
    if fact.type not in _NOTIFYING:
        return []
    match fact.data:
        case ev.MatterOpened(responsible_body=body):
            return [
                _Notice(p, cause, NoticeKind.MATTER_OPENED, body, at, {})
                for p in _members(registry, body, fact)
            ]
        case (
            ev.DisagreementAnswered(disagreement=asked)
            | ev.BreachRemedied(claim=asked)
            | ev.BreachResolved(claim=asked)
        ):
            return _answer(fact, matter.fact(asked), cause, at)
        case ev.BreachClaimed(body=body):
            due = _day_start(remedy_window_end(fact, matter, registry).isoformat())
            return [
                _Notice(
                    fact.actor,
                    f"{cause}:deadline",
                    NoticeKind.DEADLINE,
                    body,
                    due,
                    {"claim": fact.seq},
                )
            ]
    return []


_BODY_NOTICE_KINDS = {
    ev.MaterialShared.__name__: NoticeKind.MATERIAL_SHARED,
    ev.MeetingHeld.__name__: NoticeKind.MEETING,
}
"""What members hear of an event that reaches their body; of any other, a consultation."""


def _body_notices(fact: Fact, registry: RegistryView, cause: str, at: str) -> list[_Notice]:
    notices: list[_Notice] = []
    kind = _BODY_NOTICE_KINDS.get(fact.type, NoticeKind.CONSULTATION)
    respond_by = fact.get("respond_by")
    due = None if respond_by is None else _day_start(str(respond_by))
    meeting = fact.as_(ev.MeetingHeld)
    minutes = meeting is not None and meeting.minutes_sha256 is not None
    for body in fact.bodies:
        for person in _members(registry, body, fact):
            detail = {} if respond_by is None else {"respond_by": str(respond_by)}
            notices.append(_Notice(person, cause, kind, body, at, detail))
            if due is not None:
                notices.append(
                    _Notice(person, f"{cause}:respond_by", NoticeKind.RESPOND_BY, body, due, detail)
                )
        if minutes:
            for person in _members(registry, body, fact, "chair", "vice_chair"):
                notices.append(
                    _Notice(person, f"{cause}:minutes", NoticeKind.MINUTES_APPROVAL, body, at, {})
                )
    return notices


def _answer(fact: Fact, asked: Fact | None, cause: str, at: str) -> list[_Notice]:
    """The person whose disagreement or claim ``fact`` answers hears of the answer."""
    if asked is None or asked.actor == fact.actor:
        return []
    body = str(asked.get("body", ""))
    return [_Notice(asked.actor, cause, NoticeKind.ANSWERED, body, at, {"asked": asked.seq})]


def _finding_rows(
    origin: str, registry: RegistryView, findings: Iterable[Row], at: int
) -> list[Row]:
    """Chairs of a finding's body and the ledger's auditors hear of it when it falls due."""
    auditors = sorted(p for p, info in registry.people.items() if "auditor" in info.roles)
    rows: list[Row] = []
    for finding in findings:
        if finding["imported"]:
            continue
        body = str(finding["body"])
        chairs = {
            t.person for t in registry.members(body, at) if {"chair", "vice_chair"} & set(t.roles)
        }
        cause = f"finding:{finding['matter']}:{finding['rule']}:{finding['key']}"
        detail = json_text({"rule": finding["rule"], "key": finding["key"]})
        for person in sorted(chairs | set(auditors)):
            rows.append(
                {
                    "origin": origin,
                    "person": person,
                    "cause": cause,
                    "kind": NoticeKind.FINDING_DUE,
                    "matter": str(finding["matter"]),
                    "body": body,
                    "leaf_index": -1,
                    "event_time": str(finding["due_at"]),
                    "due_at": str(finding["due_at"]),
                    "detail": detail,
                }
            )
    return rows
