"""C2SP signed notes: note keys, their names and hashes, and signing and opening notes.

A signed note (https://c2sp.org/signed-note) is a text, a blank line, and
one line per signature, ``— <key name> base64(key hash || signature)``.
The log signs its checkpoints with an Ed25519 note key (signature type
0x01); witnesses cosign with the same kind of key under signature type
0x04 (cosignature/v1, https://c2sp.org/tlog-cosignature).  Both verifier
kinds live here, since one signer can play either part.

Key strings follow Go's golang.org/x/mod/sumdb/note:

- signer key ``PRIVATE+KEY+<name>+<hash>+base64(0x01 || Ed25519 seed)``
- verifier key ``<name>+<hash>+base64(<type> || Ed25519 public key)``

where ``<hash>`` is eight hex digits of the key hash: the first four bytes
(big-endian) of SHA-256(name || 0x0A || type || public key).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Protocol, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from ledger.errors import (
    CheckpointSignatureError,
    MalformedCheckpointError,
    MalformedKeyError,
)
from ledger.protocol.b64 import b64decode, b64encode
from ledger.protocol.keys import public_key_bytes

ED25519 = 0x01
"""Signed-note signature type of plain Ed25519 note signatures."""

COSIGNATURE_V1 = 0x04
"""Signed-note signature type of timestamped Ed25519 cosignatures (cosignature/v1)."""

MAX_TIMESTAMP = 2**63 - 1
"""tlog-cosignature: a cosignature's timestamp MUST NOT exceed 2^63 - 1."""

MAX_SIGNATURES = 100
"""Most signature lines read from one note (C2SP asks for at least 16; Go allows 100)."""

MAX_NOTE_BYTES = 64 * 1024
"""Largest signed note read, in UTF-8 bytes; a checkpoint with 100 signatures fits."""

ED25519_SIGNATURE_SIZE = 64
TIMESTAMP_SIZE = 8
"""Bytes of a cosignature's big-endian timestamp, before its Ed25519 signature."""

_SIGNATURE_PREFIX = "\u2014 "  # em dash and space
_COSIGNATURE_HEADER = "cosignature/v1\n"
_KEY_SIZE = 33  # the signature type byte and 32 key bytes
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")


# --- keys -----------------------------------------------------------------


def key_hash(name: str, signature_type: int, public_key: bytes) -> int:
    """Return the signed-note key hash (key ID) as an unsigned 32-bit integer.

    It is the first four bytes, big-endian, of
    SHA-256(name || 0x0A || signature type || public key).
    """
    digest = hashlib.sha256(
        name.encode("utf-8") + b"\n" + bytes([signature_type]) + public_key
    ).digest()
    return int.from_bytes(digest[:4], "big")


def is_valid_key_name(name: str) -> bool:
    """Whether ``name`` may name a note key: non-empty, UTF-8, no spaces, no ``+``.

    Control characters are refused too, since no note may contain them.
    """
    if not name or "+" in name:
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(
        char.isspace()
        or unicodedata.category(char) in ("Zs", "Zl", "Zp")
        or char < " "
        or char == "\x7f"
        for char in name
    )


def _decode_key(hash_hex: str, encoded: str, signature_type: int, wrong_type: str) -> bytes:
    """The 32 key bytes of a key string's ``<hash>+<base64 key>`` of ``signature_type``.

    Raises MalformedKeyError, with ``wrong_type`` when the key is not of that type.
    """
    if not _HEX8.fullmatch(hash_hex):
        raise MalformedKeyError("the key hash must be eight hex digits")
    key = b64decode(encoded, what="the key", error=MalformedKeyError)
    if len(key) != _KEY_SIZE or key[0] != signature_type:
        raise MalformedKeyError(wrong_type)
    return key[1:]


def _require_key_hash(actual: int, hash_hex: str) -> None:
    if actual != int(hash_hex, 16):
        raise MalformedKeyError("the key hash does not match the name and key")


def _key_string(name: str, hash_: int, signature_type: int, key: bytes) -> str:
    return f"{name}+{hash_:08x}+{b64encode(bytes([signature_type]) + key)}"


class Verifier(Protocol):
    """Anything that can check one kind of note signature by one key."""

    @property
    def name(self) -> str:
        """The key name on the signature line."""
        ...

    @property
    def key_hash(self) -> int:
        """The 32-bit key hash at the start of the signature."""
        ...

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` (without the key hash) signs the note ``text``."""
        ...


class _Ed25519Verifier:
    """An Ed25519 public key with a name, for one signed-note signature type."""

    signature_type: ClassVar[int]

    def __init__(self, name: str, public_key: Ed25519PublicKey) -> None:
        """Raises MalformedKeyError if ``name`` is not a valid key name."""
        if not is_valid_key_name(name):
            raise MalformedKeyError(f"invalid key name {name!r}")
        self._name = name
        self._public_key = public_key
        self._raw = public_key_bytes(public_key)
        self._key_hash = key_hash(name, self.signature_type, self._raw)

    @classmethod
    def from_verifier_key(cls, vkey: str) -> Self:
        """Parse a verifier key ``<name>+<hash>+base64(<type> || public key)``.

        Raises:
            MalformedKeyError: the string is not a verifier key of this
                signature type, or its hash does not match its name and key.
        """
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise MalformedKeyError("a verifier key has the form <name>+<hash>+<key>")
        name, hash_hex, encoded = parts
        raw = _decode_key(
            hash_hex,
            encoded,
            cls.signature_type,
            f"not an Ed25519 key of signature type 0x{cls.signature_type:02x}",
        )
        try:
            public_key = Ed25519PublicKey.from_public_bytes(raw)
        except ValueError as error:
            raise MalformedKeyError("not an Ed25519 public key") from error
        verifier = cls(name, public_key)
        _require_key_hash(verifier.key_hash, hash_hex)
        return verifier

    @property
    def name(self) -> str:
        """The key name."""
        return self._name

    @property
    def key_hash(self) -> int:
        """The 32-bit key hash of this key and signature type."""
        return self._key_hash

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The Ed25519 public key."""
        return self._public_key

    def verifier_key(self) -> str:
        """Return the key as a verifier key string, to publish or configure."""
        return _key_string(self._name, self._key_hash, self.signature_type, self._raw)

    def _ed25519_verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != ED25519_SIGNATURE_SIZE:
            return False
        try:
            self._public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Ed25519Verifier):
            return NotImplemented
        return (self.signature_type, self._name, self._raw) == (
            other.signature_type,
            other._name,
            other._raw,
        )

    def __hash__(self) -> int:
        return hash((self.signature_type, self._name, self._raw))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.verifier_key()!r})"


class NoteVerifier(_Ed25519Verifier):
    """Verifies Ed25519 note signatures (type 0x01), such as the log's on a checkpoint."""

    signature_type = ED25519

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of the note text."""
        return self._ed25519_verify(text, signature)


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    """The message a cosignature/v1 signs: header, time line, then the checkpoint text."""
    return f"{_COSIGNATURE_HEADER}time {timestamp}\n".encode("ascii") + text


class CosignatureVerifier(_Ed25519Verifier):
    """Verifies a witness's timestamped cosignatures (cosignature/v1, type 0x04).

    Only verifier keys of type 0x04 are read; a witness whose key is
    published another way is built from its name and public key.
    """

    signature_type = COSIGNATURE_V1

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is ``timestamp || Ed25519 signature`` of the cosigned message."""
        if len(signature) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
            return False
        timestamp = int.from_bytes(signature[:TIMESTAMP_SIZE], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        message = cosigned_message(text, timestamp)
        return self._ed25519_verify(message, signature[TIMESTAMP_SIZE:])


class NoteSigner:
    """An Ed25519 key with a name, signing notes (as the log) or cosigning (as a witness).

    One key should play one part: a witness's key must not also sign notes
    of its own, or a note shaped like a cosigned message could pass for a
    cosignature.
    """

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        """Raises MalformedKeyError if ``name`` is not a valid key name."""
        self._verifier = NoteVerifier(name, private_key.public_key())
        self._private_key = private_key

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        """Return a signer with a fresh random key.

        Raises:
            MalformedKeyError: the name is not a valid key name.
        """
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_signer_key(cls, skey: str) -> NoteSigner:
        """Parse a signer key ``PRIVATE+KEY+<name>+<hash>+base64(0x01 || seed)``.

        Raises:
            MalformedKeyError: the string is not an Ed25519 signer key or
                its hash does not match the key it holds.
        """
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise MalformedKeyError("a signer key has the form PRIVATE+KEY+<name>+<hash>+<key>")
        _, _, name, hash_hex, encoded = parts
        seed = _decode_key(
            hash_hex, encoded, ED25519, "not an Ed25519 signer key (type 0x01, 32-byte seed)"
        )
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(seed))
        _require_key_hash(signer.key_hash, hash_hex)
        return signer

    @property
    def name(self) -> str:
        """The key name."""
        return self._verifier.name

    @property
    def key_hash(self) -> int:
        """The key hash of this key as a note signer (type 0x01)."""
        return self._verifier.key_hash

    @property
    def cosignature_key_hash(self) -> int:
        """The key hash of this key as a cosigner (type 0x04)."""
        return self.cosignature_verifier().key_hash

    def to_signer_key(self) -> str:
        """Return the signer key string.  It is secret: whoever holds it can sign."""
        seed = self._private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return "PRIVATE+KEY+" + _key_string(self.name, self.key_hash, ED25519, seed)

    def verifier(self) -> NoteVerifier:
        """The verifier of this key's note signatures."""
        return self._verifier

    def verifier_key(self) -> str:
        """The verifier key string (type 0x01) of this key's note signatures."""
        return self._verifier.verifier_key()

    def cosignature_verifier(self) -> CosignatureVerifier:
        """The verifier of this key's cosignatures (type 0x04)."""
        return CosignatureVerifier(self.name, self._private_key.public_key())

    def cosignature_verifier_key(self) -> str:
        """The verifier key string (type 0x04) of this key's cosignatures."""
        return self.cosignature_verifier().verifier_key()

    def sign(self, message: bytes) -> bytes:
        """Return the raw Ed25519 signature of ``message``."""
        return self._private_key.sign(message)

    def __repr__(self) -> str:
        return f"NoteSigner({self.verifier_key()!r})"


# --- signed notes ---------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note: key name, key hash and signature bytes."""

    name: str
    key_hash: int
    signature: bytes
    """The signature after the four key-hash bytes."""

    def line(self) -> str:
        """The signature line, ending in a newline."""
        encoded = b64encode(self.key_hash.to_bytes(4, "big") + self.signature)
        return f"{_SIGNATURE_PREFIX}{self.name} {encoded}\n"


class OpenedNote(NamedTuple):
    """A note whose signatures were checked: its text and the signatures that verified."""

    text: str
    signatures: list[NoteSignature]


def check_note_text(text: str) -> None:
    """Check that ``text`` can be the text of a signed note.

    It must be non-empty, valid UTF-8, end in a newline, contain no ASCII
    control character other than newline and fit the size limit.

    Raises:
        MalformedCheckpointError: it cannot.
    """
    if not text.endswith("\n"):
        raise MalformedCheckpointError("note text must end with a newline")
    check_note_characters(text)


def check_note_characters(note: str) -> None:
    """Check that ``note`` is UTF-8 within the size limit, without control characters.

    Newlines are allowed; a checkpoint line checks for them itself.

    Raises:
        MalformedCheckpointError: it is not.
    """
    try:
        size = len(note.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise MalformedCheckpointError("note is not valid UTF-8") from error
    if size > MAX_NOTE_BYTES:
        raise MalformedCheckpointError(f"note is larger than {MAX_NOTE_BYTES} bytes")
    if any((char < " " and char != "\n") or char == "\x7f" for char in note):
        raise MalformedCheckpointError("note contains a control character")


def split_note(note: str) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its text and its signature lines, checking nothing else.

    The text runs up to and including the newline before the last blank
    line; every line after that must be a signature line.

    Raises:
        MalformedCheckpointError: the note is not in signed-note form.
    """
    check_note_characters(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedCheckpointError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise MalformedCheckpointError("note has no signature lines")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedCheckpointError(f"note has more than {MAX_SIGNATURES} signatures")
    return text, [parse_signature_line(line) for line in lines]


def parse_signature_line(line: str) -> NoteSignature:
    """Parse one signature line (without its newline).

    Raises:
        MalformedCheckpointError: it is not ``— <key name> base64(key hash || signature)``.
    """
    if not line.startswith(_SIGNATURE_PREFIX):
        raise MalformedCheckpointError("signature line does not start with an em dash")
    name, space, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
    if not space or not is_valid_key_name(name):
        raise MalformedCheckpointError("signature line has no valid key name")
    raw = b64decode(encoded, what="signature", error=MalformedCheckpointError)
    if len(raw) < 5:
        raise MalformedCheckpointError("signature is too short")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def format_note(text: str, signatures: Sequence[NoteSignature]) -> str:
    """Join a note text and its signatures into a signed note.

    Raises:
        MalformedCheckpointError: the text cannot be a note text or there
            is no signature.
    """
    check_note_text(text)
    if not signatures:
        raise MalformedCheckpointError("a signed note needs at least one signature")
    return text + "\n" + "".join(signature.line() for signature in signatures)


def sign_note(text: str, signers: Sequence[NoteSigner]) -> str:
    """Sign ``text`` with each signer (Ed25519, type 0x01) and return the signed note.

    Raises:
        MalformedCheckpointError: the text cannot be a note text.
        ValueError: no signer was given.
    """
    if not signers:
        raise ValueError("sign_note needs at least one signer")
    check_note_text(text)
    message = text.encode("utf-8")
    signatures = [
        NoteSignature(signer.name, signer.key_hash, signer.sign(message)) for signer in signers
    ]
    return format_note(text, signatures)


def _known_verifiers(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    """The verifiers by (key name, key hash); raise MalformedKeyError if two differ there."""
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        identity = (verifier.name, verifier.key_hash)
        if identity in known and known[identity] != verifier:
            raise MalformedKeyError(
                f"two verifiers are named {verifier.name}+{verifier.key_hash:08x}"
            )
        known[identity] = verifier
    return known


def open_note(note: str, verifiers: Iterable[Verifier]) -> OpenedNote:
    """Check the signatures of a signed note and return its text.

    Signatures whose key name and key hash match no verifier are ignored,
    as signed-note requires.  Every signature by a known key is checked,
    and one that does not verify rejects the whole note: a known key never
    signs what it did not mean to.  A key that signed more than once is
    listed once.

    Raises:
        MalformedCheckpointError: the note is not in signed-note form.
        CheckpointSignatureError: a signature by a known key does not
            verify, or no known key signed the note.
        MalformedKeyError: two verifiers share a key name and key hash.
    """
    known = _known_verifiers(verifiers)
    text, signatures = split_note(note)
    message = text.encode("utf-8")
    verified: list[NoteSignature] = []
    seen: set[tuple[str, int]] = set()
    for signature in signatures:
        identity = (signature.name, signature.key_hash)
        signer = known.get(identity)
        if signer is None:
            continue
        if not signer.verify(message, signature.signature):
            raise CheckpointSignatureError(
                f"signature by {signature.name}+{signature.key_hash:08x} does not verify",
                key_name=signature.name,
                key_hash=f"{signature.key_hash:08x}",
            )
        if identity not in seen:
            seen.add(identity)
            verified.append(signature)
    if not verified:
        raise CheckpointSignatureError("note is not signed by any known key")
    return OpenedNote(text, verified)
