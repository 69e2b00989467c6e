"""The event payloads in the OpenAPI document: each type's schema, and the stream it goes in.

The schemas are the payload models of ``ledger.domain.events`` (what
admission validates with), published as ``#/components/schemas/<event type>``
and made exactly as strict as the models: a map with constrained keys takes
no other keys, and every integer stays within canonical JSON's range.  A
submission's ``oneOf`` has one branch per event type, naming its stream and
its payload's schema.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from api.patterns import MAX_SAFE_INTEGER
from ledger.domain.events import ANY_MATTER_EVENTS, EVENT_TYPES, MATTER_EVENTS, REGISTRY_EVENTS
from ledger.protocol.envelope import ID_PATTERN, MATTER_PREFIX, REGISTRY_STREAM

COMPONENTS = "#/components/schemas/"
MATTER_STREAM_PATTERN = rf"^{MATTER_PREFIX}{ID_PATTERN}$"


def payload_components() -> dict[str, dict[str, Any]]:
    """Every event type's payload schema (and the nested objects they use), by name."""
    _, top = models_json_schema(
        [(model, "validation") for model in EVENT_TYPES.values()],
        ref_template=COMPONENTS + "{model}",
    )
    definitions: dict[str, dict[str, Any]] = top["$defs"]
    missing = set(EVENT_TYPES) - set(definitions)
    if missing:
        raise RuntimeError(f"event types without a payload schema of their name: {missing}")
    return {name: exact(schema) for name, schema in sorted(definitions.items())}


def stream_schema(event_type: str) -> dict[str, Any]:
    """The streams an event of ``event_type`` may stand in."""
    if event_type in REGISTRY_EVENTS:
        return {"const": REGISTRY_STREAM}
    if event_type in MATTER_EVENTS or event_type in ANY_MATTER_EVENTS:
        return {"type": "string", "pattern": MATTER_STREAM_PATTERN}
    raise KeyError(event_type)


def payload_routes() -> list[dict[str, Any]]:
    """One branch per event type: its ``body.type``, its stream, its payload's schema."""
    return [
        {
            "title": event_type,
            "properties": {
                "body": {
                    "properties": {
                        "type": {"const": event_type},
                        "stream": stream_schema(event_type),
                    }
                },
                "payload": {"$ref": COMPONENTS + event_type},
            },
        }
        for event_type in sorted(EVENT_TYPES)
    ]


def exact(schema: Any) -> Any:
    """``schema`` with what pydantic leaves unsaid made explicit, everywhere inside it."""
    if isinstance(schema, list):
        return [exact(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found = {key: exact(value) for key, value in schema.items()}
    if "patternProperties" in found and "additionalProperties" not in found:
        # pydantic refuses a key of a dict[Id, ...] that is not an id.
        found["additionalProperties"] = False
    if found.get("type") == "integer":
        # Canonical JSON refuses integers beyond ±(2**53 - 1) (docs/PROTOCOL.md section 2).
        found.setdefault("minimum", -MAX_SAFE_INTEGER)
        found.setdefault("maximum", MAX_SAFE_INTEGER)
    return found
