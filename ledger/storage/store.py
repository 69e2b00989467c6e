"""Persistence: the eventsourcing event store plus the ledger's own tables.

Events are stored by the ``eventsourcing`` library's application recorder
(``eventsourcing-sqlalchemy``, one code path for SQLite and PostgreSQL):
one aggregate sequence per stream (originator id = UUIDv5 of origin and
stream, originator version = sequence number, topic = event type, state =
the entry bytes).  Beside it, in the same transaction, the ledger keeps its
own tables (``ledger.storage.tables``).  The service writes through a
``LedgerTransaction`` (``Store.transaction()``); read models write their
own tables in a plain session (``Store.write()``).

Nothing in this module judges events; it stores and reads.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy.exc
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    MetaData,
    Select,
    Table,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger.errors import ConflictError, StorageError
from ledger.protocol.canonical import canonical, parse_canonical
from ledger.storage.faults import UNAVAILABLE, Guarded, unavailable
from ledger.storage.scrub import scrub_postgresql, scrub_sqlite
from ledger.storage.tables import NamedTables
from ledger.storage.transaction import LedgerTransaction, NewLeaf

STREAM_NAMESPACE = uuid.UUID("6f0e4c1a-3b7d-5e2f-9a41-6d2c8b0e7f13")
APP_NAME = "medledger"


SQL_TEXTS_KEPT = 512
"""SQL texts written by hand and kept per store (``Store._sql_text``): proofs and appends
ask few shapes (about one node per tree level)."""


@functools.lru_cache(maxsize=1 << 16)
def stream_uuid(origin: str, stream: str) -> uuid.UUID:
    """The event store's originator id of a stream (documented in PROTOCOL.md).

    Remembered: verification and appends ask for the same streams again and again.
    """
    return uuid.uuid5(STREAM_NAMESPACE, f"{origin}\n{stream}")


@dataclass(frozen=True)
class LedgerRow:
    origin: str
    ledger_id: str
    name: str
    log_verifier_key: str
    tree_size: int


@dataclass(frozen=True)
class LogRecord:
    """One stored log entry with everything kept beside it."""

    leaf_index: int
    notification_id: int
    originator_id: uuid.UUID | None
    originator_version: int | None
    topic: str | None
    entry: bytes | None  # None when the event store row is missing
    stream: str
    seq: int
    recorded_at: str
    payload: bytes | None
    salts: bytes | None
    """Canonical JSON object, field name -> base64 salt, of the fields still disclosed."""
    redacted_by: int | None


class _Owed(NamedTuple):
    """A table owed a scrub (``ml_scrubs_owed``), and which attempt owes it."""

    schema: str
    name: str
    attempt: str


class Store(NamedTables, prefix="ml_"):
    """The event store and the ledger tables of one database (or PG schema)."""

    ledgers: Table
    leaves: Table
    nodes: Table
    payloads: Table
    checkpoints: Table
    directory: Table
    documents: Table
    document_uploads: Table
    used_nonces: Table
    scrubs_owed: Table

    scrub_wait = 5.0
    """Seconds an erasure's scrub waits on PostgreSQL for older transactions to end, and
    as long for a table's lock (``scrub``)."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        if schema is not None:
            _ensure_schema(url, schema)
        datastore = SQLAlchemyDatastore(url=url, pool_pre_ping=True)
        assert isinstance(datastore.engine, Engine)
        self.engine: Engine = datastore.engine
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _erase_freed_content)
        self.datastore = datastore
        self.recorder = SQLAlchemyApplicationRecorder(
            datastore=datastore, events_table_name=f"{APP_NAME}_events", schema_name=schema
        )
        self.dialect = self.engine.dialect.name
        self.events = self.recorder.events_record_cls.__table__
        self.metadata = MetaData(schema=schema)
        self.load_tables(self.metadata)
        try:
            self.recorder.create_table()
            self.metadata.create_all(self.engine, checkfirst=True)
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc
        # Statements compiled once: every append runs them.
        ledgers = self.ledgers
        self._grow = (
            update(ledgers)
            .where(ledgers.c.origin == bindparam("ledger_origin"))
            .values(tree_size=ledgers.c.tree_size + bindparam("growth"))
            .returning(ledgers.c.tree_size)
        )
        self._insert_leaf = insert(self.leaves)
        self._insert_payload = insert(self.payloads)
        self._insert_node = insert(self.nodes)
        self._sql_texts: dict[tuple[object, ...], str] = {}

    # --- transactions -----------------------------------------------------

    def write(self) -> AbstractContextManager[Session]:
        """A session committed when the block ends: ``with store.write() as session: ...``.

        Like ``read``, it raises StorageUnavailableError, never a driver's
        error, when the database cannot be reached or written.
        """
        return self._session(commit=True)

    def read(self) -> AbstractContextManager[Session]:
        """A session for reading; nested in a write, it is the write's own."""
        return self._session(commit=False)

    def _session(self, *, commit: bool) -> AbstractContextManager[Session]:
        try:
            return Guarded(self.datastore.transaction(commit=commit))
        except UNAVAILABLE as exc:  # the first session of a process sets up SQLite's WAL
            raise unavailable(exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[LedgerTransaction]:
        """The ledger's unit of work: committed when the block ends, rolled back if it raises."""
        with self.write() as session:
            yield _SessionTransaction(self, session)

    # --- ledgers ----------------------------------------------------------

    def ledger(self, origin_or_id: str) -> LedgerRow | None:
        with self.read() as session:
            found = session.execute(
                select(self.ledgers).where(
                    (self.ledgers.c.origin == origin_or_id)
                    | (self.ledgers.c.ledger_id == origin_or_id)
                )
            ).first()
        return None if found is None else LedgerRow(**found._mapping)

    def ledgers_list(self) -> list[LedgerRow]:
        with self.read() as session:
            rows = session.execute(select(self.ledgers).order_by(self.ledgers.c.origin)).all()
        return [LedgerRow(**r._mapping) for r in rows]

    # --- reading the log --------------------------------------------------

    def log(
        self,
        origin: str,
        start: int = 0,
        stop: int | None = None,
        *,
        batch: int = 2000,
        event_store_columns: bool = True,
    ) -> Iterator[LogRecord]:
        """Stream the log's entries from ``start`` to ``stop`` (exclusive), in order.

        Reads in batches so that memory stays flat however long the log is.
        Without ``event_store_columns`` the originator id, version and topic
        are left out (None): read models do not need them, and converting
        the originator id's UUID type makes reading about three times slower.
        """
        position = start
        while stop is None or position < stop:
            query = self._log_query(origin, position, stop, batch, event_store_columns)
            with self.read() as session:
                rows = session.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _log_record(row)
            position = int(rows[-1][0]) + 1

    def entries(
        self, origin: str, start: int = 0, stop: int | None = None, *, batch: int = 2000
    ) -> Iterator[LogRecord]:
        """``log`` without the event store's own columns: what read models need."""
        return self.log(origin, start, stop, batch=batch, event_store_columns=False)

    def _log_query(
        self,
        origin: str,
        start: int,
        stop: int | None,
        limit: int,
        event_store_columns: bool = True,
    ) -> Any:
        leaves, events, payloads = self.leaves, self.events, self.payloads
        columns = [
            leaves.c.leaf_index,
            leaves.c.notification_id,
            leaves.c.stream,
            leaves.c.seq,
            leaves.c.recorded_at,
            events.c.state,
            payloads.c.payload,
            payloads.c.salts,
            payloads.c.redacted_by,
        ]
        if event_store_columns:
            columns += [events.c.originator_id, events.c.originator_version, events.c.topic]
        return (
            select(*columns)
            .select_from(
                leaves.outerjoin(events, events.c.id == leaves.c.notification_id).outerjoin(
                    payloads,
                    and_(
                        payloads.c.origin == leaves.c.origin,
                        payloads.c.leaf_index == leaves.c.leaf_index,
                    ),
                )
            )
            .where(
                and_(
                    leaves.c.origin == origin,
                    leaves.c.leaf_index >= start,
                    leaves.c.leaf_index < (stop if stop is not None else 2**62),
                )
            )
            .order_by(leaves.c.leaf_index)
            .limit(limit)
        )

    def record(self, origin: str, leaf_index: int) -> LogRecord | None:
        with self.read() as session:
            row = session.execute(self._log_query(origin, leaf_index, leaf_index + 1, 1)).first()
        return None if row is None else _log_record(row)

    def stream_records(
        self, origin: str, stream: str, after_seq: int = 0, limit: int = 1000
    ) -> list[LogRecord]:
        """Up to ``limit`` events of one stream after ``after_seq``, in one query."""
        leaves = self.leaves
        query = self._log_query(origin, 0, None, limit).where(
            leaves.c.stream == stream, leaves.c.seq > after_seq
        )
        with self.read() as session:
            rows = session.execute(query).all()
        return [_log_record(row) for row in rows]

    def tree_size(self, origin: str) -> int | None:
        """The ledger's committed size (one indexed read), or None if there is no such ledger."""
        with self.read() as session:
            found = session.execute(
                select(self.ledgers.c.tree_size).where(self.ledgers.c.origin == origin)
            ).scalar()
        return None if found is None else int(found)

    def stream_log(self, origin: str, stream: str, stop: int | None = None) -> list[LogRecord]:
        """Every entry of one stream below leaf ``stop``, in sequence order, in one query.

        Read models use it to reload one matter's (or the registry's) events
        as of a log position without reading the rest of the log.
        """
        query = self._log_query(origin, 0, stop, 2**31).where(self.leaves.c.stream == stream)
        with self.read() as session:
            rows = session.execute(query).all()
        return [_log_record(row) for row in rows]

    def typed_log(
        self, origin: str, types: Sequence[str], stop: int | None = None
    ) -> list[LogRecord]:
        """Every entry of the given event types below leaf ``stop``, in leaf order, in one query.

        Read models use it to rebuild what the organisation as a whole holds
        (its guideline register, its annual work-environment discussions) as
        of a log position without decoding the rest of the log.
        """
        query = self._log_query(origin, 0, stop, 2**31).where(
            self.leaves.c.event_type.in_(list(types))
        )
        with self.read() as session:
            rows = session.execute(query).all()
        return [_log_record(row) for row in rows]

    def heads_at(self, origin: str, size: int) -> list[LogRecord]:
        """The last event of every stream below leaf ``size`` (a checkpoint's stream heads)."""
        leaves = self.leaves
        last = (
            select(leaves.c.stream, func.max(leaves.c.seq).label("seq"))
            .where(and_(leaves.c.origin == origin, leaves.c.leaf_index < size))
            .group_by(leaves.c.stream)
            .subquery()
        )
        query = self._log_query(origin, 0, size, 2**31).join(
            last, and_(leaves.c.stream == last.c.stream, leaves.c.seq == last.c.seq)
        )
        with self.read() as session:
            rows = session.execute(query).all()
        return [_log_record(row) for row in rows]

    def leaf_index_of(self, origin: str, stream: str, seq: int) -> int | None:
        leaves = self.leaves
        with self.read() as session:
            found = session.execute(
                select(leaves.c.leaf_index).where(
                    and_(leaves.c.origin == origin, leaves.c.stream == stream, leaves.c.seq == seq)
                )
            ).scalar()
        return None if found is None else int(found)

    def event_store_counts(
        self, stream_ids: Mapping[uuid.UUID, str]
    ) -> dict[uuid.UUID, tuple[int, int]]:
        """Count and highest version per originator id in the event store itself."""
        events = self.events
        found: dict[uuid.UUID, tuple[int, int]] = {}
        ids = list(stream_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            with self.read() as session:
                rows = session.execute(
                    select(
                        events.c.originator_id, func.count(), func.max(events.c.originator_version)
                    )
                    .where(events.c.originator_id.in_(chunk))
                    .group_by(events.c.originator_id)
                ).all()
            for originator_id, count, highest in rows:
                key = (
                    originator_id
                    if isinstance(originator_id, uuid.UUID)
                    else uuid.UUID(str(originator_id))
                )
                found[key] = (int(count), int(highest))
        return found

    # --- tree nodes -------------------------------------------------------

    def nodes_for(
        self, origin: str, keys: Sequence[tuple[int, int]]
    ) -> dict[tuple[int, int], bytes]:
        """The stored hashes of the given (level, index) nodes, in one query.

        On SQLite one ``UNION ALL`` branch per level (``origin = ? AND level = ?
        AND idx IN (...)``), which SQLite answers from the primary key index
        (a row-value IN list would scan the ledger's nodes).  Its text is
        written once per shape (the number of indexes asked at each level) and
        handed to the driver as it is: a profile of B4 put 71 % of a proof in
        building and compiling the SQLAlchemy union afresh each time.
        """
        if not keys:
            return {}
        nodes = self.nodes
        if self.dialect == "postgresql":
            # PostgreSQL plans a row-value IN list as index lookups.
            with self.read() as session:
                found = session.execute(
                    select(nodes.c.level, nodes.c.idx, nodes.c.hash).where(
                        nodes.c.origin == origin, tuple_(nodes.c.level, nodes.c.idx).in_(list(keys))
                    )
                ).all()
            return {(int(lv), int(ix)): bytes(h) for lv, ix, h in found}
        by_level: dict[int, list[int]] = {}
        for level, index in keys:
            by_level.setdefault(level, []).append(index)
        shape = tuple(len(indexes) for indexes in by_level.values())
        sql = self._sql_text(("nodes", *shape), lambda: self._write_nodes_sql(shape))
        params: list[object] = []
        for level, indexes in by_level.items():
            params += [origin, level, *indexes]
        with self.read() as session:
            rows = session.connection().exec_driver_sql(sql, tuple(params)).all()
        return {(int(lv), int(ix)): bytes(h) for lv, ix, h in rows}

    def _sql_text(self, key: tuple[object, ...], write: Callable[[], str]) -> str:
        """A statement's text written by hand, once per ``key`` (its shape), and handed to
        the driver as it is: no SQLAlchemy construct to build and compile per call."""
        sql = self._sql_texts.get(key)
        if sql is None:
            if len(self._sql_texts) >= SQL_TEXTS_KEPT:
                self._sql_texts.clear()
            sql = self._sql_texts[key] = write()
        return sql

    def rows_sql(self, nodes: int) -> str:
        """PostgreSQL's text of an append's own rows: leaf and payload in data-modifying
        CTEs, then ``nodes`` tree nodes (or, with none, the payload alone)."""
        return self._sql_text(("rows", nodes), lambda: self._write_rows_sql(nodes))

    def _write_rows_sql(self, nodes: int) -> str:
        # Only the dialect's quoted table names and placeholders are written in.
        name = self.engine.dialect.identifier_preparer.format_table
        leaf = (
            f"INSERT INTO {name(self.leaves)} (origin, leaf_index, notification_id, stream, "  # noqa: S608
            "seq, event_type, actor, claimed_time, recorded_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        )
        payload = (
            f"INSERT INTO {name(self.payloads)} (origin, leaf_index, payload, salts) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)"
        )
        if not nodes:
            return f"WITH leaf AS ({leaf}) {payload}"
        rows = ", ".join(["(%s, %s, %s, %s)"] * nodes)
        into = f"INSERT INTO {name(self.nodes)} (origin, level, idx, hash) VALUES "  # noqa: S608
        return f"WITH leaf AS ({leaf}), payload AS ({payload}) {into}{rows}"

    def _write_nodes_sql(self, shape: tuple[int, ...]) -> str:
        """SQLite's text of ``nodes_for``: one branch per level, ``shape`` its IN list sizes."""
        # Only the dialect's quoted table name and placeholders are written in; every
        # value is a parameter.
        table = self.engine.dialect.identifier_preparer.format_table(self.nodes)
        branch = f"SELECT level, idx, hash FROM {table} WHERE origin = ? AND level = ? "  # noqa: S608
        return " UNION ALL ".join(
            branch + f"AND idx IN ({', '.join('?' * count)})" for count in shape
        )

    def node_ranges(
        self, origin: str, ranges: Mapping[int, tuple[int, int]]
    ) -> dict[tuple[int, int], bytes]:
        """The stored hashes of the nodes ``lo <= idx <= hi`` of each ``level: (lo, hi)``, in
        one query of one small branch per level (a verifier recomputes runs of adjacent
        nodes: no key list to send, compile or plan)."""
        if not ranges:
            return {}
        nodes = self.nodes
        branches = [
            select(nodes.c.level, nodes.c.idx, nodes.c.hash).where(
                nodes.c.origin == origin,
                nodes.c.level == level,
                nodes.c.idx.between(lo, hi),
            )
            for level, (lo, hi) in sorted(ranges.items())
        ]
        query = branches[0] if len(branches) == 1 else union_all(*branches)
        with self.read() as session:
            rows = session.execute(query).all()
        return {(int(lv), int(ix)): bytes(h) for lv, ix, h in rows}

    def node_count(self, origin: str) -> int:
        with self.read() as session:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(self.nodes)
                    .where(self.nodes.c.origin == origin)
                ).scalar_one()
            )

    # --- checkpoints ------------------------------------------------------

    def checkpoints_list(self, origin: str) -> list[tuple[int, str, str]]:
        c = self.checkpoints
        with self.read() as session:
            rows = session.execute(
                select(c.c.tree_size, c.c.note, c.c.issued_at)
                .where(c.c.origin == origin)
                .order_by(c.c.tree_size)
            ).all()
        return [(int(s), str(n), str(t)) for s, n, t in rows]

    def newest_checkpoint(self, origin: str) -> tuple[int, str, str] | None:
        """The newest stored checkpoint's (tree size, note, issued at), or None: one indexed read."""
        with self.read() as session:
            row = session.execute(
                _newest_checkpoint_query(self.checkpoints, origin, "tree_size", "note", "issued_at")
            ).first()
        return None if row is None else (int(row[0]), str(row[1]), str(row[2]))

    def checkpoint_lag(self) -> list[tuple[str, int, int, str | None]]:
        """Every ledger whose tree is ahead of its newest checkpoint, in one query.

        Each as (origin, tree size, newest checkpoint's size or 0, when it
        was issued or None).
        """
        ledgers, c = self.ledgers, self.checkpoints
        newest = (
            select(func.max(c.c.tree_size))
            .where(c.c.origin == ledgers.c.origin)
            .correlate(ledgers)
            .scalar_subquery()
        )
        query = (
            select(ledgers.c.origin, ledgers.c.tree_size, c.c.tree_size, c.c.issued_at)
            .select_from(
                ledgers.outerjoin(c, and_(c.c.origin == ledgers.c.origin, c.c.tree_size == newest))
            )
            .where(ledgers.c.tree_size > func.coalesce(c.c.tree_size, 0))
            .order_by(ledgers.c.origin)
        )
        with self.read() as session:
            rows = session.execute(query).all()
        return [
            (str(o), int(t), 0 if s is None else int(s), None if i is None else str(i))
            for o, t, s, i in rows
        ]

    # --- directory (personal details, outside the signed log) ------------

    def set_directory(self, origin: str, person: str, name: str | None, email: str | None) -> None:
        d = self.directory
        with self.write() as session:
            session.execute(delete(d).where(and_(d.c.origin == origin, d.c.person == person)))
            session.execute(
                insert(d).values(origin=origin, person=person, name=name, email=email, erased=False)
            )

    def erase_directory(self, origin: str, person: str) -> None:
        """Empty a person's directory entry, if there is one, and mark it erased; call
        ``scrub_directory`` after it."""
        d = self.directory
        with self.write() as session:
            session.execute(
                update(d)
                .where(and_(d.c.origin == origin, d.c.person == person))
                .values(name=None, email=None, erased=True)
            )
            self.owe_scrub(session, [d])

    def scrub_directory(self) -> bool:
        """Remove the old copies of erased directory rows from the database files
        (``scrub``)."""
        return self.scrub([self.directory])

    def directory_names(self, origin: str) -> dict[str, str]:
        d = self.directory
        with self.read() as session:
            rows = session.execute(
                select(d.c.person, d.c.name).where(
                    and_(d.c.origin == origin, d.c.name.is_not(None))
                )
            ).all()
        return {str(p): str(n) for p, n in rows}

    def directory_addresses(self, origin: str, people: list[str]) -> dict[str, tuple[str, str]]:
        """``person -> (name, e-mail)`` of ``people`` with an e-mail address that is not
        erased (the name is the person's id where the directory holds none)."""
        d = self.directory
        with self.read() as session:
            rows = session.execute(
                select(d.c.person, d.c.name, d.c.email).where(
                    and_(
                        d.c.origin == origin,
                        d.c.person.in_(people),
                        d.c.erased.is_(False),
                        d.c.email.is_not(None),
                    )
                )
            ).all()
        return {str(p): (str(n or p), str(e)) for p, n, e in rows if e}

    # --- single-use nonces (login challenges) ---------------------------

    def use_nonce(self, origin: str, nonce: str, expires_at: int, *, forget_before: int) -> bool:
        """Record ``nonce`` of ``origin`` as used; False if it was used before.

        Rows that expired before ``forget_before`` are deleted in the same
        transaction, so the table holds only the nonces still worth refusing.
        """
        used = self.used_nonces
        try:
            with self.write() as session:
                session.execute(delete(used).where(used.c.expires_at < forget_before))
                session.execute(
                    insert(used).values(origin=origin, nonce=nonce, expires_at=expires_at)
                )
        except (IntegrityError, sqlalchemy.exc.IntegrityError):
            return False
        return True

    # --- erasure -----------------------------------------------------------

    def scrub_erased(self) -> bool:
        """Remove the copies of erased payload bytes that the database files keep; call after
        the commit (see ``scrub``)."""
        return self.scrub([self.payloads])

    def scrub(self, tables: Sequence[Table]) -> bool:
        """Remove the old copies of rows of ``tables`` that the database files keep after an
        erasure committed (``ledger.storage.scrub``): on SQLite a checkpoint, on
        PostgreSQL a rewrite of the tables, waiting at most ``scrub_wait`` seconds.

        Returns False when the scrub could not be done now: SQLite's checkpoint met
        a reader; on PostgreSQL a transaction older than the erasure still ran, or
        a table's lock was not had, when the wait ended.  The tables are owed a
        scrub from before it starts until it is done, so one that could not be
        done, failed, or was cut short by the process's end is done later by
        ``scrub_owed``.
        """
        with self.write() as session:
            owed = self.owe_scrub(session, tables)
        if not self._scrub(tables, self.scrub_wait):
            return False
        self._settle(owed)
        return True

    def scrub_owed(self, wait: float) -> bool | None:
        """Scrub the tables owed a scrub, waiting at most ``wait`` seconds (``scrub``): True
        when done, False when still owed, None when none was owed.  A table that no
        longer exists is owed nothing."""
        o = self.scrubs_owed
        with self.read() as session:
            owed = [
                _Owed(*row)
                for row in session.execute(select(o.c.table_schema, o.c.table_name, o.c.attempt))
            ]
        if not owed:
            return None
        if self.dialect != "sqlite":
            found = sqlalchemy.inspect(self.engine)
            present = [row for row in owed if found.has_table(row.name, schema=row.schema or None)]
            self._settle([row for row in owed if row not in present])
            owed = present
        metadata = MetaData()
        tables = [Table(row.name, metadata, schema=row.schema or None) for row in owed]
        if not self._scrub(tables, wait):
            return False
        self._settle(owed)
        return True

    def owe_scrub(self, session: Session, tables: Sequence[Table]) -> list[_Owed]:
        """Record in ``session``'s transaction that ``tables`` are owed a scrub (again): an
        erasure owes it in the transaction that erases, so no stop of the process between
        the commit and the scrub can lose it (``scrub_owed`` does it then).  Returns what
        ``_settle`` takes once the scrub is done."""
        o = self.scrubs_owed
        upsert = sqlite_insert if self.dialect == "sqlite" else postgresql_insert
        owed = [_Owed(t.schema or "", t.name, uuid.uuid4().hex) for t in tables]
        for row in owed:
            statement = upsert(o).values(
                table_schema=row.schema, table_name=row.name, attempt=row.attempt
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[o.c.table_schema, o.c.table_name],
                    set_={"attempt": row.attempt},
                )
            )
        return owed

    def _settle(self, owed: Sequence[_Owed]) -> None:
        """No longer owe these scrubs; one owed again since (another attempt) stays owed."""
        o = self.scrubs_owed
        with self.write() as session:
            for row in owed:
                session.execute(
                    delete(o).where(
                        and_(
                            o.c.table_schema == row.schema,
                            o.c.table_name == row.name,
                            o.c.attempt == row.attempt,
                        )
                    )
                )

    def _scrub(self, tables: Sequence[Table], wait: float) -> bool:
        try:
            if self.dialect == "sqlite":
                return scrub_sqlite(self.engine)
            return scrub_postgresql(self.engine, tables, wait)
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc

    def dispose(self) -> None:
        self.engine.dispose()


class _SessionTransaction:
    """A ``LedgerTransaction`` in one session of the store (see ``Store.transaction``)."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session

    def lock_ledger(self, origin: str, *, grow: int = 0) -> int | None:
        """Take the ledger's write lock; return its tree size before this write.

        One statement on both backends: an UPDATE of the ledger's row (a row
        lock on PostgreSQL, the database's write lock on SQLite) that adds
        ``grow`` (the events this transaction means to append; correct it with
        ``set_tree_size`` if fewer land) and returns the size.  Every write to
        a ledger happens under this lock, so leaf indexes are assigned
        gaplessly in commit order.  Returns None if there is no such ledger.
        """
        found = self.session.execute(
            self.store._grow, {"ledger_origin": origin, "growth": grow}
        ).scalar()
        return None if found is None else int(found) - grow

    def set_tree_size(self, origin: str, size: int) -> None:
        """Record the ledger's new size (under the lock ``lock_ledger`` took)."""
        ledgers = self.store.ledgers
        self.session.execute(
            update(ledgers).where(ledgers.c.origin == origin).values(tree_size=size)
        )

    def insert_ledger(self, row: LedgerRow) -> None:
        self.session.execute(insert(self.store.ledgers).values(**row.__dict__))

    def append(self, leaf: NewLeaf) -> int:
        """Store one entry and everything beside it; return its notification id.

        Raises ConflictError when the stream already has that sequence number.
        """
        stored = StoredEvent(
            originator_id=stream_uuid(leaf.origin, leaf.stream),
            originator_version=leaf.seq,
            topic=leaf.event_type,
            state=leaf.entry,
        )
        try:
            ids = self.store.recorder.insert_events([stored], session=self.session)
        except (IntegrityError, sqlalchemy.exc.IntegrityError) as exc:
            raise ConflictError(
                f"{leaf.stream} already has event {leaf.seq}", stream=leaf.stream
            ) from exc
        assert ids
        notification_id = int(ids[0])
        if self.store.dialect == "postgresql":
            self._append_rows_in_one_statement(leaf, notification_id)
            return notification_id
        key = {"origin": leaf.origin, "leaf_index": leaf.leaf_index}
        self.session.execute(
            self.store._insert_leaf,
            {
                **key,
                "notification_id": notification_id,
                "stream": leaf.stream,
                "seq": leaf.seq,
                "event_type": leaf.event_type,
                "actor": leaf.actor,
                "claimed_time": leaf.claimed_time,
                "recorded_at": leaf.recorded_at,
            },
        )
        self.session.execute(
            self.store._insert_payload, {**key, "payload": leaf.payload, "salts": leaf.salts}
        )
        if leaf.nodes:
            self.session.execute(
                self.store._insert_node,
                [
                    {"origin": leaf.origin, "level": lv, "idx": ix, "hash": h}
                    for lv, ix, h in leaf.nodes
                ],
            )
        return notification_id

    def _append_rows_in_one_statement(self, leaf: NewLeaf, notification_id: int) -> None:
        """PostgreSQL: the leaf, payload and node rows in one statement (two data-modifying
        CTEs before the nodes' insert), one round trip instead of three."""
        params: list[object] = [
            leaf.origin,
            leaf.leaf_index,
            notification_id,
            leaf.stream,
            leaf.seq,
            leaf.event_type,
            leaf.actor,
            leaf.claimed_time,
            leaf.recorded_at,
            leaf.origin,
            leaf.leaf_index,
            leaf.payload,
            leaf.salts,
        ]
        for level, index, hash_ in leaf.nodes:
            params += [leaf.origin, level, index, hash_]
        sql = self.store.rows_sql(len(leaf.nodes))
        self.session.connection().exec_driver_sql(sql, tuple(params))

    def redact(self, origin: str, stream: str, seq: int, fields: list[str], by_leaf: int) -> None:
        """Erase the named fields (values and salts) of one event; the entry stays."""
        leaves, payloads = self.store.leaves, self.store.payloads
        target = self.session.execute(
            select(leaves.c.leaf_index).where(
                and_(leaves.c.origin == origin, leaves.c.stream == stream, leaves.c.seq == seq)
            )
        ).scalar_one()
        where = and_(payloads.c.origin == origin, payloads.c.leaf_index == target)
        row = self.session.execute(select(payloads.c.payload, payloads.c.salts).where(where)).one()
        payload, salts = parse_canonical(bytes(row[0])), parse_canonical(bytes(row[1]))
        assert isinstance(payload, dict) and isinstance(salts, dict)
        for name in fields:
            payload.pop(name, None)
            salts.pop(name, None)
        self.session.execute(
            update(payloads)
            .where(where)
            .values(payload=canonical(payload), salts=canonical(salts), redacted_by=by_leaf)
        )
        self.store.owe_scrub(self.session, [payloads])

    def latest_checkpoint(self, origin: str) -> tuple[int, bytes, str] | None:
        row = self.session.execute(
            _newest_checkpoint_query(self.store.checkpoints, origin, "tree_size", "root", "note")
        ).first()
        return None if row is None else (int(row[0]), bytes(row[1]), str(row[2]))

    def checkpoint_note(self, origin: str, tree_size: int) -> str | None:
        checkpoints = self.store.checkpoints
        found = self.session.execute(
            select(checkpoints.c.note).where(
                and_(checkpoints.c.origin == origin, checkpoints.c.tree_size == tree_size)
            )
        ).scalar()
        return None if found is None else str(found)

    def set_checkpoint_note(self, origin: str, tree_size: int, note: str) -> None:
        checkpoints = self.store.checkpoints
        self.session.execute(
            update(checkpoints)
            .where(and_(checkpoints.c.origin == origin, checkpoints.c.tree_size == tree_size))
            .values(note=note)
        )

    def insert_checkpoint(
        self, origin: str, tree_size: int, root: bytes, note: str, issued_at: str
    ) -> None:
        self.session.execute(
            insert(self.store.checkpoints).values(
                origin=origin, tree_size=tree_size, root=root, note=note, issued_at=issued_at
            )
        )


def _newest_checkpoint_query(checkpoints: Table, origin: str, *columns: str) -> Select[Any]:
    """``columns`` of the newest checkpoint stored for ``origin`` (one indexed read)."""
    return (
        select(*(checkpoints.c[name] for name in columns))
        .where(checkpoints.c.origin == origin)
        .order_by(checkpoints.c.tree_size.desc())
        .limit(1)
    )


def _log_record(row: Any) -> LogRecord:
    """A row of ``_log_query`` as a record (columns by position: this is a hot path)."""
    leaf, notification, stream, seq, recorded, state, payload, salts, by = row[:9]
    originator = version = topic = None
    if len(row) > 9:
        originator, version, topic = row[9:12]
        if originator is not None and not isinstance(originator, uuid.UUID):
            originator = uuid.UUID(str(originator))
    return LogRecord(
        leaf_index=int(leaf),
        notification_id=int(notification),
        originator_id=originator,
        originator_version=None if version is None else int(version),
        topic=topic,
        entry=None if state is None else bytes(state),
        stream=str(stream),
        seq=int(seq),
        recorded_at=str(recorded),
        payload=None if payload is None else bytes(payload),
        salts=None if salts is None else bytes(salts),
        redacted_by=None if by is None else int(by),
    )


def _erase_freed_content(connection: Any, _record: Any) -> None:
    """Every SQLite connection overwrites deleted content with zeros (erased payloads)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _ensure_schema(url: str, schema: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            else:
                raise StorageError("a schema can only be given for PostgreSQL")
    finally:
        engine.dispose()
