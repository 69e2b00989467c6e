"""B1: signed, verified, chained appends, one event per commit, against bare eventsourcing.

Reference: the ``eventsourcing`` library on the same backend saving one
aggregate event per commit, each carrying as many bytes as our entry plus
payload.  Measured: ``LedgerService.append`` of pre-signed submissions
(server side: parse, canonical check, signature, rules, chain, tree nodes,
payload, one transaction), and the same including the client's signing
through the SDK.  Target: at least 0.5 x the reference.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.common import backend_url, backends, line, rate
from benchmarks.matters import hovedmed, matter_opened
from demo.organisation import ManualClock, Organisation
from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.protocol.envelope import matter_stream
from ledger.service.application import LedgerService
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store

COUNT = int(os.environ.get("B1_COUNT", "1500"))


def _count() -> int:
    return int(os.environ.get("B1_COUNT", "1500"))


class Minutes(Aggregate):
    @event("Written")
    def write(self, text: str) -> None:
        self.text = text


def _reference(url: str, schema: str | None, size: int) -> float:
    env = {"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url}
    if schema:
        env["SQLALCHEMY_SCHEMA"] = schema
    app = Application[UUID](env=env)
    aggregate = Minutes()
    app.save(aggregate)
    filler = "x" * size

    def run() -> None:
        for _ in range(COUNT):
            aggregate.write(filler)
            app.save(aggregate)

    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    app.close()
    return rate(COUNT, seconds)


def _ledger(
    url: str, schema: str | None, directory: Path
) -> tuple[LedgerService, Organisation, ManualClock]:
    clock = ManualClock()
    service = LedgerService(Store(url, schema=schema), LogKeyring(directory), clock=clock)
    org = Organisation(service, "ledger.example/bench", "Benchkommune", clock)
    hovedmed(org, vice_chair=True)
    org.act("direktor", "budget", matter_opened("Budget", "Budget 2027", "budget", "2026-06-01"))
    return service, org, clock


def _presigned(service: LedgerService, org: Organisation, clock: ManualClock) -> list[bytes]:
    """COUNT chained PositionStated submissions, signed ahead so only the server is timed."""
    stream = matter_stream("budget")
    head = service.head(org.origin, stream)
    assert head is not None
    seq, prev = head.seq, head.hash
    wires: list[bytes] = []
    for number in range(_count()):
        submission = sign_submission(
            org.keys["tr"],
            origin=org.origin,
            stream=stream,
            seq=seq + 1,
            prev=prev,
            event_type="PositionStated",
            payload=ev.PositionStated(
                body="hmed", side="employees", stance="support", text=f"Indlæg nummer {number}."
            ),
            time=clock.now,
        )
        seq, prev = seq + 1, submission.envelope.hash_hex
        wires.append(submission.wire())
    return wires


def _measure(backend: str) -> tuple[int, float, float]:
    """(event size, server-side rate, rate including the SDK's signing)."""
    with backend_url(backend) as (url, schema), tempfile.TemporaryDirectory() as keys:
        service, org, clock = _ledger(url, schema, Path(keys))
        wires = _presigned(service, org, clock)
        started = time.perf_counter()
        for wire in wires:
            service.append(org.origin, wire)
        server_side = rate(COUNT, time.perf_counter() - started)
        client = org.client("tr")
        started = time.perf_counter()
        for number in range(COUNT // 3):
            client.append(
                matter_stream("budget"),
                ev.PositionStated(
                    body="hmed", side="employees", stance="abstain", text=f"Nr. {number}"
                ),
            )
        with_signing = rate(COUNT // 3, time.perf_counter() - started)
        service.store.dispose()
    return len(wires[0]), server_side, with_signing


def main() -> None:
    print(
        "B1  signed, verified, chained append, one event per commit (target >= 0.5 x bare eventsourcing)"
    )
    for backend in backends():
        size, ours, signed = _measure(backend)
        with backend_url(backend) as (url, schema):
            reference = _reference(url, schema, size)
        line(f"B1 {backend}: bare eventsourcing ({size} B events)", f"{reference:,.0f} ev/s")
        line(
            f"B1 {backend}: medledger append (server side)",
            f"{ours:,.0f} ev/s",
            ours / reference,
            "target >= 0.50",
        )
        line(
            f"B1 {backend}: medledger append incl. SDK signing",
            f"{signed:,.0f} ev/s",
            signed / reference,
        )


if __name__ == "__main__":
    main()
