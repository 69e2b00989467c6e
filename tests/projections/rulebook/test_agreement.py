"""MED-06: a guideline exists only by agreement (Rammeaftalen § 8)."""

from __future__ import annotations

import pytest

from tests.projections.rulebook.memory import consulted, municipality


@pytest.mark.parametrize("kind", ["procedure", "mandatory"])
def test_med06_a_procedure_or_mandatory_guideline_decided_without_agreement(kind: str) -> None:
    ledger = municipality()
    matter = ledger.guideline(kind)
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
    agreed = ledger.guideline("mandatory", "aftalt")
    agreed.consult()
    agreed.decide(agreed.agree(guideline=True, guideline_type="mandatory", guideline_id="g1"))
    amended = ledger.guideline("procedure", "aendret")
    amended.consult()
    amended.amend("g1", "Ny tekst.", "Ny tekst.")
    amended.decide()
    assert ledger.findings("MED-06") == []


def test_med06_an_agreement_after_the_decision_does_not_cover_it() -> None:
    ledger = municipality()
    matter = ledger.guideline()
    matter.consult()
    decision = matter.decide()
    matter.agree()
    matter.decide()
    assert ledger.keys("MED-06") == [f"decision-{decision.seq}"]


def test_med06_an_optional_guideline_declined_after_a_recorded_negotiation_is_quiet() -> None:
    ledger = municipality()
    consulted = ledger.guideline("optional", "konsulteret")
    consulted.consult()
    consulted.decide(management_prerogative=True)
    met = ledger.guideline("optional", "moede")
    met.meeting()
    met.decide(management_prerogative=True)
    assert ledger.findings("MED-06") == []


def test_med06_an_optional_guideline_declined_without_negotiation_in_the_body() -> None:
    ledger = municipality()
    matter = ledger.guideline("optional")
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
    ledger, matter = consulted(influence_level="codetermination")
    matter.decide()
    [found] = ledger.findings("MED-06")
    assert "co-determination (guidelines), which exists only by agreement" in found.explanation_en


def test_med06_a_discussion_matter_without_a_guideline_is_not_its_business() -> None:
    ledger, matter = consulted(influence_level="discussion")
    matter.decide()
    assert ledger.findings("MED-06") == []


@pytest.mark.parametrize(
    ("kind", "da", "en"),
    [
        ("procedure", "en procedureretningslinje", "a procedure guideline"),
        ("mandatory", "en skal-retningslinje", "a mandatory (skal) guideline"),
        ("optional", "en kan-retningslinje", "an optional (kan) guideline"),
    ],
)
def test_med06_names_the_guideline_type_and_cites_the_opening(kind: str, da: str, en: str) -> None:
    ledger = municipality()
    matter = ledger.guideline(kind)
    first = matter.decide()
    second = matter.decide()
    found = ledger.findings("MED-06")
    assert [[e.seq for e in f.evidence] for f in found] == [[1, first.seq], [1, second.seq]]
    assert found[0].explanation_da.startswith(f"Sagen gælder {da}")
    assert found[0].explanation_en.startswith(f"The matter is {en}")
