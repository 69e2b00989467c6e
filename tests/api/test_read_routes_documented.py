"""The OpenAPI document names every read-model route's errors and every page's bounds.

``test_openapi_exact`` checks that what the document admits the server
accepts, parameter by parameter; it cannot notice a parameter or an error
response that the document no longer lists.  These tests pin what the
read-model routes declare once for all (``api.reading.read_router``,
``api.paging.PagingQuery``): the read errors of each route, and ``offset``
and ``limit`` with their bounds on each route that pages by offset.
"""

from __future__ import annotations

from typing import Any

from demo.organisation import Organisation
from tests.api.conftest import Api, assert_error

READ_STATUSES = {"400", "401", "403", "404", "503"}

PAGED_BY_OFFSET = {
    "/v1/ledgers/{ledger}/matters",
    "/v1/ledgers/{ledger}/findings",
    "/v1/ledgers/{ledger}/guidelines",
    "/v1/ledgers/{ledger}/disputes",
    "/v1/ledgers/{ledger}/matters/{matter}/disputes",
    "/v1/ledgers/{ledger}/people/{person}/involvement",
}

OFFSET = {"type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0, "title": "Offset"}
LIMIT = {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100, "title": "Limit"}


def _read_model_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "read models" in operation.get("tags", ())
    }


def test_every_read_model_route_documents_the_read_errors(api: Api) -> None:
    operations = _read_model_operations(api.app.openapi())
    assert len(operations) >= 14, sorted(operations)
    for name, operation in operations.items():
        responses = operation["responses"]
        assert set(responses) >= READ_STATUSES, (name, sorted(responses))
        for status in READ_STATUSES:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (name, status, schema)


def test_every_route_that_pages_by_offset_documents_offset_and_limit(api: Api) -> None:
    document = api.app.openapi()
    paged = {
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if any(p["name"] == "offset" for p in operation.get("parameters", ()))
    }
    assert paged == PAGED_BY_OFFSET
    for path in PAGED_BY_OFFSET:
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        for name, schema in (("offset", OFFSET), ("limit", LIMIT)):
            assert parameters[name]["in"] == "query" and not parameters[name]["required"]
            assert parameters[name]["schema"] == schema, (path, name)


def test_a_page_is_read_as_asked_and_a_page_out_of_bounds_is_refused(
    api: Api, org: Organisation
) -> None:
    for route in sorted(PAGED_BY_OFFSET):
        path = route.split("{ledger}", 1)[1].format(matter="skolestruktur", person="revisor")
        whole = api.get(org, "revisor", path)
        assert whole.status_code in (200, 404), (path, whole.text)
        if whole.status_code == 404:
            continue  # the matter of the disputes route is not opened in this story
        assert whole.json()["next_offset"] is None
        for offset, limit in ((0, 1), (1_000_000, 1000)):
            answer = api.get(org, "revisor", path, offset=offset, limit=limit)
            assert answer.status_code == 200, (path, offset, limit, answer.text)
            assert answer.json()["total"] == whole.json()["total"]
        for bad in ({"offset": -1}, {"offset": 1_000_001}, {"limit": 0}, {"limit": 1001}):
            assert_error(api.get(org, "revisor", path, **bad), 400, "malformed_request")
