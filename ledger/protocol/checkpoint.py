"""Signed checkpoints: C2SP signed-note, tlog-checkpoint and tlog-cosignature.

A checkpoint is the log's signed statement "the tree of this ledger has
``size`` leaves and this root hash".  Its wire form is a *signed note*
(https://c2sp.org/signed-note): the checkpoint text, a blank line, and one
line per signature, ``— <key name> base64(key hash || signature)``.  The
log signs with an Ed25519 note key (signature type 0x01); witnesses add
timestamped Ed25519 cosignatures (type 0x04, https://c2sp.org/tlog-cosignature)
over ``cosignature/v1\\ntime <T>\\n`` followed by the checkpoint text.

Key strings follow Go's golang.org/x/mod/sumdb/note:

- signer key ``PRIVATE+KEY+<name>+<hash>+base64(0x01 || Ed25519 seed)``
- verifier key ``<name>+<hash>+base64(<type> || Ed25519 public key)``

where ``<hash>`` is eight hex digits of the key hash: the first four bytes
(big-endian) of SHA-256(name || 0x0A || type || public key).

This module needs only the standard library and ``cryptography``, so that
an auditor's offline verifier can use it as it is.
"""

from __future__ import annotations

import base64
import binascii
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
    PublicFormat,
)

from ledger.errors import (
    CheckpointSignatureError,
    MalformedCheckpointError,
    MalformedKeyError,
    WitnessQuorumError,
)

ED25519 = 0x01
"""Signed-note signature type of plain Ed25519 note signatures."""

COSIGNATURE_V1 = 0x04
"""Signed-note signature type of timestamped Ed25519 cosignatures (cosignature/v1)."""

HASH_SIZE = 32
"""Bytes in a checkpoint's root hash (SHA-256)."""

MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size a checkpoint may state."""

MAX_TIMESTAMP = 2**63 - 1
"""tlog-cosignature: a cosignature's timestamp MUST NOT exceed 2^63 - 1."""

MAX_SIGNATURES = 100
"""Most signature lines read from one note (C2SP asks for at least 16; Go allows 100)."""

MAX_NOTE_BYTES = 64 * 1024
"""Largest signed note read, in UTF-8 bytes; a checkpoint with 100 signatures fits."""

MAX_EXTENSION_LINES = 16
"""Most extension lines read from one checkpoint (C2SP advises none at all)."""

_SIGNATURE_PREFIX = "\u2014 "  # em dash and space
_COSIGNATURE_HEADER = "cosignature/v1\n"
_ED25519_SIGNATURE_SIZE = 64
_TIMESTAMP_SIZE = 8
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


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


def _raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _b64decode(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 section 4, with padding)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not standard base64") from error


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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
        self._raw = _raw_public_key(public_key)
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
        name, hash_hex, key_b64 = parts
        if not _HEX8.fullmatch(hash_hex):
            raise MalformedKeyError("the key hash must be eight hex digits")
        try:
            key = _b64decode(key_b64)
        except ValueError as error:
            raise MalformedKeyError("the key is not base64") from error
        if len(key) != 33 or key[0] != cls.signature_type:
            raise MalformedKeyError(
                f"not an Ed25519 key of signature type 0x{cls.signature_type:02x}"
            )
        try:
            public_key = Ed25519PublicKey.from_public_bytes(key[1:])
        except ValueError as error:
            raise MalformedKeyError("not an Ed25519 public key") from error
        verifier = cls(name, public_key)
        if verifier.key_hash != int(hash_hex, 16):
            raise MalformedKeyError("the key hash does not match the name and key")
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
        encoded = _b64encode(bytes([self.signature_type]) + self._raw)
        return f"{self._name}+{self._key_hash:08x}+{encoded}"

    def _ed25519_verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != _ED25519_SIGNATURE_SIZE:
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


class CosignatureVerifier(_Ed25519Verifier):
    """Verifies a witness's timestamped cosignatures (cosignature/v1, type 0x04).

    Only verifier keys of type 0x04 are read; a witness whose key is
    published another way is built from its name and public key.
    """

    signature_type = COSIGNATURE_V1

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is ``timestamp || Ed25519 signature`` of the cosigned message."""
        if len(signature) != _TIMESTAMP_SIZE + _ED25519_SIGNATURE_SIZE:
            return False
        timestamp = int.from_bytes(signature[:_TIMESTAMP_SIZE], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        message = cosigned_message(text, timestamp)
        return self._ed25519_verify(message, signature[_TIMESTAMP_SIZE:])


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
        _, _, name, hash_hex, key_b64 = parts
        if not _HEX8.fullmatch(hash_hex):
            raise MalformedKeyError("the key hash must be eight hex digits")
        try:
            key = _b64decode(key_b64)
        except ValueError as error:
            raise MalformedKeyError("the key is not base64") from error
        if len(key) != 33 or key[0] != ED25519:
            raise MalformedKeyError("not an Ed25519 signer key (type 0x01, 32-byte seed)")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(key[1:]))
        if signer.key_hash != int(hash_hex, 16):
            raise MalformedKeyError("the key hash does not match the name and key")
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
        encoded = _b64encode(bytes([ED25519]) + seed)
        return f"PRIVATE+KEY+{self.name}+{self.key_hash:08x}+{encoded}"

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
        encoded = _b64encode(self.key_hash.to_bytes(4, "big") + self.signature)
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
    _check_characters(text)


def _check_characters(note: str) -> None:
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
    _check_characters(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedCheckpointError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise MalformedCheckpointError("note has no signature lines")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedCheckpointError(f"note has more than {MAX_SIGNATURES} signatures")
    return text, [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(_SIGNATURE_PREFIX):
        raise MalformedCheckpointError("signature line does not start with an em dash")
    name, space, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
    if not space or not is_valid_key_name(name):
        raise MalformedCheckpointError("signature line has no valid key name")
    try:
        raw = _b64decode(encoded)
    except ValueError as error:
        raise MalformedCheckpointError("signature is not base64") from error
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
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        identity = (verifier.name, verifier.key_hash)
        if identity in known and known[identity] != verifier:
            raise MalformedKeyError(
                f"two verifiers are named {verifier.name}+{verifier.key_hash:08x}"
            )
        known[identity] = verifier
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


# --- checkpoints ----------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: origin, tree size, root hash and extension lines.

    Raises MalformedCheckpointError on construction if a field cannot be
    written as a checkpoint line.
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin:
            raise MalformedCheckpointError("checkpoint origin is empty")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise MalformedCheckpointError(f"tree size {self.size} is out of range")
        if len(self.root) != HASH_SIZE:
            raise MalformedCheckpointError(f"root hash is {len(self.root)} bytes, not {HASH_SIZE}")
        if len(self.extensions) > MAX_EXTENSION_LINES:
            raise MalformedCheckpointError("checkpoint has too many extension lines")
        for line in (self.origin, *self.extensions):
            if not line or "\n" in line:
                raise MalformedCheckpointError("checkpoint lines must be non-empty single lines")
            _check_characters(line)

    def text(self) -> str:
        """The checkpoint as note text: one line per field, each ending in a newline."""
        lines = [self.origin, str(self.size), _b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint's note text.

        The size must be ASCII decimal without leading zeros and the root
        the canonical base64 of 32 bytes, so that each checkpoint has
        exactly one text.

        Raises:
            MalformedCheckpointError: the text is not a tlog-checkpoint.
        """
        check_note_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpointError("a checkpoint has at least three lines")
        origin, size_line, root_line, *extensions = lines
        if not _DECIMAL.fullmatch(size_line):
            raise MalformedCheckpointError("tree size must be decimal digits without leading zeros")
        try:
            root_hash = _b64decode(root_line)
        except ValueError as error:
            raise MalformedCheckpointError("root hash is not base64") from error
        if _b64encode(root_hash) != root_line:
            raise MalformedCheckpointError("root hash is not canonical base64")
        return cls(origin, int(size_line), root_hash, tuple(extensions))


# --- cosignatures ---------------------------------------------------------


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    """The message a cosignature/v1 signs: header, time line, then the checkpoint text."""
    return f"{_COSIGNATURE_HEADER}time {timestamp}\n".encode("ascii") + text


def cosign(checkpoint_text: str, witness: NoteSigner, timestamp: int) -> str:
    """Return the witness's cosignature line (with its newline) for a checkpoint.

    The checkpoint text is parsed first: a witness only ever cosigns
    checkpoints.

    Raises:
        MalformedCheckpointError: the text is not a checkpoint.
        ValueError: the timestamp is not in ``[0, 2**63 - 1]``.
    """
    Checkpoint.parse(checkpoint_text)
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"timestamp {timestamp} is out of range")
    message = cosigned_message(checkpoint_text.encode("utf-8"), timestamp)
    signature = timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + witness.sign(message)
    return NoteSignature(witness.name, witness.cosignature_key_hash, signature).line()


def cosignature_timestamp(signature: NoteSignature) -> int:
    """Return the timestamp a cosignature/v1 signature claims (unverified).

    Raises:
        MalformedCheckpointError: the signature is not the size of one.
    """
    if len(signature.signature) != _TIMESTAMP_SIZE + _ED25519_SIGNATURE_SIZE:
        raise MalformedCheckpointError("not a cosignature/v1 signature")
    return int.from_bytes(signature.signature[:_TIMESTAMP_SIZE], "big")


def verify_cosignature(
    checkpoint_text: str, signature_line: str, witness: CosignatureVerifier
) -> None:
    """Check one cosignature line against a checkpoint text and a witness key.

    Raises:
        MalformedCheckpointError: the line is not a signature line.
        CheckpointSignatureError: the line is not by this witness key or
            does not verify.
    """
    signature = _parse_signature_line(signature_line.removesuffix("\n"))
    if (signature.name, signature.key_hash) != (witness.name, witness.key_hash):
        raise CheckpointSignatureError(
            "cosignature is not by this witness key", key_name=signature.name
        )
    if not witness.verify(checkpoint_text.encode("utf-8"), signature.signature):
        raise CheckpointSignatureError("cosignature does not verify", key_name=signature.name)


def verify_checkpoint(
    note: str,
    log_verifier: NoteVerifier,
    witnesses: Sequence[CosignatureVerifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """Verify a signed checkpoint and its witness cosignatures; return the checkpoint.

    The log key must have signed the note, and at least ``quorum``
    witnesses among ``witnesses`` must have cosigned it.  Witnesses are
    counted by public key, so one key listed twice counts once, and the
    log's own key never counts.  A cosignature by a listed witness that
    does not verify rejects the note.

    Raises:
        MalformedCheckpointError: the note or its text is malformed.
        CheckpointSignatureError: the log did not sign it, or a signature
            by a known key does not verify.
        WitnessQuorumError: fewer than ``quorum`` witnesses cosigned it.
        MalformedKeyError: two keys given share a name and key hash.
        ValueError: ``quorum`` is negative.
    """
    if quorum < 0:
        raise ValueError("quorum must not be negative")
    opened = open_note(note, [log_verifier, *witnesses])
    log_identity = (log_verifier.name, log_verifier.key_hash)
    signers = {(signature.name, signature.key_hash) for signature in opened.signatures}
    if log_identity not in signers:
        raise CheckpointSignatureError(
            f"checkpoint is not signed by the log key {log_verifier.name}",
            key_name=log_verifier.name,
        )
    checkpoint = Checkpoint.parse(opened.text)
    log_key = _raw_public_key(log_verifier.public_key)
    witness_keys = {
        (witness.name, witness.key_hash): _raw_public_key(witness.public_key)
        for witness in witnesses
    }
    cosigned = len(
        {witness_keys[signer] for signer in signers if signer in witness_keys} - {log_key}
    )
    if cosigned < quorum:
        raise WitnessQuorumError(
            f"checkpoint has {cosigned} witness cosignatures, {quorum} required",
            cosignatures=cosigned,
            quorum=quorum,
        )
    return checkpoint
