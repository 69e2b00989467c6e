"""A matter of the test municipality, and the school-structure matter most stories continue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger import events as ev
from ledger.envelope import matter_stream
from ledger.organisation import ManualClock, Organisation


@dataclass
class Matter:
    """One matter of ``org``: its id, its stream, and a way for people to act in it."""

    org: Organisation
    matter_id: str

    @property
    def stream(self) -> str:
        return matter_stream(self.matter_id)

    def act(self, person: str, payload: ev.Payload) -> dict[str, Any]:
        return self.org.act(person, self.matter_id, payload)


def school_structure(clock: ManualClock, **changes: Any) -> ev.MatterOpened:
    """The opening of the school-structure matter (``changes`` replace fields)."""
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
