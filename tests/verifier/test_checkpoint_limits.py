"""The stand-alone verifier's checkpoint limits, each with its exact code and both sides of
its boundary: what the protocol library refuses, the auditor's verifier refuses too."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.protocol.note import NoteSigner, sign_note
from verifier.bundle import (
    MAX_EXTENSION_LINES,
    MAX_SIGNATURES,
    BundleVerificationError,
    TrustRoot,
    _inclusion_ok,
    _verify_checkpoint,
)

ORIGIN = "ledger.example/limits"
LOG = NoteSigner(ORIGIN, Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
TRUST = TrustRoot(ORIGIN, LOG.verifier_key(), "0" * 64)
ROOT = base64.b64encode(bytes(32)).decode()
HEADS = f"medledger/heads/v2 1 {ROOT}"


def _note(size: int = 3, extensions: int = 1, text_suffix: str = "") -> str:
    lines = [ORIGIN, str(size), ROOT, HEADS, *(f"ext {i}" for i in range(extensions - 1))]
    return sign_note("".join(line + "\n" for line in lines) + text_suffix, [LOG])


def _refused(note: str) -> str:
    with pytest.raises(BundleVerificationError) as failure:
        _verify_checkpoint(note, TRUST)
    return failure.value.code


def test_the_largest_tree_size_is_read_and_the_next_refused() -> None:
    assert _verify_checkpoint(_note(size=2**64 - 1), TRUST)[0] == 2**64 - 1
    assert _refused(_note(size=2**64)) == "malformed_checkpoint"


def test_sixteen_extension_lines_are_read_and_seventeen_refused() -> None:
    assert len(_verify_checkpoint(_note(extensions=MAX_EXTENSION_LINES), TRUST)[2]) == 16
    assert _refused(_note(extensions=MAX_EXTENSION_LINES + 1)) == "malformed_checkpoint"


def test_a_hundred_signature_lines_are_read_and_one_more_refused() -> None:
    note = _note()
    line = note.split("\n\n", 1)[1]
    assert _verify_checkpoint(note + line * (MAX_SIGNATURES - 1), TRUST)[0] == 3
    assert _refused(note + line * MAX_SIGNATURES) == "malformed_checkpoint"


def test_an_unterminated_signature_block_is_refused() -> None:
    assert _refused(_note().removesuffix("\n")) == "malformed_checkpoint"


@pytest.mark.parametrize("char", ["\x00", "\t", "\r", "\x1f", "\x7f"])
def test_a_control_character_anywhere_in_the_note_is_refused(char: str) -> None:
    note = _note()
    assert _refused(note.replace("ext", "e" + char, 1) if "ext" in note else note + char) == (
        "malformed_checkpoint"
    )
    assert _refused(note[:5] + char + note[5:]) == "malformed_checkpoint"


def test_the_delete_character_is_refused_before_any_signature_is_checked() -> None:
    """No signer makes such a note (the library refuses to), so it is one changed after
    signing: the character is refused as such, not as a bad signature."""
    assert _refused(_note().replace(HEADS, HEADS + "\x7f")) == "malformed_checkpoint"


@pytest.mark.parametrize("length", [0, 31, 33])
def test_inclusion_refuses_hashes_that_are_not_32_bytes(length: int) -> None:
    leaf = hashlib.sha256(b"\x00entry").digest()
    other = hashlib.sha256(b"\x00other").digest()
    root = hashlib.sha256(b"\x01" + leaf + other).digest()
    assert _inclusion_ok(leaf, 0, 2, [other], root)
    wrong = bytes(length)
    assert not _inclusion_ok(wrong, 0, 1, [], wrong)
    assert not _inclusion_ok(leaf, 0, 2, [(other + b"\x00")[:length]], root)
    assert not _inclusion_ok(leaf, 0, 2, [other], (root + b"\x00")[:length])
