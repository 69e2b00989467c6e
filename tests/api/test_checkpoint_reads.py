"""Reads never write: polling the checkpoint and a bundle while people append signs nothing.

The ledger here signs every 10 events (or 0.2 s after its last checkpoint,
by its manual clock, which only moves when a test says so), so between
multiples of 10 its tree is ahead of its newest checkpoint: the state in
which a read used to take the write lock and sign one.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import split_note
from ledger.service.application import LedgerService
from ledger.service.checkpoint_policy import CheckpointPolicy
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.api.conftest import Api, ledger_path
from tests.stories.http import open_school_matter, position

POLICY = CheckpointPolicy(every=10, interval=timedelta(seconds=0.2))


@pytest.fixture
def service(store: Store, tmp_path: Path, clock: ManualClock) -> LedgerService:
    return LedgerService(store, LogKeyring(tmp_path / "log-keys"), clock=clock, checkpoints=POLICY)


def stored(org: Organisation) -> int:
    return len(org.service.store.checkpoints_list(org.origin))


def test_polling_the_checkpoint_and_a_bundle_while_appending_signs_nothing(
    api: Api, org: Organisation
) -> None:
    open_school_matter(org)
    token = api.headers(org, "revisor")
    path = ledger_path(org)
    refused = 0
    for round_ in range(50):
        org.act("tr", "skolestruktur", position("employees", f"Bemærkning {round_}."))
        before = stored(org)
        note = api.http.get(f"{path}/checkpoint", headers=token)
        bundle = api.http.get(f"{path}/matters/skolestruktur/bundle", headers=token)
        assert stored(org) == before, f"round {round_}: a read signed a checkpoint"
        assert note.status_code == 200
        newest = Checkpoint.parse(split_note(note.text)[0]).size
        size = org.service.tree_size(org.origin)
        assert newest == size - size % POLICY.every or newest == size
        if newest == size:
            assert bundle.status_code == 200
            assert bundle.json()["tree_size"] == size
        else:
            refused += 1
            assert bundle.status_code == 409
            error = bundle.json()["error"]
            assert error["code"] == "not_yet_checkpointed"
            assert (error["checkpoint_size"], error["tree_size"]) == (newest, size)
    assert refused >= 40, "most rounds read a tree ahead of its newest checkpoint"


def test_the_server_signs_a_quiet_tail_by_its_timer(
    api: Api, org: Organisation, clock: ManualClock
) -> None:
    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    if org.service.tree_size(org.origin) % POLICY.every == 0:
        org.act("amr", "skolestruktur", position("employees", "Vi er enige."))
    size = org.service.tree_size(org.origin)
    assert org.service.store.checkpoints_list(org.origin)[-1][0] < size
    clock.advance(minutes=1)  # the last checkpoint is now older than the interval
    deadline = time.monotonic() + 10
    while org.service.store.checkpoints_list(org.origin)[-1][0] < size:
        assert time.monotonic() < deadline, "the serving process's timer signed nothing"
        time.sleep(0.02)
    note = api.http.get(f"{ledger_path(org)}/checkpoint", headers=api.headers(org, "tr"))
    assert Checkpoint.parse(split_note(note.text)[0]).size == size
