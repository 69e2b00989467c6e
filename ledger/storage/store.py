"""Persistence: the eventsourcing event store plus the ledger's own tables.

Events are stored by the ``eventsourcing`` library's application recorder
(``eventsourcing-sqlalchemy``, one code path for SQLite and PostgreSQL):
one aggregate sequence per stream (originator id = UUIDv5 of origin and
stream, originator version = sequence number, topic = event type, state =
the entry bytes).  Beside it, in the same transaction, the ledger keeps:

- ``ml_ledgers``: one row per ledger, with its tree size (the write lock);
- ``ml_leaves``: leaf index -> notification id, stream, sequence and times;
- ``ml_nodes``: the Merkle tree's complete-subtree hashes;
- ``ml_payloads``: payloads and salts, erasable by ``PayloadRedacted``;
- ``ml_checkpoints``: every signed checkpoint ever issued;
- ``ml_directory``: names and e-mail addresses, outside the signed log.

Nothing in this module judges events; it stores and reads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy.exc
from eventsourcing.persistence import InfrastructureFactory, IntegrityError, StoredEvent
from eventsourcing.utils import Environment
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    create_engine,
    delete,
    func,
    insert,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from ledger.errors import ConflictError, StorageError

STREAM_NAMESPACE = uuid.UUID("6f0e4c1a-3b7d-5e2f-9a41-6d2c8b0e7f13")
APP_NAME = "medledger"
BigInt = BigInteger().with_variant(Integer(), "sqlite")


def stream_uuid(origin: str, stream: str) -> uuid.UUID:
    """The event store's originator id of a stream (documented in PROTOCOL.md)."""
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
    salt: bytes | None
    redacted_by: int | None


class Store:
    """The event store and the ledger tables of one database (or PG schema)."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        if schema is not None:
            _ensure_schema(url, schema)
        env: dict[str, str] = {
            "PERSISTENCE_MODULE": "eventsourcing_sqlalchemy",
            "SQLALCHEMY_URL": url,
        }
        if schema is not None:
            env["SQLALCHEMY_SCHEMA"] = schema
        factory = InfrastructureFactory.construct(Environment(APP_NAME, env))
        recorder = factory.application_recorder()
        assert isinstance(recorder, SQLAlchemyApplicationRecorder)
        self.recorder = recorder
        datastore = recorder.datastore
        assert isinstance(datastore, SQLAlchemyDatastore)
        self.datastore = datastore
        assert datastore.engine is not None
        self.engine = datastore.engine
        self.dialect = self.engine.dialect.name
        self.events = recorder.events_record_cls.__table__
        self.metadata = MetaData(schema=schema)
        self._define_tables()
        self.metadata.create_all(self.engine, checkfirst=True)
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

    def _define_tables(self) -> None:
        m = self.metadata
        self.ledgers = Table(
            "ml_ledgers",
            m,
            Column("origin", String(255), primary_key=True),
            Column("ledger_id", String(64), nullable=False, unique=True),
            Column("name", String(500), nullable=False),
            Column("log_verifier_key", String(500), nullable=False),
            Column("tree_size", BigInt, nullable=False),
        )
        self.leaves = Table(
            "ml_leaves",
            m,
            Column("origin", String(255), primary_key=True),
            Column("leaf_index", BigInt, primary_key=True, autoincrement=False),
            Column("notification_id", BigInt, nullable=False),
            Column("stream", String(80), nullable=False),
            Column("seq", BigInt, nullable=False),
            Column("event_type", String(64), nullable=False),
            Column("actor", String(64), nullable=False),
            Column("claimed_time", String(40), nullable=False),
            Column("recorded_at", String(40), nullable=False),
        )
        Index(
            "ml_leaves_stream_idx",
            self.leaves.c.origin,
            self.leaves.c.stream,
            self.leaves.c.seq,
            unique=True,
        )
        self.nodes = Table(
            "ml_nodes",
            m,
            Column("origin", String(255), primary_key=True),
            Column("level", Integer, primary_key=True, autoincrement=False),
            Column("idx", BigInt, primary_key=True, autoincrement=False),
            Column("hash", LargeBinary(32), nullable=False),
        )
        self.payloads = Table(
            "ml_payloads",
            m,
            Column("origin", String(255), primary_key=True),
            Column("leaf_index", BigInt, primary_key=True, autoincrement=False),
            Column("payload", LargeBinary, nullable=True),
            Column("salt", LargeBinary(32), nullable=True),
            Column("redacted_by", BigInt, nullable=True),
        )
        self.checkpoints = Table(
            "ml_checkpoints",
            m,
            Column("origin", String(255), primary_key=True),
            Column("tree_size", BigInt, primary_key=True, autoincrement=False),
            Column("root", LargeBinary(32), nullable=False),
            Column("note", Text, nullable=False),
            Column("issued_at", String(40), nullable=False),
        )
        self.directory = Table(
            "ml_directory",
            m,
            Column("origin", String(255), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("name", String(500), nullable=True),
            Column("email", String(500), nullable=True),
            Column("erased", Boolean, nullable=False, default=False),
        )

    # --- transactions -----------------------------------------------------

    def write(self) -> Any:
        """A write transaction: ``with store.write() as session: ...``."""
        return self.datastore.transaction(commit=True)

    def read(self) -> Any:
        return self.datastore.transaction(commit=False)

    def lock_ledger(self, session: Session, origin: str, *, grow: int = 0) -> int | None:
        """Take the ledger's write lock; return its tree size before this write.

        One statement on both backends: an UPDATE of the ledger's row (a row
        lock on PostgreSQL, the database's write lock on SQLite) that adds
        ``grow`` (the events this transaction means to append; correct it with
        ``set_tree_size`` if fewer land) and returns the size.  Every write to
        a ledger happens under this lock, so leaf indexes are assigned
        gaplessly in commit order.  Returns None if there is no such ledger.
        """
        found = session.execute(self._grow, {"ledger_origin": origin, "growth": grow}).scalar()
        return None if found is None else int(found) - grow

    def set_tree_size(self, session: Session, origin: str, size: int) -> None:
        """Record the ledger's new size (under the lock ``lock_ledger`` took)."""
        session.execute(
            update(self.ledgers).where(self.ledgers.c.origin == origin).values(tree_size=size)
        )

    # --- ledgers ----------------------------------------------------------

    def insert_ledger(self, session: Session, row: LedgerRow) -> None:
        session.execute(insert(self.ledgers).values(**row.__dict__))

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

    # --- appending ----------------------------------------------------------

    def append(
        self,
        session: Session,
        *,
        origin: str,
        leaf_index: int,
        stream: str,
        seq: int,
        event_type: str,
        actor: str,
        claimed_time: str,
        recorded_at: str,
        entry: bytes,
        payload: bytes,
        salt: bytes,
        nodes: Sequence[tuple[int, int, bytes]],
    ) -> int:
        """Store one entry and everything beside it; return its notification id.

        Raises ConflictError when the stream already has that sequence number.
        """
        stored = StoredEvent(
            originator_id=stream_uuid(origin, stream),
            originator_version=seq,
            topic=event_type,
            state=entry,
        )
        try:
            ids = self.recorder.insert_events([stored], session=session)
        except (IntegrityError, sqlalchemy.exc.IntegrityError) as exc:
            raise ConflictError(f"{stream} already has event {seq}", stream=stream) from exc
        assert ids
        notification_id = int(ids[0])
        session.execute(
            self._insert_leaf,
            {
                "origin": origin,
                "leaf_index": leaf_index,
                "notification_id": notification_id,
                "stream": stream,
                "seq": seq,
                "event_type": event_type,
                "actor": actor,
                "claimed_time": claimed_time,
                "recorded_at": recorded_at,
            },
        )
        session.execute(
            self._insert_payload,
            {"origin": origin, "leaf_index": leaf_index, "payload": payload, "salt": salt},
        )
        if nodes:
            session.execute(
                self._insert_node,
                [{"origin": origin, "level": lv, "idx": ix, "hash": h} for lv, ix, h in nodes],
            )
        return notification_id

    def redact(self, session: Session, origin: str, stream: str, seq: int, by_leaf: int) -> None:
        """Erase the payload and salt of one event; the entry stays."""
        target = session.execute(
            select(self.leaves.c.leaf_index).where(
                and_(
                    self.leaves.c.origin == origin,
                    self.leaves.c.stream == stream,
                    self.leaves.c.seq == seq,
                )
            )
        ).scalar_one()
        session.execute(
            update(self.payloads)
            .where(and_(self.payloads.c.origin == origin, self.payloads.c.leaf_index == target))
            .values(payload=None, salt=None, redacted_by=by_leaf)
        )

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
            payloads.c.salt,
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

    def leaf_index_of(self, origin: str, stream: str, seq: int) -> int | None:
        leaves = self.leaves
        with self.read() as session:
            found = session.execute(
                select(leaves.c.leaf_index).where(
                    and_(leaves.c.origin == origin, leaves.c.stream == stream, leaves.c.seq == seq)
                )
            ).scalar()
        return None if found is None else int(found)

    def stream_summaries(self, origin: str) -> list[tuple[str, int]]:
        leaves = self.leaves
        with self.read() as session:
            rows = session.execute(
                select(leaves.c.stream, func.max(leaves.c.seq))
                .where(leaves.c.origin == origin)
                .group_by(leaves.c.stream)
                .order_by(leaves.c.stream)
            ).all()
        return [(str(s), int(n)) for s, n in rows]

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
        (a row-value IN list would scan the ledger's nodes).
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
        branches = [
            select(nodes.c.level, nodes.c.idx, nodes.c.hash).where(
                nodes.c.origin == origin, nodes.c.level == level, nodes.c.idx.in_(indexes)
            )
            for level, indexes in by_level.items()
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

    def insert_checkpoint(
        self, session: Session, origin: str, tree_size: int, root: bytes, note: str, issued_at: str
    ) -> None:
        session.execute(
            insert(self.checkpoints).values(
                origin=origin, tree_size=tree_size, root=root, note=note, issued_at=issued_at
            )
        )

    def latest_checkpoint(
        self, origin: str, session: Session | None = None
    ) -> tuple[int, bytes, str] | None:
        query = (
            select(self.checkpoints.c.tree_size, self.checkpoints.c.root, self.checkpoints.c.note)
            .where(self.checkpoints.c.origin == origin)
            .order_by(self.checkpoints.c.tree_size.desc())
            .limit(1)
        )
        if session is not None:
            row = session.execute(query).first()
        else:
            with self.read() as s:
                row = s.execute(query).first()
        return None if row is None else (int(row[0]), bytes(row[1]), str(row[2]))

    def checkpoints_list(self, origin: str) -> list[tuple[int, str, str]]:
        c = self.checkpoints
        with self.read() as session:
            rows = session.execute(
                select(c.c.tree_size, c.c.note, c.c.issued_at)
                .where(c.c.origin == origin)
                .order_by(c.c.tree_size)
            ).all()
        return [(int(s), str(n), str(t)) for s, n, t in rows]

    # --- directory (personal details, outside the signed log) ------------

    def set_directory(self, origin: str, person: str, name: str | None, email: str | None) -> None:
        d = self.directory
        with self.write() as session:
            session.execute(delete(d).where(and_(d.c.origin == origin, d.c.person == person)))
            session.execute(
                insert(d).values(origin=origin, person=person, name=name, email=email, erased=False)
            )

    def erase_directory(self, origin: str, person: str) -> None:
        d = self.directory
        with self.write() as session:
            session.execute(
                update(d)
                .where(and_(d.c.origin == origin, d.c.person == person))
                .values(name=None, email=None, erased=True)
            )

    def directory_names(self, origin: str) -> dict[str, str]:
        d = self.directory
        with self.read() as session:
            rows = session.execute(
                select(d.c.person, d.c.name).where(
                    and_(d.c.origin == origin, d.c.name.is_not(None))
                )
            ).all()
        return {str(p): str(n) for p, n in rows}

    def dispose(self) -> None:
        self.engine.dispose()  # type: ignore[union-attr]


def _log_record(row: Any) -> LogRecord:
    """A row of ``_log_query`` as a record (columns by position: this is a hot path)."""
    leaf, notification, stream, seq, recorded, state, payload, salt, by = row[:9]
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
        salt=None if salt is None else bytes(salt),
        redacted_by=None if by is None else int(by),
    )


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
