"""The MED rulebook (DESIGN.md section 6) through the real store: each rule fires, and each
stays quiet, on SQLite and PostgreSQL.

The boundaries of each rule are pinned by the fast tests in
``tests/projections/rulebook/``; these stories check that the same rules
hold end to end: signed events, write-time rules, projections, the
findings read model with each finding's ground.

The stories play in the test municipality of ``org``: the director chairs
HovedMED (``hmed``) and decides; ``tr`` is the employees' vice-chair and
union representative there, ``amr`` their work environment representative,
``sekretaer`` the secretary; ``leder`` and ``tr-lokal`` run the LokalMED
(``lmed``); ``udvalg`` is the political committee.  Time is the ledger's:
a finding that waits for a deadline shows once the ledger's latest claimed
time has passed it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.application import LedgerService
from projections.runner.projector import Projector
from tests.projections.conftest import ReadModels
from tests.stories.process import MINUTES, Story


def time_passes(org: Organisation, clock: ManualClock, days: int) -> None:
    """Days pass and something unrelated is logged, so the ledger's time moves on."""
    clock.advance(days=days)
    org.person(f"nyansat-{uuid.uuid4().hex[:6]}", "Nyansat medarbejder")


def a_ledger_with(
    rulebook: dict[str, int],
    service: LedgerService,
    projector: Projector,
    clock: ManualClock,
    unique: str,
) -> tuple[Organisation, ReadModels]:
    """A municipality of its own whose ledger sets ``rulebook``; the director chairs HovedMED."""
    org = Organisation(service, f"ledger.example/egen{unique}", "Kommune", clock, rulebook=rulebook)
    org.person("direktor", "Dorte Direktør")
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    return org, ReadModels(projector, org.origin)


def met_a_week_after_sharing(story: Story, **meeting: Any) -> int:
    """The material is shared with HovedMED, and a week later (in time for MED-07) the body
    meets on it (``meeting``: changes to the meeting); returns the meeting's seq."""
    story.share()
    story.clock.advance(days=7)
    return story.meeting(**meeting)


# --- each rule stays quiet when the process met the agreement -----------------------


def med01_stays_quiet_when_the_body_discussed_or_an_information_matter_was_shared(
    org: Organisation, clock: ManualClock
) -> None:
    consulted = Story.opened(org, clock, "konsulteret")
    consulted.consult()
    consulted.decide_after(20)
    informed = Story.opened(org, clock, "kun-information", influence_level="information")
    informed.share()
    informed.decide_after(20)


def med02_stays_quiet_when_hovedmed_discussed_it_first(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    clock.advance(days=30)
    story.refer()


def med03_stays_quiet_with_three_weeks_notice(org: Organisation, clock: ManualClock) -> None:
    story = Story.opened(org, clock)
    story.consult()
    story.decide_after(21)


def med04_stays_quiet_when_the_disagreement_is_answered_before_the_decision(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    story.answer(story.disagree())
    story.decide_after(20)


def med05_stays_quiet_when_every_input_is_treated(org: Organisation, clock: ManualClock) -> None:
    story = Story.opened(org, clock)
    story.consult()
    story.decide_after(20, story.position())


def med06_stays_quiet_when_both_sides_agreed_first(org: Organisation, clock: ManualClock) -> None:
    story = Story.guideline(org, clock, "trivselspolitik", "procedure")
    story.consult()
    story.decide_after(20, story.agree())


def med06_stays_quiet_when_an_optional_guideline_is_declined_after_a_negotiation(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.guideline(org, clock, "hjemmearbejde", "optional")
    story.consult()
    meeting = story.meeting()
    story.approve(meeting, by="direktor")
    story.approve(meeting, by="tr")
    story.decide_after(20)


def med07_stays_quiet_with_a_week_to_read(org: Organisation, clock: ManualClock) -> None:
    story = Story.opened(org, clock)
    met_a_week_after_sharing(story)


def med08_stays_quiet_when_the_amr_was_there_or_had_the_material(
    org: Organisation, clock: ManualClock
) -> None:
    present = Story.opened(org, clock, "stoej", category="work_environment")
    present.consult()
    present.meeting()
    given = Story.opened(org, clock, "indeklima", category="work_environment")
    met_a_week_after_sharing(given, present=("direktor", "sekretaer", "tr"), absent=("amr",))


def med09_stays_quiet_when_hovedmed_met_before_the_hearing(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    story.meeting()
    story.hearing(bodies=("hmed", "lmed"))


def med10_stays_quiet_when_a_decision_treated_the_proposal_first(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock, "budget", category="budget")
    story.share(bodies=("hmed", "lmed"))
    story.consult()
    story.decide_after(20, story.propose())
    story.refer()


def med11_stays_quiet_when_management_remedies_within_the_month(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    claim = story.claim_breach("For kort varsel.", concerns=2)
    clock.advance(days=10)
    story.act(
        "direktor",
        ev.BreachRemedied(claim=claim, remedy="decision_reopened", text="Sagen tages op igen."),
    )
    time_passes(org, clock, 60)


def med12_stays_quiet_when_approved_in_time_also_at_the_next_meeting(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    first = met_a_week_after_sharing(story)
    clock.advance(days=10)
    second = story.meeting()
    for chair in ("direktor", "tr"):
        story.act(
            chair, ev.MinutesApproved(meeting=first, minutes_sha256=MINUTES, at_meeting=second)
        )
    clock.advance(days=2)
    story.approve(second, by="direktor")
    story.approve(second, by="tr")
    time_passes(org, clock, 30)


QUIET_STORIES = [
    med01_stays_quiet_when_the_body_discussed_or_an_information_matter_was_shared,
    med02_stays_quiet_when_hovedmed_discussed_it_first,
    med03_stays_quiet_with_three_weeks_notice,
    med04_stays_quiet_when_the_disagreement_is_answered_before_the_decision,
    med05_stays_quiet_when_every_input_is_treated,
    med06_stays_quiet_when_both_sides_agreed_first,
    med06_stays_quiet_when_an_optional_guideline_is_declined_after_a_negotiation,
    med07_stays_quiet_with_a_week_to_read,
    med08_stays_quiet_when_the_amr_was_there_or_had_the_material,
    med09_stays_quiet_when_hovedmed_met_before_the_hearing,
    med10_stays_quiet_when_a_decision_treated_the_proposal_first,
    med11_stays_quiet_when_management_remedies_within_the_month,
    med12_stays_quiet_when_approved_in_time_also_at_the_next_meeting,
]


@pytest.mark.parametrize("tell", QUIET_STORIES, ids=lambda story: story.__name__)
def test_each_rule_stays_quiet(
    tell: Callable[[Organisation, ManualClock], None],
    org: Organisation,
    clock: ManualClock,
    read: ReadModels,
) -> None:
    tell(org, clock)
    assert read.rules() == []


# --- each rule fires, its finding carrying its ground ------------------------------


def test_med01_a_hearing_only_matter_is_decided_without_discussion(
    story: Story, read: ReadModels
) -> None:
    hearing = story.hearing(bodies=("hmed", "lmed"))
    decision = story.decide_after(20)
    assert read.rules() == ["MED-01", "MED-03", "MED-09"]
    [found] = read.findings(rule="MED-01").findings
    assert (found.matter, found.body, found.severity) == ("skolestruktur", "hmed", "high")
    assert found.ground == "Rammeaftalen § 7, stk. 1 og 2"
    assert [e.seq for e in found.evidence] == [1, hearing, decision]
    assert f"Høringen #{hearing} erstatter ikke en drøftelse" in found.explanation
    assert found.explanation.endswith("Grundlag: Rammeaftalen § 7, stk. 1 og 2.")


def test_med02_a_proposal_referred_to_politics_before_hovedmed_discussed_it(
    story: Story, clock: ManualClock, read: ReadModels
) -> None:
    story.share()
    clock.advance(days=1)
    referral = story.refer()
    clock.advance(days=2)
    later = story.meeting()
    found = read.findings(rule="MED-02", lang="en").findings
    assert [(f.rule, f.ground) for f in found] == [("MED-02", "Rammeaftalen § 7, stk. 1 og 2")]
    assert [e.seq for e in found[0].evidence] == [1, referral, later]
    assert f"first discussed afterwards (#{later})" in found[0].explanation


def test_med03_information_ten_days_before_the_political_referral_is_late(
    story: Story, clock: ManualClock, read: ReadModels
) -> None:
    story.consult()
    clock.advance(days=10)
    story.refer()
    found = read.findings(rule="MED-03", lang="en").findings
    assert [f.rule for f in found] == ["MED-03"]
    assert "only 10 days before the referral" in found[0].explanation


def test_med03_warns_as_the_political_deadline_nears_without_information(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, political_deadline=clock.date(days=20))
    time_passes(org, clock, 5)
    assert read.rules() == [], "15 days before the deadline there is still time"
    time_passes(org, clock, 2)
    assert read.rules() == ["MED-03"], "13 days before the deadline, nobody informed"
    story.consult()
    assert read.rules() == ["MED-03"], "informing HovedMED now is still late"


def test_med03_lead_days_are_set_per_ledger(
    service: LedgerService, clock: ManualClock, unique: str, projector: Projector
) -> None:
    org, read = a_ledger_with({"med-03.lead_days": 3}, service, projector, clock, unique)
    story = Story.opened(org, clock)
    story.consult()
    story.decide_after(5)
    assert read.rules() == []


def test_med04_an_answered_disagreement_beside_an_unanswered_one(
    story: Story, clock: ManualClock, read: ReadModels
) -> None:
    story.consult()
    answered = story.disagree()
    story.answer(answered)
    unanswered = story.disagree()
    assert read.rules() == [], "no finding while no decision is made"
    decision = story.decide_after(20)
    found = read.findings(rule="MED-04").findings
    assert [(f.severity, [e.seq for e in f.evidence]) for f in found] == [
        ("low", [unanswered, decision])
    ]
    clock.advance(days=1)
    late = story.answer(unanswered)
    [still] = read.findings(rule="MED-04").findings
    assert f"først besvaret bagefter (#{late})" in still.explanation, "late is not at the decision"
    assert read.dossier("skolestruktur").document["disagreements"][1]["open_at_decision"]


def test_med05_a_position_the_decision_does_not_mention(story: Story, read: ReadModels) -> None:
    story.consult()
    position = story.position()
    story.decide_after(20)
    found = read.findings(rule="MED-05").findings
    assert [(f.body, f.severity, [e.seq for e in f.evidence]) for f in found] == [
        ("hmed", "low", [position, 4])
    ]
    story.decide(position)
    assert read.rules() == [], "a later decision that treats it addresses it"


def test_med05_survives_the_erasure_of_the_decisions_text(story: Story, read: ReadModels) -> None:
    """Erasing a decision's outcome and rationale under the GDPR keeps its inputs: the rule
    still sees that the position was not treated (an erasure once switched MED-05 off)."""
    story.consult()
    story.position()
    decision = story.decide_after(20)
    assert read.rules() == ["MED-05"]
    erase = ev.PayloadRedacted(event=decision, fields=["outcome", "rationale"], legal_basis="GDPR")
    story.act("admin", erase)
    assert read.rules() == ["MED-05"]
    erased = read.timeline("skolestruktur").entries[decision - 1]
    assert erased.redacted


def test_med06_a_procedure_guideline_decided_without_an_agreement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.guideline(org, clock, "trivselspolitik", "procedure")
    story.consult()
    story.decide_after(20)
    [found] = read.findings(rule="MED-06").findings
    assert (found.severity, found.ground) == ("high", "Rammeaftalen § 8")
    assert "en procedureretningslinje, som kun findes ved aftale" in found.explanation


def test_med06_an_optional_guideline_declined_without_any_negotiation(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.guideline(org, clock, "hjemmearbejde", "optional", "information")
    story.share()
    story.decide_after(20)
    assert read.rules() == ["MED-06"]


def test_med07_material_on_the_meeting_day_until_the_body_allows_it(
    story: Story, org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story.share()
    story.meeting()
    found = read.findings(rule="MED-07", lang="en").findings
    assert [f.ground for f in found] == ["lokal regel (forretningsorden)"]
    assert "came 0 days before the meeting of HovedMED" in found[0].explanation
    assert "at least 7 days" in found[0].explanation
    org.registry(ev.BodyRulesSet(body="hmed", rulebook={"med-07.material_days": 0}))
    clock.advance(days=1)
    story.share()
    story.meeting()
    assert len(read.findings(rule="MED-07").findings) == 1, "only the earlier meeting"


def test_a_rule_can_be_switched_off_per_ledger(
    service: LedgerService, clock: ManualClock, unique: str, projector: Projector
) -> None:
    org, read = a_ledger_with({"med-07.enabled": 0}, service, projector, clock, unique)
    org.person("sekretaer", "Svend Sekretær")
    org.appoint("hmed", "sekretaer", "management", "secretary")
    story = Story.opened(org, clock)
    story.share()
    story.meeting(present=("direktor", "sekretaer"))
    assert "MED-07" not in read.rules()


def test_med08_noise_discussed_while_the_amr_was_absent_and_had_no_material(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, "stoej", category="work_environment")
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr"), absent=("amr",))
    [found] = read.findings(rule="MED-08").findings
    assert found.severity == "medium"
    assert "uden at arbejdsmiljørepræsentanten (amr) var til stede" in found.explanation


def test_med08_judges_the_amr_role_as_it_was_at_the_meeting(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """HovedMED had no AMR at the meeting; appointing one afterwards changes nothing."""
    org.registry(ev.MemberLeft(body="hmed", person="amr"))
    story = Story.opened(org, clock, "stoej", category="work_environment")
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr"))
    assert read.rules() == ["MED-08"]
    assert "ingen arbejdsmiljørepræsentant" in read.findings().findings[0].explanation
    org.appoint("hmed", "amr", "employees", "amr")
    assert read.rules() == ["MED-08"]


def test_med09_hovedmed_only_discussed_after_the_proposal_went_to_hearing(
    story: Story, clock: ManualClock, read: ReadModels
) -> None:
    story.share()
    hearing = story.hearing(bodies=("hmed", "lmed"))
    clock.advance(days=3)
    later = story.consult()
    found = read.findings(rule="MED-09").findings
    assert [[e.seq for e in f.evidence] for f in found] == [[hearing, later]]


def test_med10_a_lokalmed_proposal_untreated_when_the_matter_goes_to_politics(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, "budget", category="budget")
    story.share(bodies=("hmed", "lmed"))
    story.consult()
    proposal = story.propose()
    clock.advance(days=20)
    referral = story.refer()
    found = read.findings(rule="MED-10").findings
    assert [(f.body, f.severity, [e.seq for e in f.evidence]) for f in found] == [
        ("lmed", "low", [proposal, referral])
    ]


def test_med11_the_month_runs_per_claim_and_escalation_moves_a_claim_on(
    story: Story, org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story.refer()
    story.share()
    remedied = story.claim_breach("Sendt til politikerne uden om MED.", concerns=2)
    left = story.claim_breach("Materialet kom for sent.", concerns=3)
    story.act(
        "direktor",
        ev.BreachRemedied(claim=remedied, remedy="decision_withdrawn", text="Trukket tilbage."),
    )
    time_passes(org, clock, 20)
    assert "MED-11" not in read.rules()
    time_passes(org, clock, 15)
    found = read.findings(rule="MED-11").findings
    assert [(f.severity, [e.seq for e in f.evidence]) for f in found] == [("high", [3, left])]
    assert "MED-11" not in read.rules(now=clock.now - timedelta(days=10)), "an explicit now"
    story.act(
        "tr", ev.DisputeEscalated(dispute=left, level="hovedmed", reason="Ingen afhjælpning.")
    )
    assert "MED-11" not in read.rules()


def test_med12_the_chairs_approval_alone_and_a_second_meeting_after_an_approved_first(
    story: Story, org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    first = met_a_week_after_sharing(story)
    story.approve(first, by="direktor")
    story.approve(first, by="tr")
    clock.advance(days=7)
    second = story.meeting()
    story.approve(second, by="direktor")
    time_passes(org, clock, 14)
    assert "MED-12" not in read.rules(), "the 14th day is still in time"
    time_passes(org, clock, 1)
    found = read.findings(rule="MED-12").findings
    assert [[e.seq for e in f.evidence] for f in found] == [[second]]
    story.approve(second, by="tr")
    assert "MED-12" not in read.rules(), "approved, if late"
