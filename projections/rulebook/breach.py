"""The rule on breach claims: MED-11, a claim unresolved after N months."""

from __future__ import annotations

from collections.abc import Iterator

from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import add_months
from projections.rulebook.rule import Flag, Parameters, ref, rule
from projections.rulebook.sequence import answered_seqs


@rule(
    "MED-11", "Rammeaftalen § 21", "high", "Brudsag uafklaret", "Breach claim unresolved", months=1
)
def med_11(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Breach claim unresolved after one month (N months)."""
    months = parameters["months"]
    resolved = answered_seqs(matter, "BreachResolved", "claim")
    for claim in matter.typed("BreachClaimed"):
        if claim.seq in resolved:
            continue
        due = add_months(claim.moment, months)
        yield Flag(
            f"claim-{claim.seq}",
            claim.get("body", matter.responsible_body),
            [claim],
            f"Påstanden om brud på informationspligten {ref(claim)} fra {claim.day} er "
            f"ikke afgjort efter {months} måned(er) (frist {due.date()}).",
            f"The breach claim {ref(claim)} of {claim.day} is unresolved after {months} "
            f"month(s) (due {due.date()}).",
            due=due,
        )
