"""B9: what an erasure's scrub costs, against the plain VACUUM it replaced on PostgreSQL.

After a ``PayloadRedacted`` commits, the service scrubs the payloads table and the
projector the read models' tables (``Store.scrub``).  On PostgreSQL that is a
``VACUUM FULL``: a plain ``VACUUM`` only marks the old row's space free and leaves
its bytes in the page (tests/service/test_erasure_on_disk.py).  The figure is the
time of both scrubs over a synthetic ledger of ``B9_COUNT`` events with its read
models built; the reference is a plain ``VACUUM`` of the same tables in the same
run, which is what an erasure cost before.  On SQLite the scrub is a write-ahead
log checkpoint, timed alone.  No target: an erasure is rare, and appends to the
ledger wait while its tables are rewritten.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from benchmarks.common import backend_url, backends, line
from benchmarks.synthetic import generate
from ledger.storage.store import Store
from projections.read_models.schema import ReadModelSchema
from projections.runner.projector import Projector

COUNT = int(os.environ.get("B9_COUNT", "20000"))
ORIGIN = "bench.example/b9"
ROUNDS = 3


def _best(work: Callable[[], object]) -> float:
    """The fastest of ROUNDS runs of ``work``, in seconds."""
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(backend: str) -> tuple[int, float, float | None, int]:
    """(events, best scrub seconds, best plain VACUUM seconds or None, bytes of the tables)."""
    with backend_url(backend) as (url, schema):
        store = Store(url, schema=schema)
        try:
            size = generate(store, ORIGIN, COUNT)
            Projector(store).rebuild()
            tables = [spec.table for spec in ReadModelSchema(store).specs.values()]
            every = [store.payloads, *tables]

            def scrub() -> None:
                store.scrub_erased()
                store.scrub(tables)

            scrubbing = _best(scrub)
            if store.dialect == "sqlite":
                return size, scrubbing, None, 0
            quote = store.engine.dialect.identifier_preparer.format_table
            names = ", ".join(quote(t) for t in every)
            with store.engine.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                plain = _best(lambda: autocommit.exec_driver_sql(f"VACUUM {names}"))
                held = sum(
                    int(
                        autocommit.exec_driver_sql(
                            f"SELECT pg_total_relation_size('{quote(t)}')"
                        ).scalar_one()
                    )
                    for t in every
                )
        finally:
            store.dispose()
    return size, scrubbing, plain, held


def main() -> None:
    print("B9  an erasure's scrub of the payloads and read models (no target; ratio to VACUUM)")
    for backend in backends():
        size, scrubbing, plain, held = measure(backend)
        if plain is None:
            line(
                f"B9 {backend}: WAL checkpoint after an erasure, {size:,} events",
                f"{scrubbing * 1000:,.1f} ms",
            )
            continue
        line(
            f"B9 {backend}: plain VACUUM of those tables ({held / 2**20:,.1f} MiB)",
            f"{plain * 1000:,.1f} ms",
        )
        line(
            f"B9 {backend}: VACUUM FULL after an erasure, {size:,} events",
            f"{scrubbing * 1000:,.1f} ms",
            scrubbing / plain,
        )


if __name__ == "__main__":
    main()
