"""The signed envelope: body, field commitments, signature, entry and leaf (protocol v2).

Every byte here is specified in docs/PROTOCOL.md; change nothing without
changing the protocol version.

- body: a JSON object, RFC 8785 canonical, binding the ledger origin, the
  stream, the sequence number, the previous envelope hash, the actor, the
  key id, the event type, the claimed time and one commitment per payload field;
- field commitment: ``fields[name] = hex SHA-256(salt || canonical([name, value]))``
  with a random 16-byte salt per field, so that each field can be disclosed
  or erased on its own (as SD-JWT does for claims);
- signature: Ed25519 over ``SIGNING_PREFIX || canonical(body)``;
- entry: canonical({"body": body, "signature": base64(signature)}), the
  bytes the log stores and the Merkle tree commits to;
- envelope hash: SHA-256(entry), the link of the per-stream chain;
- leaf hash: SHA-256(0x00 || entry) (RFC 6962).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from ledger.errors import (
    MalformedEnvelopeError,
    MalformedError,
    PayloadCommitmentMismatchError,
    UnsupportedProtocolVersionError,
)
from ledger.protocol import merkle
from ledger.protocol.b64 import b64decode, b64encode
from ledger.protocol.canonical import JSONObject, canonical, parse_canonical

PROTOCOL_VERSION = 2
SIGNING_PREFIX = b"medledger/event/v2\n"
ZERO_HASH = "0" * 64
SALT_BYTES = 16
MAX_FIELDS = 64

REGISTRY_STREAM = "registry"
MATTER_PREFIX = "matter/"

ID_PATTERN = r"[a-z0-9][a-z0-9._-]{0,63}"
_ID = re.compile(ID_PATTERN)
_STREAM = re.compile(rf"registry|matter/{ID_PATTERN}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_TYPE = re.compile(r"[A-Z][A-Za-z]{1,63}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_ORIGIN = re.compile(r"[\x21-\x7e]{1,255}")


def ledger_id_of(origin: str) -> str:
    """The ledger id: the last ``/``-separated segment of its origin (PROTOCOL.md section 1)."""
    return origin.rstrip("/").rsplit("/", 1)[-1]


_FIELD = re.compile(r"[a-z][a-z0-9_]{0,63}")

BODY_FIELDS = frozenset(
    {"v", "origin", "stream", "seq", "prev", "actor", "key", "type", "time", "fields"}
)
OPTIONAL_BODY_FIELDS = frozenset({"imported"})


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def matter_stream(matter_id: str) -> str:
    return MATTER_PREFIX + matter_id


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with a Z, microseconds only when there are any."""
    moment = moment.astimezone(UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse a claimed time in the protocol's one RFC 3339 form; ValueError otherwise."""
    if not isinstance(text, str) or _TIME.fullmatch(text) is None:
        raise ValueError(f"time {text!r} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)")
    moment = datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    if format_time(moment) != text:
        raise ValueError(f"time {text!r} is not in its shortest form")
    return moment


@dataclass(frozen=True)
class Body:
    """The signed part of an envelope."""

    origin: str
    stream: str
    seq: int
    prev: str
    actor: str
    key: str
    type: str
    time: str
    fields: dict[str, str]
    imported: bool = False
    v: int = PROTOCOL_VERSION

    def to_json(self) -> JSONObject:
        body: JSONObject = {
            "v": self.v,
            "origin": self.origin,
            "stream": self.stream,
            "seq": self.seq,
            "prev": self.prev,
            "actor": self.actor,
            "key": self.key,
            "type": self.type,
            "time": self.time,
            "fields": dict(self.fields),
        }
        if self.imported:
            body["imported"] = True
        return body

    @cached_property
    def canonical_bytes(self) -> bytes:
        return canonical(self.to_json())

    def canonical(self) -> bytes:
        return self.canonical_bytes

    def signing_message(self) -> bytes:
        """The exact bytes the actor signs."""
        return SIGNING_PREFIX + self.canonical()

    @cached_property
    def claimed_time(self) -> datetime:
        return parse_time(self.time)

    @classmethod
    def from_json(cls, data: Any) -> Body:
        """Check the shape of a body object; raise MalformedEnvelopeError."""
        if not isinstance(data, dict):
            raise MalformedEnvelopeError("body must be a JSON object")
        # ``type() is int``: JSON true equals 1 in Python but is not version 1.
        if type(data.get("v")) is not int or data["v"] != PROTOCOL_VERSION:
            raise UnsupportedProtocolVersionError(
                f"protocol version {data.get('v')!r} is not supported (expected {PROTOCOL_VERSION})"
            )
        keys = set(data)
        missing = BODY_FIELDS - keys
        unknown = keys - BODY_FIELDS - OPTIONAL_BODY_FIELDS
        if missing or unknown:
            raise MalformedEnvelopeError(
                "body fields wrong",
                missing=sorted(missing),
                unknown=sorted(unknown),
            )
        checks: list[tuple[str, bool]] = [
            ("origin", isinstance(data["origin"], str) and bool(_ORIGIN.fullmatch(data["origin"]))),
            ("stream", isinstance(data["stream"], str) and bool(_STREAM.fullmatch(data["stream"]))),
            ("seq", type(data["seq"]) is int and data["seq"] >= 1),
            ("prev", isinstance(data["prev"], str) and bool(_HEX64.fullmatch(data["prev"]))),
            ("actor", is_valid_id(data["actor"])),
            ("key", isinstance(data["key"], str) and bool(_KEY_ID.fullmatch(data["key"]))),
            ("type", isinstance(data["type"], str) and bool(_TYPE.fullmatch(data["type"]))),
            ("fields", _is_field_map(data["fields"])),
            ("imported", data.get("imported", True) is True),
        ]
        bad = [name for name, ok in checks if not ok]
        if bad:
            raise MalformedEnvelopeError(f"body field(s) malformed: {', '.join(bad)}", fields=bad)
        try:
            claimed = parse_time(data["time"])
        except ValueError as exc:
            raise MalformedEnvelopeError(str(exc), fields=["time"]) from exc
        if data["seq"] == 1 and data["prev"] != ZERO_HASH:
            raise MalformedEnvelopeError("the first event of a stream has prev = 64 zeros")
        body = cls(
            origin=data["origin"],
            stream=data["stream"],
            seq=data["seq"],
            prev=data["prev"],
            actor=data["actor"],
            key=data["key"],
            type=data["type"],
            time=data["time"],
            fields=dict(data["fields"]),
            imported=data.get("imported", False),
        )
        body.__dict__["claimed_time"] = claimed  # parsed once, here (a cached property)
        return body


@dataclass(frozen=True)
class Envelope:
    """A body with its signature, and the entry bytes the log stores."""

    body: Body
    signature: bytes
    entry: bytes

    @classmethod
    def create(cls, body: Body, signature: bytes) -> Envelope:
        # The same bytes as canonical({"body": body, "signature": ...}): the members
        # sort as "body" < "signature", the canonical body nests as it is, and
        # standard base64 needs no JSON escaping.
        entry = (
            b'{"body":'
            + body.canonical()
            + b',"signature":"'
            + b64encode(signature).encode()
            + b'"}'
        )
        return cls(body, signature, entry)

    @classmethod
    def from_entry(cls, entry: bytes) -> Envelope:
        """Parse stored entry bytes; raise MalformedError if they are not an entry."""
        return cls._parse(entry, parse_canonical(entry))

    @classmethod
    def _parse(cls, entry: bytes, data: Any) -> Envelope:
        if not isinstance(data, dict) or set(data) != {"body", "signature"}:
            raise MalformedEnvelopeError("an entry is an object with exactly body and signature")
        body = Body.from_json(data["body"])
        # A canonical entry is '{"body":' + canonical body + ',"signature":"…"}', so the
        # body's canonical bytes are a slice of it: no second serialization needed.
        body.__dict__["canonical_bytes"] = entry[8 : entry.rindex(b',"signature":"')]
        return cls(body, _signature(data["signature"]), entry)

    @cached_property
    def hash(self) -> bytes:
        return hashlib.sha256(self.entry).digest()

    @property
    def hash_hex(self) -> str:
        return self.hash.hex()

    @cached_property
    def leaf_hash(self) -> bytes:
        return merkle.leaf_hash(self.entry)


def _is_field_map(value: Any) -> bool:
    """``fields``: at most 64 field names, each mapped to a hex SHA-256 digest."""
    return (
        isinstance(value, dict)
        and len(value) <= MAX_FIELDS
        and all(
            isinstance(name, str)
            and _FIELD.fullmatch(name) is not None
            and isinstance(digest, str)
            and _HEX64.fullmatch(digest) is not None
            for name, digest in value.items()
        )
    )


@dataclass(frozen=True)
class Submission:
    """What a signer sends: the envelope, and the payload with one salt per field beside it."""

    envelope: Envelope
    payload: JSONObject
    salts: dict[str, bytes]

    @cached_property
    def payload_bytes(self) -> bytes:
        """The canonical payload: what the store keeps (field by field erasable)."""
        return canonical(self.payload)

    @cached_property
    def salts_bytes(self) -> bytes:
        """The canonical salts object (name -> base64 salt) the store keeps beside it."""
        return canonical(encode_salts(self.salts))

    def to_json(self) -> JSONObject:
        return {
            "body": self.envelope.body.to_json(),
            "signature": b64encode(self.envelope.signature),
            "payload": self.payload,
            "salts": encode_salts(self.salts),
        }

    def wire(self) -> bytes:
        """The canonical request bytes the HTTP API and the CLI accept."""
        return canonical(self.to_json())

    @classmethod
    def from_wire(cls, raw: bytes) -> Submission:
        """Parse a submission; it must be canonical JSON as a whole.

        Raises MalformedJSONError, NonCanonicalBodyError,
        MalformedEnvelopeError or PayloadCommitmentMismatchError.
        """
        return cls.from_json(parse_canonical(raw))

    @classmethod
    def from_json(cls, data: Any) -> Submission:
        if not isinstance(data, dict) or set(data) != {"body", "signature", "payload", "salts"}:
            raise MalformedEnvelopeError(
                "a submission is an object with exactly body, signature, payload and salts"
            )
        body = Body.from_json(data["body"])
        if not isinstance(data["payload"], dict):
            raise MalformedEnvelopeError("payload must be a JSON object")
        salts = decode_salts(data["salts"], error=MalformedEnvelopeError)
        envelope = Envelope.create(body, _signature(data["signature"]))
        submission = cls(envelope, data["payload"], salts)
        open_fields(body.fields, data["payload"], salts, complete=True)
        return submission


def _signature(value: Any) -> bytes:
    return b64decode(value, length=64, what="signature", error=MalformedEnvelopeError)


def new_salts(payload: JSONObject) -> dict[str, bytes]:
    """A fresh random salt for each field of ``payload``."""
    return {name: os.urandom(SALT_BYTES) for name in payload}


def encode_salts(salts: dict[str, bytes]) -> JSONObject:
    return {name: b64encode(salt) for name, salt in salts.items()}


def decode_salts(value: Any, *, error: type[MalformedError] = MalformedError) -> dict[str, bytes]:
    """Parse a salts object (name -> canonical base64 of 16 bytes); raise ``error``."""
    if not isinstance(value, dict) or not all(
        isinstance(name, str) and _FIELD.fullmatch(name) for name in value
    ):
        raise error("salts must be an object of field names")
    return {
        name: b64decode(salt, length=SALT_BYTES, what=f"salt of {name}", error=error)
        for name, salt in value.items()
    }


def field_digest(name: str, value: Any, salt: bytes) -> str:
    """Hex SHA-256 of the salt followed by the canonical ``[name, value]`` array."""
    return hashlib.sha256(salt + canonical([name, value])).hexdigest()


def field_commitments(payload: JSONObject, salts: dict[str, bytes]) -> dict[str, str]:
    """The body's ``fields``: one digest per payload field."""
    return {name: field_digest(name, value, salts[name]) for name, value in payload.items()}


def open_fields(
    commitments: dict[str, str],
    payload: JSONObject,
    salts: dict[str, bytes],
    *,
    complete: bool,
) -> None:
    """Return None when every disclosed field opens its commitment, else raise.

    ``complete``: every committed field must be disclosed (a submission); otherwise
    (a stored, partly erased payload) the disclosed fields are a subset.
    """
    if set(payload) != set(salts):
        raise PayloadCommitmentMismatchError("payload and salts name different fields")
    unknown = set(payload) - set(commitments)
    missing = set(commitments) - set(payload)
    if unknown or (complete and missing):
        raise PayloadCommitmentMismatchError(
            "payload fields differ from the body's field commitments",
            unknown=sorted(unknown),
            missing=sorted(missing) if complete else [],
        )
    for name, value in payload.items():
        if not hmac.compare_digest(field_digest(name, value, salts[name]), commitments[name]):
            raise PayloadCommitmentMismatchError(
                f"field {name!r} and its salt do not match the body's commitment", field=name
            )
