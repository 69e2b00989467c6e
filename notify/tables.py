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
The tables are laid out in ``tables.toml`` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Engine

from ledger.storage.store import Store
from ledger.storage.tables import NamedTables
from projections.read_models.notices import Outbox, create_tables


class NotifyTables(NamedTables, prefix="nt_"):
    """Every ``nt_*`` table of one database (created if missing)."""

    preferences: Table
    deliveries: Table
    messages: Table
    attempts: Table
    reads: Table

    def __init__(self, engine: Engine, schema: str | None) -> None:
        self.outbox = Outbox(engine, schema).table
        self.metadata = MetaData(schema=schema)
        self.load_tables(self.metadata)
        create_tables(self.metadata, engine)


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
