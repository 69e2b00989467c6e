"""B4: inclusion and consistency proofs at 1,000,000 leaves, without recomputing the tree.

Builds the stored tree of a ledger with one million leaves (the nodes the
appender stores, computed by ``merkle.Frontier``; no events are needed to
serve proofs), then times ``LedgerService.inclusion_proof`` and
``consistency_proof`` for random positions, each one database read of
the O(log n) stored hashes below the upper levels the service keeps in
memory once read.  Beside the wall time, the CPU time of the asking
thread is printed: on a loaded machine it shows what the proof costs
without the waits for a core.  Reference: the 5 ms target per proof.  Each proof
is also verified, outside the timing, against the root.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from benchmarks.common import backend_url, backends, line, percentiles
from ledger.protocol import merkle
from ledger.service.application import LedgerService
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import LedgerRow, Store

LEAVES = int(os.environ.get("B4_LEAVES", "1000000"))
SAMPLES = int(os.environ.get("B4_SAMPLES", "300"))
ORIGIN = "ledger.example/b4"


def _build(store: Store) -> bytes:
    frontier = merkle.Frontier.empty()
    batch: list[dict[str, object]] = []
    with store.transaction() as transaction:
        transaction.insert_ledger(LedgerRow(ORIGIN, "b4", "B4", "unused", LEAVES))
    for index in range(LEAVES):
        for level, position, digest in frontier.append(merkle.leaf_hash(index.to_bytes(8, "big"))):
            batch.append({"origin": ORIGIN, "level": level, "idx": position, "hash": digest})
        if len(batch) >= 50_000 or index == LEAVES - 1:
            with store.write() as session:
                session.execute(insert(store.nodes), batch)
            batch.clear()
    return frontier.root()


def _measure(backend: str) -> None:
    with backend_url(backend) as (url, schema), tempfile.TemporaryDirectory() as keys:
        store = Store(url, schema=schema)
        started = time.perf_counter()
        root = _build(store)
        built = time.perf_counter() - started
        service = LedgerService(store, LogKeyring(Path(keys)))
        rng = random.Random(6962)
        inclusion: list[float] = []
        cpu: dict[str, list[float]] = {"inclusion": [], "consistency": []}
        for _ in range(SAMPLES):
            index = rng.randrange(LEAVES)
            started, used = time.perf_counter(), time.thread_time()
            proof = service.inclusion_proof(ORIGIN, index, LEAVES)
            inclusion.append(time.perf_counter() - started)
            cpu["inclusion"].append(time.thread_time() - used)
            merkle.verify_inclusion(
                merkle.leaf_hash(index.to_bytes(8, "big")), index, LEAVES, proof, root
            )
        consistency: list[float] = []
        for _ in range(SAMPLES):
            old = rng.randrange(1, LEAVES)
            started, used = time.perf_counter(), time.thread_time()
            proof = service.consistency_proof(ORIGIN, old, LEAVES)
            consistency.append(time.perf_counter() - started)
            cpu["consistency"].append(time.thread_time() - used)
            merkle.verify_consistency(old, LEAVES, proof, service.root(ORIGIN, old), root)
        store.dispose()
    line(f"B4 {backend}: stored tree of {LEAVES:,} leaves built in", f"{built:,.1f} s")
    for name, samples in (("inclusion", inclusion), ("consistency", consistency)):
        median, p99 = percentiles(samples)
        line(
            f"B4 {backend}: {name} proof at {LEAVES:,} leaves, median / p99",
            f"{median * 1000:.2f} / {p99 * 1000:.2f} ms",
            5.0 / (p99 * 1000),
            "(ratio = 5 ms target / p99; >= 1 meets it)",
        )
        median, p99 = percentiles(cpu[name])
        line(
            f"B4 {backend}: {name}, CPU time of this thread, median / p99",
            f"{median * 1000:.2f} / {p99 * 1000:.2f} ms",
        )


def main() -> None:
    print("B4  proofs at 1,000,000 leaves (target under 5 ms each, no tree recomputation)")
    for backend in backends():
        _measure(backend)


if __name__ == "__main__":
    main()
