"""Meetings as chairs and secretaries see them: a body and a day, its agenda items the matters.

A ``MeetingHeld`` event lives in a matter's stream: it records one agenda
item of one meeting (body, date, attendance, the minutes' digest).  A
meeting is therefore all ``MeetingHeld`` events of one body on one day, in
the matters the reader may read; each item carries its own approvals
(``MinutesApproved``, signing the digest) and publication
(``MinutesPublished``).  Everything here is read from the ledger state the
page's session already holds: no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from api.access import Access
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from ledger.errors import NotFoundError, UnknownEventReferenceError
from projections.rulebook.book import RULEBOOK
from web.i18n import LOCAL_TIME, shown


@dataclass(frozen=True)
class AgendaItem:
    """One matter on a meeting's agenda: its ``MeetingHeld`` and what followed it."""

    matter: str
    title: str
    seq: int
    agenda_item: str
    present: list[str]
    absent: list[str]
    minutes_sha256: str | None
    approved_by: list[str]
    published: list[str]
    """The channels the minutes were published through (empty: not yet)."""


@dataclass
class Meeting:
    """A body's meeting on a day, its agenda items in log order."""

    body: str
    day: str
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def digests(self) -> list[str]:
        return sorted({i.minutes_sha256 for i in self.items if i.minutes_sha256})


def _item(state: LedgerState, matter_id: str, seq: int, held: ev.MeetingHeld) -> AgendaItem:
    matter = state.matters[matter_id]
    published = [
        shown(info.payload.channel)
        for info in list(matter.events.values())
        if isinstance(info.payload, ev.MinutesPublished) and info.payload.meeting == seq
    ]
    return AgendaItem(
        matter=matter_id,
        title=matter.title,
        seq=seq,
        agenda_item=shown(held.agenda_item),
        present=list(held.present),
        absent=list(held.absent),
        minutes_sha256=held.minutes_sha256,
        approved_by=sorted(matter.minutes_approvals.get(seq, set())),
        published=published,
    )


def meetings_of(access: Access, body: str | None = None) -> list[Meeting]:
    """The meetings in the matters ``access`` may read (of ``body``, if given), newest first."""
    state = access.state
    found: dict[tuple[str, str], Meeting] = {}
    for matter_id, matter in list(state.matters.items()):
        if not access.may_read(matter_id):
            continue
        for seq, info in list(matter.events.items()):
            held = info.payload
            if not isinstance(held, ev.MeetingHeld) or (body and held.body != body):
                continue
            key = (held.body, held.date)
            meeting = found.setdefault(key, Meeting(held.body, held.date))
            meeting.items.append(_item(state, matter_id, seq, held))
    return sorted(found.values(), key=lambda m: (m.day, m.body), reverse=True)


def meeting_event(state: LedgerState, matter_id: str, seq: int) -> ev.MeetingHeld:
    """The ``MeetingHeld`` at ``seq`` in the matter; UnknownEventReferenceError otherwise."""
    info = state.matters[matter_id].events.get(seq)
    if info is None or not isinstance(info.payload, ev.MeetingHeld):
        raise UnknownEventReferenceError(f"event {seq} is not a meeting", event=seq)
    return info.payload


@dataclass(frozen=True)
class Deadlines:
    """A meeting's deadlines from the body's own rules (its forretningsorden)."""

    material_days: int
    material_by: date
    """Agenda and material out by this day (MED-07's ``material_days`` before)."""
    approval_days: int
    approval_by: date
    """Minutes approved by chair and vice-chair by this day (MED-12's ``approval_days``)."""


def setting(state: LedgerState, rule: str, name: str, body: str) -> int:
    """A rule parameter as the body sets it now, else the ledger, else the rule's default."""
    found = RULEBOOK[rule]
    return state.registry.rule_setting(body, found.key(name), found.parameters[name])


def deadlines(state: LedgerState, body: str, day: date) -> Deadlines:
    material = setting(state, "MED-07", "material_days", body)
    approval = setting(state, "MED-12", "approval_days", body)
    return Deadlines(
        material, day - timedelta(days=material), approval, day + timedelta(days=approval)
    )


def today() -> date:
    """Today in Danish local time (the day a meeting form starts from)."""
    return datetime.now(LOCAL_TIME).date()


@dataclass(frozen=True)
class Attendee:
    person: str
    side: str
    roles: list[str]


def members_on(rows: list[dict[str, Any]], day: str) -> list[Attendee]:
    """The body's members on ``day`` from its ``rm_memberships`` rows (appointment and
    departure dates, else the days they were logged), by side and person."""
    found: dict[str, Attendee] = {}
    for row in rows:
        start = row["from_date"] or str(row["appointed_time"])[:10]
        end = row["until_date"] or (str(row["left_time"])[:10] if row["left_time"] else None)
        if start <= day and (end is None or day <= end):
            roles = [r for r in str(row["roles"]).split(",") if r]
            found[row["person"]] = Attendee(row["person"], row["side"], roles)
    return sorted(found.values(), key=lambda a: (a.side != "management", a.person))


class MeetingNotFoundError(NotFoundError):
    """No agenda item of that body on that day in the matters the reader may read."""

    code = "meeting_not_found"


def approvers(state: LedgerState, body: str) -> list[tuple[str, str]]:
    """Who approves the body's minutes now: its chair and vice-chair, (role, person)."""
    seats = list(state.registry.members.get(body, {}).items())
    return sorted(
        (role, person)
        for person, seat in seats
        for role in ("chair", "vice_chair")
        if role in seat.roles
    )


def awaiting(item: AgendaItem, needed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The approvers who have not approved this item's minutes yet."""
    if item.minutes_sha256 is None:
        return []
    return [(role, person) for role, person in needed if person not in item.approved_by]
