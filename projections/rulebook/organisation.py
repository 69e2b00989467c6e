"""Rules about the organisation rather than one matter: an ``OrganisationRule`` each.

Most MED rules judge one matter (``Rule.evaluate``).  A few judge a body
over a period, whatever its matters: MED-15, the annual work-environment
discussion in a body with AMR members.  An ``OrganisationRule`` is a
``Rule`` (so the rulebook registers it, knows its ground, severity, titles
and parameters, and finds nothing for it in any matter) with one more
check, over the registry view and what the organisation holds across
matters (``RegistryView.organisation``) up to the latest claimed time.  Its
findings are stored with matter ``""`` (``projections.read_models.findings
.organisation_rows``), rebuilt with every batch the projector applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.rule import Finding, Flag, Parameters, Rule, Severity

NOW = 2**63 - 1
"""A leaf past every event: an organisation rule reads each body's local rules as they stand."""

ORGANISATION = ""
"""The matter id an organisation finding is stored under."""

OrganisationCheck = Callable[[RegistryView, datetime | None, Parameters], Iterator[Flag]]
"""An organisation rule's check: the registry view (with ``organisation``), the latest
claimed time folded in (None before any event), the rule's ledger-wide parameters; a
body's own settings it reads with ``RegistryView.rule_setting`` (``enabled_for``)."""


def _no_matter_findings(
    matter: MatterFacts, registry: RegistryView, parameters: Parameters
) -> Iterator[Flag]:
    """An organisation rule finds nothing in a single matter."""
    return iter(())


@dataclass(frozen=True)
class OrganisationRule(Rule):
    """A rule judged over the organisation (per body and period), not per matter."""

    judge: OrganisationCheck = field(compare=False, kw_only=True)

    def organisation_findings(
        self, registry: RegistryView, latest: datetime | None
    ) -> list[Finding]:
        """The rule's findings in the whole organisation, each under matter ``""``."""
        settings = self.settings(registry)
        found: list[Finding] = []
        for flag in self.judge(registry, latest, settings):
            if registry.rule_setting(flag.body, self.key("enabled"), 1, NOW) == 0:
                continue  # the body switched the rule off in its local rules
            evidence = tuple(
                sorted({(f.stream, f.seq): f for f in flag.evidence}.values(), key=lambda f: f.leaf)
            )
            assert flag.due is not None, "an organisation finding is due at the end of a period"
            found.append(
                self.finding_of(
                    flag,
                    ORGANISATION,
                    flag.due,
                    evidence,
                    flag.explanation_da,
                    flag.explanation_en,
                )
            )
        return found


def organisation_rule(
    rule_id: str, ground: str, severity: Severity, title_da: str, title_en: str, **parameters: int
) -> Callable[[OrganisationCheck], OrganisationRule]:
    """Make a check the organisation rule ``rule_id``, ready to register:
    ``med_15 = organisation_rule("MED-15", ground, severity, title_da, title_en)(_med_15)``."""

    def register(judge: OrganisationCheck) -> OrganisationRule:
        return OrganisationRule(
            rule_id,
            ground,
            severity,
            title_da,
            title_en,
            dict(parameters),
            _no_matter_findings,
            judge=judge,
        )

    return register


def enabled_for(rule_id: str, registry: RegistryView, body: str, at: int) -> bool:
    """Is rule ``rule_id`` on for ``body`` at leaf ``at``: ``med-NN.enabled`` as the body's
    local rules set it, else the ledger's (a rule the ledger switched off never runs)."""
    return registry.rule_setting(body, f"{rule_id.lower()}.enabled", 1, at) != 0
