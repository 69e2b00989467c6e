"""Rebuilding streams the log: memory stays flat however long the ledger grows."""

from __future__ import annotations

import gc
import tracemalloc

from benchmarks.synthetic import generate
from ledger.storage.store import Store
from projections.runner.projector import Projector


def peak_bytes_of_rebuild(projector: Projector, origin: str) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        projector.rebuild(origin=origin)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_rebuild_memory_is_flat_from_800_to_3200_events(store: Store, unique: str) -> None:
    small, large = f"mem.example/small{unique}", f"mem.example/large{unique}"
    generate(store, small, 800)
    generate(store, large, 3200)
    projector = Projector(store, batch_size=100, matter_cache=16)
    projector.rebuild(origin=small)  # warm up: imports, compiled statements, caches
    small_peak = peak_bytes_of_rebuild(projector, small)
    large_peak = peak_bytes_of_rebuild(projector, large)
    assert large_peak < 1.5 * small_peak + 512 * 1024, (small_peak, large_peak)
