"""The edge of the server: request ids, size limits, timeouts, and never a stack trace."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import JsonFormatter
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.store import Store
from tests.api.conftest import api_settings, assert_error


@pytest.fixture
def fragile(service: LedgerService, store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """The real application plus two routes that misbehave on purpose."""
    app = create_app(
        api_settings(tmp_path, request_timeout_seconds=3.0, max_body_bytes=2048),
        ledger=OpenedLedger(store, service),
    )

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/slow")
    async def slow() -> None:
        import asyncio

        await asyncio.sleep(30)

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_an_unexpected_error_is_500_without_a_trace(fragile: TestClient) -> None:
    response = fragile.get("/boom", headers={"X-Request-ID": "trace-me-1"})
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "the server could not complete the request"}
    }
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["x-request-id"] == "trace-me-1"


def test_a_request_that_takes_too_long_is_504(fragile: TestClient) -> None:
    started = time.perf_counter()
    response = fragile.get("/slow")
    assert_error(response, 504, "timeout")
    assert time.perf_counter() - started < 20


def test_a_streamed_body_over_the_limit_is_413(fragile: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1000

    response = fragile.post("/v1/ledgers/any/events", content=chunks())
    assert_error(response, 413, "payload_too_large")


def test_an_unknown_route_and_method_answer_in_the_error_shape(fragile: TestClient) -> None:
    missing = fragile.get("/v2/nothing")
    assert_error(missing, 404, "unknown_route")
    wrong = fragile.delete("/healthz")
    assert_error(wrong, 405, "method_not_allowed")


def test_request_ids_are_made_when_missing_and_refused_when_odd(fragile: TestClient) -> None:
    made = fragile.get("/healthz").headers["x-request-id"]
    assert len(made) == 32
    odd = fragile.get("/healthz", headers={"X-Request-ID": "no spaces\nor newlines"})
    assert odd.headers["x-request-id"] != "no spaces\nor newlines"


def test_each_request_is_logged_as_json_with_its_request_id(
    fragile: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="api.request"):
        fragile.get("/v1/ledgers/nope", headers={"X-Request-ID": "log-me-7"})
    records = [r for r in caplog.records if r.name == "api.request"]
    assert records
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["status"] == 404
    assert line["path"] == "/v1/ledgers/nope"
    assert line["method"] == "GET"
    assert line["level"] == "info"
    assert isinstance(line["duration_ms"], float)


def test_the_error_log_keeps_the_trace_and_the_request_id(
    fragile: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    from api.logs import request_id

    lines: list[dict[str, object]] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Capture()
    logging.getLogger("api.request").addHandler(handler)
    try:
        fragile.get("/boom", headers={"X-Request-ID": "trace-me-2"})
    finally:
        logging.getLogger("api.request").removeHandler(handler)
    errors = [line for line in lines if line["level"] == "error"]
    assert errors[0]["request_id"] == "trace-me-2"
    assert "secret internal detail" in str(errors[0]["exception"])
    assert request_id.get() is None
