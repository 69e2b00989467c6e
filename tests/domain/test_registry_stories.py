"""Who may change the registry: people, bodies and memberships, in memory."""

from __future__ import annotations

import pytest

from ledger.domain import events as ev
from ledger.errors import (
    DuplicatePersonError,
    SignerLacksRoleError,
    SignerNotAdminError,
    UnknownPersonError,
)
from ledger.protocol.envelope import REGISTRY_STREAM
from tests.domain.memory_ledger import MemoryLedger


def test_the_admin_enrols_a_person_with_their_own_key(ledger: MemoryLedger) -> None:
    ledger.enrol("sekretaer-eva")
    person = ledger.state.registry.people["sekretaer-eva"]
    assert set(person.keys) == {ledger.key("sekretaer-eva").key_id}


def test_only_an_admin_enrols_people(ledger: MemoryLedger) -> None:
    key = ledger.key("ny-medarbejder")
    enrolment = ev.PersonEnrolled(
        person="ny-medarbejder", key_id=key.key_id, public_key=key.public_key_b64
    )
    with pytest.raises(SignerNotAdminError):
        ledger.admit(ledger.sign("chef", REGISTRY_STREAM, enrolment))


def test_a_person_is_enrolled_once(ledger: MemoryLedger) -> None:
    with pytest.raises(DuplicatePersonError):
        ledger.enrol("tr-anna")


def test_bodies_form_a_hierarchy_under_the_hovedmed(ledger: MemoryLedger) -> None:
    ledger.establish("team", "working_group", parent="lokal")
    registry = ledger.state.registry
    assert registry.ancestors("team") == ["lokal", "hmed"]
    assert registry.hovedmed_for("team") == ["hmed"]


def test_a_chair_appoints_members_to_their_own_body(ledger: MemoryLedger) -> None:
    ledger.enrol("sekretaer-eva")
    ledger.write(
        "chef",
        REGISTRY_STREAM,
        ev.MemberAppointed(body="lokal", person="sekretaer-eva", side="management"),
    )
    membership = ledger.state.registry.membership("lokal", "sekretaer-eva")
    assert membership is not None and membership.side == "management"


def test_a_member_who_does_not_chair_the_body_cannot_appoint(ledger: MemoryLedger) -> None:
    ledger.enrol("sekretaer-eva")
    appointment = ev.MemberAppointed(body="lokal", person="sekretaer-eva", side="employees")
    with pytest.raises(SignerLacksRoleError):
        ledger.admit(ledger.sign("tr-anna", REGISTRY_STREAM, appointment))


def test_only_enrolled_people_are_appointed(ledger: MemoryLedger) -> None:
    appointment = ev.MemberAppointed(body="lokal", person="ukendt", side="employees")
    with pytest.raises(UnknownPersonError):
        ledger.admit(ledger.sign("admin", REGISTRY_STREAM, appointment))
