"""The rule on co-determination: MED-06, no decision before an agreement."""

from __future__ import annotations

from collections.abc import Iterator

from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.rule import Flag, Parameters, ref, rule
from projections.rulebook.sequence import before_first


@rule(
    "MED-06",
    "Rammeaftalen § 8",
    "high",
    "Medbestemmelse uden aftale",
    "Co-determination without agreement",
)
def med_06(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Co-determination without agreement: a co-determination matter decided before
    any agreement was reached (an erased agreement counts as one)."""
    if matter.influence_level != "codetermination":
        return
    body = matter.responsible_body
    name = registry.body_name(body)
    for decision in before_first(matter, "DecisionMade", ("AgreementReached",), lambda _: True):
        yield Flag(
            f"decision-{decision.seq}",
            body,
            [matter.events[0], decision],
            f"Sagen hører under medbestemmelse, men beslutningen {ref(decision)} blev "
            f"truffet uden en aftale i {name}.",
            f"The matter is one of co-determination, but decision {ref(decision)} was made "
            f"without an agreement in {name}.",
        )
