"""Fixtures of the projections suite: the read models over real ledgers, on both backends.

``read`` gives the read models of the ``org`` ledger.  On SQLite the
projector is attached to the service, so the read models follow every
commit in the writing process; on PostgreSQL each read first catches up,
as the projection worker (``medledger projections run``) would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from demo.organisation import ManualClock, Organisation
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from projections.read_models.dossier import Dossier, dossier
from projections.read_models.findings import FindingsReport, findings
from projections.read_models.involvement import Involvement, involvement
from projections.read_models.receipt import Receipt, receipt
from projections.read_models.source import DatabaseSource, MemorySource, Row, RowSource
from projections.read_models.statistics import BodyStatistics, statistics
from projections.read_models.timeline import Timeline, timeline
from projections.runner.projector import Projector
from projections.runner.replay import replay
from tests.stories.process import Story


@dataclass
class ReadModels:
    """The read models of one ledger, read the way the CLI and the API read them."""

    projector: Projector
    origin: str

    def live(self) -> DatabaseSource:
        self.projector.catch_up_ledger(self.origin)
        return DatabaseSource(self.projector.schema)

    def as_of(self, size: int) -> MemorySource:
        return replay(self.projector.store, self.origin, size, schema=self.projector.schema)

    def names(self) -> dict[str, str]:
        return self.projector.store.directory_names(self.origin)

    def timeline(self, matter: str, source: RowSource | None = None) -> Timeline:
        return timeline(source or self.live(), self.origin, matter, names=self.names())

    def dossier(self, matter: str, source: RowSource | None = None) -> Dossier:
        return dossier(source or self.live(), self.origin, matter, names=self.names())

    def involvement(self, person: str, source: RowSource | None = None) -> Involvement:
        return involvement(source or self.live(), self.origin, person, names=self.names())

    def receipt(self, person: str, matter: str, source: RowSource | None = None) -> Receipt:
        return receipt(source or self.live(), self.origin, person, matter, names=self.names())

    def statistics(self, body: str, year: int | None = None) -> BodyStatistics:
        return statistics(self.live(), self.origin, body, year=year)

    def findings(self, source: RowSource | None = None, **options: Any) -> FindingsReport:
        return findings(source or self.live(), self.origin, **options)

    def rules(self, matter: str | None = None, now: datetime | None = None) -> list[str]:
        """The rule ids shown (for ``matter``, if given), sorted."""
        report = self.findings(now=now, matter=matter)
        return sorted(f.rule for f in report.findings)

    def size(self) -> int:
        row = self.projector.store.ledger(self.origin)
        assert row is not None
        return row.tree_size


def dump(projector: Projector, origins: Mapping[str, object] | list[str]) -> dict[str, list[Row]]:
    """Every rm_ table's rows of ``origins``, in primary-key order (to compare byte for byte)."""
    wanted = list(origins)
    tables: dict[str, list[Row]] = {}
    with projector.store.read() as session:
        for name, spec in sorted(projector.schema.specs.items()):
            t = spec.table
            rows = session.execute(
                select(t).where(t.c.origin.in_(wanted)).order_by(*(t.c[c] for c in spec.order))
            ).all()
            tables[name] = [dict(r._mapping) for r in rows]
        t = projector.schema.tracking
        rows = session.execute(
            select(t).where(t.c.origin.in_(wanted)).order_by(t.c.origin, t.c.read_model)
        ).all()
        tables["rm_tracking"] = [dict(r._mapping) for r in rows]
    return tables


@pytest.fixture
def projector(service: LedgerService, store: Store, backend: str) -> Projector:
    """The store's projector; following the service on SQLite (the in-process way)."""
    chosen = Projector(store, batch_size=50)
    if backend == "sqlite":
        service.subscribe(chosen.after_commit)
    return chosen


@pytest.fixture
def read(org: Organisation, projector: Projector) -> ReadModels:
    return ReadModels(projector, org.origin)


@pytest.fixture
def story(org: Organisation, clock: ManualClock, projector: Projector) -> Story:
    """The school-structure matter of ``org``, opened by the director once ``projector``
    follows the ledger."""
    return Story.opened(org, clock)
