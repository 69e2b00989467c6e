"""The MED rulebook (DESIGN.md section 6), rule by rule: each fires, and each stays quiet.

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

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.application import LedgerService
from projections.rulebook.book import RULEBOOK, Rulebook
from projections.rulebook.involvement import med_01
from projections.runner.projector import Projector
from tests.projections.conftest import ReadModels
from tests.stories.process import Story


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


# --- the registry of rules ----------------------------------------------------------


def test_the_rulebook_holds_med01_to_med16_in_order_each_with_ground_severity_titles_and_parameters() -> (
    None
):
    assert RULEBOOK.ids == tuple(f"MED-{n:02d}" for n in range(1, 17))
    high, medium, low = (
        {rule.id for rule in RULEBOOK if rule.severity == level}
        for level in ("high", "medium", "low")
    )
    assert high == {"MED-01", "MED-02", "MED-04", "MED-06", "MED-11", "MED-14", "MED-16"}
    assert medium == {"MED-03", "MED-05", "MED-08", "MED-09", "MED-10", "MED-13", "MED-15"}
    assert low == {"MED-07", "MED-12"}
    for rule in RULEBOOK:
        assert rule.ground and rule.title_da and rule.title_en, rule.id
        assert RULEBOOK[rule.id] is rule and rule.id in RULEBOOK
    parameters = {
        rule.key(name): value for rule in RULEBOOK for name, value in rule.parameters.items()
    }
    assert parameters == {
        "med-03.lead_days": 14,
        "med-07.material_days": 5,
        "med-11.months": 1,
        "med-12.approval_days": 14,
    }


def test_a_rule_is_registered_once() -> None:
    with pytest.raises(ValueError, match="MED-01 registered twice"):
        Rulebook.of(med_01, med_01)


# --- each rule stays quiet when the process was followed ----------------------------


def med01_stays_quiet_when_the_body_was_consulted_or_the_matter_is_information_only(
    org: Organisation, clock: ManualClock
) -> None:
    consulted = Story.opened(org, clock, "konsulteret")
    consulted.consult()
    consulted.decide_after(20)
    informed = Story.opened(org, clock, "kun-information", influence_level="information")
    informed.share()
    informed.decide_after(20)


def med02_stays_quiet_when_hovedmed_was_informed_first(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.share()
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
    story = Story.opened(
        org, clock, "trivselspolitik", category="guideline", influence_level="codetermination"
    )
    story.consult()
    story.decide_after(20, story.agree())


def med07_stays_quiet_with_a_week_to_read(org: Organisation, clock: ManualClock) -> None:
    story = Story.opened(org, clock)
    story.share()
    clock.advance(days=7)
    story.meeting()


def med08_stays_quiet_when_the_amr_was_there(org: Organisation, clock: ManualClock) -> None:
    story = Story.opened(org, clock, "stoej", category="work_environment")
    story.consult()
    story.meeting()


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


def med11_stays_quiet_when_the_claim_is_resolved_within_the_month(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.share()
    claim = story.claim_breach("For kort varsel.")
    clock.advance(days=10)
    story.act("direktor", ev.BreachResolved(claim=claim, resolution="rejected"))
    time_passes(org, clock, 60)


def med12_stays_quiet_when_both_sides_approve_in_time(
    org: Organisation, clock: ManualClock
) -> None:
    story = Story.opened(org, clock)
    story.share()
    clock.advance(days=7)
    meeting = story.meeting()
    clock.advance(days=3)
    story.approve(meeting, by="direktor")
    story.approve(meeting, by="tr")
    time_passes(org, clock, 30)


QUIET_STORIES = [
    med01_stays_quiet_when_the_body_was_consulted_or_the_matter_is_information_only,
    med02_stays_quiet_when_hovedmed_was_informed_first,
    med03_stays_quiet_with_three_weeks_notice,
    med04_stays_quiet_when_the_disagreement_is_answered_before_the_decision,
    med05_stays_quiet_when_every_input_is_treated,
    med06_stays_quiet_when_both_sides_agreed_first,
    med07_stays_quiet_with_a_week_to_read,
    med08_stays_quiet_when_the_amr_was_there,
    med09_stays_quiet_when_hovedmed_met_before_the_hearing,
    med10_stays_quiet_when_a_decision_treated_the_proposal_first,
    med11_stays_quiet_when_the_claim_is_resolved_within_the_month,
    med12_stays_quiet_when_both_sides_approve_in_time,
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


# --- MED-01 decided without involvement ------------------------------------------


def test_med01_a_decision_with_only_information_given_is_decided_without_involvement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.share()
    story.decide_after(20)
    found = read.findings(rule="MED-01").findings
    assert [(f.rule, f.matter, f.body, f.severity) for f in found] == [
        ("MED-01", "skolestruktur", "hmed", "high")
    ]
    assert [e.seq for e in found[0].evidence] == [1, 3]
    assert "uden at HovedMED var inddraget" in found[0].explanation


# --- MED-02 around MED to politics ------------------------------------------------


def test_med02_a_proposal_referred_to_politics_before_hovedmed_heard_of_it(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    clock.advance(days=1)
    story.refer()
    clock.advance(days=2)
    story.share()
    found = read.findings(rule="MED-02", lang="en").findings
    assert [f.rule for f in found] == ["MED-02"]
    assert [e.seq for e in found[0].evidence] == [1, 2, 3]
    assert "first involved afterwards (#3)" in found[0].explanation


# --- MED-03 late involvement ------------------------------------------------------


def test_med03_involvement_five_days_before_the_decision_is_late(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    clock.advance(days=10)
    story.consult()
    story.decide_after(5)
    found = read.findings(rule="MED-03").findings
    assert len(found) == 1
    assert "kun 5 dage før beslutningen" in found[0].explanation


def test_med03_warns_as_the_political_deadline_nears_without_involvement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, political_deadline=clock.date(days=20))
    time_passes(org, clock, 5)
    assert read.rules() == [], "15 days before the deadline there is still time"
    time_passes(org, clock, 2)
    assert read.rules() == ["MED-03"], "13 days before the deadline, nobody involved"
    story.consult()
    assert read.rules() == ["MED-03"], "involving HovedMED now is still late"


def test_med03_lead_days_are_set_per_ledger(
    service: LedgerService, clock: ManualClock, unique: str, projector: Projector
) -> None:
    org, read = a_ledger_with({"med-03.lead_days": 3}, service, projector, clock, unique)
    story = Story.opened(org, clock)
    story.consult()
    story.decide_after(5)
    assert read.rules() == []


# --- MED-04 unanswered disagreement -----------------------------------------------


def test_med04_a_disagreement_left_unanswered_at_the_decision_until_it_is_answered(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    disagreement = story.disagree()
    assert read.rules() == [], "no finding while no decision is made"
    story.decide_after(20)
    assert read.rules() == ["MED-04"]
    clock.advance(days=1)
    story.answer(disagreement)
    assert read.rules() == [], "the late answer closes the finding"
    assert read.dossier("skolestruktur").document["disagreements"][0]["open_at_decision"]


# --- MED-05 input not addressed ---------------------------------------------------


def test_med05_a_position_the_decision_does_not_mention(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.consult()
    position = story.position()
    story.decide_after(20)
    found = read.findings(rule="MED-05").findings
    assert [(f.body, [e.seq for e in f.evidence]) for f in found] == [("hmed", [position, 4])]
    story.decide(position)
    assert read.rules() == [], "a later decision that treats it addresses it"


def test_med05_survives_the_erasure_of_the_decisions_text(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """Erasing a decision's outcome and rationale under the GDPR keeps its inputs: the rule
    still sees that the position was not treated (an erasure once switched MED-05 off)."""
    story = Story.opened(org, clock)
    story.consult()
    story.position()
    decision = story.decide_after(20)
    assert read.rules() == ["MED-05"]
    erase = ev.PayloadRedacted(event=decision, fields=["outcome", "rationale"], legal_basis="GDPR")
    story.act("admin", erase)
    assert read.rules() == ["MED-05"]
    erased = read.timeline("skolestruktur").entries[decision - 1]
    assert erased.redacted


# --- MED-06 co-determination without agreement ----------------------------------


def test_med06_a_guideline_decided_without_an_agreement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(
        org, clock, "trivselspolitik", category="guideline", influence_level="codetermination"
    )
    story.consult()
    story.decide_after(20)
    assert read.rules() == ["MED-06"]


# --- MED-07 material too late -----------------------------------------------------


def test_med07_material_two_days_before_the_meeting(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.share()
    clock.advance(days=2)
    story.meeting()
    found = read.findings(rule="MED-07", lang="en").findings
    assert len(found) == 1
    assert "came 2 days before the meeting of HovedMED" in found[0].explanation


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


# --- MED-08 work environment without AMR ------------------------------------------


def test_med08_noise_discussed_while_the_amr_was_absent(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, "stoej", category="work_environment")
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr"), absent=("amr",))
    found = read.findings(rule="MED-08").findings
    assert len(found) == 1
    assert "AMR fraværende: amr" in found[0].explanation


def test_med08_judges_the_amr_role_as_it_was_at_the_meeting(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """Anna was only a member at the meeting; making her AMR afterwards changes nothing."""
    org.person("anna", "Anna Andersen")
    org.appoint("hmed", "anna", "employees", "member")
    org.registry(ev.MemberLeft(body="hmed", person="amr"))
    story = Story.opened(org, clock, "stoej", category="work_environment")
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr", "anna"))
    assert read.rules() == ["MED-08"]
    org.registry(ev.MemberLeft(body="hmed", person="anna"))
    org.appoint("hmed", "anna", "employees", "amr")
    assert read.rules() == ["MED-08"]


# --- MED-09 consultation after hearing ------------------------------------------


def test_med09_hovedmed_only_heard_after_the_proposal_went_to_hearing(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.share()
    story.hearing(bodies=("hmed", "lmed"))
    clock.advance(days=3)
    later = story.consult()
    found = read.findings(rule="MED-09").findings
    assert [[e.seq for e in f.evidence] for f in found] == [[3, later]]


# --- MED-10 proposal unanswered -------------------------------------------------


def test_med10_a_lokalmed_proposal_untreated_when_the_hearing_opens(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock, "budget", category="budget")
    story.share(bodies=("hmed", "lmed"))
    story.consult()
    proposal = story.propose()
    story.hearing(bodies=("hmed", "lmed"))
    found = read.findings(rule="MED-10").findings
    assert [(f.body, [e.seq for e in f.evidence]) for f in found] == [("lmed", [proposal, 5])]


# --- MED-11 breach claim unresolved ---------------------------------------------


def test_med11_a_breach_claim_still_open_after_a_month(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.refer()
    story.share()
    claim = story.claim_breach("Sendt til politikerne uden om MED.")
    time_passes(org, clock, 20)
    assert "MED-11" not in read.rules()
    time_passes(org, clock, 15)
    assert "MED-11" in read.rules()
    assert "MED-11" not in read.rules(now=clock.now - timedelta(days=10)), "an explicit now"
    story.act(
        "direktor",
        ev.BreachResolved(claim=claim, resolution="compensated", comment="Sagen tages om."),
    )
    assert "MED-11" not in read.rules()


# --- MED-12 minutes not approved ------------------------------------------------


def test_med12_minutes_approved_by_the_chair_alone_are_flagged_after_two_weeks(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.opened(org, clock)
    story.share()
    clock.advance(days=7)
    meeting = story.meeting()
    story.approve(meeting, by="direktor")
    time_passes(org, clock, 14)
    assert "MED-12" not in read.rules(), "the 14th day is still in time"
    time_passes(org, clock, 1)
    assert "MED-12" in read.rules()
    story.approve(meeting, by="tr")
    assert "MED-12" not in read.rules(), "approved, if late"
