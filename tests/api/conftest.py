"""Fixtures of the HTTP API suite: the real application over the real ledger service.

``api`` is the FastAPI application over the ``service`` fixture (so every
test runs on SQLite and on PostgreSQL), driven in-process by a test client.
People log in exactly as a real client does: by signing the server's
challenge with their own key, through the SDK's HTTP transport.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from demo.organisation import Organisation
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient
from ledger.protocol.envelope import ledger_id_of
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store

# A fresh random secret per test run: no secret of ours is ever written down.
TEST_SECRET = secrets.token_urlsafe(48)


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    """The API refused with ``status`` and the stable error ``code``."""
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def api_settings(tmp_path: Path, **changes: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path}/unused.db",
        "log_keys": tmp_path / "log-keys",
        "api_secret": TEST_SECRET,
        "max_body_bytes": 256 * 1024,
        "read_models_catch_up": True,  # no projection worker runs beside the tests
    }
    values.update(changes)
    return ApiSettings(**values)


@dataclass
class Api:
    """The application and a client for it, with a way to log in as anyone."""

    app: FastAPI
    http: TestClient
    _transports: dict[str, HttpTransport] = field(default_factory=dict)

    def transport(self, key: PersonKey, ticket: str | None = None) -> HttpTransport:
        return HttpTransport(client=self.http, key=key, creation_ticket=ticket)

    def token(self, org: Organisation, person: str) -> str:
        return self.transport(org.keys[person]).token(ledger_id_of(org.origin))

    def headers(self, org: Organisation, person: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(org, person)}"}

    def get(self, org: Organisation, person: str, path: str, **params: Any) -> Any:
        """GET ``/v1/ledgers/<org>/<path>`` as ``person``: the raw response."""
        return self.http.get(
            f"/v1/ledgers/{ledger_id_of(org.origin)}{path}",
            headers=self.headers(org, person),
            params=params,
        )

    def client(self, org: Organisation, person: str) -> LedgerClient:
        """An SDK client signing as ``person`` and submitting over HTTP."""
        return LedgerClient(
            self.transport(org.keys[person]),
            org.keys[person],
            org.origin,
            clock=org.clock,
            ledger=ledger_id_of(org.origin),
        )


@contextmanager
def running(settings: ApiSettings, ledger: OpenedLedger) -> Iterator[Api]:
    """An application over ``ledger`` with a test client, as one API process."""
    app = create_app(settings, ledger=ledger)
    with TestClient(app, raise_server_exceptions=False) as http:
        yield Api(app, http)


@pytest.fixture
def api(service: LedgerService, store: Store, tmp_path: Path) -> Iterator[Api]:
    with running(api_settings(tmp_path), OpenedLedger(store, service)) as opened:
        yield opened


@pytest.fixture
def other_process(service: LedgerService, store: Store) -> Iterator[OpenedLedger]:
    """The ``service`` fixture's database opened again, as another API process opens it:
    its own connections, its own service and caches, the same log-keys directory."""
    twin = Store(store.url, schema=store.schema)
    keys = LogKeyring(service.log_keys.directory)
    opened = OpenedLedger(twin, LedgerService(twin, keys, clock=service.clock))
    yield opened
    opened.close()


def ledger_path(org: Organisation) -> str:
    return f"/v1/ledgers/{ledger_id_of(org.origin)}"
