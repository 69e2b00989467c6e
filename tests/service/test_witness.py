"""A witness follows one ledger's log and refuses every view that is not its growth."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ledger.errors import (
    CheckpointSignatureError,
    InconsistentCheckpointError,
    MalformedCheckpointError,
    ProofError,
    StorageError,
    UnknownLedgerError,
    WitnessQuorumError,
)
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import cosignature_timestamp, verify_checkpoint
from ledger.protocol.merkle import Frontier, MemoryNodeStore, consistency_proof, leaf_hash
from ledger.protocol.note import NoteSigner, sign_note, split_note
from ledger.service.witness import STATE_FILE, Witness

ORIGIN = "ledger.example/testkommune"
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class Log:
    """A ledger's log as the server keeps it: stored nodes, a frontier and its key."""

    def __init__(self, signer: NoteSigner, history: bytes = b"matter") -> None:
        self.signer = signer
        self.history = history
        self.store = MemoryNodeStore()
        self.frontier = Frontier.empty()

    @property
    def size(self) -> int:
        return self.frontier.size

    def append(self, count: int) -> Log:
        for _ in range(count):
            entry = b"%s event %d" % (self.history, self.frontier.size)
            for level, index, hash_ in self.frontier.append(leaf_hash(entry)):
                self.store.put(level, index, hash_)
        return self

    def fork(self, count: int) -> Log:
        """A rewritten history of ``count`` events, shown under the same log key."""
        return Log(self.signer, history=b"rewritten").append(count)

    def checkpoint(self, origin: str = ORIGIN) -> str:
        body = Checkpoint(origin, self.size, self.frontier.root()).text()
        return sign_note(body, [self.signer])

    def proof_from(self, old_size: int) -> list[bytes]:
        if old_size == self.size:
            return []
        return consistency_proof(self.store, old_size, self.size)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def log_key() -> NoteSigner:
    return NoteSigner.generate(ORIGIN)


@pytest.fixture
def log(log_key: NoteSigner) -> Log:
    return Log(log_key).append(5)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_witness(
    state_dir: Path, log_key: NoteSigner, clock: Clock, name: str = "witness.example/w1"
) -> Witness:
    return Witness(state_dir, NoteSigner.generate(name), {ORIGIN: log_key.verifier()}, clock)


def three_witnesses(tmp_path: Path, log_key: NoteSigner, clock: Clock) -> list[Witness]:
    """Witnesses w0, w1 and w2 of the same log, each with its own state."""
    return [
        make_witness(tmp_path / f"w{i}", log_key, clock, f"w{i}.example/witness") for i in range(3)
    ]


@pytest.fixture
def witness(tmp_path: Path, log_key: NoteSigner, clock: Clock) -> Witness:
    return make_witness(tmp_path / "witness", log_key, clock)


def _state(witness_dir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((witness_dir / STATE_FILE).read_text())
    return data


# --- the story of one log -----------------------------------------------------


def test_first_checkpoint_is_trusted_on_first_use(
    witness: Witness, log: Log, log_key: NoteSigner
) -> None:
    cosigned = witness.cosign(log.checkpoint(), [])
    checkpoint = verify_checkpoint(
        cosigned, log_key.verifier(), [witness.cosignature_verifier], quorum=1
    )
    assert checkpoint.size == 5
    assert witness.latest(ORIGIN) == checkpoint


def test_cosignature_carries_the_time_of_the_injected_clock(
    witness: Witness, log: Log, clock: Clock
) -> None:
    clock.now = START + timedelta(days=14, seconds=0.9)
    cosigned = witness.cosign(log.checkpoint(), [])
    _, (_, cosignature) = split_note(cosigned)
    assert cosignature_timestamp(cosignature) == int(START.timestamp()) + 14 * 86400


def test_growth_with_a_valid_proof_is_cosigned(
    witness: Witness, log: Log, log_key: NoteSigner
) -> None:
    witness.cosign(log.checkpoint(), [])
    log.append(7)
    cosigned = witness.cosign(log.checkpoint(), log.proof_from(5))
    checkpoint = verify_checkpoint(
        cosigned, log_key.verifier(), [witness.cosignature_verifier], quorum=1
    )
    assert checkpoint.size == 12
    assert witness.latest(ORIGIN) == checkpoint


def test_the_same_checkpoint_is_cosigned_again(witness: Witness, log: Log) -> None:
    witness.cosign(log.checkpoint(), [])
    again = witness.cosign(log.checkpoint(), [])
    assert len(split_note(again)[1]) == 2


def test_a_fork_at_the_same_size_is_refused(witness: Witness, log: Log) -> None:
    witness.cosign(log.checkpoint(), [])
    other_history = log.fork(5)
    with pytest.raises(InconsistentCheckpointError):
        witness.cosign(other_history.checkpoint(), [])
    assert witness.latest(ORIGIN) == Checkpoint.parse(split_note(log.checkpoint())[0])


def assert_still_trusts_size(witness: Witness, size: int) -> None:
    """The witness's latest checkpoint of the log is still the one of ``size``."""
    latest = witness.latest(ORIGIN)
    assert latest is not None
    assert latest.size == size


def test_a_rollback_is_refused(witness: Witness, log: Log) -> None:
    earlier = log.checkpoint()
    log.append(4)
    witness.cosign(log.checkpoint(), [])
    with pytest.raises(InconsistentCheckpointError):
        witness.cosign(earlier, [])
    assert_still_trusts_size(witness, 9)


def test_a_bad_proof_is_refused(witness: Witness, log: Log) -> None:
    witness.cosign(log.checkpoint(), [])
    log.append(6)
    proof = log.proof_from(5)
    tampered = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
    for bad in (tampered, proof[1:], [], log.proof_from(4), [*proof, proof[0]]):
        with pytest.raises(ProofError):
            witness.cosign(log.checkpoint(), bad)
    assert_still_trusts_size(witness, 5)


def test_a_larger_tree_with_another_history_is_refused(witness: Witness, log: Log) -> None:
    witness.cosign(log.checkpoint(), [])
    fork = log.fork(9)
    with pytest.raises(ProofError):
        witness.cosign(fork.checkpoint(), fork.proof_from(5))


def test_a_proof_for_an_unknown_starting_point_is_refused(witness: Witness, log: Log) -> None:
    log.append(3)
    with pytest.raises(ProofError):
        witness.cosign(log.checkpoint(), log.proof_from(5))
    assert witness.latest(ORIGIN) is None


def test_an_unknown_origin_is_refused(witness: Witness, log: Log) -> None:
    with pytest.raises(UnknownLedgerError):
        witness.cosign(log.checkpoint(origin="ledger.example/other"), [])


def test_a_checkpoint_signed_by_another_key_is_refused(witness: Witness) -> None:
    impostor = Log(NoteSigner.generate(ORIGIN)).append(5)
    with pytest.raises(CheckpointSignatureError):
        witness.cosign(impostor.checkpoint(), [])
    assert witness.latest(ORIGIN) is None


def test_an_altered_checkpoint_is_refused(witness: Witness, log: Log) -> None:
    altered = log.checkpoint().replace("\n5\n", "\n6\n")
    with pytest.raises(CheckpointSignatureError):
        witness.cosign(altered, [])


def test_an_empty_tree_is_not_cosigned(witness: Witness, log_key: NoteSigner) -> None:
    with pytest.raises(MalformedCheckpointError):
        witness.cosign(Log(log_key).checkpoint(), [])


def test_a_naive_clock_is_a_programming_error(
    tmp_path: Path, log: Log, log_key: NoteSigner
) -> None:
    witness = Witness(
        tmp_path,
        NoteSigner.generate("w.example"),
        {ORIGIN: log_key.verifier()},
        clock=lambda: datetime(2025, 1, 1),
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        witness.cosign(log.checkpoint(), [])


# --- its memory ------------------------------------------------------------------


def test_state_survives_a_restart(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    state_dir = tmp_path / "witness"
    first = make_witness(state_dir, log_key, clock)
    earlier = log.checkpoint()
    log.append(2)
    first.cosign(log.checkpoint(), [])
    restarted = Witness(state_dir, NoteSigner.generate("w.example"), {ORIGIN: log_key.verifier()})
    with pytest.raises(InconsistentCheckpointError):
        restarted.cosign(earlier, [])
    assert _state(state_dir) == {
        "version": 1,
        "checkpoints": {ORIGIN: split_note(log.checkpoint())[0]},
    }


def test_state_is_replaced_whole_and_leaves_no_temporary_file(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    state_dir = tmp_path / "witness"
    witness = make_witness(state_dir, log_key, clock)
    witness.cosign(log.checkpoint(), [])
    log.append(1)
    witness.cosign(log.checkpoint(), log.proof_from(5))
    assert sorted(p.name for p in state_dir.iterdir()) == [
        "witness-state.json",
        "witness-state.lock",
    ]


def test_a_failed_write_keeps_the_old_state_and_cosigns_nothing(
    tmp_path: Path,
    log: Log,
    log_key: NoteSigner,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state_dir = tmp_path / "witness"
    witness = make_witness(state_dir, log_key, clock)
    witness.cosign(log.checkpoint(), [])
    before = (state_dir / STATE_FILE).read_bytes()
    log.append(3)

    def disk_full(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StorageError):
        witness.cosign(log.checkpoint(), log.proof_from(5))
    monkeypatch.undo()
    assert (state_dir / STATE_FILE).read_bytes() == before
    assert sorted(p.name for p in state_dir.iterdir()) == [
        "witness-state.json",
        "witness-state.lock",
    ]


def test_a_corrupt_state_file_is_a_storage_error(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    state_dir = tmp_path / "witness"
    witness = make_witness(state_dir, log_key, clock)
    (state_dir / STATE_FILE).write_text('{"version": 1, "checkpoints": {"x": "nonsense"}}')
    with pytest.raises(StorageError):
        witness.cosign(log.checkpoint(), [])


# --- several witnesses -------------------------------------------------------------


def test_cosignatures_of_other_witnesses_are_kept_and_its_own_replaced(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    first = make_witness(tmp_path / "a", log_key, clock, "a.example/w")
    second = make_witness(tmp_path / "b", log_key, clock, "b.example/w")
    note = second.cosign(first.cosign(log.checkpoint(), []), [])
    clock.now += timedelta(minutes=5)
    note = first.cosign(note, [])
    _, signatures = split_note(note)
    assert [s.name for s in signatures] == [ORIGIN, "b.example/w", "a.example/w"]
    assert cosignature_timestamp(signatures[-1]) == int(START.timestamp()) + 300
    verify_checkpoint(
        note,
        log_key.verifier(),
        [first.cosignature_verifier, second.cosignature_verifier],
        quorum=2,
    )


def test_a_verifier_requiring_two_of_three_witnesses(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    witnesses = three_witnesses(tmp_path, log_key, clock)
    known = [w.cosignature_verifier for w in witnesses]

    note = witnesses[0].cosign(log.checkpoint(), [])
    with pytest.raises(WitnessQuorumError):
        verify_checkpoint(note, log_key.verifier(), known, quorum=2)

    note = witnesses[2].cosign(note, [])
    checkpoint = verify_checkpoint(note, log_key.verifier(), known, quorum=2)
    assert checkpoint.size == 5

    outsider = make_witness(tmp_path / "outsider", log_key, clock, "outsider.example/w")
    lone = outsider.cosign(witnesses[1].cosign(log.checkpoint(), []), [])
    with pytest.raises(WitnessQuorumError):
        verify_checkpoint(lone, log_key.verifier(), known, quorum=2)


def test_witnesses_that_saw_a_fork_leave_it_without_quorum(
    tmp_path: Path, log: Log, log_key: NoteSigner, clock: Clock
) -> None:
    """The log shows one history to two witnesses and another to the third."""
    witnesses = three_witnesses(tmp_path, log_key, clock)
    known = [w.cosignature_verifier for w in witnesses]
    for witness in witnesses[:2]:
        witness.cosign(log.checkpoint(), [])
    fork = log.fork(5)
    forked_note = witnesses[2].cosign(fork.checkpoint(), [])
    for witness in witnesses[:2]:
        with pytest.raises(InconsistentCheckpointError):
            witness.cosign(forked_note, [])
    with pytest.raises(WitnessQuorumError):
        verify_checkpoint(forked_note, log_key.verifier(), known, quorum=2)
