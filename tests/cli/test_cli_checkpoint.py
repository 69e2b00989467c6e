"""``medledger checkpoint``: the operator signs a checkpoint of the whole tree now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.matters import hovedmed
from demo.organisation import ManualClock, Organisation
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import split_note
from ledger.service.application import LedgerService
from ledger.service.checkpoint_policy import CheckpointPolicy
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.stories.cli import medledger
from tests.stories.http import position
from tests.stories.school import school_structure

RARELY = CheckpointPolicy(every=1000, interval=timedelta(days=1))


@pytest.fixture
def quiet(tmp_path: Path) -> Iterator[Organisation]:
    """A ledger in ``tmp_path/data`` whose last events no checkpoint covers yet."""
    data = tmp_path / "data"
    data.mkdir()
    store = Store(f"sqlite:///{data}/ledger.db")
    clock = ManualClock()
    service = LedgerService(store, LogKeyring(data / "log-keys"), clock=clock, checkpoints=RARELY)
    org = Organisation(service, "ledger.example/stille", "Stille Kommune", clock)
    hovedmed(org, vice_chair=True)
    org.act("direktor", "skole", school_structure(clock))
    org.act("tr", "skole", position("employees"))
    yield org
    store.dispose()


def sizes(org: Organisation) -> list[int]:
    return [size for size, _, _ in org.service.store.checkpoints_list(org.origin)]


def test_the_operator_signs_a_checkpoint_of_the_whole_tree_now(
    quiet: Organisation, tmp_path: Path
) -> None:
    size = quiet.service.tree_size(quiet.origin)
    assert sizes(quiet) == [1], "only the genesis checkpoint so far"
    signed = medledger("checkpoint", data=tmp_path / "data")
    assert signed.returncode == 0, signed.stderr
    assert Checkpoint.parse(split_note(signed.stdout)[0]).size == size
    assert sizes(quiet) == [1, size]
    again = medledger("checkpoint --ledger stille", data=tmp_path / "data")
    assert again.returncode == 0, again.stderr
    assert again.stdout == signed.stdout, "the newest covers the tree: nothing new is signed"
    assert sizes(quiet) == [1, size]
