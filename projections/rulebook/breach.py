"""The rule on breach claims: MED-11, a written claim left where it was after a month.

Rammeaftalen § 21, stk. 1 (§ 20 in the regions' agreement): when the
employee side claims in writing that the duty to inform and discuss was
breached, management has one month to remedy it: withdraw the decision, or
reopen it and take it through MED.  If it does not, the claim goes on the
dispute path: HovedMED, then the central parties.  The rule flags a claim
that, a month on, management has not remedied (``BreachRemedied``) and that
has not moved on that path (``DisputeEscalated``, ``BreachResolved``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.domain import events as ev
from ledger.domain.guidelines import add_months
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.rule import Flag, RuleSettings, cited, ref, rule


def _moved(matter: MatterFacts) -> dict[int, Fact]:
    """The first event that moved each claim on (management's remedy, an escalation on the
    dispute path, a resolution), by the claim's seq."""
    return {claim: steps[0] for claim, steps in matter.dispute_steps().items()}


def _med_11(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Breach claim not remedied: N months (default one) after a written breach claim,
    management has neither remedied it nor has the claim moved on the dispute path."""
    moved = _moved(matter)
    for claim in matter.typed(ev.BreachClaimed):
        if claim.seq in moved:
            continue
        body = claim.data.body
        months = settings("months", body, claim.leaf)
        due = add_months(claim.moment, months)
        concerned = matter.fact(claim.data.concerns)
        about_da = f" om {ref(concerned)}" if concerned is not None else ""
        about_en = f" about {ref(concerned)}" if concerned is not None else ""
        yield Flag(
            f"claim-{claim.seq}",
            body,
            cited(claim, concerned),
            f"Den skriftlige påstand om brud {ref(claim)}{about_da} fra {claim.day} er "
            f"hverken afhjulpet af ledelsen (beslutningen trukket tilbage eller genoptaget) "
            f"eller ført videre til hovedudvalget inden for {months} måned(er) "
            f"(frist {due.date()}).",
            f"The written breach claim {ref(claim)}{about_en} of {claim.day} has been neither "
            f"remedied by management (decision withdrawn or reopened) nor taken on to "
            f"HovedMED within {months} month(s) (due {due.date()}).",
            due=due,
        )


med_11 = rule(
    "MED-11",
    "Rammeaftalen § 21, stk. 1 (regionerne: § 20)",
    "high",
    "Brudsag ikke afhjulpet",
    "Breach claim not remedied",
    months=1,
)(_med_11)
