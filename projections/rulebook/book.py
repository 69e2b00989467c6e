"""The MED rulebook (DESIGN.md section 6): each rule a registered ``Rule`` with its ground.

``RULEBOOK`` holds every rule in id order; the findings read model asks it
for a matter's findings and for each rule's severity, titles and ground.
docs/RULEBOOK.md states every rule exactly, with the source of its ground;
the rule modules are that text in code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook import (
    agreement,
    answers,
    breach,
    guidelines,
    involvement,
    level,
    meetings,
    work_environment,
)
from projections.rulebook.rule import Finding, Rule


@dataclass(frozen=True)
class Rulebook:
    """Rules by id, in id order."""

    rules: tuple[Rule, ...]

    @classmethod
    def of(cls, *rules: Rule) -> Rulebook:
        """Register ``rules``; raises ValueError when two share an id (a programming slip)."""
        by_id: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in by_id:
                raise ValueError(f"rule {rule.id} registered twice")
            by_id[rule.id] = rule
        return cls(tuple(by_id[rule_id] for rule_id in sorted(by_id)))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def __getitem__(self, rule_id: str) -> Rule:
        """The rule ``rule_id``; raises KeyError for an id not in the book."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def evaluate(self, matter: MatterFacts, registry: RegistryView) -> list[Finding]:
        """Every finding of every rule in ``matter`` that its body (or else the ledger) has
        on, in rule and key order."""
        if not matter.events:
            return []
        found = [finding for rule in self.rules for finding in rule.findings(matter, registry)]
        return sorted(found, key=lambda f: (f.rule, f.key))


RULEBOOK = Rulebook.of(
    involvement.med_01,
    involvement.med_02,
    involvement.med_03,
    answers.med_04,
    answers.med_05,
    agreement.med_06,
    meetings.med_07,
    meetings.med_08,
    involvement.med_09,
    answers.med_10,
    breach.med_11,
    meetings.med_12,
    level.med_13,
    guidelines.med_14,
    work_environment.med_15,
    guidelines.med_16,
)
