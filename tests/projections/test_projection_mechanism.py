"""How the read models follow the log: in-process on SQLite, as a worker, rebuilt, redelivered.

The stories are the demo's (both seed articles); what must hold is that
however the events reach the read models (one by one after each commit,
in batches by a worker, twice, after a crash, by a rebuild that was cut
short) the rows come out byte for byte the same.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

import projections.read_models.materialise as materialise
from demo.organisation import ManualClock, Organisation
from demo.stories import Demo
from ledger.domain import events as ev
from ledger.errors import ReadModelNotFoundError, StorageError
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from projections.read_models.schema import READ_MODELS
from projections.runner.projector import Projector
from tests.projections.conftest import ReadModels, dump
from tests.stories.databases import sent
from tests.stories.process import Story


def origins(demo: Demo) -> list[str]:
    return [demo.buf.origin, demo.ballerup.origin]


def test_on_sqlite_the_writer_catches_the_read_models_up_after_each_commit(
    service: LedgerService, store: Store, clock: ManualClock, unique: str, backend: str
) -> None:
    projector = Projector(store)
    service.subscribe(projector.after_commit)
    org = Organisation(service, f"ledger.example/med{unique}", "Kommune", clock)
    org.person("direktor", "Dorte Direktør")
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    Story.opened(org, clock)
    size = service.tree_size(org.origin)
    positions = projector.tracking.positions(org.origin, READ_MODELS)
    assert {t.position for t in positions.values()} == {size}, backend


def test_a_rebuild_gives_byte_identical_read_models(demo: Demo, projector: Projector) -> None:
    for origin in origins(demo):
        projector.catch_up(origin)
    live = dump(projector, origins(demo))
    assert len(live["rm_timeline"]) > 50 and live["rm_findings"]
    for origin in origins(demo):
        projector.rebuild(origin=origin)
    assert dump(projector, origins(demo)) == live
    projector.rebuild(["findings", "timeline"], demo.buf.origin)
    assert dump(projector, origins(demo)) == live


def test_read_models_built_event_by_event_equal_a_rebuild_in_one_pass(
    service: LedgerService, store: Store, clock: ManualClock, unique: str
) -> None:
    """One projector applies each event after its commit; another replays the log at the end."""
    follower = Projector(store, batch_size=1)
    service.subscribe(follower.after_commit)
    from demo.stories import build_demo

    demo = build_demo(service, clock, suffix=unique)
    live = dump(follower, origins(demo))
    Projector(store, batch_size=5000).rebuild(origin=demo.ballerup.origin)
    Projector(store, batch_size=7).rebuild(origin=demo.buf.origin)
    assert dump(follower, origins(demo)) == live


def test_a_redelivered_batch_changes_nothing(demo: Demo, projector: Projector) -> None:
    origin = demo.ballerup.origin
    projector.reset(origin=origin)
    records = list(projector.store.log(origin))
    assert projector.deliver(origin, records[:30]) == 30
    once = dump(projector, [origin])
    assert projector.deliver(origin, records[:30]) == 0
    assert dump(projector, [origin]) == once
    assert projector.deliver(origin, records[10:45]) == 15, "only the new part of an overlap"
    assert projector.deliver(origin, records) == len(records) - 45
    complete = dump(projector, [origin])
    projector.rebuild(origin=origin)
    assert dump(projector, [origin]) == complete


def test_a_gap_in_delivered_records_is_refused(demo: Demo, projector: Projector) -> None:
    origin = demo.ballerup.origin
    projector.reset(origin=origin)
    records = list(projector.store.log(origin))
    with pytest.raises(StorageError, match="start at leaf 10"):
        projector.deliver(origin, records[10:20])


def test_a_crash_halfway_through_a_batch_writes_nothing_and_the_next_pass_completes(
    demo: Demo, projector: Projector, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = demo.buf.origin
    projector.catch_up(origin)
    expected = dump(projector, [origin])
    projector.reset(origin=origin)
    calls = {"n": 0}
    real_write = materialise.write

    def crash_on_third(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        real_write(*args, **kwargs)

    monkeypatch.setattr("projections.runner.projector.write", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        projector.catch_up(origin)
    positions = projector.tracking.positions(origin, READ_MODELS)
    assert {t.position for t in positions.values()} == {0}, "the whole batch rolled back"
    monkeypatch.setattr("projections.runner.projector.write", real_write)
    projector.catch_up(origin)
    assert dump(projector, [origin]) == expected


def test_an_interrupted_rebuild_resumes_or_restarts_cleanly(
    demo: Demo, service: LedgerService
) -> None:
    origin = demo.buf.origin
    projector = Projector(service.store, batch_size=20)
    projector.catch_up(origin)
    expected = dump(projector, [origin])
    batches = {"n": 0}

    def interrupt_after_two(chosen: str, position: int, size: int) -> None:
        batches["n"] += 1
        if batches["n"] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        projector.rebuild(origin=origin, progress=interrupt_after_two)
    halfway = projector.tracking.positions(origin, READ_MODELS)
    assert {t.position for t in halfway.values()} == {40}, "two batches of 20"
    projector.catch_up(origin)
    assert dump(projector, [origin]) == expected, "resumed"
    batches["n"] = 0
    with pytest.raises(KeyboardInterrupt):
        projector.rebuild(origin=origin, progress=interrupt_after_two)
    projector.rebuild(origin=origin)
    assert dump(projector, [origin]) == expected, "restarted"


def test_two_workers_on_one_database_apply_every_event_once(
    demo: Demo, service: LedgerService
) -> None:
    first, second = Projector(service.store, batch_size=20), Projector(service.store, batch_size=30)
    for origin in origins(demo):
        first.reset(origin=origin)
    failures: list[BaseException] = []

    def work(projector: Projector) -> None:
        try:
            for origin in origins(demo):
                projector.catch_up(origin)
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    together = dump(first, origins(demo))
    for origin in origins(demo):
        first.rebuild(origin=origin)
    assert dump(first, origins(demo)) == together


def test_the_worker_follows_new_events_until_stopped(
    org: Organisation, clock: ManualClock, service: LedgerService
) -> None:
    worker = Projector(service.store)
    stop = threading.Event()
    thread = threading.Thread(
        target=worker.run_forever, kwargs={"poll_interval": 0.05, "stop": stop}
    )
    thread.start()
    try:
        story = Story.opened(org, clock)
        story.consult()
        size = service.tree_size(org.origin)
        assert worker.tracking.wait(org.origin, READ_MODELS, size, timeout=20)
        read = ReadModels(worker, org.origin)
        assert [e.event_type for e in read.timeline("skolestruktur", read.as_of(size)).entries] == [
            "MatterOpened",
            "ConsultationOpened",
        ]
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_unknown_read_models_are_named_in_the_error(projector: Projector) -> None:
    with pytest.raises(ReadModelNotFoundError, match="no read model timelines"):
        projector.rebuild(["timelines"])


def test_erasing_a_persons_details_changes_no_read_model_only_the_name_shown(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    story.position(by="tr")
    read.live()
    before = dump(read.projector, [org.origin])
    assert read.timeline("skolestruktur").entries[2].actor_name == "Tage Tillidsrepræsentant"
    org.service.erase_directory(org.origin, "tr")
    assert dump(read.projector, [org.origin]) == before
    entry = read.timeline("skolestruktur").entries[2]
    assert (entry.actor, entry.actor_name) == ("tr", None)


def test_an_erased_payload_shows_as_erased_and_a_rebuild_agrees(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    position = story.position(by="tr")
    story.act("tr", ev.CorrectionIssued(event=position, correction="Skulle have været 'imod'."))
    assert read.timeline("skolestruktur").entries[2].corrected_by == [4]
    with sent() as following:
        org.client(org.admin).append(
            "matter/skolestruktur",
            ev.PayloadRedacted(event=position, fields=["text"], legal_basis="GDPR art. 17"),
        )
        entries = read.timeline("skolestruktur").entries
    assert entries[2].redacted and entries[2].summary == "[indhold slettet]"
    assert entries[2].corrected_by == [4], "the correction itself is not erased"
    # Following, the service scrubs the payloads and the projector the read models' rows.
    assert len(_scrubs(following, org)) == 2
    org.client(org.admin).append(
        "matter/skolestruktur",
        ev.PayloadRedacted(event=4, fields=["correction"], legal_basis="GDPR art. 17"),
    )
    read.live()
    live = dump(read.projector, [org.origin])
    read.projector.batch_size = 1  # the two erasures fall in batches of their own
    with sent() as rebuilding:
        read.projector.rebuild(origin=org.origin)
    assert dump(read.projector, [org.origin]) == live
    # A rebuild deletes rows that may still hold an erased text (a follower that had not
    # yet met the erasure): it scrubs the read models once at its end, not once a batch.
    assert len(_scrubs(rebuilding, org)) == 1


def _scrubs(statements: list[str], org: Organisation) -> list[str]:
    """The statements that scrub old rows from the database files."""
    sqlite = org.service.store.dialect == "sqlite"
    return [s for s in statements if ("wal_checkpoint" if sqlite else "VACUUM FULL") in s]


def test_a_broken_ledger_does_not_hold_the_others_back(
    service: LedgerService, clock: ManualClock, unique: str, backend: str
) -> None:
    """Someone deletes an event store row of one ledger behind the ledger's back."""
    if backend == "postgres":
        pytest.skip("every ledger of the session shares the PostgreSQL test schema")
    from sqlalchemy import delete

    broken = Organisation(service, f"ledger.example/brudt{unique}", "Kommune", clock)
    broken.person("direktor", "Dorte Direktør")
    healthy = Organisation(service, f"ledger.example/sund{unique}", "Kommune", clock)
    healthy.person("direktor", "Dorte Direktør")
    store = service.store
    record = store.record(broken.origin, 1)
    assert record is not None
    with store.write() as session:
        session.execute(delete(store.events).where(store.events.c.id == record.notification_id))
    projector = Projector(store)
    with pytest.raises(StorageError, match=f"{broken.origin}: leaf 1 has no entry"):
        projector.catch_up()
    positions = projector.tracking.positions(healthy.origin, READ_MODELS)
    assert {t.position for t in positions.values()} == {service.tree_size(healthy.origin)}


def test_read_models_of_another_layout_are_dropped_and_rebuilt(
    demo: Demo, service: LedgerService, backend: str
) -> None:
    """A release that changes the rm_ tables rebuilds them from the log on start."""
    if backend == "postgres":
        pytest.skip("dropping the tables would reach every test sharing the PostgreSQL schema")
    from sqlalchemy import text

    first = Projector(service.store)
    for origin in origins(demo):
        first.catch_up(origin)
    before = dump(first, origins(demo))
    with service.store.write() as session:
        session.execute(text("UPDATE rm_layout SET version = 0"))
    second = Projector(service.store)
    assert dump(second, origins(demo))["rm_timeline"] == [], "dropped and recreated"
    for origin in origins(demo):
        second.catch_up(origin)
    assert dump(second, origins(demo)) == before
