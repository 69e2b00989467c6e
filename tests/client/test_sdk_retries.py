"""Many writers on one matter: no fork, no lost event; the SDK re-signs on the new head.

A conflict is the ledger saying "someone wrote first": the client re-reads
the stream head and signs again.  What the log must show afterwards is one
unbroken chain per stream, every event that was acknowledged, in order.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.client.sdk import Head, LedgerClient, LocalTransport
from ledger.domain import events as ev
from ledger.errors import ConflictError
from ledger.service.application import LedgerService
from ledger.service.verification import verify_ledger
from ledger.storage.logkeys import LogKeyring
from tests.stories.log_assertions import stored_entries
from tests.stories.matter import Matter


class SomeoneWritesFirst:
    """A transport that lets another writer append between our ``head()`` and ``submit()``."""

    def __init__(
        self, inner: LocalTransport, other_writer: Callable[[], object], times: int
    ) -> None:
        self.inner = inner
        self.other_writer = other_writer
        self.interruptions_left = times
        self.submissions = 0
        self.conflicts: list[ConflictError] = []

    def head(self, ledger: str, stream: str) -> Head | None:
        return self.inner.head(ledger, stream)

    def submit(self, ledger: str, wire: bytes) -> dict[str, Any]:
        self.submissions += 1
        if self.interruptions_left:
            self.interruptions_left -= 1
            self.other_writer()
        try:
            return self.inner.submit(ledger, wire)
        except ConflictError as conflict:
            self.conflicts.append(conflict)
            raise


def position(person: str, side: ev.Side, n: int) -> ev.PositionStated:
    return ev.PositionStated(body="hmed", side=side, stance="support", text=f"{person}, indlæg {n}")


def assert_one_unbroken_chain(org: Organisation, stream: str) -> list[str]:
    """The stream's events are 1..n, each linked to the one before; return their texts."""
    entries = stored_entries(org, stream)
    assert [entry.body.seq for entry in entries] == list(range(1, len(entries) + 1))
    for earlier, later in itertools.pairwise(entries):
        assert later.body.prev == earlier.hash_hex
    texts = []
    for record in org.service.records(org.origin, stream):
        assert record.payload is not None
        texts.append(record.payload.decode())
    return texts


def test_the_loser_of_a_race_re_signs_on_the_new_head(
    org: Organisation,
    matter: Matter,
    service: LedgerService,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    """The union rep's laptop and the secretary's (on another API process) write at once."""
    other_process = LedgerService(service.store, LogKeyring(tmp_path / "log-keys"), clock=clock)
    secretary = LedgerClient(
        LocalTransport(other_process), org.keys["sekretaer"], org.origin, clock=clock
    )
    written_by_secretary: list[dict[str, Any]] = []

    def secretary_writes() -> None:
        written_by_secretary.append(
            secretary.append(
                matter.stream, position("sekretaer", "management", len(written_by_secretary))
            )
        )

    racing = SomeoneWritesFirst(LocalTransport(service), secretary_writes, times=2)
    union_rep = LedgerClient(racing, org.keys["tr"], org.origin, clock=clock)

    receipt = union_rep.append(matter.stream, position("tr", "employees", 0))

    assert racing.submissions == 3
    assert [conflict.code for conflict in racing.conflicts] == ["stale_sequence"] * 2
    assert [r["seq"] for r in written_by_secretary] == [2, 3]
    assert receipt["seq"] == 4
    texts = assert_one_unbroken_chain(org, matter.stream)
    assert len(texts) == 4
    assert "tr, indlæg 0" in texts[3]
    verify_ledger(service.store, org.origin)


def test_a_client_gives_up_after_its_retries_and_nothing_is_half_written(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    def secretary_writes() -> None:
        matter.act("sekretaer", position("sekretaer", "management", 0))

    always_beaten = SomeoneWritesFirst(LocalTransport(org.service), secretary_writes, times=100)
    union_rep = LedgerClient(always_beaten, org.keys["tr"], org.origin, clock=clock, retries=2)

    with pytest.raises(ConflictError) as gave_up:
        union_rep.append(matter.stream, position("tr", "employees", 0))
    assert gave_up.value.code == "stale_sequence"

    assert always_beaten.submissions == 3
    texts = assert_one_unbroken_chain(org, matter.stream)
    assert len(texts) == 1 + 3
    assert not any("tr, indlæg" in text for text in texts)


def test_many_threads_write_to_one_matter_and_every_event_is_logged_once(
    org: Organisation, matter: Matter, service: LedgerService, clock: ManualClock
) -> None:
    writers: dict[str, ev.Side] = {
        "direktor": "management",
        "sekretaer": "management",
        "tr": "employees",
        "amr": "employees",
    }
    per_writer = 6
    start = threading.Barrier(len(writers))
    failures: list[BaseException] = []

    def write(person: str, side: ev.Side) -> None:
        client = LedgerClient(
            LocalTransport(service), org.keys[person], org.origin, clock=clock, retries=1000
        )
        start.wait()
        try:
            for n in range(per_writer):
                client.append(matter.stream, position(person, side, n))
        except BaseException as failure:
            failures.append(failure)

    threads = [threading.Thread(target=write, args=item) for item in writers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures
    texts = assert_one_unbroken_chain(org, matter.stream)
    assert len(texts) == 1 + len(writers) * per_writer
    for person in writers:
        mine = [text for text in texts if f'"{person}, indlæg' in text]
        assert len(mine) == per_writer, f"{person} lost an event"
    report = verify_ledger(service.store, org.origin)
    assert report.tree_size == service.tree_size(org.origin)
