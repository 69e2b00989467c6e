"""MED-06: a guideline exists only by agreement (Rammeaftalen § 8)."""

from __future__ import annotations

import pytest

from tests.projections.rulebook.memory import municipality


@pytest.mark.parametrize("kind", ["procedure", "mandatory"])
def test_med06_a_procedure_or_mandatory_guideline_decided_without_agreement(kind: str) -> None:
    ledger = municipality()
    matter = ledger.matter(
        category="guideline", influence_level="codetermination", guideline_type=kind
    )
    matter.consult()
    matter.meeting()
    decision = matter.decide()
    [found] = ledger.findings("MED-06")
    assert (found.key, found.severity, found.ground) == (
        f"decision-{decision.seq}",
        "high",
        "Rammeaftalen § 8",
    )
    assert "which exists only by agreement" in found.explanation_en


def test_med06_quiet_when_agreed_or_amended_by_agreement_before_the_decision() -> None:
    ledger = municipality()
    agreed = ledger.matter(
        "aftalt",
        category="guideline",
        influence_level="codetermination",
        guideline_type="mandatory",
    )
    agreed.consult()
    agreed.decide(agreed.agree(guideline=True, guideline_type="mandatory", guideline_id="g1"))
    amended = ledger.matter(
        "aendret",
        category="guideline",
        influence_level="codetermination",
        guideline_type="procedure",
    )
    amended.consult()
    proposal = amended.act("direktor", "CompromiseProposed", body="hmed", terms="Ny tekst.")
    amended.act(
        "direktor",
        "GuidelineAmended",
        guideline="g1",
        body="hmed",
        compromise=proposal.seq,
        text="Ny tekst.",
    )
    amended.decide()
    assert ledger.findings("MED-06") == []


def test_med06_an_agreement_after_the_decision_does_not_cover_it() -> None:
    ledger = municipality()
    matter = ledger.matter(category="guideline", influence_level="codetermination")
    matter.consult()
    decision = matter.decide()
    matter.agree()
    matter.decide()
    assert ledger.keys("MED-06") == [f"decision-{decision.seq}"]


def test_med06_an_optional_guideline_declined_after_a_recorded_negotiation_is_quiet() -> None:
    ledger = municipality()
    consulted = ledger.matter(
        "konsulteret",
        category="guideline",
        influence_level="codetermination",
        guideline_type="optional",
    )
    consulted.consult()
    consulted.decide(management_prerogative=True)
    met = ledger.matter(
        "moede", category="guideline", influence_level="codetermination", guideline_type="optional"
    )
    met.meeting()
    met.decide(management_prerogative=True)
    assert ledger.findings("MED-06") == []


def test_med06_an_optional_guideline_declined_without_negotiation_in_the_body() -> None:
    ledger = municipality()
    matter = ledger.matter(
        category="guideline", influence_level="codetermination", guideline_type="optional"
    )
    matter.share()
    matter.hearing("hmed")
    matter.consult("lmed")
    decision = matter.decide(management_prerogative=True)
    late = matter.consult()
    [found] = ledger.findings("MED-06")
    assert found.key == f"decision-{decision.seq}"
    assert late.seq > decision.seq
    assert "uden at have forhandlet den i HMED" in found.explanation_da


def test_med06_a_codetermination_matter_of_undeclared_type_needs_agreement() -> None:
    ledger = municipality()
    matter = ledger.matter(influence_level="codetermination")
    matter.consult()
    matter.decide()
    [found] = ledger.findings("MED-06")
    assert "co-determination (guidelines), which exists only by agreement" in found.explanation_en


def test_med06_a_discussion_matter_without_a_guideline_is_not_its_business() -> None:
    ledger = municipality()
    matter = ledger.matter(influence_level="discussion")
    matter.consult()
    matter.decide()
    assert ledger.findings("MED-06") == []
