"""The tables of docs/PROTOCOL.md that the code defines, written from the code.

Each table stands between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``
in the document.  ``python -m tools.protocol_tables`` rewrites them in place;
``tests/docs/test_protocol_doc.py`` fails while the document differs from
what this module writes, so the document cannot drift from the code:

- ``forms``: the text forms payload members use, each with its exact JSON Schema;
- ``payloads``: every member of every event type's payload, from the payload
  models of ``ledger.domain.events`` as the OpenAPI document publishes them;
- ``reads``: every route of the HTTP API, and whether it needs a bearer token;
- ``token-settings``: the lifetimes of login challenges and tokens.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from starlette.routing import BaseRoute

from api.access import get_reader
from api.payload_schemas import exact, payload_components
from api.settings import ApiSettings
from ledger.domain import events as ev

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"


FORMS: dict[str, Any] = {
    "id": ev.Id,
    "line": ev.Line,
    "text": ev.Text,
    "date": ev.Date,
    "sha256": ev.Sha256,
    "seq": ev.Seq,
    "key id": ev.KeyId,
    "public key": ev.Base64Key,
}
"""The named forms, each an ``Annotated`` type of the payload models."""


def _bare(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("title", "description", "default")}


def _form_schemas() -> dict[str, dict[str, Any]]:
    return {name: _bare(exact(TypeAdapter(form).json_schema())) for name, form in FORMS.items()}


def _code(text: str) -> str:
    """``text`` as inline code inside a table cell (a pipe would end the cell)."""
    return "`" + text.replace("|", "\\|") + "`"


def describe(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A member's JSON type and form, in words, naming the forms of the ``forms`` table."""
    schema = _bare(schema)
    for name, form in _form_schemas().items():
        if schema == form:
            return f"string: *{name}*" if form["type"] == "string" else f"integer: *{name}*"
    if "anyOf" in schema:
        kinds = [describe(s, components) for s in schema["anyOf"] if s != {"type": "null"}]
        return " or ".join(kinds) + " or null"
    if "$ref" in schema:
        return f"object *{schema['$ref'].rsplit('/', 1)[-1]}*"
    if "enum" in schema:
        return "string, one of " + ", ".join(_code(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        least = f", at least {schema['minItems']}" if "minItems" in schema else ""
        return f"array{least} of {describe(schema['items'], components)}"
    if kind == "object" and "patternProperties" in schema:
        [(key, value)] = schema["patternProperties"].items()
        return f"object: keys {_code(key)}, values {describe(value, components)}"
    if kind == "integer":
        return f"integer {schema['minimum']} … {schema['maximum']}"
    if kind == "string":
        parts = [f"{_code(schema['pattern'])}"] if "pattern" in schema else []
        if "maxLength" in schema:
            parts += [f"length {schema.get('minLength', 0)} … {schema['maxLength']}"]
        return "string: " + ", ".join(parts)
    if kind == "boolean":
        return "boolean"
    raise ValueError(f"no words for the schema {json.dumps(schema)}")


def _presence(model: type[ev.Payload], name: str) -> str:
    info = model.model_fields[name]
    if info.is_required():
        return "required"
    default = info.get_default(call_default_factory=True)
    if default is None:
        return "optional (absent or null: none)"
    return f"optional (default {_code(json.dumps(default))})"


def _stream(event_type: str) -> str:
    if event_type in ev.REGISTRY_EVENTS:
        return "`registry`"
    return "`matter/<id>`"


def _member_rows(
    prefix: str, model: type[ev.Payload], components: dict[str, Any]
) -> Iterator[tuple[str, str, str]]:
    """``(member, type and form, presence)`` of a model's members, nested ones after."""
    schema = components[model.__name__]
    for name, member in schema["properties"].items():
        yield f"{prefix}{name}", describe(member, components), _presence(model, name)
        nested = member.get("items", member).get("$ref")
        if nested is not None:
            inner = getattr(ev, nested.rsplit("/", 1)[-1])
            path = f"{prefix}{name}[]." if "items" in member else f"{prefix}{name}."
            yield from _member_rows(path, inner, components)


def _field_class(model: type[ev.Payload], member: str) -> str:
    """routing, kept or erasable (docs/PROTOCOL.md section 4), by the top-level field."""
    top = member.split(".")[0].removesuffix("[]")
    if top in model.routing_fields():
        return "routing"
    return "kept" if top in model.kept_fields() else "erasable"


def payloads_table() -> str:
    components = payload_components()
    lines = [
        "| stream | event | field class | member | JSON type and form | presence |",
        "|---|---|---|---|---|---|",
    ]
    for event_type, model in ev.EVENT_TYPES.items():
        rows = list(_member_rows("", model, components))
        for member, kind, presence in rows:
            lines.append(
                f"| {_stream(event_type)} | `{event_type}` | {_field_class(model, member)} "
                f"| `{member}` | {kind} | {presence} |"
            )
    return "\n".join(lines)


def forms_table() -> str:
    lines = ["| form | JSON type | pattern | limits |", "|---|---|---|---|"]
    for name, schema in _form_schemas().items():
        pattern = _code(schema["pattern"]) if "pattern" in schema else ""
        if schema["type"] == "integer":
            limits = f"{schema['minimum']} … {schema['maximum']}"
        elif "maxLength" in schema:
            limits = f"length {schema['minLength']} … {schema['maxLength']}"
        else:
            limits = ""
        lines.append(f"| *{name}* | {schema['type']} | {pattern} | {limits} |")
    return "\n".join(lines)


def _calls(dependant: Dependant) -> set[Any]:
    """Every dependency function a route runs, however deeply nested."""
    found: set[Any] = set()
    for sub in dependant.dependencies:
        found |= {sub.call} | _calls(sub)
    return found


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """The API routes among ``routes``, also those of included routers (which newer FastAPI
    versions keep as one entry per router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            if route.include_in_schema:
                yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)


def needs_token(route: APIRoute) -> bool:
    """Does the route read the bearer token's person (``api.access.get_reader``)?"""
    return get_reader in _calls(route.dependant)


def reads_table(app: FastAPI) -> str:
    """Every route of ``app``: method, path, whether a bearer token is needed, what it does."""
    lines = ["| method | path | token | answers |", "|---|---|---|---|"]
    for route in api_routes(app.routes):
        token = "yes" if needs_token(route) else "no"
        summary = (route.endpoint.__doc__ or "").strip().split("\n\n")[0]
        summary = re.sub(r"\s+", " ", summary).replace("|", "\\|")
        for method in sorted(route.methods or ()):
            lines.append(f"| {method} | `{route.path_format}` | {token} | {summary} |")
    return "\n".join(lines)


def token_settings_table() -> str:
    lines = ["| setting | default | allowed |", "|---|---|---|"]
    for name in ("challenge_ttl_seconds", "token_ttl_seconds"):
        info = ApiSettings.model_fields[name]
        low = next(m.ge for m in info.metadata if hasattr(m, "ge"))
        high = next(m.le for m in info.metadata if hasattr(m, "le"))
        lines.append(f"| `MEDLEDGER_{name.upper()}` | {info.default} | {low} … {high} seconds |")
    return "\n".join(lines)


def tables(app: FastAPI) -> dict[str, Callable[[], str]]:
    return {
        "forms": forms_table,
        "payloads": payloads_table,
        "reads": lambda: reads_table(app),
        "token-settings": token_settings_table,
    }


def rewrite(text: str, app: FastAPI) -> str:
    """``text`` with every generated table replaced by what the code says now."""
    for name, render in tables(app).items():
        block = re.compile(
            rf"(<!-- generated: {re.escape(name)} -->\n)(?:.*?\n)?(<!-- end: {re.escape(name)} -->)",
            re.DOTALL,
        )
        found = block.search(text)
        if found is None:
            raise ValueError(f"docs/PROTOCOL.md has no generated block {name!r}")
        text = text[: found.end(1)] + render() + "\n" + text[found.start(2) :]
    return text


def main() -> int:
    """Rewrite the generated tables of docs/PROTOCOL.md."""
    from api.app import create_app

    with tempfile.TemporaryDirectory() as scratch:
        settings = ApiSettings(
            database_url=f"sqlite:///{scratch}/tables.db", log_keys=Path(scratch) / "log-keys"
        )
        app = create_app(settings)
        DOCUMENT.write_text(rewrite(DOCUMENT.read_text(), app))
    return 0


if __name__ == "__main__":
    sys.exit(main())
