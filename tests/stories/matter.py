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
