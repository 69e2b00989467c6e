"""The read-model tables (``rm_*``), beside the store in the same database or schema.

Each read model owns some tables; every row carries the ledger ``origin``
so that many ledgers share one database.  Times the rules compare are kept
in a fixed-width form (``fixed_time``), so that text order is time order.
JSON columns hold canonical text (sorted keys, no spaces) so that a rebuild
gives byte-identical rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy.exc
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)
from sqlalchemy.engine import Engine

from ledger.storage.store import Store

BigInt = BigInteger().with_variant(Integer(), "sqlite")

REGISTRY = "registry"
TIMELINE = "timeline"
INVOLVEMENT = "involvement"
DOSSIER = "dossier"
FINDINGS = "findings"
STATISTICS = "statistics"

READ_MODELS: tuple[str, ...] = (REGISTRY, TIMELINE, INVOLVEMENT, DOSSIER, FINDINGS, STATISTICS)
"""Every read model, in the order a pass writes them."""

LAYOUT = 1
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
        self.metadata = MetaData(schema=store.schema)
        # Driver-level INSERT statements by table (projections.read_models.materialise).
        self.compiled_inserts: dict[
            str, tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]] | None]
        ] = {}
        m = self.metadata
        self.tracking = Table(
            "rm_tracking",
            m,
            Column("read_model", String(32), primary_key=True),
            Column("origin", String(255), primary_key=True),
            Column("position", BigInt, nullable=False),
            Column("latest_time", String(32), nullable=False),
        )
        self.ledgers = Table(
            "rm_ledgers",
            m,
            Column("origin", String(255), primary_key=True),
            Column("name", String(500), nullable=False),
            Column("import_mode", Boolean, nullable=False),
            Column("import_completed_leaf", BigInt, nullable=True),
            Column("rulebook", Text, nullable=False),
            Column("created_leaf", BigInt, nullable=False),
            Column("created_time", String(40), nullable=False),
        )
        self.people = Table(
            "rm_people",
            m,
            Column("origin", String(255), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("roles", String(100), nullable=False),
            Column("enrolled_leaf", BigInt, nullable=False),
            Column("enrolled_time", String(40), nullable=False),
        )
        self.bodies = Table(
            "rm_bodies",
            m,
            Column("origin", String(255), primary_key=True),
            Column("body", String(64), primary_key=True),
            Column("name", String(500), nullable=False),
            Column("kind", String(32), nullable=False),
            Column("parent", String(64), nullable=True),
            Column("unit", String(500), nullable=True),
            Column("established_leaf", BigInt, nullable=False),
            Column("established_time", String(40), nullable=False),
            Column("dissolved_leaf", BigInt, nullable=True),
            Column("dissolved_time", String(40), nullable=True),
        )
        self.memberships = Table(
            "rm_memberships",
            m,
            Column("origin", String(255), primary_key=True),
            Column("body", String(64), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("from_leaf", BigInt, primary_key=True, autoincrement=False),
            Column("until_leaf", BigInt, nullable=True),
            Column("side", String(16), nullable=False),
            Column("roles", String(100), nullable=False),
            Column("from_date", String(10), nullable=True),
            Column("until_date", String(10), nullable=True),
            Column("appointed_time", String(40), nullable=False),
            Column("left_time", String(40), nullable=True),
        )
        Index("rm_memberships_person_idx", self.memberships.c.origin, self.memberships.c.person)
        self.matters = Table(
            "rm_matters",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("title", String(500), nullable=False),
            Column("category", String(32), nullable=False),
            Column("influence_level", String(32), nullable=False),
            Column("responsible_body", String(64), nullable=False),
            Column("decision_maker", String(64), nullable=False),
            Column("status", String(16), nullable=False),
            Column("opened_leaf", BigInt, nullable=False),
            Column("opened_time", String(40), nullable=False),
            Column("last_leaf", BigInt, nullable=False),
            Column("events", Integer, nullable=False),
        )
        self.timeline = Table(
            "rm_timeline",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("seq", BigInt, primary_key=True, autoincrement=False),
            Column("leaf_index", BigInt, nullable=False),
            Column("claimed_time", String(40), nullable=False),
            Column("recorded_at", String(40), nullable=False),
            Column("event_type", String(64), nullable=False),
            Column("actor", String(64), nullable=False),
            Column("body", String(64), nullable=True),
            Column("side", String(16), nullable=True),
            Column("roles", String(100), nullable=False),
            Column("imported", Boolean, nullable=False),
            Column("redacted", Boolean, nullable=False),
            Column("corrected_by", String(500), nullable=False),
            Column("summary_da", Text, nullable=False),
            Column("summary_en", Text, nullable=False),
            Column("detail", String(500), nullable=False),
        )
        Index("rm_timeline_actor_idx", self.timeline.c.origin, self.timeline.c.actor)
        self.involvement = Table(
            "rm_involvement",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("seq", BigInt, primary_key=True, autoincrement=False),
            Column("person", String(64), primary_key=True),
            Column("kind", String(16), primary_key=True),
            Column("body", String(64), nullable=False),
            Column("leaf_index", BigInt, nullable=False),
            Column("claimed_time", String(40), nullable=False),
            Column("event_type", String(64), nullable=False),
            Column("side", String(16), nullable=True),
            Column("roles", String(100), nullable=False),
            Column("imported", Boolean, nullable=False),
        )
        Index("rm_involvement_person_idx", self.involvement.c.origin, self.involvement.c.person)
        self.body_involvement = Table(
            "rm_body_involvement",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("seq", BigInt, primary_key=True, autoincrement=False),
            Column("body", String(64), primary_key=True),
            Column("kind", String(16), primary_key=True),
            Column("leaf_index", BigInt, nullable=False),
            Column("claimed_time", String(40), nullable=False),
            Column("event_type", String(64), nullable=False),
            Column("imported", Boolean, nullable=False),
        )
        Index(
            "rm_body_involvement_body_idx",
            self.body_involvement.c.origin,
            self.body_involvement.c.body,
        )
        self.dossiers = Table(
            "rm_dossiers",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("status", String(16), nullable=False),
            Column("document", Text, nullable=False),
        )
        self.co_responsibility = Table(
            "rm_co_responsibility",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("person", String(64), primary_key=True),
            Column("part", String(32), nullable=False),
            Column("side", String(16), nullable=True),
            Column("bodies", String(500), nullable=False),
            Column("evidence", Text, nullable=False),
        )
        self.findings = Table(
            "rm_findings",
            m,
            Column("origin", String(255), primary_key=True),
            Column("matter", String(64), primary_key=True),
            Column("rule", String(16), primary_key=True),
            Column("key", String(64), primary_key=True),
            Column("severity", String(16), nullable=False),
            Column("body", String(64), nullable=False),
            Column("due_at", String(32), nullable=False),
            Column("evidence", Text, nullable=False),
            Column("imported", Boolean, nullable=False),
            Column("explanation_da", Text, nullable=False),
            Column("explanation_en", Text, nullable=False),
        )
        Index("rm_findings_body_idx", self.findings.c.origin, self.findings.c.body)
        self.statistics = Table(
            "rm_statistics",
            m,
            Column("origin", String(255), primary_key=True),
            Column("body", String(64), primary_key=True),
            Column("year", Integer, primary_key=True, autoincrement=False),
            Column("matter", String(64), primary_key=True),
            Column("opened", Integer, nullable=False),
            Column("consultations", Integer, nullable=False),
            Column("proposals", Integer, nullable=False),
            Column("lead_time_days", Integer, nullable=True),
            Column("decisions", Integer, nullable=False),
            Column("decided_with_open_disagreement", Integer, nullable=False),
            Column("consulted", Integer, nullable=False),
            Column("acknowledged", Integer, nullable=False),
            Column("inadequate_time", Integer, nullable=False),
        )
        Index("rm_statistics_matter_idx", self.statistics.c.origin, self.statistics.c.matter)
        self.specs: dict[str, TableSpec] = {}
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
        ):
            order = tuple(column.name for column in table.primary_key.columns)
            self.specs[table.name] = TableSpec(model, table, scope, order)
        self._create()

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
