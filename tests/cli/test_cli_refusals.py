"""The verifiable-log commands refuse bad input with a clear message and exit code.

An auditor feeds the CLI a checkpoint signed by an unknown key, a malformed
checkpoint, a bundle missing the enrolment of a signer, a bundle whose proof
was altered: each is refused, non-zero, without a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import NoteSigner, sign_note


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, str]:
    directory = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "MEDLEDGER_DATABASE_URL": f"sqlite:///{directory}/ledger.db",
        "MEDLEDGER_LOG_KEYS": f"{directory}/log-keys",
        "MEDLEDGER_LEDGER": "ballerup",
    }
    assert _run(env, "demo", "--dir", str(directory)).returncode == 0
    bundle = directory / "savings.json"
    assert (
        _run(env, "export", "bundle", "--matter", "okonomi-4mio", "--out", str(bundle)).returncode
        == 0
    )
    key = _run(env, "checkpoint", "--key").stdout.strip()
    return env, bundle, key


def _refused(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, key = demo
    note = tmp_path / "forged.note"
    note.write_text(
        sign_note(
            Checkpoint("ledger.example/ballerup", 3, b"\x01" * 32).text(),
            [NoteSigner.generate("ledger.example/ballerup")],
        )
    )
    _refused(
        _run(env, "verify-checkpoint", str(note), "--log-key", key),
        1,
        "error[checkpoint_signature_invalid]",
    )


def test_a_malformed_checkpoint_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, key = demo
    note = tmp_path / "broken.note"
    note.write_text("ledger.example/ballerup\n007\nnot base64\n\n— x y\n")
    _refused(
        _run(env, "verify-checkpoint", str(note), "--log-key", key),
        3,
        "error[malformed_checkpoint]",
    )


def test_a_checkpoint_without_enough_witnesses_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, key = demo
    note = tmp_path / "latest.note"
    note.write_text(_run(env, "checkpoint").stdout)
    witness = NoteSigner.generate("witness.example/revision").cosignature_verifier_key()
    _refused(
        _run(
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


def test_a_bundle_missing_a_signers_enrolment_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, bundle, key = demo
    data = json.loads(bundle.read_text())
    data["registry"] = [
        i for i in data["registry"] if (i["payload"] or {}).get("person") != "tr-okonomi"
    ]
    broken = tmp_path / "missing.json"
    broken.write_text(json.dumps(data))
    _refused(
        _run(env, "verify", "--bundle", str(broken), "--log-key", key),
        1,
        "error[verification_failed]",
    )


def test_a_bundle_whose_proof_does_not_match_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, bundle, key = demo
    data = json.loads(bundle.read_text())
    data["entries"][-1]["inclusion_proof"].reverse()
    broken = tmp_path / "proof.json"
    broken.write_text(json.dumps(data))
    result = _run(env, "verify", "--bundle", str(broken), "--log-key", key)
    _refused(result, 1, "inclusion_proof_invalid")


def test_a_file_that_is_no_bundle_is_refused(
    demo: tuple[dict[str, str], Path, str], tmp_path: Path
) -> None:
    env, _, key = demo
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    _refused(
        _run(env, "verify", "--bundle", str(junk), "--log-key", key), 3, "error[malformed_bundle]"
    )


def test_a_witness_refuses_a_fork(demo: tuple[dict[str, str], Path, str], tmp_path: Path) -> None:
    env, _, key = demo
    witness = tmp_path / "witness"
    assert (
        _run(
            env, "witness", "init", "--dir", str(witness), "--name", "witness.example/revision"
        ).returncode
        == 0
    )
    assert _run(env, "witness", "trust", "--dir", str(witness), "--log-key", key).returncode == 0
    first = _run(env, "witness", "cosign", "--dir", str(witness))
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
