"""A matter of the test municipality, and the school-structure matter most stories continue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import matter_stream


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


def consulted(
    org: Organisation, matter_id: str, opened: ev.MatterOpened, *, question: str, respond_by: str
) -> Matter:
    """The director opens ``matter_id`` with ``opened`` and consults HovedMED on it."""
    matter = Matter(org, matter_id)
    matter.act("direktor", opened)
    matter.act(
        "direktor", ev.ConsultationOpened(body="hmed", question=question, respond_by=respond_by)
    )
    return matter
