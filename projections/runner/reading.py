"""Choosing what a read query reads: the live read models, or a replay as of a past point.

The CLI and the HTTP API both go through ``open_view``: with an as-of
point the rows come from a replay in memory; without one, from the live
tables, caught up first when the reader may write them (SQLite, where
the writing process keeps them up to date anyway) and otherwise reported
as lagging when the projection worker is behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from projections.read_models.source import DatabaseSource, RowSource
from projections.runner.projector import Projector
from projections.runner.replay import AsOf, replay, resolve_as_of


@dataclass(frozen=True)
class View:
    """Rows to query, and how current they are."""

    source: RowSource
    origin: str
    as_of: AsOf | None
    behind: int  # events of the log the live read models have not applied yet


def open_view(
    projector: Projector,
    origin: str,
    *,
    as_of: str | None = None,
    matters: set[str] | None = None,
    catch_up: bool | None = None,
) -> View:
    """A view of ``origin``'s read models, live or as of ``as_of``.

    ``catch_up`` defaults to ``projector.reads_catch_up``: True on SQLite, False on
    PostgreSQL (where ``medledger projections run`` does it).  Raises UnknownLedgerError,
    MalformedAsOfError or AsOfOutOfRangeError.
    """
    store = projector.store
    if as_of is not None:
        point = resolve_as_of(store, origin, as_of)
        rows = replay(store, origin, point.size, matters=matters, schema=projector.schema)
        return View(rows, origin, point, 0)
    if catch_up is None:
        catch_up = projector.reads_catch_up
    if catch_up:
        projector.catch_up_ledger(origin)
    position, size = projector.lag(origin)
    return View(DatabaseSource(projector.schema), origin, None, max(0, size - position))
