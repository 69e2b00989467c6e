"""The notification worker's own tables, beside the outbox the projector writes.

- ``nt_preferences``: per person, the digest (immediate, daily, weekly), the
  language of their mail, and the kinds they unsubscribed from;
- ``nt_deliveries``: what became of each outbox notice for e-mail: the
  message that carries it, or why none does (unsubscribed, no address,
  stale, moot); keyed like the outbox, so a notice is decided once;
- ``nt_messages``: one e-mail to one person, its state (pending, claimed,
  sending, sent, failed, uncertain, cancelled), its claim and its retries;
- ``nt_attempts``: every delivery attempt of a message, with its outcome;
- ``nt_reads``: which notices a person has read in the web application.

No table holds an address or a message's text: the address is read from the
directory and the text composed from the read models when a message is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import Engine

from ledger.storage.store import Store
from ledger.storage.tables import BigInt
from projections.read_models.notices import Outbox, create_tables


class NotifyTables:
    """Every ``nt_*`` table of one database (created if missing)."""

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.outbox = Outbox(engine, schema).table
        m = self.metadata = MetaData(schema=schema)
        self.preferences = Table(
            "nt_preferences",
            m,
            Column("origin", String(255), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("digest", String(16), nullable=False),
            Column("language", String(2), nullable=False),
            Column("unsubscribed", String(500), nullable=False),
        )
        self.deliveries = Table(
            "nt_deliveries",
            m,
            Column("origin", String(255), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("cause", String(200), primary_key=True),
            Column("message_id", BigInt, nullable=True, index=True),
            Column("outcome", String(16), nullable=False),
            Column("decided_at", String(32), nullable=False),
        )
        self.messages = Table(
            "nt_messages",
            m,
            Column("id", BigInt, primary_key=True, autoincrement=True),
            Column("origin", String(255), nullable=False),
            Column("person", String(64), nullable=False),
            Column("status", String(16), nullable=False, index=True),
            Column("attempts", Integer, nullable=False),
            Column("created_at", String(32), nullable=False),
            Column("next_attempt_at", String(32), nullable=False),
            Column("lease_until", String(32), nullable=True),
            Column("claimed_by", String(64), nullable=True),
            Column("sent_at", String(32), nullable=True),
            Column("last_error", Text, nullable=True),
        )
        self.attempts = Table(
            "nt_attempts",
            m,
            Column("message_id", BigInt, primary_key=True, autoincrement=False),
            Column("attempt", Integer, primary_key=True, autoincrement=False),
            Column("worker", String(64), nullable=False),
            Column("started_at", String(32), nullable=False),
            Column("finished_at", String(32), nullable=True),
            Column("outcome", String(16), nullable=False),
            Column("code", Integer, nullable=True),
            Column("detail", Text, nullable=True),
        )
        self.reads = Table(
            "nt_reads",
            m,
            Column("origin", String(255), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("cause", String(200), primary_key=True),
            Column("read_at", String(32), nullable=False),
        )
        create_tables(m, engine)


@dataclass(frozen=True)
class NotifyDatabase:
    """The notification tables and the store they live in: what the web pages hold.

    Sessions come from the store (``store.read()``, ``store.write()``), so a
    database fault is ``storage_unavailable`` (503), as on every other page.
    """

    store: Store
    t: NotifyTables

    @classmethod
    def of(cls, store: Store) -> NotifyDatabase:
        return cls(store, NotifyTables(store.engine, store.schema))
