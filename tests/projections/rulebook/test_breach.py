"""MED-11: management's month to remedy a written breach claim (Rammeaftalen § 21, stk. 1)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.projections.rulebook.memory import municipality, opened


def test_med11_a_remedied_claim_does_not_silence_an_unremedied_one_beside_it() -> None:
    ledger, matter = opened()
    decision = matter.decide()
    remedied = matter.claim(concerns=decision.seq)
    left = matter.claim(concerns=decision.seq)
    matter.act(
        "direktor", "BreachRemedied", claim=remedied.seq, remedy="decision_withdrawn", text="Ok."
    )
    [found] = ledger.findings("MED-11")
    assert (found.key, found.severity) == (f"claim-{left.seq}", "high")
    assert f"about #{decision.seq}" in found.explanation_en
    assert found.explanation_da.endswith("Grundlag: Rammeaftalen § 21, stk. 1 (regionerne: § 20).")


@pytest.mark.parametrize(
    ("event", "field", "extra"),
    [
        ("BreachRemedied", "claim", {"remedy": "decision_reopened", "text": "Genoptaget."}),
        ("DisputeEscalated", "dispute", {"level": "hovedmed", "reason": "Ingen afhjælpning."}),
        ("BreachResolved", "claim", {"resolution": "withdrawn"}),
    ],
)
def test_med11_a_remedy_or_a_step_on_the_dispute_path_moves_the_claim_on(
    event: str, field: str, extra: dict[str, str]
) -> None:
    ledger, matter = opened()
    claim = matter.claim()
    assert len(ledger.findings("MED-11")) == 1
    ledger.advance(days=40)
    matter.act("tr", event, **{field: claim.seq}, **extra)
    assert ledger.findings("MED-11") == []


def test_med11_an_interpretation_dispute_is_not_a_breach_claim() -> None:
    ledger, matter = opened()
    matter.act("tr", "InterpretationDisputed", body="hmed", question="Hvad er en retningslinje?")
    assert ledger.findings("MED-11") == []


@pytest.mark.parametrize(
    ("claimed", "due"),
    [
        (datetime(2026, 12, 15, 10, 30, tzinfo=UTC), datetime(2027, 1, 15, 10, 30, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2027, 1, 31, 23, 0, tzinfo=UTC)),
        (datetime(2027, 1, 31, 8, 0, tzinfo=UTC), datetime(2027, 2, 28, 8, 0, tzinfo=UTC)),
        (datetime(2028, 1, 31, 8, 0, tzinfo=UTC), datetime(2028, 2, 29, 8, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 8, 0, tzinfo=UTC), datetime(2026, 12, 30, 8, 0, tzinfo=UTC)),
    ],
)
def test_med11_the_month_runs_across_year_and_month_ends(claimed: datetime, due: datetime) -> None:
    ledger, matter = opened()
    ledger.now = claimed
    matter.claim()
    [found] = ledger.findings("MED-11")
    assert found.due == due
    assert f"due {due.date()}" in found.explanation_en


def test_med11_months_are_the_claim_bodys_own() -> None:
    ledger = municipality(hmed_rulebook={"med-11.months": 2})
    ledger.now = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    matter = ledger.matter()
    matter.claim()
    [found] = ledger.findings("MED-11")
    assert found.due == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert "within 2 month(s)" in found.explanation_en
