"""B3: projection rebuild from scratch (target: at least 20,000 events/s on SQLite).

A synthetic municipality's ledger (``benchmarks.synthetic``: matters run
through the whole MED process, so every read model gets realistic rows)
is written once per backend; then every read model is dropped and rebuilt
from the log (``Projector.rebuild``: read, fold, write rows and tracking
in batches).  The figure is events of the log per second of rebuild.
"""

from __future__ import annotations

import os
import time

from benchmarks.common import backend_url, backends, line, rate
from benchmarks.synthetic import generate
from ledger.storage.store import Store
from projections.runner.projector import Projector

COUNT = int(os.environ.get("B3_COUNT", "20000"))
TARGET = 20_000.0
ORIGIN = "bench.example/b3"


def measure(backend: str, count: int = COUNT, rounds: int = 2) -> tuple[int, float]:
    """(events, best events/s of ``rounds`` rebuilds) on a fresh database."""
    with backend_url(backend) as (url, schema):
        store = Store(url, schema=schema)
        try:
            size = generate(store, ORIGIN, count)
            projector = Projector(store)
            projector.rebuild()  # warm: tables, statements, page cache
            best = 0.0
            for _ in range(rounds):
                started = time.perf_counter()
                report = projector.rebuild()
                best = max(best, rate(report.events, time.perf_counter() - started))
        finally:
            store.dispose()
    return size, best


def main() -> None:
    print(f"B3  projection rebuild from scratch (target >= {TARGET:,.0f} events/s on SQLite)")
    for backend in backends():
        size, events_per_second = measure(backend)
        line(
            f"B3 {backend}: rebuild all read models, {size:,} events",
            f"{events_per_second:,.0f} ev/s",
            events_per_second / TARGET,
            "target >= 1.00" if backend == "sqlite" else "(target is for SQLite)",
        )


if __name__ == "__main__":
    main()
