"""Who signs checkpoints: the writer's policy, the server's timer, the operator; never a read.

The ledger here signs every 10 events (or an hour after the last one, by
its manual clock), so its tree is mostly ahead of its newest checkpoint:
exactly the state in which a read used to sign one.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.errors import NotYetCheckpointedError
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import split_note
from ledger.service.application import LedgerService
from ledger.service.bundle import build_bundle, ledger_bundle, matter_bundle
from ledger.service.checkpoint_policy import CheckpointPolicy
from ledger.service.timer import ServingTimer
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.stories.http import open_school_matter, position

EVERY_TEN = CheckpointPolicy(every=10, interval=timedelta(hours=1))


@pytest.fixture
def service(store: Store, tmp_path: Path, clock: ManualClock) -> LedgerService:
    return LedgerService(
        store, LogKeyring(tmp_path / "log-keys"), clock=clock, checkpoints=EVERY_TEN
    )


def stored(org: Organisation) -> list[int]:
    """The sizes of the ledger's stored checkpoints, oldest first."""
    return [size for size, _, _ in org.service.store.checkpoints_list(org.origin)]


def size_of(note: str) -> int:
    return Checkpoint.parse(split_note(note)[0]).size


def with_a_tail(org: Organisation) -> int:
    """Append until the tree is ahead of its newest checkpoint; return the tree size."""
    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    while org.service.tree_size(org.origin) % EVERY_TEN.every == 0:
        org.act("amr", "skolestruktur", position("employees", "Vi er enige."))
    size = org.service.tree_size(org.origin)
    assert stored(org)[-1] < size
    return size


def test_the_writer_signs_every_n_events_in_its_own_transaction(org: Organisation) -> None:
    size = with_a_tail(org)
    multiples = [s for s in stored(org) if s % EVERY_TEN.every == 0]
    assert multiples == list(range(EVERY_TEN.every, size, EVERY_TEN.every))


def test_reading_the_checkpoint_or_a_bundle_never_signs_one(org: Organisation) -> None:
    size = with_a_tail(org)
    before = stored(org)
    note = org.service.latest_checkpoint(org.origin)
    assert size_of(note) == before[-1] < size
    whole = ledger_bundle(org.service, org.origin)
    assert whole["tree_size"] == before[-1], "the auditor's copy runs to the newest checkpoint"
    assert len(whole["entries"]) == before[-1]
    with pytest.raises(NotYetCheckpointedError) as refused:
        matter_bundle(org.service, org.origin, "skolestruktur")
    assert refused.value.details == {
        "leaf_index": size - 1,
        "checkpoint_size": before[-1],
        "tree_size": size,
    }
    assert build_bundle(org.service, org.origin, [0])["tree_size"] == before[-1]
    assert stored(org) == before, "reads signed nothing"


def test_the_operators_checkpoint_covers_the_whole_tree_at_once(org: Organisation) -> None:
    size = with_a_tail(org)
    note = org.service.issue_checkpoint(org.origin)
    assert size_of(note) == size == stored(org)[-1]
    assert org.service.issue_checkpoint(org.origin) == note, "the newest covers it: no new one"
    assert stored(org)[-1] == size and stored(org).count(size) == 1
    assert matter_bundle(org.service, org.origin, "skolestruktur")["tree_size"] == size


def test_the_timer_signs_a_quiet_tail_once_the_interval_has_passed(
    org: Organisation, clock: ManualClock
) -> None:
    size = with_a_tail(org)
    before = stored(org)
    timer = ServingTimer(org.service, tick=0.02)
    timer.start()
    try:
        time.sleep(0.3)
        assert stored(org) == before, "the last checkpoint is younger than the interval"
        clock.advance(hours=1)
        deadline = time.monotonic() + 10
        while stored(org)[-1] != size and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
    finally:
        timer.stop()
    assert stored(org) == [*before, size], "one checkpoint, of the whole tree"


def test_the_timer_leaves_a_covered_ledger_alone(org: Organisation, clock: ManualClock) -> None:
    with_a_tail(org)
    org.service.issue_checkpoint(org.origin)
    before = stored(org)
    clock.advance(hours=2)
    assert org.origin not in org.service.refresh_checkpoints()
    assert stored(org) == before
