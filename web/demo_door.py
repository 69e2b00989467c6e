"""The demo as a door: on the demo ledgers, the start page offers the demo's people.

``medledger demo`` writes, beside its database, ``demo-keys/people.json`` (who
is who: ledger, person, name, role) and one key file per person.  A server
started with ``MEDLEDGER_DEMO_KEYS`` pointing at that folder (``make run``
does) offers those people on its start page; choosing one hands that
person's demo key file to the browser, which imports it as any key file.
A server without the setting has no such door: nothing is offered and the
key route answers 404.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from api.settings import ApiSettings
from ledger.protocol.envelope import is_valid_id

PEOPLE_FILE = "people.json"


@dataclass(frozen=True)
class DemoPerson:
    ledger: str
    person: str
    name: str
    role: str
    """Seats and roles as one line of codes, for a reader without the catalogues."""
    seats: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each body the person sits in (its name) with their roles there, as codes."""
    roles: tuple[str, ...] = ()
    """The person's ledger roles (``admin``, ``auditor``), as codes."""


@dataclass(frozen=True)
class DemoDoor:
    """The demo's people and where their key files are; empty outside the demo."""

    directory: Path | None
    people: tuple[DemoPerson, ...] = ()

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> DemoDoor:
        directory = settings.demo_keys
        if directory is None:
            return cls(None)
        return cls.open(Path(directory))

    @classmethod
    def open(cls, directory: Path) -> DemoDoor:
        listed = json.loads((directory / PEOPLE_FILE).read_text("utf-8"))
        people = tuple(
            DemoPerson(
                str(p["ledger"]),
                str(p["person"]),
                str(p["name"]),
                str(p["role"]),
                tuple(
                    (str(seat["body"]), tuple(str(r) for r in seat["roles"]))
                    for seat in p.get("seats", ())
                ),
                tuple(str(r) for r in p.get("roles", ())),
            )
            for p in listed
        )
        return cls(directory, people)

    @property
    def open_door(self) -> bool:
        return self.directory is not None and bool(self.people)

    def key_file(self, ledger: str, person: str) -> str | None:
        """The key file text of a demo person, or None if there is no such demo person."""
        if self.directory is None or not (is_valid_id(ledger) and is_valid_id(person)):
            return None
        if not any(p.ledger == ledger and p.person == person for p in self.people):
            return None
        return (self.directory / ledger / f"{person}.key").read_text("utf-8")
