"""Turn what a batch changed into each read model's deletes and inserts.

Every row is a pure function of one matter's facts (or of one of its
events) and the registry view, so writing is "replace what changed":
rows of the events a batch touched, rows of the matters it touched, the
registry rows it changed.  Rows already stored are exactly those of events
below the model's tracked position (rows and position commit together),
so a row is deleted before it is written only when it can exist, and
writing the same batch twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert
from sqlalchemy.orm import Session

from projections.facts.fold import FoldChanges, LedgerFold
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models import (
    disputes,
    dossier,
    findings,
    guidelines,
    involvement,
    statistics,
    timeline,
)
from projections.read_models.bulk import BulkInsert
from projections.read_models.schema import ReadModel, ReadModelSchema
from projections.read_models.source import Row

EventBuilder = Callable[[str, MatterFacts, list[Fact], RegistryView], dict[str, list[Row]]]
"""The rows of some events of one matter (in sequence order), by table: built a matter at
a time, not an event at a time, so that a batch does not make and walk a table of rows
for each event."""
MatterBuilder = Callable[[str, MatterFacts, RegistryView], dict[str, list[Row]]]

EVENT_BUILDERS: dict[str, tuple[EventBuilder, ...]] = {
    ReadModel.TIMELINE: (timeline.event_rows,),
    ReadModel.INVOLVEMENT: (involvement.event_rows,),
    ReadModel.GUIDELINES: (guidelines.event_rows,),
}
MATTER_BUILDERS: dict[str, tuple[MatterBuilder, ...]] = {
    ReadModel.TIMELINE: (timeline.matter_rows,),
    ReadModel.DOSSIER: (dossier.matter_rows,),
    ReadModel.FINDINGS: (findings.matter_rows,),
    ReadModel.STATISTICS: (statistics.matter_rows,),
    ReadModel.DISPUTES: (disputes.matter_rows,),
}
LedgerBuilder = Callable[[str, RegistryView, datetime | None], dict[str, list[Row]]]
LEDGER_BUILDERS: dict[str, tuple[LedgerBuilder, ...]] = {
    ReadModel.FINDINGS: (findings.organisation_rows,),
}
"""Rows of the organisation as a whole (matter ""), rebuilt whole with every batch: they
depend on the registry, on facts of every matter and on the latest time, and are few."""
REGISTRY_KEYS = {
    "rm_ledgers": ("origin",),
    "rm_people": ("origin", "person"),
    "rm_bodies": ("origin", "body"),
    "rm_memberships": ("origin", "body", "person", "from_leaf"),
}


@dataclass
class TableWrite:
    """The deletes and inserts of one table for one batch."""

    table: str
    event_keys: dict[str, list[int]] = field(default_factory=dict)
    matters: list[str] = field(default_factory=list)
    registry_keys: list[dict[str, Any]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def model_writes(
    model: str, fold: LedgerFold, changes: FoldChanges, position: int
) -> list[TableWrite]:
    """What ``model`` must write for ``changes``, given rows exist below ``position``."""
    origin = fold.origin
    writes: dict[str, TableWrite] = {}

    def table(name: str) -> TableWrite:
        found = writes.get(name)
        if found is None:
            found = writes[name] = TableWrite(name)
        return found

    if model == ReadModel.REGISTRY:
        if changes.registry:
            for name, rows in fold.registry.rows(changes.registry).items():
                target = table(name)
                for row in rows:
                    if _registry_leaf(name, row) < position:
                        target.registry_keys.append({k: row[k] for k in REGISTRY_KEYS[name]})
                    target.rows.append(row)
        return list(writes.values())
    for matter_id, touched in sorted(changes.touched.items()):
        facts = fold.matters[matter_id]
        for build in EVENT_BUILDERS.get(model, ()):
            events = touched.facts(facts)
            stored = [fact.seq for fact in events if fact.leaf < position]
            for name, rows in build(origin, facts, events, fold.registry).items():
                target = table(name)
                if stored:
                    target.event_keys.setdefault(matter_id, []).extend(stored)
                target.rows.extend(rows)
        for build_matter in MATTER_BUILDERS.get(model, ()):
            for name, rows in build_matter(origin, facts, fold.registry).items():
                target = table(name)
                if facts.events[0].leaf < position:
                    target.matters.append(matter_id)
                target.rows.extend(rows)
    for build_ledger in LEDGER_BUILDERS.get(model, ()):
        for name, rows in build_ledger(origin, fold.registry, fold.latest).items():
            target = table(name)
            if position > 0:
                target.matters.append("")
            target.rows.extend(rows)
    return list(writes.values())


def _registry_leaf(table: str, row: Row) -> int:
    column = {
        "rm_ledgers": "created_leaf",
        "rm_people": "enrolled_leaf",
        "rm_bodies": "established_leaf",
        "rm_memberships": "from_leaf",
    }[table]
    return int(row[column])


def write(session: Session, schema: ReadModelSchema, origin: str, writes: list[TableWrite]) -> None:
    """Apply the deletes, then the inserts, of ``writes`` in ``session``."""
    for w in writes:
        t = schema.specs[w.table].table
        for matter_id, seqs in w.event_keys.items():
            for start in range(0, len(seqs), 500):
                session.execute(
                    delete(t).where(
                        and_(
                            t.c.origin == origin,
                            t.c.matter == matter_id,
                            t.c.seq.in_(seqs[start : start + 500]),
                        )
                    )
                )
        for start in range(0, len(w.matters), 500):
            session.execute(
                delete(t).where(
                    and_(t.c.origin == origin, t.c.matter.in_(w.matters[start : start + 500]))
                )
            )
        for key in w.registry_keys:
            session.execute(delete(t).where(and_(*(t.c[k] == v for k, v in key.items()))))
        if w.rows:
            _insert_many(session, schema, w.table, w.rows)


def _insert_many(session: Session, schema: ReadModelSchema, table: str, rows: list[Row]) -> None:
    """Insert rows with one driver-level executemany; the compiled statement is kept on the
    schema (it names the schema's tables in its dialect)."""
    bulk = schema.compiled_inserts.get(table)
    if bulk is None:
        statement = insert(schema.specs[table].table)
        bulk = BulkInsert.compile(statement, schema.store.engine.dialect)
        schema.compiled_inserts[table] = bulk
    bulk.run(session, rows)


def all_rows(fold: LedgerFold, models: Iterable[str]) -> dict[str, list[Row]]:
    """Every row of ``models`` for everything folded in (for a replay in memory)."""
    tables: dict[str, list[Row]] = {}
    wanted = set(models)
    if ReadModel.REGISTRY in wanted:
        for name, rows in fold.registry.rows().items():
            tables.setdefault(name, []).extend(rows)
    for facts in fold.matters.values():
        for model in wanted:
            for build in EVENT_BUILDERS.get(model, ()):
                for name, rows in build(fold.origin, facts, facts.events, fold.registry).items():
                    tables.setdefault(name, []).extend(rows)
            for build_matter in MATTER_BUILDERS.get(model, ()):
                for name, rows in build_matter(fold.origin, facts, fold.registry).items():
                    tables.setdefault(name, []).extend(rows)
    for model in wanted:
        for build_ledger in LEDGER_BUILDERS.get(model, ()):
            for name, rows in build_ledger(fold.origin, fold.registry, fold.latest).items():
                tables.setdefault(name, []).extend(rows)
    return tables
