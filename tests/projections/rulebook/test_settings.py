"""Rule parameters per body (its forretningsorden) over the ledger's defaults, as of a leaf."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from projections.rulebook.book import RULEBOOK
from tests.projections.rulebook.memory import Ledger, municipality, opened


def test_a_body_setting_wins_over_the_ledgers_which_wins_over_the_default() -> None:
    ledger = municipality({"med-07.material_days": 10}, hmed_rulebook={"med-07.material_days": 3})
    view, at = ledger.registry, ledger.leaf + 1
    assert view.rule_setting("hmed", "med-07.material_days", 7, at) == 3
    assert view.rule_setting("lmed", "med-07.material_days", 7, at) == 10
    assert view.rule_setting("lmed", "med-12.approval_days", 14, at) == 14
    assert view.rule_setting(None, "med-07.material_days", 7, at) == 10
    assert view.rule_setting("ukendt", "med-07.material_days", 7, at) == 10


def test_a_body_rules_set_takes_effect_after_its_leaf_and_replaces_the_bodys_rules() -> None:
    ledger = municipality(hmed_rulebook={"med-07.material_days": 3, "med-12.approval_days": 20})
    view = ledger.registry
    before = ledger.leaf + 1
    ledger.rules_set("hmed", {"med-07.material_days": 5})
    set_at = ledger.leaf
    assert view.rule_setting("hmed", "med-07.material_days", 7, set_at) == 3
    assert view.rule_setting("hmed", "med-07.material_days", 7, set_at + 1) == 5
    assert view.rule_setting("hmed", "med-12.approval_days", 14, set_at + 1) == 14
    assert view.rule_setting("hmed", "med-12.approval_days", 14, before) == 20


def test_settings_read_as_a_mapping_give_the_ledgers_setting_else_the_default() -> None:
    ledger = municipality({"med-12.approval_days": 21}, hmed_rulebook={"med-12.approval_days": 3})
    settings = RULEBOOK["MED-12"].settings(ledger.registry)
    assert dict(settings) == {"approval_days": 21}
    assert settings("approval_days", "hmed", ledger.leaf + 1) == 3
    assert dict(RULEBOOK["MED-11"].settings(ledger.registry)) == {"months": 1}


def lokalmed_switched_med07_off() -> Ledger:
    ledger = municipality()
    ledger.rules_set("lmed", {"med-07.enabled": 0})
    return ledger


def the_ledger_switched_med07_off_and_hovedmed_back_on() -> Ledger:
    return municipality({"med-07.enabled": 0}, hmed_rulebook={"med-07.enabled": 1})


@pytest.mark.parametrize(
    "switched",
    [
        pytest.param(lokalmed_switched_med07_off, id="a body switches it off for itself"),
        pytest.param(
            the_ledger_switched_med07_off_and_hovedmed_back_on,
            id="a ledger switches it off unless a body switches it back on",
        ),
    ],
)
def test_a_rule_switched_off_finds_only_in_the_bodies_where_it_is_on(
    switched: Callable[[], Ledger],
) -> None:
    ledger = switched()
    matter = ledger.matter()
    matter.share("hmed", "lmed")
    matter.meeting("lmed", present=("leder",))
    matter.meeting()
    assert [f.body for f in ledger.findings("MED-07")] == ["hmed"]


def test_every_explanation_cites_its_rules_ground_in_both_languages() -> None:
    ledger, matter = opened(category="work_environment", influence_level="codetermination")
    matter.hearing()
    matter.propose()
    matter.refer()
    matter.share()
    matter.meeting(present=("direktor",))
    matter.position()
    matter.disagree()
    matter.decide()
    matter.claim()
    undiscussed = ledger.matter("uden", category="work_environment")
    undiscussed.decide()
    undiscussed.meeting(present=("direktor",))
    found = ledger.findings()
    assert {f.rule for f in found} >= {
        f"MED-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
    }
    for finding in found:
        ground = RULEBOOK[finding.rule].ground
        assert finding.ground == ground
        assert finding.explanation_da.endswith(f" Grundlag: {ground}."), finding.rule
        assert finding.explanation_en.endswith(f" Ground: {ground}."), finding.rule
