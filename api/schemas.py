"""The API's input and output schemas: what the OpenAPI document promises.

Inputs and outputs are separate models.  The body of ``POST .../events`` is
not parsed by a model at all (its bytes must be canonical and are checked
as they are), but is documented by :data:`SUBMISSION_SCHEMA`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from api.patterns import CLAIMED_TIME_PATTERN, MAX_SAFE_INTEGER, canonical_base64_pattern
from api.payload_schemas import payload_routes
from ledger.domain.events import EVENT_TYPES
from ledger.protocol.envelope import ID_PATTERN, ZERO_HASH

PersonId = Annotated[str, StringConstraints(pattern=rf"^{ID_PATTERN}$")]
KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
Signature = Annotated[str, StringConstraints(pattern=canonical_base64_pattern(64))]
"""Canonical base64 of a 64-byte Ed25519 signature."""
Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- errors -------------------------------------------------------------


class ErrorDetail(_Out):
    model_config = ConfigDict(frozen=True, extra="allow")

    code: str = Field(description="Stable machine-readable error code (docs/API.md).")
    message: str = Field(description="What went wrong, for a person.")


class ErrorOut(_Out):
    error: ErrorDetail

    model_config = ConfigDict(
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "stale_sequence",
                        "message": "matter/budget-2027 is at sequence 4; the next event is 5",
                        "stream": "matter/budget-2027",
                        "expected_seq": 5,
                    }
                }
            ]
        },
    )


# --- ledgers and writes -------------------------------------------------


class LedgerOut(_Out):
    ledger_id: str = Field(examples=["ballerup"])
    origin: str = Field(examples=["ledger.example/ballerup"])
    name: str | None = Field(
        description="The organisation's name; null until the ledger is created."
    )
    log_verifier_key: str = Field(
        description="The signed-note verifier key of the ledger's log key."
    )
    created: bool = Field(
        description="False while the log key is prepared but LedgerCreated is not in."
    )


def _absent_unless_true(schema: dict[str, Any]) -> None:
    """``imported`` has no default to publish: absent means not imported."""
    schema.pop("default", None)


class BodyIn(_In):
    """The signed body of an envelope (docs/PROTOCOL.md section 3)."""

    # Documentation only: admission reads the body with ``Body.from_json``, and
    # tests/api/test_openapi_exact.py holds this schema to admitting exactly what it does.

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            # The first event of a stream chains to nothing: prev is 64 zeros.
            "if": {"properties": {"seq": {"const": 1}}, "required": ["seq"]},
            "then": {"properties": {"prev": {"const": ZERO_HASH}}},
        },
    )

    v: Literal[2]
    origin: Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,255}$")]
    stream: Annotated[str, StringConstraints(pattern=rf"^(registry|matter/{ID_PATTERN})$")]
    seq: Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]
    prev: Hex64
    actor: PersonId
    key: KeyId
    type: Annotated[
        str,
        Field(
            description="An event type (docs/PROTOCOL.md section 9); the submission's oneOf "
            "ties it to its stream and its payload's schema.",
            json_schema_extra={"enum": sorted(EVENT_TYPES)},
        ),
    ]
    time: Annotated[
        str,
        StringConstraints(pattern=CLAIMED_TIME_PATTERN),
        Field(
            description="RFC 3339 UTC in its shortest form: no fraction when it is zero, "
            "otherwise six digits (Python's `%S.%f`)."
        ),
    ]
    fields: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")], Hex64],
        Field(
            max_length=64,
            description="One digest per payload field: name -> hex SHA-256(salt || "
            "canonical([name, value])) (docs/PROTOCOL.md section 4).",
            json_schema_extra={"additionalProperties": False},
        ),
    ]
    imported: Literal[True] | SkipJsonSchema[None] = Field(
        default=None,
        description="Present, and true, only for an event imported in import mode; "
        "`false` and `null` are refused.",
        json_schema_extra=_absent_unless_true,
    )


SUBMISSION_EXAMPLE: dict[str, Any] = {
    # Consistent: each field opens its digest, and the signature verifies with the worked
    # example's test key of section 12 of docs/PROTOCOL.md (seed 40..5f).
    "body": {
        "actor": "tr",
        "fields": {
            "body": "665afbd571e1c54b5baaa55425689ecdea724236046355ad8f234380490adcbf",
            "side": "eec07ee7afa51a11d738fb77efa45b406617cf70b86ee913d599f4e1f8f66e11",
            "stance": "b7b2157113fcb0ba2d794133de35c3c0b4b0830325532ebcf97e23362ef05404",
            "text": "ff906447df12b1a444f98b5c263e7d00d94c0e48822f2d9559ccddbc3bc8aaec",
        },
        "key": "03396219237f75a6",
        "origin": "ledger.example/ballerup",
        "prev": "5d41402abc4b2a76b9719d911017c592ae6c4d6b0f1e2d3c4b5a69788796a5b4",
        "seq": 4,
        "stream": "matter/okonomi-4mio",
        "time": "2026-02-03T10:15:00Z",
        "type": "PositionStated",
        "v": 2,
    },
    "payload": {
        "body": "hmed",
        "side": "employees",
        "stance": "support_with_changes",
        "text": "Vi støtter forslaget, men ønsker opgavefællesskaber på tværs af afdelinger.",
    },
    "salts": {
        "body": "EREREREREREREREREREREQ==",
        "side": "EhISEhISEhISEhISEhISEg==",
        "stance": "ExMTExMTExMTExMTExMTEw==",
        "text": "FBQUFBQUFBQUFBQUFBQUFA==",
    },
    "signature": "ivGGEIAhU37Xr4gDL4p2qexVAF9JlPR5sKO5ail4EDjQRzaqOjb9RZkjYDGYzaQMPc+riJGzDp2yFt97CNruDQ==",
}


def submission_schema() -> dict[str, Any]:
    """The JSON schema of a submission for the OpenAPI document.

    Its ``oneOf`` ties each event type to its stream and to its payload's schema,
    ``#/components/schemas/<event type>`` (``api.payload_schemas``).
    """
    body = BodyIn.model_json_schema()
    return {
        "type": "object",
        "title": "Submission",
        "description": (
            "RFC 8785 canonical JSON of {body, signature, payload, salts}: exactly the bytes "
            "`Submission.wire()` produces. Non-canonical bytes are refused (400)."
        ),
        "required": ["body", "signature", "payload", "salts"],
        "additionalProperties": False,
        "properties": {
            "body": body,
            "signature": {
                "type": "string",
                "pattern": canonical_base64_pattern(64),
                "description": "Canonical base64 of the 64-byte Ed25519 signature over "
                "`medledger/event/v2\\n` || canonical(body).",
            },
            "payload": {
                "type": "object",
                "description": "The event's payload: the schema its type names (oneOf).",
            },
            "salts": {
                "type": "object",
                "description": "Field name -> canonical base64 of the field's 16 random salt "
                "bytes; exactly the payload's fields.",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]{0,63}$"},
                "additionalProperties": {
                    "type": "string",
                    "pattern": canonical_base64_pattern(16),
                },
            },
        },
        "oneOf": payload_routes(),
        "example": SUBMISSION_EXAMPLE,
    }


class AppendOut(_Out):
    origin: str
    stream: str = Field(examples=["matter/okonomi-4mio"])
    seq: int = Field(examples=[4])
    envelope_hash: str = Field(description="Hex SHA-256 of the entry: the next event's prev.")
    leaf_index: int = Field(description="The event's index in the ledger's Merkle tree.")
    recorded_at: str = Field(description="The server's clock when the event was logged (RFC 3339).")


# --- authentication -----------------------------------------------------


class ChallengeOut(_Out):
    origin: str
    challenge: str = Field(description="Opaque; sign it within `expires_in` seconds.")
    expires_at: str
    expires_in: int
    signing_prefix: str = Field(
        default="medledger/auth/v1", description="First line of what is signed."
    )


class TokenIn(_In):
    person: PersonId = Field(examples=["tr"])
    key_id: KeyId = Field(examples=["3f1c2a9b8d7e6f50"])
    challenge: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    signature: Signature = Field(
        description="Canonical base64 of the 64-byte Ed25519 signature by the key over the "
        "auth message (docs/API.md)."
    )


class TokenOut(_Out):
    token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_at: str
    expires_in: int
    person: str
    roles: list[str]


class MembershipOut(_Out):
    body: str
    side: str
    roles: list[str]


class MeOut(_Out):
    origin: str
    person: str
    key_id: str
    roles: list[str] = Field(description="Ledger roles: admin, auditor.")
    memberships: list[MembershipOut]
    readable_matters: list[str]


# --- streams ------------------------------------------------------------


class HeadOut(_Out):
    stream: str
    seq: int = Field(description="The last sequence number (0 for a stream with no events).")
    hash: str = Field(description="The last envelope's hash (64 zeros for an empty stream).")
    time: str | None = Field(
        description="The last event's claimed time; a new one may not be earlier."
    )
    next_seq: int = Field(description="What the next signer puts in body.seq.")
    prev: str = Field(description="What the next signer puts in body.prev.")


class StreamOut(_Out):
    stream: str
    seq: int
    hash: str
    time: str


class StreamListOut(_Out):
    streams: list[StreamOut]


class EventOut(_Out):
    leaf_index: int
    recorded_at: str
    envelope_hash: str
    body: dict[str, Any] = Field(description="The signed body as stored.")
    signature: str
    payload: dict[str, Any] | None = Field(
        description="The disclosed fields; a field PayloadRedacted erased is missing."
    )
    salts: dict[str, str] | None = Field(description="Field name -> base64 salt of each field.")
    redacted_by: int | None = Field(description="Leaf index of the PayloadRedacted event, if any.")


class EventPageOut(_Out):
    stream: str
    events: list[EventOut]
    next_after_seq: int | None = Field(
        description="Pass as after_seq for the next page; null at the end."
    )


# --- proofs -------------------------------------------------------------


class InclusionProofOut(_Out):
    leaf_index: int
    tree_size: int
    leaf_hash: str = Field(
        description="Base64 SHA-256(0x00 || entry) of the leaf: where the proof starts "
        "(docs/PROTOCOL.md section 6)."
    )
    root: str = Field(description="Base64 root hash of the tree of tree_size leaves.")
    hashes: list[str] = Field(description="Base64 hashes of the RFC 9162 inclusion proof.")


class ConsistencyProofOut(_Out):
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    hashes: list[str] = Field(description="Base64 hashes of the RFC 9162 consistency proof.")


# --- directory ----------------------------------------------------------


class DirectoryEntryIn(_In):
    name: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    email: Annotated[str, StringConstraints(min_length=3, max_length=500)] | None = None


class DirectoryEntryOut(_Out):
    person: str
    name: str | None


class DocumentOut(_Out):
    """A document kept under its SHA-256: the digest the event naming it signs."""

    sha256: str
    size: int
    media_type: str


class DirectoryOut(_Out):
    entries: list[DirectoryEntryOut]


class HealthOut(_Out):
    status: Literal["ok"] = "ok"


# --- dry run ------------------------------------------------------------------


class DryRunIn(_In):
    """An event not yet signed: the body as its signer would sign it, and its payload.

    Only ``stream``, ``type`` and ``payload`` are needed; the rest default to
    what the signer would put there now: the reader as actor (with the key
    they logged in with), the server's time, the stream's next sequence
    number and its head's hash.
    """

    stream: Annotated[
        str,
        StringConstraints(pattern=rf"^(registry|matter/{ID_PATTERN})$"),
        Field(examples=["matter/okonomi-4mio"]),
    ]
    type: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z]{1,64}$"),
        Field(
            description="An event type (docs/PROTOCOL.md section 9); an unknown one is "
            "answered as a refusal (`unknown_event_type`).",
            examples=["DecisionMade"],
        ),
    ]
    payload: dict[str, Any] = Field(
        description="The payload as it would be signed; one that does not match its event "
        "type's schema is answered as a refusal (`malformed_payload`)."
    )
    actor: PersonId | None = Field(default=None, description="Default: the reader.")
    key: KeyId | None = Field(
        default=None,
        description="Default: the reader's key, or the actor's first key in force.",
    )
    time: (
        Annotated[
            str,
            StringConstraints(pattern=CLAIMED_TIME_PATTERN),
            Field(description="The claimed time, as in a body; default: the server's now."),
        ]
        | None
    ) = None
    seq: Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)] | None = Field(
        default=None, description="Default: the stream's next."
    )
    prev: Hex64 | None = Field(default=None, description="Default: the stream head's hash.")
    imported: bool = Field(default=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _seq_is_a_number(cls, data: Any) -> Any:
        """``seq`` as JSON Schema reads an integer (``1.0`` is 1): text and booleans, which
        lax pydantic would turn into numbers, are refused."""
        seq = data.get("seq") if isinstance(data, dict) else None
        if isinstance(seq, bool | str):
            raise ValueError("seq must be a JSON integer")
        return data
