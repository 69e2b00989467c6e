"""The rule on the level where a matter is decided: MED-13.

The framework agreement builds the MED system at the levels where
management has competence to decide (§ 5), and the duty to inform and
discuss runs in the body at the level where the decision is taken (§ 7;
for a political matter, the body where the manager who drafts the
proposal sits).  So the decision maker must sit on the management side of
the responsible body, or of a body below it: a manager who decides a
matter in a body above their own seat, or in another branch, decides it
at the wrong level.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.domain import events as ev
from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.organisation import enabled_for
from projections.rulebook.rule import Flag, Parameters, ref, rule


def _med_13(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Wrong level: at the first decision or referral to politics, the decision maker sits
    on the management side of neither the responsible body nor any body below it."""
    act = matter.first(ev.DecisionMade, ev.ReferredToPolitics)
    body = matter.responsible_body
    if act is None or not enabled_for("MED-13", registry, body, act.leaf):
        return
    decider = matter.decision_maker
    seats = registry.bodies_of(decider, act.leaf)
    if any(t.side == "management" and registry.body_below(t.body, body, act.leaf) for t in seats):
        return
    name = registry.body_name(body)
    elsewhere = ", ".join(f"{registry.body_name(t.body)} ({t.side})" for t in seats)
    where_da = f"; beslutningstageren sad i {elsewhere}" if seats else ""
    where_en = f"; the decision maker sat in {elsewhere}" if seats else ""
    act_da, act_en = (
        ("traf beslutningen", "made decision")
        if act.is_(ev.DecisionMade)
        else ("sendte sagen til politisk behandling", "referred the matter to politics")
    )
    yield Flag(
        f"act-{act.seq}",
        body,
        [matter.events[0], act],
        f"{decider} {act_da} {ref(act)} uden at sidde på ledelsessiden i {name} "
        f"eller et udvalg under det{where_da}. Sagen skal informeres og drøftes i udvalget "
        "på det niveau, hvor beslutningen træffes (rammeaftalen § 5 og § 7).",
        f"{decider} {act_en} {ref(act)} without sitting on the management side of {name} or of "
        f"a body below it{where_en}. A matter is informed and discussed in the body at the "
        "level where it is decided (framework agreement § 5 and § 7).",
    )


med_13 = rule(
    "MED-13",
    "Rammeaftalen § 5, § 7",
    "medium",
    "Forkert niveau",
    "Wrong level",
)(_med_13)
