"""Person keys: Ed25519 key pairs, key ids, and the key file format.

A person's private key never needs to reach the server: the SDK signs on
the person's machine and the log stores only public keys.  A key id is
derived from the public key (the first 16 hex digits of its SHA-256), so
that anyone can check that an id names the key it claims to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from ledger.errors import BadSignatureError, MalformedKeyError
from ledger.protocol.b64 import b64decode, b64encode

KEY_FILE_TYPE = "medledger-person-key/v1"


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_for(public_key: bytes) -> str:
    """The key id of a raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def load_public_key(encoded: str) -> Ed25519PublicKey:
    """Parse a base64 raw Ed25519 public key; raise MalformedKeyError."""
    raw = b64decode(encoded, length=32, what="public key", error=MalformedKeyError)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise MalformedKeyError(str(exc)) from exc


def verify_signature(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> None:
    """Return None if ``signature`` is valid, else raise BadSignatureError."""
    try:
        public_key.verify(signature, message)
    except InvalidSignature as exc:
        raise BadSignatureError("signature does not verify") from exc


@dataclass(frozen=True)
class PersonKey:
    """A person's signing key: who they are, and the Ed25519 key they sign with."""

    person: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, person: str) -> PersonKey:
        return cls(person, Ed25519PrivateKey.generate())

    @property
    def public_key(self) -> bytes:
        return public_key_bytes(self.private_key.public_key())

    @property
    def public_key_b64(self) -> str:
        return b64encode(self.public_key)

    @property
    def key_id(self) -> str:
        return key_id_for(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)

    def to_json(self) -> str:
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return json.dumps(
            {
                "type": KEY_FILE_TYPE,
                "person": self.person,
                "key_id": self.key_id,
                "public_key": self.public_key_b64,
                "private_key": b64encode(seed),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> PersonKey:
        """Parse a key file; raise MalformedKeyError if it is not one."""
        try:
            data = json.loads(text)
            if data.get("type") != KEY_FILE_TYPE:
                raise ValueError(f"not a {KEY_FILE_TYPE} file")
            seed = b64decode(
                data["private_key"], length=32, what="private key", error=MalformedKeyError
            )
            key = cls(str(data["person"]), Ed25519PrivateKey.from_private_bytes(seed))
        except (MalformedKeyError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise MalformedKeyError(f"not a medledger key file: {exc}") from exc
        if data.get("key_id") not in (None, key.key_id):
            raise MalformedKeyError("key file's key_id does not match its key")
        return key
