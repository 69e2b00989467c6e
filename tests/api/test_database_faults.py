"""Database faults: a dropped connection is survived, an unusable database is a 503, never a 500.

DESIGN.md section 10: "a dropped database connection or a full disk gives a
503 with a stable code on every route, never a 500".  On PostgreSQL each
test has a database of its own (``tests.stories.databases``), so it can
terminate the server's connections or refuse new ones without touching
anyone else's; on SQLite a full disk is the database refusing to grow
(``PRAGMA max_page_count``), which SQLite reports exactly as a full disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from demo.organisation import Organisation
from ledger.storage.store import Store
from tests.api.conftest import Api, assert_error, ledger_path
from tests.conftest import PG_URL
from tests.stories.databases import cut_connections, only_on, store_of_its_own, unreachable
from tests.stories.http import open_school_matter, position, signed

READS = [
    "/me",
    "/streams",
    "/streams/registry/head",
    "/streams/registry/events",
    "/streams/matter/skolestruktur/events",
    "/checkpoint",
    "/proofs/inclusion?leaf_index=1",
    "/proofs/consistency?old_size=1",
    "/matters",
    "/matters/skolestruktur/timeline",
    "/matters/skolestruktur/dossier",
    "/findings",
    "/people/tr/involvement",
    "/people/tr/receipts/skolestruktur",
    "/people/tr/receipts/skolestruktur/page",
    "/people/tr/receipts/skolestruktur/bundle",
    "/matters/skolestruktur/bundle",
    "/bundle",
    "/bodies/hmed/statistics",
    "/directory",
]
"""Every read route, as the auditor (who may read them all) asks for it."""


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """This module's database: a fresh SQLite file, or a PostgreSQL database of its own."""
    with store_of_its_own(backend, tmp_path, request, PG_URL) as opened:
        yield opened


def read(api: Api, org: Organisation, token: str, path: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}"}
    response: httpx.Response = api.http.get(ledger_path(org) + path, headers=auth)
    return response


def write(api: Api, org: Organisation, wire: bytes) -> httpx.Response:
    response: httpx.Response = api.http.post(
        f"{ledger_path(org)}/events", content=wire, headers={"Content-Type": "application/json"}
    )
    return response


def unavailable(response: httpx.Response) -> None:
    """The one answer of an unusable database: 503, its stable code, a hint when to retry."""
    assert_error(response, 503, "storage_unavailable")
    assert response.headers["retry-after"] == "1"
    assert "Traceback" not in response.text


def test_every_route_reconnects_after_the_servers_connections_were_cut(
    backend: str, api: Api, org: Organisation, store: Store
) -> None:
    only_on("postgres", backend, "a fault of PostgreSQL")
    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    token = api.token(org, "revisor")
    assert read(api, org, token, "/checkpoint").status_code == 200  # the pool holds connections
    cut = 0
    for path in READS:
        cut += cut_connections(store.url)
        response = read(api, org, token, path)
        assert response.status_code == 200, (path, response.text)
    assert cut >= len(READS), "every read started on a connection the server had closed"
    assert cut_connections(store.url) >= 1
    again = signed(org, "amr", "matter/skolestruktur", position("employees", "Også os."))
    assert write(api, org, again.wire()).status_code == 201


def test_an_unreachable_database_is_503_storage_unavailable_on_every_kind_of_route(
    backend: str, api: Api, org: Organisation, store: Store
) -> None:
    only_on("postgres", backend, "a fault of PostgreSQL")
    open_school_matter(org)
    token = api.token(org, "revisor")
    waiting = signed(org, "tr", "matter/skolestruktur", position("employees"))
    size = org.service.tree_size(org.origin)
    with unreachable(PG_URL, store.url):
        for path in [
            "/streams/matter/skolestruktur/events",
            "/proofs/inclusion?leaf_index=1",
            "/checkpoint",
            "/matters/skolestruktur/bundle",
            "/matters/skolestruktur/timeline",
        ]:
            unavailable(read(api, org, token, path))
        unavailable(write(api, org, waiting.wire()))
        unavailable(api.http.get(ledger_path(org)))
    assert org.service.tree_size(org.origin) == size, "the refused write stored nothing"
    assert read(api, org, token, "/checkpoint").status_code == 200
    assert write(api, org, waiting.wire()).status_code == 201, "the same write, once it is back"


def test_a_full_disk_is_503_storage_unavailable_and_stores_nothing(
    backend: str, api: Api, org: Organisation, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    only_on("sqlite", backend, "a fault of SQLite")
    open_school_matter(org)
    token = api.token(org, "revisor")
    long = "Et langt høringssvar. " * 900
    submission = signed(org, "tr", "matter/skolestruktur", position("employees", long[:20_000]))
    size = org.service.tree_size(org.origin)
    full_at_current_size(store)
    unavailable(write(api, org, submission.wire()))
    assert "database or disk is full" in caplog.text, "the log keeps the driver's reason"
    assert org.service.tree_size(org.origin) == size, "the refused write stored nothing"
    events = read(api, org, token, "/streams/matter/skolestruktur/events")
    assert events.status_code == 200
    assert len(events.json()["events"]) == 2


def full_at_current_size(store: Store) -> None:
    """From now on the SQLite file may not grow: a write that needs a page fails as on a full disk."""

    def no_growth(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={int(pages)}")
        cursor.close()

    event.listen(store.engine, "connect", no_growth)
    store.engine.dispose()  # every connection from now on is made with the limit
