"""Person keys against the Ed25519 known answers of RFC 8032 section 7.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import BadSignatureError
from ledger.protocol.b64 import b64encode
from ledger.protocol.keys import PersonKey, load_public_key, verify_signature

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "rfc8032-ed25519.json").read_text("utf-8")
)["vectors"]


def _person_key(vector: dict[str, Any]) -> PersonKey:
    seed = bytes.fromhex(vector["secret_key"])
    return PersonKey("rfc8032", Ed25519PrivateKey.from_private_bytes(seed))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_a_person_key_derives_the_rfc_public_key_and_signature(vector: dict[str, Any]) -> None:
    key = _person_key(vector)
    message = bytes.fromhex(vector["message"])
    assert key.public_key.hex() == vector["public_key"]
    assert key.sign(message).hex() == vector["signature"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_rfc_signature_verifies_under_the_published_public_key(
    vector: dict[str, Any],
) -> None:
    public_key = load_public_key(b64encode(bytes.fromhex(vector["public_key"])))
    verify_signature(
        public_key, bytes.fromhex(vector["signature"]), bytes.fromhex(vector["message"])
    )


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_rfc_signature_does_not_verify_another_message(vector: dict[str, Any]) -> None:
    public_key = load_public_key(b64encode(bytes.fromhex(vector["public_key"])))
    other = bytes.fromhex(vector["message"]) + b"\x00"
    with pytest.raises(BadSignatureError):
        verify_signature(public_key, bytes.fromhex(vector["signature"]), other)


def test_the_file_holds_the_five_ed25519_tests_of_the_rfc() -> None:
    assert [v["name"] for v in VECTORS] == [
        "TEST 1",
        "TEST 2",
        "TEST 3",
        "TEST 1024",
        "TEST SHA(abc)",
    ]
    assert [len(v["message"]) // 2 for v in VECTORS] == [0, 1, 2, 1023, 64]
