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
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine

from ledger.storage.store import Store
from ledger.storage.tables import tables_from_file
from projections.read_models.bulk import BulkInsert

REGISTRY = "registry"
TIMELINE = "timeline"
INVOLVEMENT = "involvement"
DOSSIER = "dossier"
FINDINGS = "findings"
STATISTICS = "statistics"
GUIDELINES = "guidelines"
DISPUTES = "disputes"

READ_MODELS: tuple[str, ...] = (
    REGISTRY,
    TIMELINE,
    INVOLVEMENT,
    DOSSIER,
    FINDINGS,
    STATISTICS,
    GUIDELINES,
    DISPUTES,
)
"""Every read model, in the order a pass writes them."""

LAYOUT = 3
"""The layout of the rm_ tables; change it with any change to them (they are rebuilt)."""


@dataclass(frozen=True)
class TableSpec:
    """How a read model keeps one table: by matter, by event, or by registry key."""

    model: str
    table: Table
    scope: str  # "matter": rows replaced per matter; "event": per event; "registry"
    order: tuple[str, ...]


class ReadModelSchema:
    """Defines (and creates, if missing) every ``rm_*`` table for one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.metadata = m = MetaData(schema=store.schema)
        # Driver-level INSERT statements by table (projections.read_models.materialise).
        self.compiled_inserts: dict[str, BulkInsert] = {}
        tables = tables_from_file(m, Path(__file__).with_name("tables.toml"))
        self.tracking = tables["rm_tracking"]
        self.ledgers = tables["rm_ledgers"]
        self.people = tables["rm_people"]
        self.bodies = tables["rm_bodies"]
        self.memberships = tables["rm_memberships"]
        self.matters = tables["rm_matters"]
        self.timeline = tables["rm_timeline"]
        self.involvement = tables["rm_involvement"]
        self.body_involvement = tables["rm_body_involvement"]
        self.dossiers = tables["rm_dossiers"]
        self.co_responsibility = tables["rm_co_responsibility"]
        self.findings = tables["rm_findings"]
        self.statistics = tables["rm_statistics"]
        self.guideline_events = tables["rm_guideline_events"]
        self.disputes = tables["rm_disputes"]
        self.specs = self._specs()
        self._create()

    def _specs(self) -> dict[str, TableSpec]:
        """Each table's read model, scope and key order, by table name."""
        specs: dict[str, TableSpec] = {}
        for model, table, scope in (
            (REGISTRY, self.ledgers, "registry"),
            (REGISTRY, self.people, "registry"),
            (REGISTRY, self.bodies, "registry"),
            (REGISTRY, self.memberships, "registry"),
            (TIMELINE, self.matters, "matter"),
            (TIMELINE, self.timeline, "event"),
            (INVOLVEMENT, self.involvement, "event"),
            (INVOLVEMENT, self.body_involvement, "event"),
            (DOSSIER, self.dossiers, "matter"),
            (DOSSIER, self.co_responsibility, "matter"),
            (FINDINGS, self.findings, "matter"),
            (STATISTICS, self.statistics, "matter"),
            (GUIDELINES, self.guideline_events, "event"),
            (DISPUTES, self.disputes, "matter"),
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
