"""A pass over the log keeps the collector off the heap it did not make, and gives it back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from benchmarks.synthetic import generate
from ledger.storage.store import Store
from projections.runner.heap import LARGE_PASS, old_objects_frozen
from projections.runner.projector import Projector


@pytest.fixture
def thawed() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (a failed test must not leave any)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_rebuild_runs_with_the_old_heap_frozen_and_releases_it(
    store: Store, unique: str, thawed: None
) -> None:
    origin = f"heap.example/{unique}"
    generate(store, origin, LARGE_PASS)
    seen: list[int] = []
    Projector(store, batch_size=400).rebuild(
        origin=origin, progress=lambda *_: seen.append(gc.get_freeze_count())
    )
    assert len(seen) == 3 and all(count > 1000 for count in seen), seen
    assert gc.get_freeze_count() == 0


def test_a_small_catch_up_leaves_the_collector_as_it_was(
    store: Store, unique: str, thawed: None
) -> None:
    """A writer catches up after each commit: freezing then would restart the young
    generation's count every time, and its garbage would wait."""
    origin = f"heap.example/{unique}"
    size = generate(store, origin, 100)
    assert size < LARGE_PASS
    seen: list[int] = []
    Projector(store).catch_up(origin, progress=lambda *_: seen.append(gc.get_freeze_count()))
    assert seen == [0]
    with old_objects_frozen(LARGE_PASS - 1):
        assert gc.get_freeze_count() == 0


def test_an_interrupted_pass_releases_the_heap(store: Store, unique: str, thawed: None) -> None:
    origin = f"heap.example/{unique}"
    generate(store, origin, LARGE_PASS)

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Projector(store, batch_size=400).rebuild(origin=origin, progress=interrupt)
    assert gc.get_freeze_count() == 0


def test_a_heap_the_process_froze_itself_stays_frozen(
    store: Store, unique: str, thawed: None
) -> None:
    origin = f"heap.example/{unique}"
    generate(store, origin, LARGE_PASS)
    gc.freeze()
    Projector(store).rebuild(origin=origin)
    assert gc.get_freeze_count() > 0  # released, it would be 0


def test_records_a_follower_delivers_are_applied_with_the_old_heap_frozen(
    store: Store, unique: str, thawed: None
) -> None:
    """Seen from inside the collector: collections while the batches are applied find the
    old heap frozen (those while the records are decoded, before, need not), and it is
    released after."""
    origin = f"heap.example/{unique}"
    size = generate(store, origin, LARGE_PASS)
    records = list(store.entries(origin))
    seen: list[int] = []

    def collecting(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(gc.get_freeze_count())

    gc.callbacks.append(collecting)
    try:
        assert Projector(store).deliver(origin, records) == size
    finally:
        gc.callbacks.remove(collecting)
    assert any(count > 1000 for count in seen), seen
    assert gc.get_freeze_count() == 0


def test_passes_in_two_threads_release_the_heap_when_the_second_ends(thawed: None) -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with old_objects_frozen(LARGE_PASS):
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with old_objects_frozen(LARGE_PASS):
            second_in.set()
            first_out.wait(5)
            frozen_after_the_first.append(gc.get_freeze_count())

    frozen_after_the_first: list[int] = []
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert first_out.is_set() and frozen_after_the_first[0] > 0
    assert gc.get_freeze_count() == 0


def test_overlapping_passes_release_the_heap_when_the_last_ends(thawed: None) -> None:
    with old_objects_frozen(LARGE_PASS):
        assert gc.get_freeze_count() > 0
        with old_objects_frozen(LARGE_PASS):
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
