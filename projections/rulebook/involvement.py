"""The duty to inform and discuss before deciding: MED-01, MED-02, MED-03 and MED-09.

Rammeaftalen § 7: management informs and discusses (informere og drøfte)
every matter of significance for working, staff, cooperation and work
environment conditions, in the body at the level where the decision is
taken (for a political matter, the body where the manager who drafts the
proposal sits), so early that the employees' views and proposals can be
part of the basis for the decision.

Words (DESIGN.md section 6): the responsible body is *informed* when
material is shared with it or a hearing is sent to it; it has *discussed*
(drøftet) the matter when it held a meeting on it or a consultation was
opened in it.  A hearing is never a discussion (høring erstatter ikke
drøftelse), and MED-03 does not count it as information either: a hearing
asks for an answer by a date, it does not open the matter early.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from ledger.domain import events as ev
from ledger.domain.groupings import DISCUSSING_TYPES, INFORMING_TYPES, names
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import midnight
from projections.rulebook.rule import Flag, RuleSettings, cited, ref, rule
from projections.rulebook.sequence import before_first, first_after

EARLY_TYPES = DISCUSSING_TYPES | names(ev.MaterialShared)
"""What opens a matter to the responsible body early (MED-03): material shared with it,
a consultation opened in it, its meeting; never a hearing."""


def discussed_in(matter: MatterFacts, fact: Fact) -> bool:
    """A meeting of, or a consultation opened in, the responsible body (routing fields,
    never erased)."""
    return fact.type in DISCUSSING_TYPES and fact.get("body") == matter.responsible_body


def informed_by(matter: MatterFacts, fact: Fact) -> bool:
    """Material shared with, or a hearing sent to, the responsible body."""
    return fact.type in INFORMING_TYPES and matter.responsible_body in fact.get("bodies", [])


def opened_early_by(matter: MatterFacts, fact: Fact) -> bool:
    """Material shared with the responsible body, or a discussion in it (MED-03)."""
    if (shared := fact.as_(ev.MaterialShared)) is not None:
        return matter.responsible_body in shared.bodies
    return discussed_in(matter, fact)


def _med_01(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Decided without discussion: a decision on a discussion or co-determination matter
    before any meeting or consultation of the responsible body; on an information
    matter, before the body was even informed (a discussion informs it too)."""
    body = matter.responsible_body
    name = registry.body_name(body)
    if matter.influence_level == "information":
        for decision in before_first(
            matter,
            ev.DecisionMade,
            INFORMING_TYPES | DISCUSSING_TYPES,
            lambda f: informed_by(matter, f) or discussed_in(matter, f),
        ):
            yield Flag(
                f"decision-{decision.seq}",
                body,
                [matter.events[0], decision],
                f"Beslutningen {ref(decision)} blev truffet, uden at {name} var informeret "
                "(intet materiale, ingen høring og ingen drøftelse i udvalget før beslutningen).",
                f"Decision {ref(decision)} was made without {name} being informed (no "
                "material, hearing or discussion in the body before the decision).",
            )
        return
    hearings = [f for f in matter.typed(ev.HearingOpened) if informed_by(matter, f)]
    for decision in before_first(
        matter, ev.DecisionMade, DISCUSSING_TYPES, lambda f: discussed_in(matter, f)
    ):
        heard = next((f for f in hearings if f.seq < decision.seq), None)
        note_da = f" Høringen {ref(heard)} erstatter ikke en drøftelse." if heard else ""
        note_en = f" Hearing {ref(heard)} does not replace a discussion." if heard else ""
        yield Flag(
            f"decision-{decision.seq}",
            body,
            cited(matter.events[0], decision, heard),
            f"Beslutningen {ref(decision)} blev truffet, uden at sagen var drøftet i {name} "
            f"(intet møde og ingen drøftelse i udvalget før beslutningen).{note_da}",
            f"Decision {ref(decision)} was made without the matter being discussed in {name} "
            f"(no meeting or consultation of the body before the decision).{note_en}",
        )


med_01 = rule(
    "MED-01",
    "Rammeaftalen § 7, stk. 1 og 2",
    "high",
    "Besluttet uden drøftelse",
    "Decided without discussion",
)(_med_01)


def _med_02(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Around MED to politics: referred to a political committee before the responsible
    body (where the manager who drafts the proposal sits) discussed the matter."""
    body = matter.responsible_body
    name = registry.body_name(body)
    discussions = matter.among(DISCUSSING_TYPES)
    for referral in before_first(
        matter, ev.ReferredToPolitics, DISCUSSING_TYPES, lambda f: discussed_in(matter, f)
    ):
        later = first_after(discussions, referral.seq, lambda f: discussed_in(matter, f))
        committee = registry.body_name(referral.data.committee)
        after_da = f"; sagen blev først drøftet bagefter ({ref(later)})." if later else "."
        after_en = f"; it was first discussed afterwards ({ref(later)})." if later else "."
        yield Flag(
            f"referral-{referral.seq}",
            body,
            cited(matter.events[0], referral, later),
            f"Sagen blev sendt til {committee} ({ref(referral)}), før den var drøftet i "
            f"{name}{after_da}",
            f"The matter was referred to {committee} ({ref(referral)}) before {name} had "
            f"discussed it{after_en}",
        )


med_02 = rule(
    "MED-02",
    "Rammeaftalen § 7, stk. 1 og 2",
    "high",
    "Uden om MED til politisk behandling",
    "Around MED to politics",
)(_med_02)


class Milestone(NamedTuple):
    """What the responsible body must be informed ahead of (MED-03)."""

    day: date
    what_da: str
    what_en: str
    event: Fact | None


def _first_milestone(matter: MatterFacts) -> Milestone | None:
    """The earliest of the first decision, the first referral and the political deadline
    (a referral counts from the day it was logged: the matter left MED then)."""
    milestones: list[Milestone] = []
    decision = matter.first(ev.DecisionMade)
    referral = matter.first(ev.ReferredToPolitics)
    if decision is not None:
        milestones.append(Milestone(decision.day, "beslutningen", "the decision", decision))
    if referral is not None:
        milestones.append(
            Milestone(referral.day, "den politiske behandling", "the referral", referral)
        )
    deadline_text = matter.opened.political_deadline
    if deadline_text:
        deadline = date.fromisoformat(deadline_text)
        milestones.append(
            Milestone(deadline, "den politiske frist", "the political deadline", None)
        )
    return min(milestones, key=lambda m: (m.day, m.what_da)) if milestones else None


def _med_03(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Late information: the responsible body first given material or a discussion less
    than N days (its own setting) before the first decision, referral or political
    deadline, whichever is first; a hearing does not count."""
    milestone = _first_milestone(matter)
    if milestone is None:
        return
    body = matter.responsible_body
    at = milestone.event.leaf if milestone.event is not None else matter.events[-1].leaf
    days = settings("lead_days", body, at)
    name = registry.body_name(body)
    first = first_after(matter.among(EARLY_TYPES), 0, lambda f: opened_early_by(matter, f))
    if first is None or (milestone.event is not None and first.seq > milestone.event.seq):
        yield _never_informed(matter, name, milestone, days)
    elif (milestone.day - first.day).days < days:
        yield _informed_late(matter, name, milestone, days, first)


med_03 = rule(
    "MED-03",
    "Rammeaftalen § 7, stk. 2; antal dage: lokal regel (forretningsorden)",
    "medium",
    "Sen information",
    "Late information",
    lead_days=14,
)(_med_03)


def _never_informed(matter: MatterFacts, name: str, milestone: Milestone, days: int) -> Flag:
    """MED-03 with no information before the milestone: late now, or due N days before
    the political deadline."""
    when, what_da, what_en, event = milestone
    if event is not None:
        return Flag(
            "lead-time",
            matter.responsible_body,
            [matter.events[0], event],
            f"{name} havde hverken fået materiale eller drøftet sagen før {what_da} ({when}); "
            f"reglen kræver mindst {days} dage.",
            f"{name} had neither received material nor discussed the matter before {what_en} "
            f"({when}); the rule asks for at least {days} days.",
        )
    return Flag(
        "lead-time",
        matter.responsible_body,
        [matter.events[0]],
        f"{name} har endnu hverken fået materiale eller drøftet sagen, og der er under "
        f"{days} dage til {what_da} ({when}).",
        f"{name} has neither received material nor discussed the matter yet, and {what_en} "
        f"({when}) is less than {days} days away.",
        due=midnight(when) - timedelta(days=days - 1),
    )


def _informed_late(
    matter: MatterFacts, name: str, milestone: Milestone, days: int, first: Fact
) -> Flag:
    """MED-03 when the first information came less than N days before the milestone."""
    when, what_da, what_en, event = milestone
    lead = (when - first.day).days
    if lead < 0:
        gap_da, gap_en = f"{-lead} dage efter", f"{-lead} days after"
    else:
        gap_da, gap_en = f"kun {lead} dage før", f"only {lead} days before"
    return Flag(
        "lead-time",
        matter.responsible_body,
        cited(matter.events[0], first, event),
        f"{name} blev først informeret {first.day} ({ref(first)}), {gap_da} "
        f"{what_da} ({when}); reglen kræver mindst {days} dage.",
        f"{name} was first informed on {first.day} ({ref(first)}), {gap_en} "
        f"{what_en} ({when}); the rule asks for at least {days} days.",
    )


def _med_09(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Hearing before discussion: the first hearing opened before the responsible body
    discussed the matter (meeting or consultation)."""
    hearing = matter.first(ev.HearingOpened)
    if hearing is None:
        return
    discussions = [f for f in matter.among(DISCUSSING_TYPES) if discussed_in(matter, f)]
    if any(f.seq < hearing.seq for f in discussions):
        return
    later = first_after(discussions, hearing.seq)
    name = registry.body_name(matter.responsible_body)
    after_da = f"; sagen blev først drøftet bagefter ({ref(later)})" if later else ""
    after_en = f"; it was first discussed afterwards ({ref(later)})" if later else ""
    yield Flag(
        f"hearing-{hearing.seq}",
        matter.responsible_body,
        cited(hearing, later),
        f"Høringen {ref(hearing)} blev sendt ud, før sagen var drøftet i {name}{after_da}. "
        "En høring erstatter ikke en drøftelse.",
        f"Hearing {ref(hearing)} was opened before {name} had discussed the matter"
        f"{after_en}. A hearing does not replace a discussion.",
    )


med_09 = rule(
    "MED-09",
    "Rammeaftalen § 7, stk. 2",
    "medium",
    "Høring før drøftelse",
    "Hearing before discussion",
)(_med_09)
