"""Build a real, signed ledger for an organisation: the demo's and tests' tool.

``Organisation`` holds the people's private keys (as a demo stands in for
all of them), enrolls people, establishes bodies and appoints members by
signing real registry events, and lets any person sign matter events.
Everything goes through the SDK and the ledger service exactly as a real
client's writes do.  ``ManualClock`` lets a story span weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ledger.client.sdk import LedgerClient, LocalTransport
from ledger.domain import events as ev
from ledger.protocol.envelope import matter_stream
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService


@dataclass
class ManualClock:
    """A clock that moves only when told to: the ledger's and the signers' time."""

    now: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, *, days: int = 0, hours: int = 0, minutes: int = 0) -> datetime:
        self.now += timedelta(days=days, hours=hours, minutes=minutes)
        return self.now

    def date(self, *, days: int = 0) -> str:
        """The ISO date ``days`` from now, for payload date fields."""
        return (self.now + timedelta(days=days)).date().isoformat()


class Organisation:
    """One organisation's ledger, with every member's key at hand."""

    def __init__(
        self,
        service: LedgerService,
        origin: str,
        name: str,
        clock: ManualClock,
        *,
        admin: str = "admin",
        admin_name: str = "Ledger administrator",
        rulebook: dict[str, int] | None = None,
        import_mode: bool = False,
    ) -> None:
        self.service = service
        self.origin = origin
        self.clock = clock
        self.transport = LocalTransport(service)
        self.keys: dict[str, PersonKey] = {}
        try:
            log_key = service.log_keys.signer(origin)
        except Exception:
            log_key = service.log_keys.create(origin)
        founder = PersonKey.generate(admin)
        self.keys[admin] = founder
        self.admin = admin
        self.client(admin).create_ledger(
            name=name,
            log_verifier_key=log_key.verifier_key(),
            import_mode=import_mode,
            rulebook=rulebook,
        )
        service.set_directory(origin, admin, admin_name, None)

    def client(self, person: str) -> LedgerClient:
        return LedgerClient(self.transport, self.keys[person], self.origin, clock=self.clock)

    def registry(self, payload: ev.Payload, *, by: str | None = None) -> dict[str, Any]:
        return self.client(by or self.admin).append("registry", payload)

    def person(
        self, person: str, name: str, *, roles: tuple[str, ...] = (), email: str | None = None
    ) -> PersonKey:
        """Enroll a person with a fresh key and put their name in the directory."""
        key = PersonKey.generate(person)
        self.keys[person] = key
        self.registry(
            ev.PersonEnrolled(
                person=person,
                key_id=key.key_id,
                public_key=key.public_key_b64,
                roles=list(roles),  # type: ignore[arg-type]
            )
        )
        self.service.set_directory(self.origin, person, name, email)
        return key

    def body(self, body: str, name: str, kind: str, *, parent: str | None = None) -> None:
        self.registry(ev.BodyEstablished(body=body, name=name, kind=kind, parent=parent))  # type: ignore[arg-type]

    def appoint(self, body: str, person: str, side: str, *roles: str) -> None:
        self.registry(
            ev.MemberAppointed(
                body=body,
                person=person,
                side=side,  # type: ignore[arg-type]
                roles=list(roles or ("member",)),  # type: ignore[arg-type]
                from_date=self.clock.date(),
            )
        )

    def act(self, person: str, matter: str, payload: ev.Payload) -> dict[str, Any]:
        """``person`` signs ``payload`` as the next event of ``matter``."""
        return self.client(person).append(matter_stream(matter), payload)
