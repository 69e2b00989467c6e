"""Keep the read models up to date: catch up, rebuild, follow, follow a writer.

``Projector`` reads each ledger's log from the lowest tracked position of
its read models, folds it batch by batch, and writes each batch's rows and
new positions in one transaction.  A model already past a batch skips it,
so any model can be rebuilt while the others stand still.

- SQLite: the composition root subscribes ``after_commit`` to the ledger
  service, which catches up in the writing process after each commit (a
  writer reads its own writes); the projector never knows the service.
- PostgreSQL: ``medledger projections run`` calls ``run_forever``, which
  polls the ledgers' tree sizes and catches up whenever they grow.
- ``rebuild`` drops the rows of some or all read models and replays the
  log from the start.
- Each batch also inserts its notices into the notification outbox
  (``projections.read_models.notices``) in the same transaction, "insert or
  ignore", so a replay or rebuild never writes a notice twice.  Interrupted, it leaves every model at a batch
  boundary: the next catch-up resumes, the next rebuild restarts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Table, delete, select

from ledger.errors import LedgerError, ReadModelNotFoundError, StorageError, UnknownLedgerError
from ledger.storage.store import LogRecord, Store
from projections.facts.fold import LedgerFold
from projections.facts.logged import Logged, decode
from projections.read_models.materialise import TableWrite, model_writes, write
from projections.read_models.notices import Outbox, batch_rows
from projections.read_models.schema import READ_MODELS, ReadModel, ReadModelSchema
from projections.read_models.source import Row
from projections.read_models.tracking import Tracking, TrackingRecorder
from projections.runner.heap import old_objects_frozen

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(origin, position, tree_size)`` after each batch."""

DEFAULT_BATCH = 2000
DEFAULT_MATTER_CACHE = 256
MAX_FOLDS = 16
"""Ledgers whose fold (registry and cached matters) a projector keeps between passes."""


class _PositionMovedError(Exception):
    """A model is not where this pass expected it: another process moved it (a
    rebuild, or a second worker); the pass starts again from the positions."""


@dataclass(frozen=True)
class _Batch:
    """One batch's rows, ready to commit, and the positions they were built against."""

    origin: str
    start: int
    end: int
    expected: dict[str, int]
    writes: dict[str, list[TableWrite]]
    latest_time: str
    notices: list[Row]
    planned: int
    """How far the ledger's notices were known to be planned when the batch was built."""
    erases: bool = False
    """The batch folds a ``PayloadRedacted``: its commit owes the read models a scrub."""


@dataclass(frozen=True)
class CatchUpReport:
    """What a catch-up or rebuild did."""

    events: int
    seconds: float
    ledgers: int


def check_models(names: Iterable[str] | None) -> tuple[str, ...]:
    """The read models named (all when None); raises ReadModelNotFoundError."""
    if names is None:
        return READ_MODELS
    chosen = list(dict.fromkeys(names))
    unknown = [n for n in chosen if n not in READ_MODELS]
    if unknown:
        raise ReadModelNotFoundError(
            f"no read model {', '.join(unknown)}; the read models are {', '.join(READ_MODELS)}",
            read_models=list(READ_MODELS),
        )
    return tuple(m for m in READ_MODELS if m in chosen) or READ_MODELS


class Committed(Protocol):
    """What a writer announces after a commit: the ledger that grew."""

    @property
    def origin(self) -> str: ...


class Projector:
    """Applies the log to the read models of one store."""

    def __init__(
        self,
        store: Store,
        *,
        batch_size: int = DEFAULT_BATCH,
        matter_cache: int = DEFAULT_MATTER_CACHE,
    ) -> None:
        self.store = store
        self.schema = ReadModelSchema(store)
        self.tracking = TrackingRecorder(self.schema)
        self.outbox = Outbox(store.engine, store.schema)
        self.models = READ_MODELS
        self.batch_size = batch_size
        self.matter_cache = matter_cache
        self._folds: OrderedDict[str, LedgerFold] = OrderedDict()
        self._tracked: set[str] = set()
        self._planned_through: dict[str, int] = {}
        self._lock = threading.RLock()
        self._deferred: set[str] | None = None
        """While ``rebuild`` runs: the ledgers whose erasures it met, scrubbed once at its
        end rather than once a batch (each scrub may rewrite every read-model table)."""

    # --- catching up --------------------------------------------------------

    def origins(self, origin: str | None = None) -> list[str]:
        """The ledgers to work on: ``origin`` (checked) or every ledger in the store."""
        if origin is None:
            return [row.origin for row in self.store.ledgers_list()]
        row = self.store.ledger(origin)
        if row is None:
            raise UnknownLedgerError(f"no ledger {origin!r} in this store", ledger=origin)
        return [row.origin]

    def catch_up(self, origin: str | None = None, *, progress: Progress | None = None) -> int:
        """Apply every event not yet applied, in every read model; return how many.

        Without ``origin``, every ledger: one that fails (its error is logged)
        does not stop the others, and the first error is raised at the end.
        Raises UnknownLedgerError for an unknown ``origin``, StorageError for
        a log the projector cannot read.
        """
        applied = 0
        failures: list[LedgerError] = []
        for chosen in self.origins(origin):
            try:
                applied += self.catch_up_ledger(chosen, progress)
            except LedgerError as error:
                # One broken ledger must not hold the others back; report it after.
                logger.error("read models of %s: %s", chosen, error.message)
                failures.append(error)
        if failures:
            raise failures[0]
        return applied

    @property
    def reads_catch_up(self) -> bool:
        """Whether a read should catch the read models up first, by default: on SQLite,
        where the writing process keeps them current anyway; not on PostgreSQL, where
        ``medledger projections run`` does."""
        return self.store.dialect == "sqlite"

    def catch_up_ledger(self, origin: str, progress: Progress | None = None) -> int:
        """Catch up one ledger given by its origin (no lookup of ids)."""
        with self._lock:
            for _attempt in range(100):
                try:
                    return self._pass(origin, progress)
                except _PositionMovedError:
                    self._folds.pop(origin, None)
            raise StorageError(f"read models of {origin} keep moving under the projector")

    def after_commit(self, committed: Committed) -> None:
        """Catch up the ledger a writer has just committed to (the SQLite way).

        The composition root wires it: ``service.subscribe(projector.after_commit)``.
        """
        self.catch_up_ledger(committed.origin)

    def _pass(self, origin: str, progress: Progress | None) -> int:
        row = self.store.ledger(origin)
        if row is None:
            raise UnknownLedgerError(f"no ledger {origin!r} in this store", ledger=origin)
        size = row.tree_size
        positions = self.tracking.positions(origin, self.models)
        start = min(t.position for t in positions.values())
        if start >= size:
            return 0
        if origin not in self._tracked:
            self.tracking.ensure(origin, self.models)
            self._tracked.add(origin)
        fold = self._fold_at(origin, start, positions)
        expected = {m: t.position for m, t in positions.items()}
        try:
            with old_objects_frozen(size - start):
                return self._apply_log(fold, size, expected, progress)
        except StorageError as error:
            self._folds.pop(origin, None)
            details = {**error.details, "ledger": origin}
            raise StorageError(f"{origin}: {error.message}", **details) from error
        except BaseException:
            # A batch failed or was interrupted: its transaction rolled back, so the
            # fold is ahead of the tables; the next pass resumes from the tables.
            self._folds.pop(origin, None)
            raise

    def _apply_log(
        self, fold: LedgerFold, size: int, expected: dict[str, int], progress: Progress | None
    ) -> int:
        """Read the log from the fold's position up to ``size`` and apply it batch by batch."""
        applied = 0
        batch: list[Logged] = []
        for record in self.store.entries(fold.origin, fold.position, size, batch=self.batch_size):
            batch.append(decode(record))
            if len(batch) >= self.batch_size:
                applied += self._apply(fold, batch, expected)
                batch = []
                if progress is not None:
                    progress(fold.origin, fold.position, size)
        if batch:
            applied += self._apply(fold, batch, expected)
            if progress is not None:
                progress(fold.origin, fold.position, size)
        return applied

    def deliver(self, origin: str, records: Iterable[LogRecord]) -> int:
        """Apply log records handed over by a follower; return how many were new.

        Records every read model has applied already are skipped, so a
        redelivered batch is a no-op; records must otherwise continue the log
        where the read models stand (raises StorageError on a gap).
        """
        with self._lock:
            positions = self.tracking.positions(origin, self.models)
            start = min(t.position for t in positions.values())
            if origin not in self._tracked:
                self.tracking.ensure(origin, self.models)
                self._tracked.add(origin)
            fold = self._fold_at(origin, start, positions)
            fresh = [decode(r) for r in records if r.leaf_index >= fold.position]
            if not fresh:
                return 0
            if fresh[0].leaf != fold.position:
                raise StorageError(
                    f"delivered records of {origin} start at leaf {fresh[0].leaf}, "
                    f"but the read models stand at {fold.position}",
                    leaf_index=fresh[0].leaf,
                )
            expected = {m: t.position for m, t in positions.items()}
            applied = 0
            try:
                with old_objects_frozen(len(fresh)):
                    for begin in range(0, len(fresh), self.batch_size):
                        batch = fresh[begin : begin + self.batch_size]
                        applied += self._apply(fold, batch, expected)
            except BaseException:
                self._folds.pop(origin, None)
                raise
            return applied

    def _fold_at(self, origin: str, start: int, positions: dict[str, Tracking]) -> LedgerFold:
        fold = self._folds.get(origin)
        if fold is None or fold.position != start:
            latest = next(t.latest_time for t in positions.values() if t.position == start)
            fold = LedgerFold.resume(
                self.store, origin, start, latest, cache_size=self.matter_cache
            )
            self._folds[origin] = fold
        self._folds.move_to_end(origin)
        while len(self._folds) > MAX_FOLDS:
            # A worker following many ledgers keeps the folds of the busiest only.
            self._folds.popitem(last=False)
        return fold

    def _apply(self, fold: LedgerFold, events: list[Logged], expected: dict[str, int]) -> int:
        """Fold ``events`` in, build each model's rows and commit them with the new positions.

        ``expected`` holds where each model stands (updated here); the commit
        checks it against the database and raises _PositionMovedError when
        another process moved a model meanwhile.
        """
        changes = fold.apply(events)
        writes: dict[str, list[TableWrite]] = {}
        for model in self.models:
            if expected[model] < changes.end:
                writes[model] = model_writes(model, fold, changes, expected[model])
        findings = [
            row
            for table in writes.get(ReadModel.FINDINGS, [])
            if table.table == "rm_findings"
            for row in table.rows
        ]
        planned = self._planned(fold)
        notices = batch_rows(fold, changes, findings) if changes.end > planned else []
        erases = any(touched.erasures for touched in changes.touched.values())
        self._commit(
            _Batch(
                fold.origin,
                changes.start,
                changes.end,
                dict(expected),
                writes,
                fold.latest_time,
                notices,
                planned,
                erases=erases,
            )
        )
        for model in writes:
            expected[model] = changes.end
        self._planned_through[fold.origin] = max(planned, changes.end)
        fold.evict()
        if erases:  # owed since the commit
            if self._deferred is None:
                self._scrub_erased(fold.origin)
            else:
                self._deferred.add(fold.origin)
        return changes.end - changes.start

    def _planned(self, fold: LedgerFold) -> int:
        """How far the ledger's notices are planned (read once, then kept: it only grows,
        and a value another process has since passed only means planning again what the
        outbox then ignores)."""
        if fold.origin not in self._planned_through:
            self._planned_through[fold.origin] = self.outbox.planned_through(fold.origin)
        return self._planned_through[fold.origin]

    def _scrub_erased(self, origin: str) -> None:
        """The read models showed an erased text: leave no old copy of their rows on disk.

        The erasure is committed whatever happens here, so a failure is logged.
        """
        try:
            if not self.store.scrub(self._read_model_tables()):
                logger.warning("read models of %s: erasure not scrubbed: database busy", origin)
        except LedgerError as error:
            logger.error("read models of %s: erasure not scrubbed: %s", origin, error.message)

    def _read_model_tables(self) -> list[Table]:
        """Every read model's table: what an erasure's scrub rewrites."""
        return [spec.table for spec in self.schema.specs.values()]

    def _commit(self, batch: _Batch) -> None:
        """Write one batch's rows and positions in one transaction."""
        with self.store.write() as session:
            current = self.tracking.lock(session, batch.origin, self.models)
            for model in self.models:
                position = current[model].position
                if model in batch.writes:
                    if position != batch.expected[model]:
                        raise _PositionMovedError
                elif position < batch.expected[model]:
                    raise _PositionMovedError
            for model_rows in batch.writes.values():
                write(session, self.schema, batch.origin, model_rows)
            # The notices commit with the rows that caused them (projections.read_models.notices).
            self.outbox.insert_new(session, batch.notices, batch.origin, batch.end, batch.planned)
            self.tracking.advance(
                session, batch.origin, list(batch.writes), batch.end, batch.latest_time
            )
            if batch.erases:  # the rows now hold no erased text: their old copies owe a scrub
                self.store.owe_scrub(session, self._read_model_tables())

    # --- rebuilding ---------------------------------------------------------

    def reset(self, names: Iterable[str] | None = None, origin: str | None = None) -> None:
        """Drop the rows of the named read models and set them back to the start.

        Without ``origin`` every ledger is reset in one transaction, emptying
        the tables outright (which SQLite does far faster than row by row).
        """
        models = check_models(names)
        chosen = self.origins(origin)
        with self._lock:
            for each in chosen:
                self.tracking.ensure(each, self.models)
                self._tracked.add(each)
            with self.store.write() as session:
                if origin is None:
                    self.tracking.lock_every(session, self.models)
                    for model in models:
                        for spec in self.schema.tables_of(model):
                            session.execute(delete(spec.table))
                    self.tracking.reset_every(session, models)
                else:
                    self.tracking.lock(session, chosen[0], self.models)
                    for model in models:
                        for spec in self.schema.tables_of(model):
                            session.execute(
                                delete(spec.table).where(spec.table.c.origin == chosen[0])
                            )
                    self.tracking.advance(session, chosen[0], models, 0, "")
            for each in chosen:
                self._folds.pop(each, None)

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        origin: str | None = None,
        *,
        progress: Progress | None = None,
    ) -> CatchUpReport:
        """Drop and rebuild the named read models (all when None) of one or every ledger.

        Raises ReadModelNotFoundError for an unknown name, UnknownLedgerError
        for an unknown ledger.
        """
        started = time.perf_counter()
        origins = self.origins(origin)
        self.reset(names, origin)
        events = 0
        # Rows the reset deleted, and rows of models not rebuilt, may still hold an erased
        # text the rebuild meets: scrub once, at the end.
        deferred: set[str] = set()
        self._deferred = deferred
        try:
            for chosen in origins:
                events += self.catch_up(chosen, progress=progress)
        finally:
            self._deferred = None
            if deferred:  # the read models' tables are shared: one scrub serves every ledger
                self._scrub_erased(", ".join(sorted(deferred)))
        return CatchUpReport(events, time.perf_counter() - started, len(origins))

    # --- following ------------------------------------------------------------

    def lag(self, origin: str) -> tuple[int, int]:
        """(lowest read model position, tree size) of a ledger, read in one transaction
        (every live read asks it: py-spy of B5 put 48 % of a timeline read in it, most
        of that in two transactions' round trips)."""
        with self.store.read():  # the two reads below join this transaction
            row = self.store.ledger(origin)
            if row is None:
                raise UnknownLedgerError(f"no ledger {origin!r} in this store", ledger=origin)
            positions = self.tracking.positions(origin, self.models)
        return min(t.position for t in positions.values()), row.tree_size

    def run_forever(
        self,
        *,
        poll_interval: float = 0.5,
        stop: threading.Event | None = None,
        on_batch: Callable[[str, int], None] | None = None,
        origin: str | None = None,
    ) -> None:
        """Follow every ledger's log (or ``origin``'s) until ``stop`` is set: poll, catch up.

        Errors in one pass are logged and retried on the next poll, so the
        worker survives a database restart.
        """
        stopping = stop or threading.Event()
        while not stopping.is_set():
            try:
                growing = self._growing()
            except Exception:
                logger.exception("reading the ledgers' sizes failed; retrying")
                growing = []
            for chosen in growing:
                if origin is not None and chosen != origin:
                    continue
                try:
                    applied = self.catch_up_ledger(chosen)
                except Exception:
                    logger.exception("projection pass of %s failed; retrying", chosen)
                    continue
                if applied and on_batch is not None:
                    on_batch(chosen, applied)
            stopping.wait(poll_interval)

    def _growing(self) -> list[str]:
        """The ledgers whose tree is ahead of some read model (one query each)."""
        ledgers = self.store.ledgers
        t = self.schema.tracking
        with self.store.read() as session:
            sizes = {
                str(origin): int(size)
                for origin, size in session.execute(select(ledgers.c.origin, ledgers.c.tree_size))
            }
            rows = session.execute(select(t.c.origin, t.c.read_model, t.c.position)).all()
        lowest: dict[str, int] = {}
        seen: dict[str, set[str]] = {}
        for origin, model, position in rows:
            seen.setdefault(origin, set()).add(model)
            lowest[origin] = min(lowest.get(origin, position), int(position))
        growing = []
        for origin, size in sorted(sizes.items()):
            complete = seen.get(origin, set()) >= set(self.models)
            if not complete or lowest.get(origin, 0) < int(size):
                growing.append(str(origin))
        return growing
