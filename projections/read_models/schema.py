"""The read-model tables (``rm_*``), beside the store in the same database or schema.

Each read model owns some tables, laid out in ``tables.toml`` beside this
module; every row carries the ledger ``origin`` so that many ledgers share
one database.  Times the rules compare are kept
in a fixed-width form (``fixed_time``), so that text order is time order.
JSON columns hold canonical text (sorted keys, no spaces) so that a rebuild
gives byte-identical rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy.exc
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from ledger.storage.store import Store
from ledger.storage.tables import NamedTables
from projections.read_models.bulk import BulkInsert


class ReadModel(StrEnum):
    """Every read model, in the order a pass writes them."""

    REGISTRY = "registry"
    TIMELINE = "timeline"
    INVOLVEMENT = "involvement"
    DOSSIER = "dossier"
    FINDINGS = "findings"
    STATISTICS = "statistics"
    GUIDELINES = "guidelines"
    DISPUTES = "disputes"


READ_MODELS: tuple[str, ...] = tuple(model.value for model in ReadModel)
"""Every read model's name, in the order a pass writes them."""

LAYOUT = 3
"""The layout of the rm_ tables; change it with any change to them (they are rebuilt)."""


@dataclass(frozen=True)
class TableSpec:
    """How a read model keeps one table: by matter, by event, or by registry key."""

    model: str
    table: Table
    scope: str  # "matter": rows replaced per matter; "event": per event; "registry"
    order: tuple[str, ...]


class ReadModelSchema(NamedTables, prefix="rm_"):
    """Defines (and creates, if missing) every ``rm_*`` table for one store."""

    tracking: Table
    ledgers: Table
    people: Table
    bodies: Table
    memberships: Table
    matters: Table
    timeline: Table
    involvement: Table
    body_involvement: Table
    dossiers: Table
    co_responsibility: Table
    findings: Table
    statistics: Table
    guideline_events: Table
    disputes: Table

    def __init__(self, store: Store) -> None:
        self.store = store
        self.metadata = m = MetaData(schema=store.schema)
        # Driver-level INSERT statements by table (projections.read_models.materialise).
        self.compiled_inserts: dict[str, BulkInsert] = {}
        self.load_tables(m)
        self.specs = self._specs()
        self._create()

    def _specs(self) -> dict[str, TableSpec]:
        """Each table's read model, scope and key order, by table name."""
        specs: dict[str, TableSpec] = {}
        for model, table, scope in (
            (ReadModel.REGISTRY, self.ledgers, "registry"),
            (ReadModel.REGISTRY, self.people, "registry"),
            (ReadModel.REGISTRY, self.bodies, "registry"),
            (ReadModel.REGISTRY, self.memberships, "registry"),
            (ReadModel.TIMELINE, self.matters, "matter"),
            (ReadModel.TIMELINE, self.timeline, "event"),
            (ReadModel.INVOLVEMENT, self.involvement, "event"),
            (ReadModel.INVOLVEMENT, self.body_involvement, "event"),
            (ReadModel.DOSSIER, self.dossiers, "matter"),
            (ReadModel.DOSSIER, self.co_responsibility, "matter"),
            (ReadModel.FINDINGS, self.findings, "matter"),
            (ReadModel.STATISTICS, self.statistics, "matter"),
            (ReadModel.GUIDELINES, self.guideline_events, "event"),
            (ReadModel.DISPUTES, self.disputes, "matter"),
        ):
            order = tuple(column.name for column in table.primary_key.columns)
            specs[table.name] = TableSpec(model, table, scope, order)
        return specs

    def _create(self) -> None:
        """Create the tables; drop and recreate them if they are of another layout.

        Read models are derived data: when their layout changes (``LAYOUT``),
        the tables are dropped and the projector rebuilds them from the log.
        """
        engine = self.store.engine
        assert isinstance(engine, Engine)
        layout = Table(
            "rm_layout",
            MetaData(schema=self.store.schema),
            Column("name", String(32), primary_key=True),
            Column("version", Integer, nullable=False),
        )
        for attempt in range(5):
            try:
                layout.create(engine, checkfirst=True)
                with engine.begin() as connection:
                    found = connection.execute(
                        select(layout.c.version).where(layout.c.name == "read_models")
                    ).scalar()
                    if found != LAYOUT:
                        self.metadata.drop_all(connection, checkfirst=True)
                        connection.execute(delete(layout).where(layout.c.name == "read_models"))
                        connection.execute(
                            insert(layout).values(name="read_models", version=LAYOUT)
                        )
                    self.metadata.create_all(connection, checkfirst=True)
                return
            except sqlalchemy.exc.DBAPIError:
                # Another process (the API, the worker) created them at the same moment.
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def tables_of(self, model: str) -> list[TableSpec]:
        """The tables one read model owns."""
        return [spec for spec in self.specs.values() if spec.model == model]
