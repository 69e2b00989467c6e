"""The published OpenAPI schema is exactly as strict as the server: boundary values both ways.

The test walks the document the server serves: every operation's path and
query parameters, every JSON request body, and the submission of an event
with each event type's payload.  Each boundary value (``tests/api/boundaries.py``)
is judged by the schema, with an independent JSON Schema validator, and
sent to the running server.  A value the schema admits must never be
refused for its shape; a value the schema refuses must be.  Refusals for
other reasons (an unknown ledger or person, a stale sequence number, a bad
signature, a claimed time out of tolerance) say nothing about shape, so a
value the schema admits may get them.

Submissions are really signed by an enrolled key and name a far sequence
number: a valid one reaches every check of its shape and is then refused
as stale, so nothing is stored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from demo.organisation import Organisation
from ledger.domain.events import EVENT_TYPES, REGISTRY_EVENTS
from ledger.errors import MalformedJSONError
from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import canonical
from ledger.protocol.envelope import (
    SIGNING_PREFIX,
    Submission,
    encode_salts,
    field_commitments,
    format_time,
    ledger_id_of,
)
from ledger.protocol.keys import PersonKey, verify_signature
from tests.api.boundaries import Boundaries, Json
from tests.api.conftest import Api
from tests.stories.http import open_school_matter, position

SHAPE_CODES = frozenset(
    {
        "malformed",
        "malformed_request",
        "malformed_json",
        "non_canonical_body",
        "malformed_envelope",
        "unsupported_protocol_version",
        "unknown_event_type",
        "malformed_payload",
        "malformed_key",
        "malformed_as_of",
        "unknown_route",
        "method_not_allowed",
    }
)
"""The codes of a refusal for the request's shape (docs/API.md); every other code is about
what the request asks of this ledger."""

MATTER = "skolestruktur"
FAR_SEQ = 999_999


def refused_for_shape(response: httpx.Response) -> bool:
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code}: {response.text}")
    return response.status_code >= 400 and response.json()["error"]["code"] in SHAPE_CODES


@dataclass
class Verdicts:
    """What the schema and the server said of each value, by where the value stood."""

    mismatches: list[str] = field(default_factory=list)
    seen: dict[str, set[bool]] = field(default_factory=lambda: defaultdict(set))
    total: int = 0

    def add(self, where: str, value: Json, admitted: bool, response: httpx.Response) -> None:
        """Note what was said of ``value`` at ``where`` (a member of a submission stands
        for the whole submission it is in)."""
        refused = refused_for_shape(response)
        self.seen[where].add(admitted)
        self.total += 1
        if admitted == refused:
            said = "admits" if admitted else "refuses"
            self.mismatches.append(
                f"{where}: the schema {said} {_shown(value)}, the server answered "
                f"{response.status_code} {response.text[:160]}"
            )

    def check(self, boundaries: Boundaries) -> None:
        assert not self.mismatches, "\n".join(self.mismatches[:25])
        assert not boundaries.missing_samples, (
            f"patterns without samples: {boundaries.missing_samples}"
        )
        one_sided = sorted(where for where, said in self.seen.items() if len(said) < 2)
        assert not one_sided, f"no value on both sides of the schema at: {one_sided}"
        print(f"{self.total} values at {len(self.seen)} places")


def _shown(value: Json) -> str:
    """A value, or of a submission the body and payload (the rest is fixed or named)."""
    if isinstance(value, dict) and "body" in value:
        value = {k: value[k] for k in ("body", "payload") if k in value}
    return f"{value!r:.300}"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


@dataclass
class Caller:
    """Sends one operation's request with valid values, one of them replaced."""

    api: Api
    org: Organisation
    boundaries: Boundaries
    tokens: dict[str, str]

    def base(self, parameter: dict[str, Any]) -> str | None:
        values = {
            "ledger": ledger_id_of(self.org.origin),
            "matter": MATTER,
            "person": "tr",
            "body": "hmed",
            "stream": "registry",
            "leaf_index": "0",
            "old_size": "1",
            "sha256": "0" * 64,
        }
        if parameter["in"] == "path" or parameter.get("required"):
            return values[parameter["name"]]
        return None

    def call(
        self, path: str, method: str, operation: dict[str, Any], **replaced: str
    ) -> httpx.Response:
        given = {p["name"]: (p, self.base(p)) for p in operation.get("parameters", [])}
        values = {name: replaced.get(name, base) for name, (_, base) in given.items()}
        url = path.format(
            **{n: quote(str(v), safe="") for n, v in values.items() if given[n][0]["in"] == "path"}
        )
        query = {n: v for n, v in values.items() if given[n][0]["in"] == "query" and v is not None}
        token = self.tokens.get(method)
        response: httpx.Response = self.api.http.request(
            method.upper(),
            url,
            params=query,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
            content=self.valid_body(operation),
        )
        return response

    def valid_body(self, operation: dict[str, Any]) -> bytes | None:
        """A request body of the operation's schema, or None when it takes none."""
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is None:
            return None
        if body["schema"].get("title") == "Submission":
            signer = Signer(self.org)
            payload = position("employees").model_dump(mode="json", exclude_none=True)
            return _wire(signer.submission(signer.body("PositionStated", payload), payload))
        return json.dumps(self.boundaries.valid(body["schema"])).encode()


def _on_the_wire(schema: dict[str, Any], value: Json) -> tuple[str, Json] | None:
    """A parameter value as its text, and as the value the text stands for (None: skip)."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if schema.get("type") == "integer":
        try:
            return text, int(text)
        except ValueError:
            return text, text
    return text, text


def test_every_parameter_admits_exactly_what_the_server_admits(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    document = api.app.openapi()
    boundaries = Boundaries(document)
    reader = api.token(org, "revisor")
    admin = api.token(org, "admin")
    tokens = {"get": reader, "post": reader, "put": admin, "delete": admin}
    caller = Caller(api, org, boundaries, tokens)
    verdicts = Verdicts()
    for path, method, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            schema, name = parameter["schema"], parameter["name"]
            for value in boundaries.candidates(schema):
                wire = _on_the_wire(schema, value)
                if wire is None:
                    continue
                text, meant = wire
                response = caller.call(path, method, operation, **{name: text})
                verdicts.add(
                    f"{method} {path} {name}", text, boundaries.admits(schema, meant), response
                )
    verdicts.check(boundaries)


def test_every_json_body_admits_exactly_what_the_server_admits(api: Api, org: Organisation) -> None:
    document = api.app.openapi()
    boundaries = Boundaries(document)
    tokens = {"post": api.token(org, "revisor"), "put": api.token(org, "admin")}
    caller = Caller(api, org, boundaries, tokens)
    verdicts = Verdicts()
    bodies = 0
    for path, method, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        if schema is None or schema.get("title") == "Submission":
            continue
        bodies += 1
        for member, value in boundaries.variants(schema):
            response = _send_json(caller, path, method, operation, value)
            verdicts.add(
                f"{method} {path} {member}", value, boundaries.admits(schema, value), response
            )
    assert bodies >= 2
    verdicts.check(boundaries)


def _send_json(
    caller: Caller, path: str, method: str, operation: dict[str, Any], value: Json
) -> httpx.Response:
    url = path.format(
        **{p["name"]: caller.base(p) for p in operation.get("parameters", []) if p["in"] == "path"}
    )
    token = caller.tokens.get(method)
    response: httpx.Response = caller.api.http.request(
        method.upper(),
        url,
        content=json.dumps(value).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    return response


# --- submissions -------------------------------------------------------------------


def _wire(value: Json) -> bytes:
    """Canonical JSON, or (for what canonical JSON cannot hold) the nearest bytes."""
    try:
        return canonical(value)
    except MalformedJSONError:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class Signer:
    """Builds submissions signed by the ledger's admin, as far ahead in their stream as
    never to be stored."""

    org: Organisation

    @staticmethod
    def salts(payload: Json) -> dict[str, bytes]:
        """A fixed 16-byte salt per field of ``payload`` (none if it is no object)."""
        names = sorted(payload) if isinstance(payload, dict) else []
        return {name: bytes([i + 1]) * 16 for i, name in enumerate(names)}

    def body(self, event_type: str, payload: Json) -> dict[str, Any]:
        try:
            fields = (
                field_commitments(payload, self.salts(payload)) if isinstance(payload, dict) else {}
            )
        except MalformedJSONError:
            fields = {}
        admin = self.org.keys["admin"]
        return {
            "v": 2,
            "origin": self.org.origin,
            "stream": "registry" if event_type in REGISTRY_EVENTS else f"matter/{MATTER}",
            "seq": FAR_SEQ,
            "prev": "ab" * 32,
            "actor": "admin",
            "key": admin.key_id,
            "type": event_type,
            "time": format_time(self.org.clock()),
            "fields": fields,
        }

    def submission(self, body: Json, payload: Json) -> dict[str, Any]:
        try:
            signature = self.org.keys["admin"].sign(SIGNING_PREFIX + canonical(body))
        except MalformedJSONError:
            signature = bytes(64)
        return {
            "body": body,
            "payload": payload,
            "salts": encode_salts(self.salts(payload)),
            "signature": b64encode(signature),
        }


def _submissions(boundaries: Boundaries, signer: Signer, schema: dict[str, Any]):  # type: ignore[no-untyped-def]
    """``(where, submission)``: each event type's payload at its boundaries, then the body's
    members, then the submission's own."""
    for event_type in sorted(EVENT_TYPES):
        for member, payload in boundaries.variants({"$ref": f"#/components/schemas/{event_type}"}):
            body = signer.body(event_type, payload)
            yield f"{event_type} payload {member}", signer.submission(body, payload)
    payload = position("employees").model_dump(mode="json", exclude_none=True)
    body_schema = schema["properties"]["body"]
    base = signer.body("PositionStated", payload)
    for member, body in boundaries.variants(body_schema, base):
        yield f"body {member}", signer.submission(body, payload)
    first = {**base, "seq": 1, "prev": "0" * 64}
    yield "body seq", signer.submission(first, payload)
    whole = signer.submission(base, payload)
    for name in ("signature", "salts"):
        for value in boundaries.candidates(schema["properties"][name]):
            yield name, {**whole, name: value}
    yield "payload", whole
    for value in ("x", [], None, 1):
        yield "payload", {**whole, "payload": value}
    yield "members", whole
    for name in whole:
        yield "members", {k: v for k, v in whole.items() if k != name}
    yield "members", {**whole, "zz": 1}


def test_every_submission_admits_exactly_what_the_server_admits(
    api: Api, org: Organisation
) -> None:
    open_school_matter(org)
    org.act("tr", MATTER, position("employees"))
    document = api.app.openapi()
    operation = document["paths"]["/v1/ledgers/{ledger}/events"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    boundaries = Boundaries(document)
    verdicts = Verdicts()
    url = f"/v1/ledgers/{ledger_id_of(org.origin)}/events"
    for where, submission in _submissions(boundaries, Signer(org), schema):
        response = api.http.post(url, content=_wire(submission))
        verdicts.add(where, submission, boundaries.admits(schema, submission), response)
    verdicts.check(boundaries)
    head = org.service.head(org.origin, f"matter/{MATTER}")
    assert head is not None and head.seq == 3  # nothing was stored


def test_the_submission_example_is_one_the_server_would_take_as_it_is(api: Api) -> None:
    """The document's example submission is admitted by its schema, opens its commitment and
    carries a signature that verifies with the worked example's test key (seed 40..5f)."""
    operation = api.app.openapi()["paths"]["/v1/ledgers/{ledger}/events"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    example = schema["example"]
    assert Boundaries(api.app.openapi()).admits(schema, example)
    submission = Submission.from_json(example)
    key = PersonKey("tr", Ed25519PrivateKey.from_private_bytes(bytes(range(0x40, 0x60))))
    assert submission.envelope.body.key == key.key_id
    verify_signature(
        key.private_key.public_key(),
        submission.envelope.signature,
        submission.envelope.body.signing_message(),
    )
