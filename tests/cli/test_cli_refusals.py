"""The verifiable-log commands refuse bad input with a clear message and exit code.

An auditor feeds the CLI a checkpoint signed by an unknown key, a malformed
checkpoint, a bundle missing the enrolment of a signer, a bundle whose proof
was altered: each is refused, non-zero, without a traceback.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import NoteSigner, sign_note
from tests.stories.cli import demo_ledger, python_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, str]:
    directory = tmp_path_factory.mktemp("demo")
    env = demo_ledger(directory)
    bundle = directory / "savings.json"
    assert (
        python_cli(
            env, "export", "bundle", "--matter", "okonomi-4mio", "--out", str(bundle)
        ).returncode
        == 0
    )
    key = python_cli(env, "checkpoint", "--key").stdout.strip()
    trust = directory / "trust.json"
    assert python_cli(env, "trust", "--out", str(trust)).returncode == 0
    env["TRUST_FILE"] = str(trust)
    return env, bundle, key


def _refused(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr


def _forged_note() -> str:
    return sign_note(
        Checkpoint("ledger.example/ballerup", 3, b"\x01" * 32).text(),
        [NoteSigner.generate("ledger.example/ballerup")],
    )


def _broken_note() -> str:
    return "ledger.example/ballerup\n007\nnot base64\n\n— x y\n"


@pytest.mark.parametrize(
    ("note_text", "code", "words"),
    [
        pytest.param(
            _forged_note, 1, "error[checkpoint_signature_invalid]", id="signed-by-an-unknown-key"
        ),
        pytest.param(_broken_note, 3, "error[malformed_checkpoint]", id="malformed"),
    ],
)
def test_a_forged_or_malformed_checkpoint_is_refused(
    demo: tuple[dict[str, str], Path, str],
    tmp_path: Path,
    note_text: Callable[[], str],
    code: int,
    words: str,
) -> None:
    env, _, key = demo
    note = tmp_path / "checkpoint.note"
    note.write_text(note_text())
    _refused(python_cli(env, "verify-checkpoint", str(note), "--log-key", key), code, words)


def test_a_checkpoint_without_enough_witnesses_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, key = demo
    note = tmp_path / "latest.note"
    note.write_text(python_cli(env, "checkpoint").stdout)
    witness = NoteSigner.generate("witness.example/revision").cosignature_verifier_key()
    _refused(
        python_cli(
            env,
            "verify-checkpoint",
            str(note),
            "--log-key",
            key,
            "--witness-key",
            witness,
            "--quorum",
            "1",
        ),
        1,
        "error[witness_quorum_not_met]",
    )


def _verify_damaged(
    demo: tuple[dict[str, str], Path, str],
    tmp_path: Path,
    damage: Callable[[dict[str, Any]], None],
) -> subprocess.CompletedProcess[str]:
    """Run ``medledger verify`` on a copy of the demo's bundle damaged by ``damage``."""
    env, bundle, _ = demo
    data = json.loads(bundle.read_text())
    damage(data)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    return python_cli(env, "verify", "--bundle", str(broken), "--trust", env["TRUST_FILE"])


def test_the_demo_bundle_verifies_against_the_pinned_trust_root(
    demo: tuple[dict[str, str], Path, str],
) -> None:
    env, bundle, _ = demo
    result = python_cli(env, "verify", "--bundle", str(bundle), "--trust", env["TRUST_FILE"])
    assert result.returncode == 0, result.stderr
    assert "complete streams: matter/okonomi-4mio, registry" in " ".join(result.stdout.split())


def _without(data: dict[str, Any], wanted: Callable[[dict[str, Any]], bool]) -> None:
    data["entries"] = [i for i in data["entries"] if not wanted(i)]


def drop_the_enrolment_of_tr_okonomi(data: dict[str, Any]) -> None:
    _without(data, lambda i: i["disclosed"].get("person", {}).get("value") == "tr-okonomi")


def drop_the_consultation(data: dict[str, Any]) -> None:
    _without(data, lambda i: i["entry"]["body"]["type"] == "ConsultationOpened")


def negative_genesis(data: dict[str, Any]) -> None:
    data["entries"][0]["leaf_index"] = -(2**64)


@pytest.mark.parametrize(
    ("damage", "code", "words"),
    [
        (drop_the_enrolment_of_tr_okonomi, 1, "error[verification_failed]"),
        (drop_the_consultation, 1, "incomplete_stream"),
        (negative_genesis, 3, "error[malformed_bundle]"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_a_damaged_bundle_is_refused_with_its_reason(
    demo: tuple[dict[str, str], Path, str],
    tmp_path: Path,
    damage: Callable[[dict[str, Any]], None],
    code: int,
    words: str,
) -> None:
    _refused(_verify_damaged(demo, tmp_path, damage), code, words)


def test_a_bundle_of_another_genesis_than_the_pinned_one_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, bundle, _ = demo
    forged_root = json.loads(Path(env["TRUST_FILE"]).read_text())
    forged_root["genesis"] = "ab" * 32
    pinned = tmp_path / "other-trust.json"
    pinned.write_text(json.dumps(forged_root))
    result = python_cli(env, "verify", "--bundle", str(bundle), "--trust", str(pinned))
    _refused(result, 1, "genesis_mismatch")


def test_a_bundle_whose_proof_does_not_match_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    def reverse_the_last_inclusion_proof(data: dict[str, Any]) -> None:
        data["entries"][-1]["inclusion_proof"].reverse()

    result = _verify_damaged(demo, tmp_path, reverse_the_last_inclusion_proof)
    _refused(result, 1, "inclusion_proof_invalid")


def test_a_file_that_is_no_bundle_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, _ = demo
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    _refused(
        python_cli(env, "verify", "--bundle", str(junk), "--trust", env["TRUST_FILE"]),
        3,
        "error[malformed_bundle]",
    )


def test_a_witness_refuses_a_fork(demo: tuple[dict[str, str], Path, str], tmp_path: Path) -> None:
    env, _, key = demo
    witness = tmp_path / "witness"
    assert (
        python_cli(
            env, "witness", "init", "--dir", str(witness), "--name", "witness.example/revision"
        ).returncode
        == 0
    )
    assert (
        python_cli(env, "witness", "trust", "--dir", str(witness), "--log-key", key).returncode == 0
    )
    first = python_cli(env, "witness", "cosign", "--dir", str(witness))
    assert first.returncode == 0, first.stderr
    assert "— witness.example/revision " in first.stdout
    state = json.loads((witness / "witness-state.json").read_text())
    assert state  # the witness now remembers the tree it cosigned
    log_key = (Path(env["MEDLEDGER_LOG_KEYS"]) / "ballerup.key").read_text().strip()
    size = int(first.stdout.split("\n")[1])
    forked = sign_note(
        Checkpoint("ledger.example/ballerup", size, b"\x07" * 32).text(),
        [NoteSigner.from_signer_key(log_key)],
    )
    from ledger.errors import InconsistentCheckpointError
    from ledger.protocol.note import NoteVerifier
    from ledger.service.witness import Witness

    signer = NoteSigner.from_signer_key((witness / "witness.key").read_text().strip())
    with pytest.raises(InconsistentCheckpointError):
        Witness(
            witness, signer, {"ledger.example/ballerup": NoteVerifier.from_verifier_key(key)}
        ).cosign(forked, [])
