"""Where the read queries get their rows: the live tables, or a replay in memory.

Both sources answer the same question (the rows of a table for a ledger,
filtered by equality, in primary-key order) so the query functions are
the same code whether they read the live read model or a replay "as of"
a past point.  That is what lets the tests check that the two agree.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any, Protocol

from sqlalchemy import and_, select

from projections.read_models.schema import READ_MODELS, ReadModelSchema
from projections.read_models.tracking import Tracking, TrackingRecorder

Row = dict[str, Any]


def split_list(text: str) -> list[str]:
    """A comma-separated column (roles, bodies, event numbers) as its items; "" has none."""
    return [item for item in text.split(",") if item]


class RowSource(Protocol):
    """Rows of the ``rm_*`` tables of one ledger, and where the read models stand."""

    def rows(self, table: str, origin: str, **equal: object) -> list[Row]: ...

    def tracking(self, origin: str, model: str) -> Tracking: ...


class DatabaseSource:
    """The live read models in the database."""

    def __init__(self, schema: ReadModelSchema) -> None:
        self.schema = schema
        self.recorder = TrackingRecorder(schema)

    def rows(self, table: str, origin: str, **equal: object) -> list[Row]:
        spec = self.schema.specs[table]
        t = spec.table
        conditions = [t.c.origin == origin] + [t.c[name] == value for name, value in equal.items()]
        query = select(t).where(and_(*conditions)).order_by(*(t.c[c] for c in spec.order))
        with self.schema.store.read() as session:
            return [dict(r._mapping) for r in session.execute(query).all()]

    def tracking(self, origin: str, model: str) -> Tracking:
        return self.recorder.positions(origin, [model])[model]


@dataclass
class MemorySource:
    """Rows computed in memory (by ``projections.runner.replay``), as of one tree size.

    Each table's rows are kept sorted by its primary key, the order the
    database gives them in.
    """

    schema: ReadModelSchema
    origin: str
    tables: InitVar[dict[str, list[Row]]]
    position: int
    latest_time: str
    _tables: dict[str, list[Row]] = field(init=False, default_factory=dict)

    def __post_init__(self, tables: dict[str, list[Row]]) -> None:
        for name, spec in self.schema.specs.items():
            rows = tables.get(name, [])
            self._tables[name] = sorted(rows, key=lambda r: tuple(_key(r[c]) for c in spec.order))

    def rows(self, table: str, origin: str, **equal: object) -> list[Row]:
        if origin != self.origin:
            return []
        return [
            dict(r)
            for r in self._tables[table]
            if all(r.get(name) == value for name, value in equal.items())
        ]

    def tracking(self, origin: str, model: str) -> Tracking:
        assert model in READ_MODELS
        return Tracking(model, origin, self.position, self.latest_time)

    def all_rows(self) -> dict[str, list[Row]]:
        """Every table's rows (for comparing a replay with the live tables)."""
        return {name: [dict(r) for r in rows] for name, rows in self._tables.items()}


def _key(value: object) -> tuple[int, object]:
    """Sort None first, then by value (the order of the primary key)."""
    return (0, "") if value is None else (1, value)
