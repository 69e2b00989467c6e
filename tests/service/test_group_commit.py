"""Group commit: appends that queue behind a write are committed together, each judged on its own.

While the director's write holds the ledger, the employee side's positions
on three matters pile up; one of them is signed with a stale sequence
number. They are written in one transaction: every good one lands, in
order and chained, the stale one is refused alone, and the log verifies.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from demo.organisation import ManualClock, Organisation
from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.errors import LedgerError, StaleSequenceError
from ledger.protocol.envelope import ZERO_HASH, matter_stream
from ledger.service.application import AppendReceipt, LedgerService
from ledger.service.verification import verify_ledger
from tests.stories.school import school_structure


def test_queued_appends_are_committed_together_and_judged_one_by_one(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    matters = ["skole-a", "skole-b", "skole-c"]
    heads: dict[str, tuple[int, str]] = {}
    for matter in matters:
        opened = org.act("direktor", matter, school_structure(clock))
        heads[matter] = (opened["seq"], opened["envelope_hash"])
    wires: list[bytes] = []
    for round_ in range(3):
        for matter in matters:
            seq, prev = heads[matter]
            submission = sign_submission(
                org.keys["tr"],
                origin=org.origin,
                stream=matter_stream(matter),
                seq=seq + 1,
                prev=prev,
                event_type="PositionStated",
                payload=ev.PositionStated(
                    body="hmed", side="employees", stance="oppose", text=f"Runde {round_}"
                ),
                time=clock.now,
            )
            heads[matter] = (seq + 1, submission.envelope.hash_hex)
            wires.append(submission.wire())
    stale = sign_submission(
        org.keys["amr"],
        origin=org.origin,
        stream=matter_stream("skole-a"),
        seq=1,
        prev=ZERO_HASH,
        event_type="PositionStated",
        payload=ev.PositionStated(body="hmed", side="employees", stance="support", text="For sent"),
        time=clock.now,
    ).wire()
    size_before = service.tree_size(org.origin)

    results: dict[int, Any] = {}

    def submit(number: int, wire: bytes) -> None:
        try:
            results[number] = service.append(org.origin, wire)
        except LedgerError as error:
            results[number] = error

    ledger_lock = service._cached(org.origin).lock  # the write in progress
    with ledger_lock:
        threads = [
            threading.Thread(target=submit, args=(n, w)) for n, w in enumerate([*wires, stale])
        ]
        for thread in threads:
            thread.start()
            time.sleep(0.01)  # queue them in signing order
        queue = service._cached(org.origin).queue
        deadline = time.monotonic() + 10
        while len(queue) < len(threads) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(queue) == len(threads), "every append waits behind the write in progress"
    for thread in threads:
        thread.join(timeout=30)

    receipts = [results[n] for n in range(len(wires))]
    assert all(isinstance(r, AppendReceipt) for r in receipts), receipts
    assert [r.leaf_index for r in receipts] == list(range(size_before, size_before + len(wires)))
    assert isinstance(results[len(wires)], StaleSequenceError)
    assert service.tree_size(org.origin) == size_before + len(wires)
    for matter in matters:
        records = service.records(org.origin, matter_stream(matter))
        assert [r.seq for r in records] == [1, 2, 3, 4]
    verify_ledger(service.store, org.origin)
