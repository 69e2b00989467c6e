"""The rule on co-determination: MED-06, a guideline decided without agreement.

Rammeaftalen § 8: guidelines (retningslinjer) are agreed in the MED body
between management and employees; a guideline exists only by the agreement
of both sides.  Procedure guidelines and the mandatory (skal) guidelines
(trivsel, sundhed, stress, vold og trusler, chikane: Aftale om trivsel og
sundhed) must be agreed; an optional (kan) guideline may be declined by
management, but only after a genuine negotiation, which must be on record.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.domain import events as ev
from ledger.domain.groupings import DISCUSSING_TYPES, names
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.involvement import discussed_in
from projections.rulebook.rule import Flag, RuleSettings, ref, rule
from projections.rulebook.sequence import before_first

AGREEING_TYPES = names(ev.AgreementReached, ev.GuidelineAmended)
"""Events that record both sides' agreement (each needs both sides' acceptance)."""

TYPE_WORDS = {
    "procedure": ("en procedureretningslinje", "a procedure guideline"),
    "mandatory": ("en skal-retningslinje", "a mandatory (skal) guideline"),
    "optional": ("en kan-retningslinje", "an optional (kan) guideline"),
}


def guideline_type(matter: MatterFacts) -> str | None:
    """The guideline type the matter declares: ``MatterOpened.guideline_type``."""
    return matter.opened.guideline_type


def _needs_agreement(matter: MatterFacts) -> bool:
    """Is the matter one of co-determination: a guideline matter, or a co-determination
    matter (an undeclared type counts as needing agreement: see docs/RULEBOOK.md)?"""
    return matter.influence_level == "codetermination" or guideline_type(matter) is not None


def _med_06(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Guideline without agreement: a decision before any agreement on a procedure or
    mandatory guideline (or a co-determination matter of undeclared type); on an
    optional guideline, only when the responsible body had not negotiated it (no
    meeting or consultation in it) before management declined."""
    if not _needs_agreement(matter):
        return
    body = matter.responsible_body
    name = registry.body_name(body)
    kind = guideline_type(matter)
    kind_da, kind_en = TYPE_WORDS.get(
        kind or "", ("medbestemmelse (retningslinjer)", "co-determination (guidelines)")
    )
    for decision in before_first(matter, ev.DecisionMade, AGREEING_TYPES, lambda _: True):
        if kind == "optional":
            negotiated = _negotiation_before(matter, decision)
            if negotiated is not None:
                continue
            yield Flag(
                f"decision-{decision.seq}",
                body,
                [matter.events[0], decision],
                f"Sagen gælder {kind_da}; ledelsen afviste den med beslutningen "
                f"{ref(decision)} uden en aftale og uden at have forhandlet den i {name} "
                "(intet møde og ingen drøftelse i udvalget før beslutningen).",
                f"The matter is {kind_en}; management declined it with decision "
                f"{ref(decision)} without an agreement and without negotiating it in {name} "
                "(no meeting or consultation of the body before the decision).",
            )
            continue
        yield Flag(
            f"decision-{decision.seq}",
            body,
            [matter.events[0], decision],
            f"Sagen gælder {kind_da}, som kun findes ved aftale, men beslutningen "
            f"{ref(decision)} blev truffet uden en aftale i {name}.",
            f"The matter is {kind_en}, which exists only by agreement, but decision "
            f"{ref(decision)} was made without an agreement in {name}.",
        )


med_06 = rule(
    "MED-06",
    "Rammeaftalen § 8",
    "high",
    "Retningslinje uden aftale",
    "Guideline without agreement",
)(_med_06)


def _negotiation_before(matter: MatterFacts, decision: Fact) -> Fact | None:
    """The first meeting or consultation of the responsible body before ``decision``."""
    for fact in matter.among(DISCUSSING_TYPES):
        if fact.seq < decision.seq and discussed_in(matter, fact):
            return fact
    return None
