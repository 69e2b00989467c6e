"""Replay as of a past point agrees with what the live read models showed at that point.

While the demo's two ledgers are written, a listener reads the live read
models after every commit and keeps what they showed.  Afterwards every
one of those views is asked again "as of" that tree size (and, for days,
as of that date), computed from the log prefix alone, and must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from demo.organisation import ManualClock
from demo.stories import build_demo
from ledger.errors import AsOfOutOfRangeError, MalformedAsOfError
from ledger.service.application import AppendReceipt, LedgerService
from projections.facts.logged import parse_moment
from projections.read_models.dossier import dossier
from projections.read_models.findings import findings
from projections.read_models.involvement import involvement
from projections.read_models.receipt import receipt
from projections.read_models.source import DatabaseSource, RowSource
from projections.read_models.statistics import statistics
from projections.read_models.timeline import timeline
from projections.runner.projector import Projector
from projections.runner.replay import replay, resolve_as_of


@dataclass
class Seen:
    """Everything the read models of one ledger showed at one tree size."""

    findings: Any
    timelines: dict[str, Any]
    dossiers: dict[str, Any]
    involvement: dict[str, Any]
    receipts: dict[tuple[str, str], Any]
    statistics: dict[str, Any]


def look(source: RowSource, origin: str, *, everything: bool) -> Seen:
    matters = [r["matter"] for r in source.rows("rm_matters", origin)]
    people = [r["person"] for r in source.rows("rm_people", origin)] if everything else []
    bodies = [r["body"] for r in source.rows("rm_bodies", origin)] if everything else []
    return Seen(
        findings=findings(source, origin, lang="en"),
        timelines={m: timeline(source, origin, m, lang="en") for m in matters},
        dossiers={m: dossier(source, origin, m) for m in matters},
        involvement={p: involvement(source, origin, p) for p in people},
        receipts={(p, m): receipt(source, origin, p, m) for p in people for m in matters},
        statistics={b: statistics(source, origin, b) for b in bodies},
    )


def record_views(
    projector: Projector, seen: dict[tuple[str, int], Any], *, findings_only: bool = False
) -> Callable[[AppendReceipt], None]:
    """A listener that keeps what the live read models show after each commit."""

    def after_commit(receipt: AppendReceipt) -> None:
        projector.catch_up_ledger(receipt.origin)
        size = receipt.leaf_index + 1
        source = DatabaseSource(projector.schema)
        if findings_only:
            seen[(receipt.origin, size)] = findings(source, receipt.origin, lang="en")
        else:
            everything = size % 9 == 0
            seen[(receipt.origin, size)] = look(source, receipt.origin, everything=everything)

    return after_commit


def test_every_read_model_as_of_every_past_size_agrees_with_the_live_one_then(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    projector = Projector(service.store)
    seen: dict[tuple[str, int], Seen] = {}
    service.subscribe(record_views(projector, seen))
    demo = build_demo(service, clock, suffix=unique)
    assert len(seen) == service.tree_size(demo.buf.origin) + service.tree_size(demo.ballerup.origin)
    compared = 0
    for (origin, size), live in sorted(seen.items()):
        past = replay(service.store, origin, size, schema=projector.schema)
        everything = bool(live.involvement)
        assert look(past, origin, everything=everything) == live, (origin, size)
        for matter, shown in live.timelines.items():
            only = replay(service.store, origin, size, matters={matter}, schema=projector.schema)
            assert timeline(only, origin, matter, lang="en") == shown
        compared += 1
    assert compared > 100
    assert any(v.findings.findings for v in seen.values())


def test_as_of_a_date_is_the_log_as_recorded_by_the_end_of_that_day(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    projector = Projector(service.store)
    seen: dict[tuple[str, int], Any] = {}
    service.subscribe(record_views(projector, seen, findings_only=True))
    demo = build_demo(service, clock, suffix=unique)
    origin = demo.ballerup.origin
    days: dict[date, int] = {}
    for record in service.store.log(origin):
        days[parse_moment(record.recorded_at).date()] = record.leaf_index + 1
    assert len(days) > 5
    for day, size in days.items():
        point = resolve_as_of(service.store, origin, day.isoformat())
        assert point.size == size
        past = replay(service.store, origin, point.size, schema=projector.schema)
        assert findings(past, origin, lang="en") == seen[(origin, size)]


@pytest.mark.parametrize(
    ("asked", "error", "words"),
    [
        ("0", AsOfOutOfRangeError, "outside this ledger's 1.."),
        ("100000", AsOfOutOfRangeError, "outside this ledger's 1.."),
        ("2019-01-01", AsOfOutOfRangeError, "before this ledger's first event"),
        ("2099-01-01", AsOfOutOfRangeError, "after this ledger's last event"),
        ("2099-01-01T00:00:00Z", AsOfOutOfRangeError, "after this ledger's last event"),
        ("yesterday", MalformedAsOfError, "neither a tree size nor a date"),
        ("2026-01-05T10:00:00", MalformedAsOfError, "needs a time zone"),
    ],
)
def test_an_as_of_outside_the_ledger_is_refused_with_a_clear_message(
    service: LedgerService, clock: ManualClock, unique: str, asked: str, error: type, words: str
) -> None:
    from demo.organisation import Organisation

    org = Organisation(service, f"ledger.example/kort{unique}", "Kommune", clock)
    with pytest.raises(error, match=words):
        resolve_as_of(service.store, org.origin, asked)
