"""The rule on breach claims: MED-11, a claim unresolved after N months."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import add_months
from projections.rulebook.rule import Flag, ref, rule
from projections.rulebook.sequence import any_erased


@rule(
    "MED-11",
    ground="Rammeaftalen § 21",
    severity="high",
    title_da="Brudsag uafklaret",
    title_en="Breach claim unresolved",
    parameters={"months": 1},
)
def med_11(
    matter: MatterFacts, registry: RegistryView, parameters: Mapping[str, int]
) -> Iterator[Flag]:
    """Breach claim unresolved after one month (N months)."""
    months = parameters["months"]
    resolutions = matter.typed("BreachResolved")
    if any_erased(resolutions):
        return
    resolved = {int(f.get("claim")) for f in resolutions}
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
