"""Small story builders the API tests share: a matter opened, a submission signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from api.credentials import creation_ticket
from demo.organisation import Organisation
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient, sign_submission
from ledger.domain import events as ev
from ledger.protocol.envelope import ZERO_HASH, Submission, ledger_id_of, matter_stream
from ledger.protocol.keys import PersonKey
from ledger.service.application import system_clock
from ledger.storage.logkeys import LogKeyring
from tests.stories.school import school_structure


def position(
    side: ev.Side, text: str = "Vi har bemærkninger til forslaget.", body: str = "hmed"
) -> ev.PositionStated:
    return ev.PositionStated(body=body, side=side, stance="support_with_changes", text=text)


def decision(
    outcome: str, rationale: str, event: int, treatment: ev.Treatment, reason: str
) -> ev.DecisionMade:
    """A decision treating one input, ``event``."""
    return ev.DecisionMade(
        outcome=outcome,
        rationale=rationale,
        inputs=[ev.DecisionInput(event=event, treatment=treatment, reason=reason)],
    )


def signed(
    org: Organisation,
    person: str,
    stream: str,
    payload: ev.Payload,
    *,
    key: PersonKey | None = None,
    time: datetime | None = None,
) -> Submission:
    """``person`` signs ``payload`` as the next event of ``stream`` (nothing is sent)."""
    head = org.service.head(org.origin, stream)
    return sign_submission(
        key or org.keys[person],
        origin=org.origin,
        stream=stream,
        seq=1 if head is None else head.seq + 1,
        prev=ZERO_HASH if head is None else head.hash,
        event_type=type(payload).__name__,
        payload=payload,
        time=time or org.clock(),
    )


def open_school_matter(org: Organisation, matter: str = "skolestruktur") -> str:
    org.act("direktor", matter, school_structure(org.clock))
    org.clock.advance(hours=1)
    org.act(
        "direktor",
        matter,
        ev.ConsultationOpened(
            body="hmed", question="Hvad mener I?", respond_by=org.clock.date(days=14)
        ),
    )
    return matter_stream(matter)


@dataclass
class RemoteOrganisation:
    """An organisation founded on a live server; every person's key stays in the test."""

    url: str
    origin: str
    ledger: str
    keys: dict[str, PersonKey]

    def client(self, person: str, *, timeout: float = 10.0) -> LedgerClient:
        transport = HttpTransport(self.url, key=self.keys[person], timeout=timeout)
        return LedgerClient(
            transport, self.keys[person], self.origin, clock=system_clock, ledger=self.ledger
        )


def found_remote(
    url: str, origin: str, log_keys: Path, secret: str, *, writers: int = 4
) -> RemoteOrganisation:
    """Prepare the log key as the operator does, then found the ledger over HTTP.

    HovedMED gets the director (management chair) and ``writers`` employee
    representatives; the director opens the matter ``flytning``.
    """
    LogKeyring(log_keys).create(origin)
    ledger = ledger_id_of(origin)
    admin = PersonKey.generate("admin")
    expires = int(system_clock().timestamp()) + 600
    ticket = creation_ticket(secret.encode(), origin, admin.key_id, expires)
    genesis = HttpTransport(url, creation_ticket=ticket)
    LedgerClient(genesis, admin, origin, clock=system_clock, ledger=ledger).append(
        "registry",
        ev.LedgerCreated(
            name="Live kommune",
            origin=origin,
            log_public_key=str(genesis.ledger_info(ledger)["log_verifier_key"]),
            admin=ev.FoundingAdmin(
                person="admin", key_id=admin.key_id, public_key=admin.public_key_b64
            ),
        ),
    )
    org = RemoteOrganisation(url, origin, ledger, {"admin": admin})
    registry = org.client("admin")
    people = ["direktor", *[f"rep-{n}" for n in range(writers)]]
    for person in people:
        key = PersonKey.generate(person)
        org.keys[person] = key
        registry.append(
            "registry",
            ev.PersonEnrolled(person=person, key_id=key.key_id, public_key=key.public_key_b64),
        )
    registry.append("registry", ev.BodyEstablished(body="hmed", name="HovedMED", kind="hovedmed"))
    for person in people:
        side: ev.Side = "management" if person == "direktor" else "employees"
        roles: list[ev.MemberRole] = ["chair"] if person == "direktor" else ["member"]
        registry.append(
            "registry", ev.MemberAppointed(body="hmed", person=person, side=side, roles=roles)
        )
    return org
