"""MED-04, MED-05 and MED-10: answering what MED said (good practice, severity low)."""

from __future__ import annotations

from tests.projections.rulebook.memory import consulted, municipality, opened

# --- MED-04 unanswered disagreement at the decision --------------------------------


def test_med04_an_answered_disagreement_does_not_silence_an_unanswered_one_beside_it() -> None:
    ledger, matter = consulted()
    answered = matter.disagree()
    unanswered = matter.disagree()
    matter.answer(answered)
    decision = matter.decide()
    [found] = ledger.findings("MED-04")
    assert (found.key, found.severity) == (f"disagreement-{unanswered.seq}", "low")
    assert [e.seq for e in found.evidence] == [unanswered.seq, decision.seq]
    assert "og er det stadig" in found.explanation_da
    assert found.explanation_da.endswith("Grundlag: medansvar (god praksis).")


def test_med04_an_answer_after_the_decision_is_not_an_answer_at_it() -> None:
    ledger, matter = consulted()
    disagreement = matter.disagree()
    decision = matter.decide()
    late = matter.answer(disagreement)
    [found] = ledger.findings("MED-04")
    assert [e.seq for e in found.evidence] == [disagreement.seq, decision.seq, late.seq]
    assert f"answered only afterwards (#{late.seq})" in found.explanation_en


def test_med04_waits_for_a_decision_and_judges_each_disagreement_at_the_next_one() -> None:
    ledger, matter = consulted()
    first = matter.disagree()
    assert ledger.findings("MED-04") == []
    matter.answer(first)
    matter.decide()
    second = matter.disagree()
    matter.decide()
    assert ledger.keys("MED-04") == [f"disagreement-{second.seq}"]


def test_med04_a_declared_legitimate_difference_answered_before_the_decision_is_quiet() -> None:
    ledger, matter = consulted()
    difference = matter.act(
        "tr", "DisagreementRecorded", body="hmed", points=["Nej."], legitimate_difference=True
    )
    matter.answer(difference)
    matter.decide(difference)
    assert ledger.findings("MED-04") == []


# --- MED-05 input not addressed -----------------------------------------------------


def test_med05_each_untreated_input_before_a_decision_is_one_finding() -> None:
    ledger, matter = consulted()
    treated = matter.position()
    untreated = matter.propose()
    response = matter.respond()
    decision = matter.decide(treated)
    after = matter.position()
    found = ledger.findings("MED-05")
    assert [(f.key, f.severity) for f in found] == [
        (f"input-{untreated.seq}", "low"),
        (f"input-{response.seq}", "low"),
    ]
    assert [e.seq for e in found[0].evidence] == [untreated.seq, decision.seq]
    assert after.seq > decision.seq, "an input after the last decision waits for the next"


def test_med05_a_later_decision_that_treats_the_input_addresses_it() -> None:
    ledger, matter = consulted()
    position = matter.position()
    matter.decide()
    assert ledger.keys("MED-05") == [f"input-{position.seq}"]
    matter.decide(position)
    assert ledger.findings("MED-05") == []


# --- MED-10 proposal from MED untreated at the hearing or the referral ------------------


def test_med10_a_proposal_untreated_before_the_referral() -> None:
    ledger, matter = consulted()
    proposal = matter.propose()
    referral = matter.refer()
    [found] = ledger.findings("MED-10")
    assert (found.body, found.severity) == ("lmed", "low")
    assert [e.seq for e in found.evidence] == [proposal.seq, referral.seq]
    assert "when it went to politics" in found.explanation_en


def test_med10_a_decision_treating_the_proposal_counts_only_before_the_gate() -> None:
    ledger = municipality()
    before = ledger.matter("foer")
    before.consult()
    proposal = before.propose()
    before.decide(proposal)
    before.refer()
    after = ledger.matter("efter")
    after.consult()
    late = after.propose()
    after.hearing("hmed", "lmed")
    after.decide(late)
    [found] = ledger.findings("MED-10")
    assert found.matter == "efter"
    assert "da sagen gik videre til høringen" in found.explanation_da


def test_med10_a_proposal_after_the_gate_waits_for_the_next_one() -> None:
    ledger, matter = consulted()
    matter.refer()
    proposal = matter.propose()
    assert ledger.findings("MED-10") == []
    matter.hearing("lmed")
    assert ledger.keys("MED-10") == [f"proposal-{proposal.seq}"]


def test_med05_names_the_kind_of_input_and_its_body_in_both_languages() -> None:
    ledger, matter = consulted()
    position = matter.position()
    decision = matter.decide()
    [found] = ledger.findings("MED-05")
    assert found.explanation_da.startswith(
        f"#{position.seq} (holdning fremsat, HMED) kom før beslutningen #{decision.seq}"
    )
    assert found.explanation_en.startswith(
        f"#{position.seq} (position stated, HMED) came before decision #{decision.seq}"
    )


def test_med10_a_treated_proposal_does_not_silence_an_untreated_one_after_it() -> None:
    ledger, matter = consulted()
    treated = matter.propose()
    untreated = matter.propose()
    matter.decide(treated)
    hearing = matter.hearing("hmed", "lmed")
    [found] = ledger.findings("MED-10")
    assert [e.seq for e in found.evidence] == [untreated.seq, hearing.seq]
    assert "when the hearing opened" in found.explanation_en


def test_med10_names_the_referral_in_danish_too() -> None:
    ledger, matter = opened()
    matter.propose()
    matter.refer()
    [found] = ledger.findings("MED-10")
    assert "da sagen gik videre til den politiske behandling" in found.explanation_da
