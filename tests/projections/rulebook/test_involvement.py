"""MED-01, MED-02, MED-03 and MED-09: inform and discuss before deciding (Rammeaftalen § 7).

A hearing informs a body but is never a discussion; MED-03 does not count
it at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.projections.rulebook.memory import consulted, municipality, opened

# --- MED-01 decided without discussion ---------------------------------------------


def test_med01_a_hearing_only_matter_is_decided_without_discussion() -> None:
    ledger, matter = opened()
    hearing = matter.hearing("hmed", "lmed")
    ledger.advance(days=20)
    decision = matter.decide()
    [found] = ledger.findings("MED-01")
    assert (found.key, found.body, found.severity) == (f"decision-{decision.seq}", "hmed", "high")
    assert [e.seq for e in found.evidence] == [1, hearing.seq, decision.seq]
    assert f"Høringen #{hearing.seq} erstatter ikke en drøftelse" in found.explanation_da
    assert "Grundlag: Rammeaftalen § 7, stk. 1 og 2." in found.explanation_da
    assert found.explanation_en.endswith("Ground: Rammeaftalen § 7, stk. 1 og 2.")


def test_med01_material_alone_is_no_discussion_but_a_consultation_or_meeting_is() -> None:
    ledger = municipality()
    shared = ledger.matter("delt")
    shared.share()
    shared.decide()
    consulted = ledger.matter("drøftet")
    consulted.consult()
    consulted.decide()
    met = ledger.matter("mødt", influence_level="codetermination")
    met.meeting()
    met.agree()
    met.decide()
    assert [f.matter for f in ledger.findings("MED-01")] == ["delt"]


def test_med01_only_a_discussion_in_the_responsible_body_counts() -> None:
    ledger, matter = opened()
    matter.consult("lmed")
    matter.meeting("lmed", present=("leder", "tr-lokal"))
    matter.decide()
    assert ledger.keys("MED-01") == ["decision-4"]


def test_med01_a_discussion_after_the_decision_does_not_help_it_but_helps_the_next() -> None:
    ledger, matter = opened()
    first = matter.decide()
    matter.consult()
    matter.decide()
    assert ledger.keys("MED-01") == [f"decision-{first.seq}"]


def test_med01_information_matter_needs_the_body_informed_by_material_hearing_or_discussion() -> (
    None
):
    ledger = municipality()
    uninformed = ledger.matter("uinformeret", influence_level="information")
    uninformed.share("lmed")
    uninformed.decide()
    for name, step in (("materiale", "share"), ("høring", "hearing"), ("møde", "meeting")):
        informed = ledger.matter(name, influence_level="information")
        getattr(informed, step)()
        informed.decide()
    [found] = ledger.findings("MED-01")
    assert found.matter == "uinformeret"
    assert [e.seq for e in found.evidence] == [1, 3]
    assert "uden at HMED var informeret" in found.explanation_da


# --- MED-02 around MED to politics --------------------------------------------------


def test_med02_referred_before_hovedmed_discussed_names_the_later_discussion() -> None:
    ledger, matter = opened()
    matter.share()
    matter.hearing()
    referral = matter.refer()
    later = matter.meeting()
    [found] = ledger.findings("MED-02")
    assert [e.seq for e in found.evidence] == [1, referral.seq, later.seq]
    assert f"first discussed afterwards (#{later.seq})" in found.explanation_en


def test_med02_names_the_responsible_bodys_later_discussion_not_another_bodys() -> None:
    ledger, matter = opened()
    referral = matter.refer()
    matter.consult("lmed")
    later = matter.meeting()
    [found] = ledger.findings("MED-02")
    assert [e.seq for e in found.evidence] == [1, referral.seq, later.seq]


def test_med02_quiet_when_hovedmed_discussed_before_the_referral() -> None:
    ledger, matter = consulted()
    matter.refer()
    assert ledger.findings("MED-02") == []


def test_med02_a_lokalmed_discussion_is_not_the_responsible_bodys() -> None:
    ledger, matter = opened()
    matter.consult("lmed")
    matter.refer()
    assert ledger.keys("MED-02") == ["referral-3"]


# --- MED-03 late information --------------------------------------------------------


def test_med03_material_exactly_14_days_before_the_decision_is_in_time_13_is_late() -> None:
    ledger = municipality()
    in_time = ledger.matter("i-tide")
    in_time.share()
    ledger.advance(days=14)
    in_time.decide()
    late = ledger.matter("sent")
    late.share()
    ledger.advance(days=13)
    late.decide()
    [found] = ledger.findings("MED-03")
    assert (found.matter, found.severity) == ("sent", "medium")
    assert "kun 13 dage før beslutningen" in found.explanation_da


def test_med03_information_on_the_decision_day_is_zero_days_before_it() -> None:
    ledger, matter = opened()
    matter.share()
    matter.decide()
    [found] = ledger.findings("MED-03")
    assert "only 0 days before the decision" in found.explanation_en


def test_med03_information_after_the_political_deadline_counts_the_days_after_it() -> None:
    ledger = municipality()
    matter = ledger.matter(political_deadline=ledger.date(5))
    ledger.advance(days=8)
    first = matter.share()
    [found] = ledger.findings("MED-03")
    assert [e.seq for e in found.evidence] == [1, first.seq]
    assert "3 dage efter den politiske frist" in found.explanation_da
    assert "3 days after the political deadline" in found.explanation_en


def test_med03_material_to_another_body_is_not_the_responsible_bodys() -> None:
    ledger, matter = opened()
    matter.share("lmed")
    ledger.advance(days=20)
    first = matter.consult()
    ledger.advance(days=3)
    matter.decide()
    [found] = ledger.findings("MED-03")
    assert found.evidence[1].seq == first.seq


def test_med03_judges_with_the_setting_in_force_at_the_milestone() -> None:
    ledger, matter = opened()
    matter.share()
    ledger.advance(days=10)
    matter.decide()
    ledger.rules_set("hmed", {"med-03.lead_days": 5})
    matter.act("direktor", "DecisionCommunicated", to="Alle", channel="Intranet")
    [found] = ledger.findings("MED-03")
    assert "at least 14 days" in found.explanation_en


def test_med03_a_hearing_does_not_count_as_information() -> None:
    ledger, matter = opened()
    matter.hearing()
    ledger.advance(days=30)
    matter.share()
    ledger.advance(days=3)
    matter.decide()
    [found] = ledger.findings("MED-03")
    assert [e.type for e in found.evidence] == ["MatterOpened", "MaterialShared", "DecisionMade"]


def test_med03_against_a_political_referral_before_the_decision() -> None:
    ledger, matter = consulted()
    ledger.advance(days=10)
    referral = matter.refer()
    ledger.advance(days=30)
    matter.decide()
    [found] = ledger.findings("MED-03")
    assert found.evidence[-1].seq == referral.seq
    assert "only 10 days before the referral" in found.explanation_en


def test_med03_a_referral_14_days_after_the_first_information_is_in_time() -> None:
    ledger, matter = consulted()
    ledger.advance(days=14)
    matter.refer()
    assert ledger.findings("MED-03") == []


def test_med03_information_after_the_referral_is_no_information_before_it() -> None:
    ledger, matter = opened()
    referral = matter.refer()
    matter.share()
    [found] = ledger.findings("MED-03")
    assert [e.seq for e in found.evidence] == [1, referral.seq]
    assert "neither received material nor discussed the matter before the referral" in (
        found.explanation_en
    )


def test_med03_falls_due_the_first_day_14_days_notice_is_no_longer_possible() -> None:
    ledger = municipality()
    deadline = ledger.now.date() + timedelta(days=30)
    ledger.matter(political_deadline=deadline.isoformat())
    [found] = ledger.findings("MED-03")
    due = deadline - timedelta(days=13)
    assert found.due == datetime(due.year, due.month, due.day, tzinfo=UTC)


def test_med03_lead_days_are_the_responsible_bodys_own_then_the_ledgers() -> None:
    ledger = municipality({"med-03.lead_days": 10}, hmed_rulebook={"med-03.lead_days": 5})
    matter = ledger.matter()
    matter.share()
    ledger.advance(days=5)
    matter.decide()
    assert ledger.findings("MED-03") == []
    other = ledger.matter("lokal", responsible_body="lmed")
    other.share("lmed")
    ledger.advance(days=9)
    other.decide()
    [found] = ledger.findings("MED-03")
    assert "at least 10 days" in found.explanation_en


# --- MED-09 hearing before discussion -----------------------------------------------


def test_med09_a_hearing_before_any_discussion_with_the_later_discussion_named() -> None:
    ledger, matter = opened()
    matter.share()
    hearing = matter.hearing("hmed", "lmed")
    later = matter.consult()
    [found] = ledger.findings("MED-09")
    assert [e.seq for e in found.evidence] == [hearing.seq, later.seq]
    assert found.severity == "medium"


def test_med09_quiet_when_hovedmed_met_before_the_hearing_not_when_only_lokalmed_did() -> None:
    ledger = municipality()
    met = ledger.matter("mødt")
    met.meeting()
    met.hearing()
    local = ledger.matter("lokalt")
    local.meeting("lmed", present=("leder",))
    local.hearing()
    assert [f.matter for f in ledger.findings("MED-09")] == ["lokalt"]
