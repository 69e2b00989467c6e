"""The rulebook's register: each rule once, with its ground, severity, titles and parameters."""

from __future__ import annotations

import pytest

from projections.rulebook.book import RULEBOOK, Rulebook
from projections.rulebook.involvement import med_01
from tests.projections.rulebook.memory import opened

GROUNDS = {
    "MED-01": "Rammeaftalen § 7, stk. 1 og 2",
    "MED-02": "Rammeaftalen § 7, stk. 1 og 2",
    "MED-03": "Rammeaftalen § 7, stk. 2; antal dage: lokal regel (forretningsorden)",
    "MED-04": "medansvar (god praksis)",
    "MED-05": "god praksis (medansvar); jf. Rammeaftalen § 7, stk. 2-3",
    "MED-06": "Rammeaftalen § 8",
    "MED-07": "lokal regel (forretningsorden)",
    "MED-08": "arbejdsmiljøloven og den lokale MED-aftale (MED-udvalget som arbejdsmiljøorganisation)",
    "MED-09": "Rammeaftalen § 7, stk. 2",
    "MED-10": "god praksis (medansvar); jf. Rammeaftalen § 7, stk. 2-3",
    "MED-11": "Rammeaftalen § 21, stk. 1 (regionerne: § 20)",
    "MED-12": "lokal regel (forretningsorden)",
}


def test_each_rule_is_registered_with_its_ground_severity_titles_and_parameters() -> None:
    assert RULEBOOK.ids[:12] == tuple(f"MED-{n:02d}" for n in range(1, 13))
    assert {rule.id: rule.ground for rule in RULEBOOK if rule.id in GROUNDS} == GROUNDS
    severities = {rule.id: rule.severity for rule in RULEBOOK if rule.id in GROUNDS}
    assert {i for i, s in severities.items() if s == "high"} == {
        "MED-01",
        "MED-02",
        "MED-06",
        "MED-11",
    }
    assert {i for i, s in severities.items() if s == "medium"} == {"MED-03", "MED-08", "MED-09"}
    assert {i for i, s in severities.items() if s == "low"} == {
        "MED-04",
        "MED-05",
        "MED-07",
        "MED-10",
        "MED-12",
    }
    for rule in RULEBOOK:
        assert rule.title_da and rule.title_en, rule.id
        assert RULEBOOK[rule.id] is rule and rule.id in RULEBOOK
    parameters = {
        rule.key(name): value
        for rule in RULEBOOK
        if rule.id in GROUNDS
        for name, value in rule.parameters.items()
    }
    assert parameters == {
        "med-03.lead_days": 14,
        "med-07.material_days": 7,
        "med-08.requires_amr": 1,
        "med-11.months": 1,
        "med-12.approval_days": 14,
    }


def test_a_rule_is_registered_once() -> None:
    with pytest.raises(ValueError, match="MED-01 registered twice"):
        Rulebook.of(med_01, med_01)


def test_the_rules_are_held_in_id_order_and_looked_up_by_id() -> None:
    assert list(RULEBOOK.ids) == sorted(RULEBOOK.ids)
    with pytest.raises(KeyError):
        RULEBOOK["MED-99"]
    assert "MED-99" not in RULEBOOK


def test_a_matter_without_events_has_no_findings() -> None:
    ledger, matter = opened()
    matter.facts.events.clear()
    assert RULEBOOK.evaluate(matter.facts, ledger.registry) == []
