"""Group commit: appends that queue behind a write are committed together, each judged on its own.

While the director's write holds the ledger, the employee side's positions
on three matters pile up; one of them is signed with a stale sequence
number. They are written in one transaction: every good one lands, in
order and chained, the stale one is refused alone, and the log verifies.
"""

from __future__ import annotations

import threading
import time

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import LedgerError, StaleSequenceError
from ledger.protocol.envelope import ZERO_HASH, matter_stream
from ledger.service.application import AppendReceipt, LedgerService
from ledger.service.verification import verify_ledger
from tests.stories.log_assertions import next_submission
from tests.stories.school import school_structure

MATTERS = ["skole-a", "skole-b", "skole-c"]


def test_queued_appends_are_committed_together_and_judged_one_by_one(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    wires = _positions_in_three_rounds(org, clock)
    too_late = ev.PositionStated(body="hmed", side="employees", stance="support", text="For sent")
    stale = next_submission(
        org,
        "amr",
        matter_stream("skole-a"),
        "PositionStated",
        too_late,
        time=clock.now,
        seq=1,
        prev=ZERO_HASH,
    ).wire()
    size_before = service.tree_size(org.origin)

    results = _submitted_behind_a_write(service, org.origin, [*wires, stale])

    receipts = [results[n] for n in range(len(wires))]
    assert all(isinstance(r, AppendReceipt) for r in receipts), receipts
    assert [r.leaf_index for r in receipts if isinstance(r, AppendReceipt)] == list(
        range(size_before, size_before + len(wires))
    )
    assert isinstance(results[len(wires)], StaleSequenceError)
    assert service.tree_size(org.origin) == size_before + len(wires)
    for matter in MATTERS:
        records = service.records(org.origin, matter_stream(matter))
        assert [r.seq for r in records] == [1, 2, 3, 4]
    verify_ledger(service.store, org.origin)


def _positions_in_three_rounds(org: Organisation, clock: ManualClock) -> list[bytes]:
    """The director opens three matters; the TR signs three positions on each, chained."""
    heads: dict[str, tuple[int, str]] = {}
    for matter in MATTERS:
        opened = org.act("direktor", matter, school_structure(clock))
        heads[matter] = (opened["seq"], opened["envelope_hash"])
    wires: list[bytes] = []
    for round_ in range(3):
        for matter in MATTERS:
            seq, prev = heads[matter]
            position = ev.PositionStated(
                body="hmed", side="employees", stance="oppose", text=f"Runde {round_}"
            )
            submission = next_submission(
                org,
                "tr",
                matter_stream(matter),
                "PositionStated",
                position,
                time=clock.now,
                seq=seq + 1,
                prev=prev,
            )
            heads[matter] = (seq + 1, submission.envelope.hash_hex)
            wires.append(submission.wire())
    return wires


def _submitted_behind_a_write(
    service: LedgerService, origin: str, wires: list[bytes]
) -> dict[int, AppendReceipt | LedgerError]:
    """Submit ``wires`` in order from threads while the ledger's write lock is held.

    Asserts that every one queues behind the write in progress before the
    lock is let go; returns each submission's receipt or error by position.
    """
    results: dict[int, AppendReceipt | LedgerError] = {}

    def submit(number: int, wire: bytes) -> None:
        try:
            results[number] = service.append(origin, wire)
        except LedgerError as error:
            results[number] = error

    ledger_lock = service._cached(origin).lock  # the write in progress
    with ledger_lock:
        threads = [threading.Thread(target=submit, args=(n, w)) for n, w in enumerate(wires)]
        for thread in threads:
            thread.start()
            time.sleep(0.01)  # queue them in signing order
        queue = service._cached(origin).queue
        deadline = time.monotonic() + 10
        while len(queue) < len(threads) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(queue) == len(threads), "every append waits behind the write in progress"
    for thread in threads:
        thread.join(timeout=30)
    return results
