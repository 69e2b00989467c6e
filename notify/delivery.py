"""The e-mail side of the outbox: decide each notice once, claim messages, record outcomes.

A message's life (``nt_messages.status``):

    pending -> claimed -> sending -> sent
       ^          |          |-----> uncertain   (lost after the content went out)
       |          |          '-----> pending (retry, with backoff) | failed
       '----------'  (a claim whose lease ran out: nothing was sent yet)

Every step is its own committed transaction.  A worker that dies while a
message is ``claimed`` leaves it to be claimed again when the lease runs
out: the server had not been given its content.  A worker that dies while
a message is ``sending`` may or may not have handed it over; the message
becomes ``uncertain`` and is never sent again (at most once: a person is
never mailed twice, and the notice stays in their list in the web
application).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Insert, and_, insert, select, true, update
from sqlalchemy.orm import Session

from ledger.storage.store import Store
from notify.schedule import fixed
from notify.tables import NotifyTables

SENDING_TIMEOUT_NOTE = "the worker stopped while the message was being handed over"


class ClaimLostError(Exception):
    """The claim ran out and another worker took the message: this one must not send it."""


@dataclass(frozen=True)
class Claimed:
    id: int
    origin: str
    person: str
    attempts: int


@dataclass(frozen=True)
class Backoff:
    max_attempts: int = 6
    base_seconds: float = 60.0
    lease_seconds: float = 300.0

    def delay(self, attempt: int) -> timedelta:
        """Exponential: base, 2 base, 4 base, ... after the 1st, 2nd, 3rd failed attempt."""
        return timedelta(seconds=self.base_seconds * 2 ** (attempt - 1))


class Deliveries:
    """The messages table's state machine, one short transaction per step."""

    def __init__(self, store: Store, tables: NotifyTables, backoff: Backoff) -> None:
        self.store = store
        self.engine = store.engine
        self.t = tables
        self.backoff = backoff

    def session(self) -> Session:
        return Session(self.engine)

    def _of(self, origin: str | None) -> ColumnElement[bool]:
        m = self.t.messages
        return true() if origin is None else m.c.origin == origin

    def recover(self, now: datetime, origin: str | None = None) -> None:
        """Take back the claims whose lease ran out: unsent ones go back to pending, the
        ones that were being handed over become uncertain."""
        m, a = self.t.messages, self.t.attempts
        expired = and_(m.c.lease_until.is_not(None), m.c.lease_until < fixed(now), self._of(origin))
        with self.session() as session, session.begin():
            session.execute(
                update(m)
                .where(and_(m.c.status == "claimed", expired))
                .values(status="pending", lease_until=None, claimed_by=None)
            )
            lost = session.execute(
                select(m.c.id, m.c.attempts).where(and_(m.c.status == "sending", expired))
            ).all()
            for message_id, attempts in lost:
                session.execute(
                    update(m)
                    .where(and_(m.c.id == message_id, m.c.status == "sending"))
                    .values(status="uncertain", lease_until=None, last_error=SENDING_TIMEOUT_NOTE)
                )
                session.execute(
                    update(a)
                    .where(and_(a.c.message_id == message_id, a.c.attempt == attempts))
                    .values(
                        outcome="uncertain", finished_at=fixed(now), detail=SENDING_TIMEOUT_NOTE
                    )
                )

    def claim(
        self, now: datetime, worker: str, limit: int, origin: str | None = None
    ) -> list[Claimed]:
        """Claim up to ``limit`` pending messages that are due, oldest first."""
        m = self.t.messages
        lease = fixed(now + timedelta(seconds=self.backoff.lease_seconds))
        claimed: list[Claimed] = []
        with self.session() as session, session.begin():
            due = session.execute(
                select(m.c.id, m.c.origin, m.c.person, m.c.attempts)
                .where(
                    and_(
                        m.c.status == "pending",
                        m.c.next_attempt_at <= fixed(now),
                        self._of(origin),
                    )
                )
                .order_by(m.c.id)
                .limit(limit)
            ).all()
            for message_id, origin, person, attempts in due:
                taken = session.execute(
                    update(m)
                    .where(and_(m.c.id == message_id, m.c.status == "pending"))
                    .values(status="claimed", lease_until=lease, claimed_by=worker)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(Claimed(int(message_id), origin, person, int(attempts)))
        return claimed

    def sending(self, message: Claimed, worker: str, now: datetime) -> None:
        """Record that the content is about to go out (the at-most-once boundary).

        Raises ClaimLostError when this worker no longer holds the claim.
        """
        m = self.t.messages
        attempt = message.attempts + 1
        with self.session() as session, session.begin():
            held = session.execute(
                update(m)
                .where(
                    and_(m.c.id == message.id, m.c.claimed_by == worker, m.c.status == "claimed")
                )
                .values(status="sending", attempts=attempt)
            )
            if held.rowcount != 1:  # type: ignore[attr-defined]
                raise ClaimLostError(f"message {message.id} is no longer claimed by {worker}")
            session.execute(self._attempt(message, worker, now, outcome="sending"))

    def finish(
        self,
        message: Claimed,
        worker: str,
        now: datetime,
        outcome: str,
        *,
        code: int | None = None,
        detail: str = "",
        handed_over: bool = False,
    ) -> str:
        """Record an attempt's outcome; return the message's new status."""
        m, a = self.t.messages, self.t.attempts
        attempt = message.attempts + 1
        status = self._status(outcome, attempt)
        values: dict[str, object] = {"status": status, "lease_until": None, "attempts": attempt}
        if status == "sent":
            values["sent_at"] = fixed(now)
        if status == "pending":
            values["next_attempt_at"] = fixed(now + self.backoff.delay(attempt))
        if outcome not in ("sent", "cancelled"):
            values["last_error"] = detail or outcome
        with self.session() as session, session.begin():
            session.execute(update(m).where(m.c.id == message.id).values(**values))
            record = {"finished_at": fixed(now), "outcome": outcome, "code": code, "detail": detail}
            if handed_over:
                session.execute(
                    update(a)
                    .where(and_(a.c.message_id == message.id, a.c.attempt == attempt))
                    .values(**record)
                )
            else:
                session.execute(self._attempt(message, worker, now, **record))
        return status

    def _attempt(self, message: Claimed, worker: str, now: datetime, **record: object) -> Insert:
        """The row of the message's next attempt, started by ``worker`` at ``now``."""
        return insert(self.t.attempts).values(
            message_id=message.id,
            attempt=message.attempts + 1,
            worker=worker,
            started_at=fixed(now),
            **record,
        )

    def _status(self, outcome: str, attempt: int) -> str:
        if outcome == "retry":
            return "failed" if attempt >= self.backoff.max_attempts else "pending"
        return outcome
