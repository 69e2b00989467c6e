"""Where each read model is in each ledger's log: the ``rm_tracking`` table.

This mirrors the ``eventsourcing`` library's ``Tracking`` and
``TrackingRecorder``: a position recorded in the same transaction as the
rows it covers, so that an event is applied exactly once however often it
is delivered.  The library's own ``SQLAlchemyTrackingRecorder`` does not
fit: it keeps one notification id per application name (at most 32
characters), while a read model here follows many ledgers, each with its
own gapless leaf indexes, and ledger origins run to 255 characters.

``position`` is a tree size: leaves ``[0, position)`` are applied, so the
last applied leaf index is ``position - 1``.  ``latest_time`` is the
greatest claimed time among them (fixed width, "" before any): the
reference time of the rules that depend on time passing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy.exc
from eventsourcing.persistence import IntegrityError
from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from projections.read_models.schema import ReadModelSchema


@dataclass(frozen=True)
class Tracking:
    """One read model's position in one ledger."""

    read_model: str
    origin: str
    position: int
    latest_time: str


class TrackingRecorder:
    """Reads, locks and advances tracking positions."""

    def __init__(self, schema: ReadModelSchema) -> None:
        self.schema = schema
        self.store = schema.store
        self.table = schema.tracking

    def positions(self, origin: str, models: Sequence[str]) -> dict[str, Tracking]:
        """The models' positions in ``origin`` (0 for a model that never ran)."""
        with self.store.read() as session:
            return self._select(session, origin, models)

    def _select(self, session: Session, origin: str, models: Sequence[str]) -> dict[str, Tracking]:
        t = self.table
        rows = session.execute(
            select(t.c.read_model, t.c.position, t.c.latest_time).where(
                and_(t.c.origin == origin, t.c.read_model.in_(list(models)))
            )
        ).all()
        found = {str(m): Tracking(str(m), origin, int(p), str(lt)) for m, p, lt in rows}
        return {m: found.get(m, Tracking(m, origin, 0, "")) for m in models}

    def ensure(self, origin: str, models: Sequence[str]) -> None:
        """Create the missing tracking rows (position 0) so that they can be locked."""
        missing = [m for m, tr in self.positions(origin, models).items() if tr.position == 0]
        for model in missing:
            try:
                with self.store.write() as session:
                    exists = session.execute(
                        select(self.table.c.position).where(
                            and_(self.table.c.origin == origin, self.table.c.read_model == model)
                        )
                    ).first()
                    if exists is None:
                        session.execute(
                            insert(self.table).values(
                                read_model=model, origin=origin, position=0, latest_time=""
                            )
                        )
            except (IntegrityError, sqlalchemy.exc.IntegrityError):
                pass  # another process created it first: just as good

    def lock(self, session: Session, origin: str, models: Sequence[str]) -> dict[str, Tracking]:
        """Lock the models' tracking rows for this transaction and read them.

        PostgreSQL: ``SELECT ... FOR UPDATE``.  SQLite: a no-op update first,
        which takes the database's write lock before anything is read, so two
        processes can never both apply the same batch.
        """
        t = self.table
        where = and_(t.c.origin == origin, t.c.read_model.in_(list(models)))
        if self.store.dialect == "postgresql":
            rows = session.execute(
                select(t.c.read_model, t.c.position, t.c.latest_time).where(where).with_for_update()
            ).all()
            found = {str(m): Tracking(str(m), origin, int(p), str(lt)) for m, p, lt in rows}
            return {m: found.get(m, Tracking(m, origin, 0, "")) for m in models}
        session.execute(update(t).where(where).values(position=t.c.position))
        return self._select(session, origin, models)

    def advance(
        self, session: Session, origin: str, models: Sequence[str], position: int, latest_time: str
    ) -> None:
        """Record a new position of ``models`` (inside the transaction that wrote their rows)."""
        if not models:
            return
        t = self.table
        session.execute(
            update(t)
            .where(and_(t.c.origin == origin, t.c.read_model.in_(list(models))))
            .values(position=position, latest_time=latest_time)
        )

    def lock_every(self, session: Session, models: Sequence[str]) -> None:
        """Lock the models' tracking rows of every ledger (see ``lock``)."""
        t = self.table
        where = t.c.read_model.in_(list(models))
        if self.store.dialect == "postgresql":
            session.execute(select(t.c.position).where(where).with_for_update()).all()
        else:
            session.execute(update(t).where(where).values(position=t.c.position))

    def reset_every(self, session: Session, models: Sequence[str]) -> None:
        """Set the models back to the start in every ledger."""
        t = self.table
        session.execute(
            update(t).where(t.c.read_model.in_(list(models))).values(position=0, latest_time="")
        )

    def origins(self) -> list[str]:
        """Every ledger some read model has tracked."""
        with self.store.read() as session:
            rows = session.execute(select(self.table.c.origin).distinct()).scalars().all()
        return sorted(str(r) for r in rows)

    def wait(
        self,
        origin: str,
        models: Iterable[str],
        position: int,
        *,
        timeout: float = 5.0,
        interrupt: threading.Event | None = None,
    ) -> bool:
        """Block until every model in ``models`` reached ``position``; False on timeout.

        Polls with a growing pause, like the library's ``TrackingRecorder.wait``.
        """
        wanted = list(models)
        deadline = time.monotonic() + timeout
        pause = 0.01
        while True:
            current = self.positions(origin, wanted)
            if all(tr.position >= position for tr in current.values()):
                return True
            if time.monotonic() >= deadline or (interrupt is not None and interrupt.is_set()):
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
