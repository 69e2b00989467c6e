"""Story pieces every test suite shares."""

from __future__ import annotations

from typing import Any

from demo.organisation import ManualClock
from ledger.domain import events as ev


def school_structure(clock: ManualClock, **changes: Any) -> ev.MatterOpened:
    """The director opens a school-structure matter in HovedMED (``changes`` replace fields)."""
    fields: dict[str, Any] = {
        "title": "Ny skolestruktur",
        "description": "Forslag om at lægge to skoler sammen fra august.",
        "category": "reorganisation",
        "responsible_body": "hmed",
        "influence_level": "discussion",
        "decision_maker": "direktor",
        "planned_decision_date": clock.date(days=60),
    }
    fields.update(changes)
    return ev.MatterOpened(**fields)


def hovedmed_meeting(clock: ManualClock, minutes_sha256: str) -> ev.MeetingHeld:
    """The secretary records HovedMED's meeting today on point 1, all four members present,
    with the digest of its minutes (to be approved by the chair and vice-chair)."""
    return ev.MeetingHeld(
        body="hmed",
        date=clock.date(),
        agenda_item="Punkt 1",
        present=["direktor", "sekretaer", "tr", "amr"],
        minutes_sha256=minutes_sha256,
    )
