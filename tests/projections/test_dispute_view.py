"""The dispute view: each breach claim and interpretation dispute on its path, and what is due
from whom by when (SQLite and PostgreSQL).

The test municipality of ``org``: ``tr`` (employees, HovedMED) claims a breach in the
school-structure matter that ``direktor`` (HovedMED's chair) decides.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import BodyNotFoundError
from ledger.protocol.envelope import REGISTRY_STREAM
from projections.read_models.disputes import DisputesReport, disputes
from projections.read_models.source import RowSource
from tests.projections.conftest import ReadModels
from tests.stories.matter import Matter
from tests.stories.register import claim_breach, escalate
from tests.stories.school import school_structure


def view(read: ReadModels, source: RowSource | None = None, **options: object) -> DisputesReport:
    return disputes(source or read.live(), read.origin, **options)  # type: ignore[arg-type]


def test_management_must_remedy_a_breach_claim_within_a_month(
    matter: Matter, clock: ManualClock, read: ReadModels
) -> None:
    clock.advance(days=28)  # 2026-02-02
    claimed = claim_breach(matter)

    (found,) = view(read, lang="en").disputes
    assert (found.kind, found.status, found.level, found.claimant) == (
        "breach_claim",
        "open",
        "local",
        "tr",
    )
    assert (found.seq, found.concerns, found.remedy_due) == (claimed, 1, "2026-03-02")
    assert [step.stage for step in found.path] == ["claim"]
    (due,) = found.due
    assert (due.party, due.people, due.action, due.by, due.overdue) == (
        "management",
        ["direktor"],
        "remedy",
        "2026-03-02",
        False,
    )
    assert "Management must remedy the breach by 2026-03-02" in due.explanation


def test_after_the_window_the_remedy_is_overdue_and_the_employees_may_go_to_hovedmed(
    matter: Matter, clock: ManualClock, read: ReadModels
) -> None:
    claim_breach(matter)
    on_the_last_day = view(read, now=datetime(2026, 2, 5, tzinfo=UTC)).disputes[0]
    the_day_after = view(read, now=datetime(2026, 2, 6, tzinfo=UTC), lang="en").disputes[0]
    assert [d.overdue for d in on_the_last_day.due] == [False]
    assert [(d.party, d.action, d.overdue) for d in the_day_after.due] == [
        ("management", "remedy", True),
        ("employees", "escalate_to_hovedmed", False),
    ]


def test_the_remedy_window_is_a_local_rule_of_the_responsible_body(
    org: Organisation, matter: Matter, read: ReadModels
) -> None:
    org.client("admin").append(
        REGISTRY_STREAM, ev.BodyRulesSet(body="hmed", rulebook={"med-11.months": 2})
    )
    claim_breach(matter)
    assert view(read).disputes[0].remedy_due == "2026-03-05"


def test_the_path_up_to_arbitration_and_its_resolution(
    matter: Matter, clock: ManualClock, read: ReadModels
) -> None:
    claimed = claim_breach(matter)
    clock.advance(days=40)
    escalate(matter, claimed, "hovedmed")
    at_hovedmed = view(read, lang="en").disputes[0]
    assert (at_hovedmed.level, [d.party for d in at_hovedmed.due]) == ("hovedmed", ["hovedmed"])
    assert at_hovedmed.due[0].people == ["direktor"]
    escalate(matter, claimed, "central_parties")
    escalate(matter, claimed, "arbitration")
    assert view(read).disputes[0].due[0].action == "decide"
    matter.act("direktor", ev.BreachResolved(claim=claimed, resolution="fine", level="arbitration"))

    (found,) = view(read).disputes
    assert [s.stage for s in found.path] == [
        "claim",
        "hovedmed",
        "central_parties",
        "arbitration",
        "resolution",
    ]
    assert (found.status, found.resolution, found.due) == ("settled", "fine", [])
    assert found.path[-1].detail == "fine (arbitration)"


def test_a_remedied_claim_awaits_its_outcome_from_the_hovedmed_chair(
    matter: Matter, read: ReadModels
) -> None:
    claimed = claim_breach(matter)
    matter.act(
        "direktor",
        ev.BreachRemedied(claim=claimed, remedy="decision_reopened", text="Sagen genoptages."),
    )
    (found,) = view(read).disputes
    assert (found.status, [s.stage for s in found.path]) == ("remedied", ["claim", "remedy"])
    assert [(d.party, d.action, d.people) for d in found.due] == [
        ("hovedmed", "record_outcome", ["direktor"])
    ]


def test_an_interpretation_dispute_is_kept_apart_and_settled_locally_or_escalated(
    matter: Matter, read: ReadModels
) -> None:
    claim_breach(matter)
    question = int(
        matter.act(
            "direktor",
            ev.InterpretationDisputed(body="hmed", question="Er en høring en drøftelse?"),
        )["seq"]
    )
    kinds = {d.seq: d for d in view(read).disputes}
    dispute = kinds[question]
    assert (dispute.kind, dispute.remedy_due, dispute.claimant) == (
        "interpretation",
        None,
        "direktor",
    )
    assert [(d.party, d.action, d.people) for d in dispute.due] == [
        ("body", "settle_or_escalate", ["direktor", "tr"])
    ]


def test_disputes_per_matter_and_per_body_and_as_of_before_the_claim(
    org: Organisation, matter: Matter, clock: ManualClock, read: ReadModels
) -> None:
    other = Matter(org, "andet")
    other.act("leder", school_structure(clock, responsible_body="lmed", decision_maker="leder"))
    before = read.size()
    claim_breach(matter)
    other.act("tr-lokal", ev.BreachClaimed(body="lmed", concerns=1, text="For sent."))

    assert {d.matter for d in view(read).disputes} == {"skolestruktur", "andet"}
    assert [d.matter for d in view(read, matter="andet").disputes] == ["andet"]
    assert [d.matter for d in view(read, body="lmed").disputes] == ["andet"]
    assert view(read, read.as_of(before)).disputes == []
    with pytest.raises(BodyNotFoundError):
        view(read, body="ukendt")
