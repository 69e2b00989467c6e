"""B3: projection rebuild from scratch, against reading and decoding the same log.

A synthetic municipality's ledger (``benchmarks.synthetic``: matters run
through the whole MED process, so every read model gets realistic rows)
is written once per backend; then every read model is dropped and rebuilt
from the log (``Projector.rebuild``: read, fold, write rows and tracking
in batches).  The figure is events of the log per second of rebuild.

The reference (DESIGN.md 9) is the rate at which the same process reads
the same log's entries and decodes them, exactly as a rebuild does
(``Store.entries`` in the projector's batches, ``projections.facts.logged.decode``)
and nothing more; the target is a rebuild at least half as fast.
"""

from __future__ import annotations

import os
import time

from benchmarks.common import backend_url, backends, line, rate
from benchmarks.synthetic import generate
from ledger.storage.store import Store
from projections.facts.logged import decode
from projections.runner.projector import Projector

COUNT = int(os.environ.get("B3_COUNT", "20000"))
TARGET = 0.5
ORIGIN = "bench.example/b3"


def _read_and_decode(store: Store, batch: int) -> float:
    """Events per second of reading the whole log and decoding each entry."""
    started, count = time.perf_counter(), 0
    for record in store.entries(ORIGIN, batch=batch):
        decode(record)
        count += 1
    return rate(count, time.perf_counter() - started)


def measure(backend: str, count: int = COUNT, rounds: int = 2) -> tuple[int, float, float]:
    """(events, best rebuild events/s, best read-and-decode events/s) on a fresh database."""
    with backend_url(backend) as (url, schema):
        store = Store(url, schema=schema)
        try:
            size = generate(store, ORIGIN, count)
            projector = Projector(store)
            projector.rebuild()  # warm: tables, statements, page cache
            best, reference = 0.0, 0.0
            for _ in range(rounds):
                reference = max(reference, _read_and_decode(store, projector.batch_size))
                started = time.perf_counter()
                report = projector.rebuild()
                best = max(best, rate(report.events, time.perf_counter() - started))
        finally:
            store.dispose()
    return size, best, reference


def main() -> None:
    print(
        f"B3  projection rebuild from scratch (target >= {TARGET} x reading and decoding "
        "the log's entries, same process)"
    )
    for backend in backends():
        size, events_per_second, reference = measure(backend)
        line(f"B3 {backend}: read and decode the log, {size:,} events", f"{reference:,.0f} ev/s")
        line(
            f"B3 {backend}: rebuild all read models, {size:,} events",
            f"{events_per_second:,.0f} ev/s",
            events_per_second / reference,
            f"target >= {TARGET:.2f}",
        )


if __name__ == "__main__":
    main()
