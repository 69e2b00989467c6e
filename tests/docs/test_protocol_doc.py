"""docs/PROTOCOL.md says what the code does: its generated tables, its routes, its numbers.

The tables between ``<!-- generated: ... -->`` markers are rewritten by
``python -m tools.protocol_tables``; these tests fail while the document
differs from what the code says now, and check the routes table against
the running server.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

from pydantic.fields import FieldInfo

from api.app import create_app
from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.domain.state import DEFAULT_TIME_TOLERANCE
from ledger.protocol.envelope import ledger_id_of
from tests.api.conftest import Api, api_settings
from tools.protocol_tables import DOCUMENT, api_routes, needs_token, rewrite


def section(text: str, heading: str) -> str:
    """The text of the section whose heading starts with ``heading``."""
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_generated_tables_are_what_the_code_says(tmp_path: Path) -> None:
    app = create_app(api_settings(tmp_path))
    text = DOCUMENT.read_text()
    assert rewrite(text, app) == text, "run `python -m tools.protocol_tables` and commit the result"


FIELD_CLASSES = ("routing", "kept", "erasable")


def test_every_event_type_has_its_payload_rows(tmp_path: Path) -> None:
    payloads = section(DOCUMENT.read_text(), "9. Events")
    for event_type, model in ev.EVENT_TYPES.items():
        for member in model.model_fields:
            shown = [f"| `{event_type}` | {c} | `{member}` |" for c in FIELD_CLASSES]
            assert any(row in payloads for row in shown), (event_type, member)


def test_the_routes_table_covers_every_operation_of_the_openapi_document(
    tmp_path: Path,
) -> None:
    app = create_app(api_settings(tmp_path))
    walked = {(m, r.path_format) for r in api_routes(app.routes) for m in r.methods or ()}
    published = {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert walked == published


def test_a_route_needs_a_token_exactly_when_the_routes_table_says_so(
    api: Api, org: Organisation
) -> None:
    reads = section(DOCUMENT.read_text(), "9a. Reads and tokens")
    values = {"ledger": ledger_id_of(org.origin), "matter": "x", "person": "tr", "body": "hmed"}
    values["stream"] = "registry"
    values["sha256"] = "0" * 64
    query: dict[str, Any] = {"leaf_index": 0, "old_size": 1}
    for route in api_routes(api.app.routes):
        for method in route.methods or ():
            row = f"| {method} | `{route.path_format}` | {'yes' if needs_token(route) else 'no'} |"
            assert row in reads, row
            response = api.http.request(
                method, route.path_format.format(**values), params=query, json={}
            )
            refused = response.status_code == 401 and (
                response.json()["error"]["code"] == "token_required"
            )
            assert refused == needs_token(route), (method, route.path_format, response.text)


def _bounds(info: FieldInfo) -> tuple[int, int]:
    """The ``ge`` and ``le`` of an integer field's constraints."""
    found = [m for m in info.metadata if hasattr(m, "ge") or hasattr(m, "le")]
    found += [m for a in get_args(info.annotation) for m in getattr(a, "__metadata__", ())]
    return (
        next(m.ge for m in found if getattr(m, "ge", None) is not None),
        next(m.le for m in found if getattr(m, "le", None) is not None),
    )


def test_the_time_tolerance_limits_are_the_ledgers(tmp_path: Path) -> None:
    text = section(DOCUMENT.read_text(), "7. Submitting an event")
    [values] = get_args(ev.LedgerCreated.model_fields["rulebook"].annotation)[1:]
    low, high = _bounds(FieldInfo.from_annotation(values))
    default = int(DEFAULT_TIME_TOLERANCE.total_seconds())
    flat = re.sub(r"\s+", " ", text)
    assert f"default {default} seconds" in flat
    assert f"integer from {low} to {high}" in flat
    assert f"so *T* is {low} to {high} seconds" in flat
