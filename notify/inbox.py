"""The in-app list: a person's notices whose moment has come, newest first, with read state.

Every notice of the outbox shows here, whatever its e-mail's fate (sent,
set aside, unsubscribed): the list is the channel that always holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, insert, select

from notify.compose import Notice
from notify.schedule import Timing, due_moment, fixed
from notify.tables import NotifyDatabase


@dataclass(frozen=True)
class InboxItem:
    notice: Notice
    moment: datetime
    read: bool


def inbox(
    db: NotifyDatabase,
    origin: str,
    person: str,
    now: datetime,
    *,
    timing: Timing | None = None,
    limit: int = 200,
) -> list[InboxItem]:
    """The notices of ``person`` due by ``now``, newest first (at most ``limit``)."""
    timing = timing or Timing()
    o, r = db.t.outbox, db.t.reads
    horizon = fixed(now + timedelta(days=timing.reminder_days + 1))
    joined = o.outerjoin(
        r, and_(r.c.origin == o.c.origin, r.c.person == o.c.person, r.c.cause == o.c.cause)
    )
    with db.store.read() as session:
        rows = session.execute(
            select(o, r.c.read_at)
            .select_from(joined)
            .where(and_(o.c.origin == origin, o.c.person == person, o.c.due_at <= horizon))
        ).all()
    items = []
    for row in rows:
        fields = dict(row._mapping)
        read_at = fields.pop("read_at")
        notice = Notice.of_row(fields)
        moment = due_moment(notice.kind, notice.due_at, timing)
        if moment <= now:
            items.append(InboxItem(notice, moment, read_at is not None))
    items.sort(key=lambda item: (item.moment, item.notice.cause), reverse=True)
    return items[:limit]


def mark_read(
    db: NotifyDatabase,
    origin: str,
    person: str,
    causes: list[str],
    now: datetime,
) -> int:
    """Mark ``causes`` of ``person`` read (those already read stay as they were); how many."""
    r = db.t.reads
    with db.store.write() as session:
        known = set(
            session.execute(
                select(r.c.cause).where(
                    and_(r.c.origin == origin, r.c.person == person, r.c.cause.in_(causes))
                )
            ).scalars()
        )
        fresh = sorted(set(causes) - known)
        if fresh:
            session.execute(
                insert(r),
                [
                    {"origin": origin, "person": person, "cause": c, "read_at": fixed(now)}
                    for c in fresh
                ],
            )
    return len(fresh)
