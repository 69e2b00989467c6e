"""The words of every manager action, and the decision form's refusals (no browser)."""

from __future__ import annotations

import pytest

from ledger.domain.state import LedgerState
from web.actions import ACTIONS, checked_payload, words
from web.decision_pages import (
    DecisionInputUntreatedError,
    PrerogativeUndeclaredError,
    decision_inputs,
)
from web.manage_pages import OPEN, guidelines_in_force, managed_bodies

MATTER = "okonomi-4mio"
SHA = "ab" * 32
FORMS = {
    "material": {"doc-title-0": "Notat", "doc-sha256-0": SHA, "bodies": "bal-okonomi"},
    "consultation": {
        "body": "bal-okonomi",
        "question": "Hvad mener I?",
        "respond_by": "2026-12-01",
    },
    "hearing_open": {"bodies": "bal-okonomi\nbal-hjemmepleje", "respond_by": "2026-12-01"},
    "referral": {"committee": "bal-oeu", "date": "2026-12-10", "proposal_reference": "Pkt. 4"},
    "political": {"committee": "bal-oeu", "outcome": "Godkendt.", "date": "2026-12-10"},
    "answer": {"disagreement": "6", "response": "Vi har lyttet."},
    "agreement": {
        "compromise": "10",
        "body": "bal-okonomi",
        "text": "Aftalt.",
        "guideline": "yes",
        "guideline_type": "procedure",
        "guideline_id": "rl-ny",
    },
    "communicated": {"to": "Alle medarbejdere", "channel": "Intranettet"},
    "close": {"reason": "Færdig."},
    "guideline_amend": {
        "guideline": "tidlig-inddragelse",
        "compromise": "10",
        "body": "bal-hmed",
        "text": "Også ved udbud.",
        "guideline_type": "mandatory",
        "effective_from": "2027-02-01",
    },
    "guideline_terminate": {
        "guideline": "tidlig-inddragelse",
        "effective_from": "2027-06-01",
        "reason": "Erstattes.",
    },
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_words_of_every_manager_action(demo_state: LedgerState, name: str) -> None:
    payload = checked_payload(ACTIONS[name], FORMS[name], demo_state, MATTER)
    for lang in ("da", "en"):
        said = words(ACTIONS[name], payload, demo_state, MATTER, lang)
        assert "{" not in said and "Besparelse på 4 mio. kr." in said, said


def test_material_signs_the_digest_and_a_guideline_its_type(demo_state: LedgerState) -> None:
    material = checked_payload(ACTIONS["material"], FORMS["material"], demo_state, MATTER)
    assert material == {"documents": [{"title": "Notat", "sha256": SHA}], "bodies": ["bal-okonomi"]}
    agreed = checked_payload(ACTIONS["agreement"], FORMS["agreement"], demo_state, MATTER)
    said = words(ACTIONS["agreement"], agreed, demo_state, MATTER, "da")
    assert "retningslinje (procedure-retningslinje) med id rl-ny" in said


def test_opening_a_matter_in_words(demo_state: LedgerState) -> None:
    form = {
        "title": "Ny sag",
        "description": "Om noget.",
        "category": "budget",
        "responsible_body": "bal-okonomi",
        "influence_level": "discussion",
        "decision_maker": "okonomichef",
        "planned_decision_date": "2027-01-15",
        "case_number": "24.00",
        "guideline_type": "mandatory",
        "touches_guidelines": "tidlig-inddragelse",
    }
    payload = checked_payload(OPEN, form, demo_state, "ny-sag")
    assert "guideline_type" not in payload  # only a guideline matter has one
    said = words(OPEN, payload, demo_state, "ny-sag", "da")
    assert said.startswith("Du underskriver: Sagen ny-sag «Ny sag» åbnes: Budget")
    assert "Sagsnummer 24.00." in said
    assert "Den berører retningslinjerne tidlig-inddragelse." in said
    assert managed_bodies(demo_state, "okonomichef") == [
        ("bal-hmed", "HovedMED Ballerup"),
        ("bal-okonomi", "Område-MED Økonomi og administration"),
    ]
    assert managed_bodies(demo_state, "tr-okonomi") == []


def test_a_decision_names_each_untreated_input(demo_state: LedgerState) -> None:
    inputs = decision_inputs(demo_state, "budget-forslag")
    required = [i.seq for i in inputs if i.required]
    form = {"outcome": "Ja.", "rationale": "Fordi.", "management_prerogative": "yes"}
    if required:
        with pytest.raises(DecisionInputUntreatedError) as refused:
            checked_payload(ACTIONS["decision"], form, demo_state, "budget-forslag")
        assert refused.value.code == "decision_input_untreated"
        assert refused.value.details["inputs"] == required
    # okonomi-4mio's decision treated its inputs; a second decision need not again,
    # but half a treatment (a reason without a treatment) is refused.
    treated = {"outcome": "Ja.", "rationale": "Fordi.", "reason-5": "Uden behandling."}
    with pytest.raises(DecisionInputUntreatedError):
        checked_payload(ACTIONS["decision"], treated, demo_state, MATTER)
    payload = checked_payload(
        ACTIONS["decision"], treated | {"treatment-5": "adopted"}, demo_state, MATTER
    )
    assert payload["inputs"] == [{"event": 5, "treatment": "adopted", "reason": "Uden behandling."}]


def test_a_decision_without_agreement_declares_the_prerogative(demo_state: LedgerState) -> None:
    form = {"outcome": "Ja.", "rationale": "Fordi."}
    for given in decision_inputs(demo_state, "teknologi-dialog"):
        form |= {f"treatment-{given.seq}": "not_adopted", f"reason-{given.seq}": "Nej."}
    with pytest.raises(PrerogativeUndeclaredError) as refused:
        checked_payload(ACTIONS["decision"], form, demo_state, "teknologi-dialog")
    assert refused.value.code == "decision_prerogative_undeclared"
    form["management_prerogative"] = "yes"
    payload = checked_payload(ACTIONS["decision"], form, demo_state, "teknologi-dialog")
    assert payload["management_prerogative"] is True


def test_a_new_matter_may_touch_the_guidelines_in_force(demo_state: LedgerState) -> None:
    assert "tidlig-inddragelse" in dict(guidelines_in_force(demo_state))


def test_every_field_signed_is_worded_a_documents_link_and_an_agreements_start(
    demo_state: LedgerState,
) -> None:
    linked = FORMS["material"] | {"doc-link-0": "https://intra.example/notat"}
    material = checked_payload(ACTIONS["material"], linked, demo_state, MATTER)
    assert material["documents"][0]["link"] == "https://intra.example/notat"
    for lang in ("da", "en"):
        said = words(ACTIONS["material"], material, demo_state, MATTER, lang)
        assert f"«Notat» (SHA-256 {SHA}, link https://intra.example/notat)" in said, said
    starting = FORMS["agreement"] | {"effective_from": "2027-01-01"}
    agreed = checked_payload(ACTIONS["agreement"], starting, demo_state, MATTER)
    assert agreed["effective_from"] == "2027-01-01"
    da = words(ACTIONS["agreement"], agreed, demo_state, MATTER, "da")
    assert da.endswith("Aftalen gælder fra 1. januar 2027."), da
    en = words(ACTIONS["agreement"], agreed, demo_state, MATTER, "en")
    assert en.endswith("The agreement is in force from 1 January 2027."), en
    plain = checked_payload(ACTIONS["agreement"], FORMS["agreement"], demo_state, MATTER)
    assert "gælder fra" not in words(ACTIONS["agreement"], plain, demo_state, MATTER, "da")
