"""Rows inserted with one driver-level executemany of a statement compiled once.

Read-model and outbox rows are plain str, int, bool and None values, so the
per-row parameter processing of SQLAlchemy's executemany (once most of a
rebuild's time), and compiling a multi-row ``VALUES`` clause for each batch,
are not needed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

Row = dict[str, Any]


@dataclass(frozen=True)
class BulkInsert:
    """An INSERT compiled for one dialect, and how to order a row's values for it."""

    sql: str
    order: Callable[[Row], tuple[Any, ...]] | None  # None: the driver takes named values

    @classmethod
    def compile(cls, statement: Insert, dialect: Dialect) -> BulkInsert:
        compiled = statement.compile(dialect=dialect)
        names = list(compiled.positiontup or []) if compiled.positional else []
        return cls(str(compiled), _row_tuple(names) if names else None)

    def run(self, session: Session, rows: list[Row]) -> None:
        """Insert ``rows`` in the session's transaction."""
        if not rows:
            return
        connection = session.connection()
        if self.order is None:
            connection.exec_driver_sql(self.sql, rows)
        else:
            connection.exec_driver_sql(self.sql, [self.order(row) for row in rows])


def _row_tuple(names: list[str]) -> Callable[[Row], tuple[Any, ...]]:
    """A fast ``row -> tuple of its values in ``names`` order``."""
    getter = operator.itemgetter(*names)
    if len(names) == 1:
        return lambda row: (getter(row),)
    return getter
