"""What is due from whom by when, in a body (or a HovedMED and the bodies below it).

One list for the dashboards and for notifications, gathered from the read
models through the API's own routes (so a reader sees exactly what the API
would show them) and from the ledger state the session holds:

- the findings that fall due later unless something happens (the forecast
  of every matter at once: late information MED-03, a breach claim's month
  MED-11, minutes awaiting approval MED-12, the annual work-environment
  discussion MED-15), from the findings route read at the end of time;
- the steps due on disputes (the dispute route's ``due``: which party,
  which people, by which day);
- disagreements not yet answered in open matters (due from the decision
  maker by the planned decision date);
- consultations and hearings that ask the body for an answer.

``by_person`` turns the list into what a notification worker sends: each
person's items.  Each call reads a fixed number of queries whatever the
number of matters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from api.access import Access
from api.paging import Paging
from api.reading import Read
from api.routers import disputes as dispute_routes
from api.routers import findings as finding_routes
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from web.i18n import Lang, shown
from web.matters_pages import due_items
from web.meetings import approvers

END_OF_TIME = "9998-12-31"
"""Reading the findings "now" at the end of time shows every stored finding: the upcoming."""


@dataclass(frozen=True)
class DueItem:
    """Something due: what (``kind``, words), in which matter and body, from whom, by when."""

    kind: str
    """``finding`` (with its rule), ``dispute``, ``disagreement``, ``consultation``, ``hearing``."""
    matter: str
    matter_title: str
    body: str
    what: str
    by: str | None
    """The day (or moment) it falls due; None where no day is set."""
    whom: list[str] = field(default_factory=list)
    """The people it is due from, where the registry names them."""
    rule: str | None = None
    overdue: bool = False


def scope_of(state: LedgerState, body: str) -> set[str]:
    """The body, and for a HovedMED every body below it (its parent chain reaches it)."""
    registry = state.registry
    found = registry.bodies.get(body)
    if found is None or found.kind != "hovedmed":
        return {body}
    return {b for b in list(registry.bodies) if b == body or body in registry.ancestors(b)}


def _side(state: LedgerState, body: str, side: str) -> list[str]:
    seats = list(state.registry.members.get(body, {}).items())
    return sorted(person for person, seat in seats if seat.side == side)


def _from_whom(state: LedgerState, rule: str, key: str, body: str, matter: str) -> list[str]:
    """Who can still act before a finding falls due (minutes: the approvers who have not)."""
    if rule == "MED-12":
        seq = key.removeprefix("meeting-")
        found = state.matters.get(matter)
        done = found.minutes_approvals.get(int(seq), set()) if found and seq.isdigit() else set()
        return [person for _, person in approvers(state, body) if person not in done]
    if rule == "MED-15":
        return [person for role, person in approvers(state, body) if role == "chair"]
    found = state.matters.get(matter)
    maker = [found.opened.decision_maker] if found is not None else []
    return sorted(set(maker) | set(_side(state, body, "management")))


def upcoming_findings(
    access: Access, read: Read, lang: Lang, scope: set[str]
) -> tuple[list[Any], list[DueItem]]:
    """The findings due now in ``scope``, and those that fall due later (as due items)."""
    now = finding_routes.rule_findings(access, read, lang, paging=Paging(0, 10_000))
    every = finding_routes.rule_findings(
        access, read, lang, now=END_OF_TIME, paging=Paging(0, 10_000)
    )
    due_now = [f for f in now.findings if f.body in scope]
    shown = {(f.matter, f.rule, f.key) for f in now.findings}
    later = [
        DueItem(
            "finding",
            f.matter,
            f.matter_title,
            f.body,
            f.explanation,
            f.due_at,
            _from_whom(access.state, f.rule, f.key, f.body, f.matter),
            rule=f.rule,
        )
        for f in every.findings
        if f.body in scope and (f.matter, f.rule, f.key) not in shown
    ]
    return due_now, later


def dispute_steps(access: Access, read: Read, lang: Lang, scope: set[str]) -> list[Any]:
    """The disputes raised in ``scope`` (or escalated to a HovedMED in it) not yet settled."""
    answer = dispute_routes.organisation_disputes(access, read, lang, paging=Paging(0, 10_000))
    return [d for d in answer.disputes if d.status != "settled" and d.body in scope]


def dispute_items(disputes: Iterable[Any]) -> list[DueItem]:
    return [
        DueItem(
            "dispute",
            d.matter,
            d.matter_title,
            d.body,
            step.explanation,
            step.by,
            list(step.people),
            overdue=step.overdue,
        )
        for d in disputes
        for step in d.due
    ]


def disagreement_items(access: Access, scope: set[str]) -> list[DueItem]:
    """Disagreements not yet answered in undecided matters of ``scope``'s bodies (once the
    matter is decided, an unanswered one is MED-04's finding, shown with the findings)."""
    found: list[DueItem] = []
    for matter_id, matter in list(access.state.matters.items()):
        if matter.ended or matter.responsible_body not in scope or not access.may_read(matter_id):
            continue
        events = list(matter.events.items())
        if any(isinstance(info.payload, ev.DecisionMade) for _, info in events):
            continue
        for seq, info in events:
            if isinstance(info.payload, ev.DisagreementRecorded) and seq not in matter.answered:
                found.append(
                    DueItem(
                        "disagreement",
                        matter_id,
                        matter.title,
                        info.payload.body,
                        shown(info.payload.points),
                        matter.opened.planned_decision_date,
                        [matter.opened.decision_maker],
                    )
                )
    return found


def request_items(access: Access, scope: set[str]) -> list[DueItem]:
    """Consultations and hearings that ask a body in ``scope`` for an answer not yet given
    (``web.matters_pages.due_items``, as "Mine sager" lists them)."""
    state = access.state
    readable = [m for m in list(state.matters) if access.may_read(m)]
    return [
        DueItem(
            d.kind,
            d.matter,
            state.matters[d.matter].title,
            d.body,
            "",
            d.respond_by,
            _side(state, d.body, "employees"),
        )
        for d in due_items(state, sorted(scope), readable)
    ]


def by_person(items: Iterable[DueItem]) -> dict[str, list[DueItem]]:
    """Each person's due items, soonest first: what a notification worker sends them.

    The hook for notifications: ``by_person(due_in(access, read, lang, body))``
    for each body (or for the HovedMED, which covers the bodies below it).
    """
    found: dict[str, list[DueItem]] = {}
    for item in items:
        for person in item.whom:
            found.setdefault(person, []).append(item)
    for listed in found.values():
        listed.sort(key=lambda i: (i.by or "9999", i.matter, i.kind))
    return found


@dataclass(frozen=True)
class Due:
    """Everything due in a scope: the findings now, the disputes, the due items by date."""

    scope: set[str]
    findings: list[Any]
    disputes: list[Any]
    items: list[DueItem]


def due_in(access: Access, read: Read, lang: Lang, body: str) -> Due:
    """What is due in ``body`` (a HovedMED: and below it), read as ``access`` may read it."""
    scope = scope_of(access.state, body)
    findings, later = upcoming_findings(access, read, lang, scope)
    disputes = dispute_steps(access, read, lang, scope)
    items = [
        *later,
        *dispute_items(disputes),
        *disagreement_items(access, scope),
        *request_items(access, scope),
    ]
    items.sort(key=lambda i: (i.by or "9999", i.matter, i.kind))
    return Due(scope, findings, disputes, items)
