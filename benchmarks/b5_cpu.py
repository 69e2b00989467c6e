"""B5's reads in CPU time: what one timeline read costs the server process, cached or not.

On a machine shared with other work, rates over HTTP measure the queue
for a core more than the work.  This part runs the application in
process on SQLite (so every statement's cost is this process's too),
reads a matter's timeline of ``B5_CPU_EVENTS`` events through the ASGI
test client, and counts CPU seconds (``time.process_time``) per read:
answered from the cache, computed afresh (cache cleared before each),
and, as the reference, the same framework serving a fixed body of the
same size through the same client.  Nothing asserts.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from benchmarks.b1_append import _ledger, _presigned
from benchmarks.common import backend_url, line
from ledger.client.http import HttpTransport
from ledger.protocol.envelope import ledger_id_of
from ledger.service.settings import OpenedLedger

EVENTS = int(os.environ.get("B5_CPU_EVENTS", "200"))
READS = int(os.environ.get("B5_CPU_READS", "300"))


def _cpu_per_call(call: object, count: int) -> float:
    assert callable(call)
    started = time.process_time()
    for _ in range(count):
        call()
    return (time.process_time() - started) / count


def main() -> None:
    print(f"B5  CPU per timeline read in process, SQLite, {EVENTS} events (reference: fixed body)")
    os.environ["B1_COUNT"] = str(EVENTS)
    with backend_url("sqlite") as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        for wire in _presigned(service, org, clock):
            service.append(org.origin, wire)
        settings = ApiSettings(
            database_url=url,
            log_keys=Path(keys),
            api_secret=secrets.token_urlsafe(48),
            read_models_catch_up=True,
        )
        app = create_app(settings, ledger=OpenedLedger(service.store, service))
        ledger = ledger_id_of(org.origin)
        path = f"/v1/ledgers/{ledger}/matters/budget/timeline"
        with TestClient(app) as http:
            token = HttpTransport(client=http, key=org.keys["tr"]).token(ledger)
            headers = {"Authorization": f"Bearer {token}"}
            body = http.get(path, headers=headers).content
            # A server without the answer cache (an older tree) answers every read afresh.
            answers = getattr(app.state.context, "answers", None)

            def hit() -> None:
                http.get(path, headers=headers)

            def miss() -> None:
                if answers is not None:
                    answers.clear()
                http.get(path, headers=headers)

            cached = _cpu_per_call(hit, READS)
            fresh = _cpu_per_call(miss, max(20, READS // 10))
        service.store.dispose()

    from fastapi import FastAPI, Response

    reference = FastAPI()

    @reference.get("/v1/ledgers/{ledger}/matters/{matter}/timeline")
    def fixed(ledger: str, matter: str) -> Response:
        return Response(content=body, media_type="application/json")

    with TestClient(reference) as http:
        baseline = _cpu_per_call(lambda: http.get(path, headers=headers), READS)
    line(f"B5 CPU: fixed {len(body):,} B body, same framework", f"{baseline * 1000:.2f} ms/read")
    line(
        "B5 CPU: timeline answered from the cache",
        f"{cached * 1000:.2f} ms/read",
        baseline / cached,
    )
    line("B5 CPU: timeline computed afresh", f"{fresh * 1000:.2f} ms/read", baseline / fresh)


if __name__ == "__main__":
    main()
