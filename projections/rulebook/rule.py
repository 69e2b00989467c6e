"""A MED rule as one registered object: its ground, severity, titles, parameters and check.

A rule's ``evaluate`` is a pure function of one matter's facts, the
registry as of each event's position and the rule's settings (its
parameters as the body concerned sets them, as of a position); it yields
a ``Flag`` for each place the rule is broken (or will be once a deadline
passes).  ``Rule.findings`` turns those flags into ``Finding``s, which the
findings read model stores.  ``med_07 = rule(...)(_med_07)`` below a check
makes it a ``Rule``; ``projections.rulebook.book`` registers them all.  The
checks are not decorated: mutation testing (mutmut) leaves decorated
functions alone, and the checks are what it must change.

Erasure (``PayloadRedacted``) removes only free text: every field a rule
reads stays (docs/PROTOCOL.md section 4), so no rule goes blind after one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.vocabulary import Lang

Severity = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class Flag:
    """What a rule saw in a matter: a finding before the rule names it.

    ``due`` is None for an immediate finding (it counts from its last
    evidence event) and the deadline for one that waits for time to pass.
    """

    key: str
    body: str
    evidence: Sequence[Fact]
    explanation_da: str
    explanation_en: str
    due: datetime | None = None


@dataclass(frozen=True)
class Finding:
    """One broken (or soon broken) rule in one matter, with the events that show it."""

    rule: str
    severity: Severity
    ground: str
    key: str
    matter: str
    body: str
    due: datetime
    evidence: tuple[Fact, ...]
    explanation_da: str
    explanation_en: str


Parameters = Mapping[str, int]
"""A rule's parameters by name with their defaults."""


@dataclass(frozen=True)
class RuleSettings(Mapping[str, int]):
    """A rule's parameters as each body sets them: ``settings("material_days", body, leaf)``
    is the body's local rule in force at ``leaf`` (its forretningsorden, from
    ``BodyEstablished.rulebook`` and ``BodyRulesSet``), else the ledger's
    (``LedgerCreated.rulebook``), else the rule's default.

    Read as a mapping (``settings["months"]``) it gives the ledger's setting, else the
    default: for a parameter that no body sets.
    """

    rule_id: str
    defaults: Parameters
    registry: RegistryView

    def key(self, name: str) -> str:
        return f"{self.rule_id.lower()}.{name}"

    def __call__(self, name: str, body: str | None, at: int) -> int:
        return self.registry.rule_setting(body, self.key(name), self.defaults[name], at)

    def __getitem__(self, name: str) -> int:
        return self.registry.rulebook.get(self.key(name), self.defaults[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self.defaults)

    def __len__(self) -> int:
        return len(self.defaults)


Check = Callable[[MatterFacts, RegistryView, RuleSettings], Iterator[Flag]]
"""A rule's check: the matter, the registry view and the rule's settings."""


@dataclass(frozen=True)
class Rule:
    """One MED rule: what it rests on, how serious it is, what it is called and checks.

    ``parameters`` maps each parameter's name to its default; a ledger sets
    it in ``LedgerCreated.rulebook`` under ``med-NN.name`` and a body in its
    own rulebook (``BodyEstablished``, ``BodyRulesSet``), which wins; either
    switches the rule off with ``med-NN.enabled`` = 0 (a body for the
    findings about it).  ``ground`` names what the rule rests on: a
    paragraph of the framework agreement, the work-environment rules, or a
    local rule; every explanation ends by citing it.
    """

    id: str
    ground: str
    severity: Severity
    title_da: str
    title_en: str
    parameters: Parameters
    evaluate: Check = field(compare=False)

    def key(self, name: str) -> str:
        """The ledger's rulebook key of parameter ``name`` (``med-03.lead_days``)."""
        return f"{self.id.lower()}.{name}"

    def title(self, lang: Lang) -> str:
        return self.title_da if lang == "da" else self.title_en

    def settings(self, registry: RegistryView) -> RuleSettings:
        """The rule's parameters as the ledger's bodies set them."""
        return RuleSettings(self.id, self.parameters, registry)

    def findings(self, matter: MatterFacts, registry: RegistryView) -> list[Finding]:
        """The findings of this rule in ``matter``, each with its evidence in log order,
        leaving out those about a body that switched the rule off (as of the evidence)."""
        found: list[Finding] = []
        for flag in self.evaluate(matter, registry, self.settings(registry)):
            finding = self._finding(matter, flag)
            at = finding.evidence[-1].leaf
            if registry.rule_setting(flag.body, self.key("enabled"), 1, at) != 0:
                found.append(finding)
        return found

    def _finding(self, matter: MatterFacts, flag: Flag) -> Finding:
        evidence = tuple(sorted({f.seq: f for f in flag.evidence}.values(), key=lambda f: f.seq))
        due = flag.due if flag.due is not None else max(f.moment for f in evidence)
        return self.finding_of(
            flag,
            matter.matter,
            due,
            evidence,
            f"{flag.explanation_da} Grundlag: {self.ground}.",
            f"{flag.explanation_en} Ground: {self.ground}.",
        )

    def finding_of(
        self,
        flag: Flag,
        matter: str,
        due: datetime,
        evidence: tuple[Fact, ...],
        explanation_da: str,
        explanation_en: str,
    ) -> Finding:
        """The finding ``flag`` raises under this rule in ``matter``."""
        return Finding(
            rule=self.id,
            severity=self.severity,
            ground=self.ground,
            key=flag.key,
            matter=matter,
            body=flag.body,
            due=due,
            evidence=evidence,
            explanation_da=explanation_da,
            explanation_en=explanation_en,
        )


def rule(
    rule_id: str, ground: str, severity: Severity, title_da: str, title_en: str, **parameters: int
) -> Callable[[Check], Rule]:
    """Make a check the rule ``rule_id``, ready to register:
    ``med_11 = rule("MED-11", ground, severity, title_da, title_en, months=1)(_med_11)``.

    ``parameters`` are the defaults by name, each readable per body through
    ``RuleSettings``.
    """

    def register(check: Check) -> Rule:
        return Rule(rule_id, ground, severity, title_da, title_en, dict(parameters), check)

    return register


def ref(fact: Fact) -> str:
    """How an explanation cites an event of the matter: ``#seq``."""
    return f"#{fact.seq}"


def cited(*facts: Fact | None) -> list[Fact]:
    """The events a flag cites as evidence, in the order given, leaving out those the rule
    did not find (an answer not given, a later discussion that never came)."""
    return [fact for fact in facts if fact is not None]
