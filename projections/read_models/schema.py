"""The read-model tables (``rm_*``), beside the store in the same database or schema.

Each read model owns some tables; every row carries the ledger ``origin``
so that many ledgers share one database.  Times the rules compare are kept
in a fixed-width form (``fixed_time``), so that text order is time order.
JSON columns hold canonical text (sorted keys, no spaces) so that a rebuild
gives byte-identical rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy.exc
from sqlalchemy import (
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
from ledger.storage.tables import BigInt
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


def _origin() -> Column[Any]:
    """The ledger a row belongs to: the first key of every table."""
    return Column("origin", String(255), primary_key=True)


def _key(name: str) -> Column[Any]:
    """An id (a matter, person or body) that is part of the row's key."""
    return Column(name, String(64), primary_key=True)


def _seq() -> Column[Any]:
    return Column("seq", BigInt, primary_key=True, autoincrement=False)


def _at_event() -> list[Column[Any]]:
    """Where an event stands in the log, when it claims to be and what it is."""
    return [
        Column("leaf_index", BigInt, nullable=False),
        Column("claimed_time", String(40), nullable=False),
        Column("event_type", String(64), nullable=False),
    ]


def _tracking_table(m: MetaData) -> Table:
    return Table(
        "rm_tracking",
        m,
        Column("read_model", String(32), primary_key=True),
        Column("origin", String(255), primary_key=True),
        Column("position", BigInt, nullable=False),
        Column("latest_time", String(32), nullable=False),
    )


def _ledgers_table(m: MetaData) -> Table:
    return Table(
        "rm_ledgers",
        m,
        _origin(),
        Column("name", String(500), nullable=False),
        Column("import_mode", Boolean, nullable=False),
        Column("import_completed_leaf", BigInt, nullable=True),
        Column("rulebook", Text, nullable=False),
        Column("created_leaf", BigInt, nullable=False),
        Column("created_time", String(40), nullable=False),
    )


def _people_table(m: MetaData) -> Table:
    return Table(
        "rm_people",
        m,
        _origin(),
        _key("person"),
        Column("roles", String(100), nullable=False),
        Column("enrolled_leaf", BigInt, nullable=False),
        Column("enrolled_time", String(40), nullable=False),
    )


def _bodies_table(m: MetaData) -> Table:
    return Table(
        "rm_bodies",
        m,
        _origin(),
        _key("body"),
        Column("name", String(500), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("parent", String(64), nullable=True),
        Column("unit", String(500), nullable=True),
        Column("established_leaf", BigInt, nullable=False),
        Column("established_time", String(40), nullable=False),
        Column("dissolved_leaf", BigInt, nullable=True),
        Column("dissolved_time", String(40), nullable=True),
    )


def _memberships_table(m: MetaData) -> Table:
    table = Table(
        "rm_memberships",
        m,
        _origin(),
        _key("body"),
        _key("person"),
        Column("from_leaf", BigInt, primary_key=True, autoincrement=False),
        Column("until_leaf", BigInt, nullable=True),
        Column("side", String(16), nullable=False),
        Column("roles", String(100), nullable=False),
        Column("from_date", String(10), nullable=True),
        Column("until_date", String(10), nullable=True),
        Column("appointed_time", String(40), nullable=False),
        Column("left_time", String(40), nullable=True),
        Column("imported", Boolean, nullable=False),
    )
    Index("rm_memberships_person_idx", table.c.origin, table.c.person)
    return table


def _matters_table(m: MetaData) -> Table:
    return Table(
        "rm_matters",
        m,
        _origin(),
        _key("matter"),
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


def _timeline_table(m: MetaData) -> Table:
    table = Table(
        "rm_timeline",
        m,
        _origin(),
        _key("matter"),
        _seq(),
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
    Index("rm_timeline_actor_idx", table.c.origin, table.c.actor)
    return table


def _involvement_table(m: MetaData) -> Table:
    table = Table(
        "rm_involvement",
        m,
        _origin(),
        _key("matter"),
        _seq(),
        _key("person"),
        Column("kind", String(16), primary_key=True),
        Column("body", String(64), nullable=False),
        *_at_event(),
        Column("side", String(16), nullable=True),
        Column("roles", String(100), nullable=False),
        Column("imported", Boolean, nullable=False),
    )
    Index("rm_involvement_person_idx", table.c.origin, table.c.person)
    return table


def _body_involvement_table(m: MetaData) -> Table:
    table = Table(
        "rm_body_involvement",
        m,
        _origin(),
        _key("matter"),
        _seq(),
        _key("body"),
        Column("kind", String(16), primary_key=True),
        *_at_event(),
        Column("imported", Boolean, nullable=False),
    )
    Index("rm_body_involvement_body_idx", table.c.origin, table.c.body)
    return table


def _dossiers_table(m: MetaData) -> Table:
    return Table(
        "rm_dossiers",
        m,
        _origin(),
        _key("matter"),
        Column("status", String(16), nullable=False),
        Column("document", Text, nullable=False),
    )


def _co_responsibility_table(m: MetaData) -> Table:
    return Table(
        "rm_co_responsibility",
        m,
        _origin(),
        _key("matter"),
        _key("person"),
        Column("part", String(32), nullable=False),
        Column("side", String(16), nullable=True),
        Column("bodies", String(500), nullable=False),
        Column("evidence", Text, nullable=False),
    )


def _findings_table(m: MetaData) -> Table:
    table = Table(
        "rm_findings",
        m,
        _origin(),
        _key("matter"),
        Column("rule", String(16), primary_key=True),
        _key("key"),
        Column("severity", String(16), nullable=False),
        Column("body", String(64), nullable=False),
        Column("due_at", String(32), nullable=False),
        Column("evidence", Text, nullable=False),
        Column("imported", Boolean, nullable=False),
        Column("explanation_da", Text, nullable=False),
        Column("explanation_en", Text, nullable=False),
    )
    Index("rm_findings_body_idx", table.c.origin, table.c.body)
    return table


def _statistics_table(m: MetaData) -> Table:
    counters = (
        "opened",
        "consultations",
        "proposals",
        "lead_time_days",
        "decisions",
        "decided_with_open_disagreement",
        "consulted",
        "acknowledged",
        "inadequate_time",
        "reached_local",
    )
    table = Table(
        "rm_statistics",
        m,
        _origin(),
        _key("body"),
        Column("year", Integer, primary_key=True, autoincrement=False),
        _key("matter"),
        *(Column(name, Integer, nullable=name == "lead_time_days") for name in counters),
    )
    Index("rm_statistics_matter_idx", table.c.origin, table.c.matter)
    return table


def _guideline_events_table(m: MetaData) -> Table:
    table = Table(
        "rm_guideline_events",
        m,
        _origin(),
        _key("matter"),
        _seq(),
        Column("guideline", String(64), nullable=False),
        Column("act", String(16), nullable=False),
        Column("guideline_type", String(16), nullable=True),
        Column("body", String(64), nullable=False),
        Column("effective_from", String(10), nullable=True),
        Column("leaf_index", BigInt, nullable=False),
        Column("claimed_time", String(40), nullable=False),
        Column("actor", String(64), nullable=False),
        Column("imported", Boolean, nullable=False),
    )
    Index("rm_guideline_events_guideline_idx", table.c.origin, table.c.guideline)
    return table


def _disputes_table(m: MetaData) -> Table:
    return Table(
        "rm_disputes",
        m,
        _origin(),
        _key("matter"),
        _seq(),
        Column("kind", String(16), nullable=False),
        Column("body", String(64), nullable=False),
        Column("responsible_body", String(64), nullable=False),
        Column("decision_maker", String(64), nullable=False),
        Column("concerns", BigInt, nullable=True),
        Column("claimant", String(64), nullable=False),
        Column("leaf_index", BigInt, nullable=False),
        Column("claimed_time", String(40), nullable=False),
        Column("imported", Boolean, nullable=False),
        Column("level", String(16), nullable=False),
        Column("remedied", Boolean, nullable=False),
        Column("resolution", String(16), nullable=True),
        Column("remedy_due", String(10), nullable=True),
        Column("steps", Text, nullable=False),
    )


class ReadModelSchema:
    """Defines (and creates, if missing) every ``rm_*`` table for one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.metadata = m = MetaData(schema=store.schema)
        # Driver-level INSERT statements by table (projections.read_models.materialise).
        self.compiled_inserts: dict[str, BulkInsert] = {}
        self.tracking = _tracking_table(m)
        self.ledgers = _ledgers_table(m)
        self.people = _people_table(m)
        self.bodies = _bodies_table(m)
        self.memberships = _memberships_table(m)
        self.matters = _matters_table(m)
        self.timeline = _timeline_table(m)
        self.involvement = _involvement_table(m)
        self.body_involvement = _body_involvement_table(m)
        self.dossiers = _dossiers_table(m)
        self.co_responsibility = _co_responsibility_table(m)
        self.findings = _findings_table(m)
        self.statistics = _statistics_table(m)
        self.guideline_events = _guideline_events_table(m)
        self.disputes = _disputes_table(m)
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
