"""kill -9 during a write burst (DESIGN.md section 10), on SQLite and PostgreSQL.

Four employee representatives state positions in three matters as fast as
they can while the server is killed without warning.  After a restart the
whole ledger verifies, every event the server acknowledged with 201 is in
the log, and writing simply goes on.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from demo.organisation import ManualClock
from ledger.errors import LedgerError
from ledger.protocol.envelope import Envelope, matter_stream
from ledger.service.settings import Settings
from ledger.service.verification import verify_ledger
from tests.api.conftest import TEST_SECRET
from tests.stories.http import RemoteOrganisation, found_remote, position
from tests.stories.live_server import LiveServer, live_server
from tests.stories.school import school_structure

MATTERS = ["flytning", "budget", "skema"]


@pytest.fixture
def live_schema(backend: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("pg_schema")) if backend == "postgres" else None


def test_no_acknowledged_event_is_lost_when_the_server_is_killed(
    backend: str, live_schema: str | None, tmp_path: Path, unique: str
) -> None:
    origin = f"ledger.example/crash{unique}"
    with live_server(backend, tmp_path, live_schema) as server:
        org = found_remote(server.url, origin, tmp_path / "log-keys", TEST_SECRET, writers=4)
        for matter in MATTERS:
            org.client("direktor").append(
                matter_stream(matter), school_structure(ManualClock(), title=f"Sag {matter}")
            )
        acknowledged = _burst_until_killed(server, org)
        assert len(acknowledged) >= 10, "the burst never got going"

        server.start()
        after = org.client("rep-0").append(
            matter_stream("flytning"), position("employees", "Efter genstart")
        )
        assert after["seq"] > 1
        tree_size, logged = _verified_log(server.env, origin)

    assert tree_size == len(logged)
    missing = [h for h in acknowledged if h not in logged]
    assert not missing, f"{len(missing)} acknowledged events are missing"
    assert str(after["envelope_hash"]) in logged


def _burst_until_killed(server: LiveServer, org: RemoteOrganisation) -> list[str]:
    """Four representatives write positions until the server is killed mid-burst.

    Returns the envelope hashes of every append the server acknowledged.
    """
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(person: str) -> None:
        client = org.client(person, timeout=5.0)
        n = 0
        while not stop.is_set():
            try:
                receipt: dict[str, Any] = client.append(
                    matter_stream(MATTERS[n % len(MATTERS)]),
                    position("employees", f"{person} nr. {n}"),
                )
            except (httpx.HTTPError, LedgerError):
                return  # the server is gone; what was acknowledged is what counts
            with lock:
                acknowledged.append(str(receipt["envelope_hash"]))
            n += 1

    threads = [threading.Thread(target=writer, args=(f"rep-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return acknowledged


def _verified_log(env: dict[str, str], origin: str) -> tuple[int, set[str]]:
    """Verify the ledger in the server's store; return its tree size and every logged hash."""
    store = Settings(
        database_url=env["MEDLEDGER_DATABASE_URL"],
        database_schema=env.get("MEDLEDGER_DATABASE_SCHEMA"),
    ).open_store()
    try:
        report = verify_ledger(store, origin)
        logged = {
            Envelope.from_entry(record.entry).hash_hex
            for record in store.log(origin)
            if record.entry is not None
        }
    finally:
        store.dispose()
    return report.tree_size, logged
