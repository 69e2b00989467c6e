"""Rules on involving the responsible body in time: MED-01, MED-02, MED-03 and MED-09.

The responsible body is *involved* by material shared with it, a
consultation or meeting in it or a hearing sent to it; it is *consulted*
by a consultation or meeting (docs/RULEBOOK.md, "Words used below").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from ledger.domain.groupings import INVOLVING_TYPES
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import midnight
from projections.rulebook.rule import Flag, Parameters, ref, rule
from projections.rulebook.sequence import before_first, first_after

CONSULTING_TYPES = ("ConsultationOpened", "MeetingHeld")


def _maybe_involving(matter: MatterFacts, fact: Fact) -> bool:
    """Involves the responsible body (bodies are routing fields: never erased)."""
    return matter.involves_responsible_body(fact)


def _maybe_consulting(matter: MatterFacts, fact: Fact) -> bool:
    """A consultation or meeting of the responsible body."""
    return fact.type in CONSULTING_TYPES and fact.get("body") == matter.responsible_body


def _maybe_heard(matter: MatterFacts, fact: Fact) -> bool:
    """A hearing sent to the responsible body."""
    return fact.type == "HearingOpened" and matter.responsible_body in fact.get("bodies", [])


@rule(
    "MED-01",
    "Rammeaftalen § 7",
    "high",
    "Besluttet uden inddragelse",
    "Decided without involvement",
)
def med_01(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Decided without involvement: no consultation, meeting or hearing of the
    responsible body before a decision on a discussion or co-determination matter."""
    if matter.influence_level not in ("discussion", "codetermination"):
        return
    body = matter.responsible_body
    name = registry.body_name(body)
    for decision in before_first(
        matter,
        "DecisionMade",
        (*CONSULTING_TYPES, "HearingOpened"),
        lambda f: _maybe_consulting(matter, f) or _maybe_heard(matter, f),
    ):
        yield Flag(
            f"decision-{decision.seq}",
            body,
            [matter.events[0], decision],
            f"Beslutningen {ref(decision)} blev truffet uden at {name} var inddraget "
            "(ingen inddragelse, intet møde og ingen høring i udvalget før beslutningen).",
            f"Decision {ref(decision)} was made without involving {name} "
            "(no consultation, meeting or hearing of the body before the decision).",
        )


@rule(
    "MED-02",
    "Rammeaftalen § 7",
    "high",
    "Uden om MED til politisk behandling",
    "Around MED to politics",
)
def med_02(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Around MED to politics: referred to a political committee before the
    responsible body was informed or consulted."""
    body = matter.responsible_body
    name = registry.body_name(body)
    involving = matter.typed(*INVOLVING_TYPES)
    for referral in before_first(
        matter, "ReferredToPolitics", tuple(INVOLVING_TYPES), lambda f: _maybe_involving(matter, f)
    ):
        later = first_after(involving, referral.seq, lambda f: _maybe_involving(matter, f))
        committee = registry.body_name(referral.get("committee"))
        after_da = f"; {name} blev først inddraget bagefter ({ref(later)})." if later else "."
        after_en = f"; {name} was first involved afterwards ({ref(later)})." if later else "."
        yield Flag(
            f"referral-{referral.seq}",
            body,
            [matter.events[0], referral] + ([later] if later else []),
            f"Sagen blev sendt til {committee} ({ref(referral)}) før {name} var informeret "
            f"eller inddraget{after_da}",
            f"The matter was referred to {committee} ({ref(referral)}) before {name} was "
            f"informed or consulted{after_en}",
        )


class Milestone(NamedTuple):
    """What the responsible body must be involved ahead of (MED-03)."""

    day: date
    what_da: str
    what_en: str
    event: Fact | None


def _first_milestone(matter: MatterFacts) -> Milestone | None:
    """The earliest of the first decision, the first referral and the political deadline."""
    milestones: list[Milestone] = []
    decision = matter.first("DecisionMade")
    referral = matter.first("ReferredToPolitics")
    if decision is not None:
        milestones.append(Milestone(decision.day, "beslutningen", "the decision", decision))
    if referral is not None:
        milestones.append(
            Milestone(referral.day, "den politiske behandling", "the referral", referral)
        )
    deadline_text = matter.opened.get("political_deadline")
    if deadline_text:
        deadline = date.fromisoformat(deadline_text)
        milestones.append(
            Milestone(deadline, "den politiske frist", "the political deadline", None)
        )
    return min(milestones, key=lambda m: (m.day, m.what_da)) if milestones else None


@rule("MED-03", "Rammeaftalen § 7", "medium", "Sen inddragelse", "Late involvement", lead_days=14)
def med_03(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Late involvement: the responsible body first involved less than N days
    before the decision, the referral or the political deadline, whichever is first."""
    milestone = _first_milestone(matter)
    if milestone is None:
        return
    days = parameters["lead_days"]
    name = registry.body_name(matter.responsible_body)
    first = first_after(matter.typed(*INVOLVING_TYPES), 0, lambda f: _maybe_involving(matter, f))
    if first is None:
        yield _never_involved(matter, name, milestone, days)
    elif (milestone.day - first.day).days < days:
        yield _involved_late(matter, name, milestone, days, first)


def _never_involved(matter: MatterFacts, name: str, milestone: Milestone, days: int) -> Flag:
    """MED-03 with no involvement at all: late now, or due N days before the deadline."""
    when, what_da, what_en, event = milestone
    if event is not None:
        return Flag(
            "lead-time",
            matter.responsible_body,
            [matter.events[0], event],
            f"{name} var ikke inddraget før {what_da} ({when}); reglen kræver mindst "
            f"{days} dages varsel.",
            f"{name} was not involved before {what_en} ({when}); the rule asks for at "
            f"least {days} days.",
        )
    return Flag(
        "lead-time",
        matter.responsible_body,
        [matter.events[0]],
        f"{name} er endnu ikke inddraget, og der er under {days} dage til {what_da} ({when}).",
        f"{name} has not been involved yet, and {what_en} ({when}) is less than {days} days away.",
        due=midnight(when) - timedelta(days=days),
    )


def _involved_late(
    matter: MatterFacts, name: str, milestone: Milestone, days: int, first: Fact
) -> Flag:
    """MED-03 when the first involvement came less than N days before the milestone."""
    when, what_da, what_en, event = milestone
    lead = (when - first.day).days
    if lead < 0:
        gap_da, gap_en = f"{-lead} dage efter", f"{-lead} days after"
    else:
        gap_da, gap_en = f"kun {lead} dage før", f"only {lead} days before"
    return Flag(
        "lead-time",
        matter.responsible_body,
        [matter.events[0], first] + ([event] if event is not None else []),
        f"{name} blev først inddraget {first.day} ({ref(first)}), {gap_da} "
        f"{what_da} ({when}); reglen kræver mindst {days} dage.",
        f"{name} was first involved on {first.day} ({ref(first)}), {gap_en} "
        f"{what_en} ({when}); the rule asks for at least {days} days.",
    )


@rule(
    "MED-09", "Rammeaftalen § 7", "medium", "Inddragelse efter høring", "Consultation after hearing"
)
def med_09(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Consultation after hearing: the responsible body not consulted (consultation
    or meeting) before the first hearing opened."""
    hearing = matter.first("HearingOpened")
    if hearing is None:
        return
    consultations = [f for f in matter.typed(*CONSULTING_TYPES) if _maybe_consulting(matter, f)]
    if any(f.seq < hearing.seq for f in consultations):
        return
    later = first_after(consultations, hearing.seq)
    name = registry.body_name(matter.responsible_body)
    after_da = f"; først inddraget bagefter ({ref(later)})" if later else ""
    after_en = f"; first consulted afterwards ({ref(later)})" if later else ""
    yield Flag(
        f"hearing-{hearing.seq}",
        matter.responsible_body,
        [hearing] + ([later] if later else []),
        f"Høringen {ref(hearing)} blev sendt ud, før {name} var inddraget i et møde eller "
        f"en drøftelse{after_da}.",
        f"Hearing {ref(hearing)} was opened before {name} had been consulted in a "
        f"consultation or meeting{after_en}.",
    )
