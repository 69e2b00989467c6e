"""Checkpoints and proofs printed by the CLI, checked by independent code.

An auditor runs ``medledger checkpoint`` and ``medledger prove`` against a
ledger and checks what comes out with software that shares nothing with the
ledger's own Merkle code: pymerkle (an independent RFC 9162 tree) and a
transcription of RFC 9162 section 2.1 written here; the signed note is
checked by the bundle verifier's own signed-note reader and by the Go
reference vectors (tests/protocol/test_checkpoint.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pymerkle
import pytest

from tests.stories.cli import demo_ledger, python_cli
from verifier.bundle import TrustRoot, _verify_checkpoint


def _run(env: dict[str, str], *args: str) -> str:
    result = python_cli(env, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return demo_ledger(tmp_path_factory.mktemp("demo"))


def _entries(env: dict[str, str], tmp_path: Path) -> list[bytes]:
    out = tmp_path / "all.json"
    _run(env, "export", "bundle", "--out", str(out))
    import rfc8785

    bundle: dict[str, Any] = json.loads(out.read_text())
    items = sorted(bundle["entries"], key=lambda i: i["leaf_index"])
    return [rfc8785.dumps(i["entry"]) for i in items]


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 2.1.1 MTH, transcribed."""
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


def _subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    """RFC 9162 2.1.4.1 SUBPROOF, transcribed."""
    n = len(leaves)
    if m == n:
        return [] if complete else [_mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete), _mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), _mth(leaves[:k])]


def test_inclusion_proofs_from_the_cli_verify_with_pymerkle(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    entries = _entries(demo_env, tmp_path)
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    for entry in entries:
        tree.append_entry(entry)
    size = len(entries)
    for index in (0, 7, size // 2, size - 1):
        printed = json.loads(_run(demo_env, "prove", "inclusion", str(index), "--size", str(size)))
        proof = [base64.b64decode(p) for p in printed["proof"]]
        root = base64.b64decode(printed["root"])
        leaf = base64.b64decode(printed["leaf_hash"])
        assert root == tree.get_root(size)
        theirs = tree.prove_inclusion(index + 1, size)
        as_pymerkle = pymerkle.InclusionProof(
            "sha256", True, size, index + 1, theirs.rule, [leaf, *proof]
        )
        pymerkle.verify_inclusion(leaf, root, as_pymerkle)


def test_consistency_proofs_from_the_cli_match_rfc_9162_transcribed(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    entries = _entries(demo_env, tmp_path)
    size = len(entries)
    for old in (1, 5, 16, size - 3):
        printed = json.loads(_run(demo_env, "prove", "consistency", str(old), str(size)))
        assert [base64.b64decode(p) for p in printed["proof"]] == _subproof(old, entries, True)
        assert base64.b64decode(printed["old_root"]) == _mth(entries[:old])
        assert base64.b64decode(printed["new_root"]) == _mth(entries)


def test_the_cli_checkpoint_is_a_signed_note_over_the_real_root(
    demo_env: dict[str, str], tmp_path: Path
) -> None:
    entries = _entries(demo_env, tmp_path)
    note = _run(demo_env, "checkpoint")
    key = _run(demo_env, "checkpoint", "--key").strip()
    trust = TrustRoot("ledger.example/ballerup", key, genesis="0" * 64)
    size, root, _, _ = _verify_checkpoint(note, trust)
    assert size == len(entries)
    assert root == _mth(entries)
    lines = note.split("\n")
    assert lines[:3] == ["ledger.example/ballerup", str(size), base64.b64encode(root).decode()]
    assert lines[3].startswith("medledger/heads/v2 ")
    assert lines[4] == "" and lines[5].startswith("\u2014 ledger.example/ballerup ")


def test_bad_proof_requests_are_clear_errors_not_tracebacks(demo_env: dict[str, str]) -> None:
    for args in (
        ["prove", "inclusion", "999"],
        ["prove", "consistency", "0", "3"],
        ["prove", "consistency", "9", "3"],
    ):
        result = python_cli(demo_env, *args)
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr
        assert "error[" in result.stderr
