"""Who reads a matter: only what the matter's management side did brings a body in.

The LokalMED's budget matter; ``anden`` is a second LokalMED under the same
HovedMED, where ``borger`` sits for the employees and ``leder-anden`` chairs
for management.  A body that speaks up on its own (a proposal, a position, a
consultation its own chair opens) may be heard, but does not read the
matter; a body the management side sends material, a hearing, a
consultation or a meeting to, or one a reading body escalates to, does.
"""

from __future__ import annotations

import pytest

from ledger.domain import events as ev
from ledger.domain.readers import may_read_matter, reading_bodies
from tests.domain.memory_ledger import MemoryLedger

MATTER = "budget-2026"


@pytest.fixture
def other_body(ledger: MemoryLedger, budget: str) -> str:
    ledger.enrol("leder-anden")
    ledger.establish("anden", "lokalmed", parent="hmed")
    ledger.appoint("anden", "borger", "employees", ("tr",))
    ledger.appoint("anden", "leder-anden", "management", ("chair",))
    return budget


def _material(*bodies: str) -> ev.MaterialShared:
    return ev.MaterialShared(
        documents=[ev.Document(title="Budgetnotat", sha256="0" * 64)], bodies=list(bodies)
    )


def test_the_responsible_body_reads_its_matter_and_nobody_else_does(
    ledger: MemoryLedger, budget: str
) -> None:
    assert reading_bodies(ledger.state, MATTER) == {"lokal"}
    assert may_read_matter(ledger.state, "tr-anna", MATTER)
    assert not may_read_matter(ledger.state, "borger", MATTER)
    assert reading_bodies(ledger.state, "ingen-sag") == frozenset()
    assert not may_read_matter(ledger.state, "tr-anna", "ingen-sag")


def test_a_proposal_of_ones_own_body_does_not_make_it_a_reader(
    ledger: MemoryLedger, other_body: str
) -> None:
    ledger.write(
        "borger",
        other_body,
        ev.ProposalSubmitted(body="anden", title="Fælles vikarkorps", text="Vi foreslår ..."),
    )
    matter = ledger.state.matters[MATTER]
    assert "anden" in matter.involved  # it may now speak on the matter
    assert reading_bodies(ledger.state, MATTER) == {"lokal"}
    assert not may_read_matter(ledger.state, "borger", MATTER)  # though they signed in it


def test_a_consultation_or_meeting_its_own_chair_holds_does_not_make_a_body_a_reader(
    ledger: MemoryLedger, other_body: str
) -> None:
    consultation = ev.ConsultationOpened(
        body="anden", question="Hvad mener I?", respond_by="2026-04-01"
    )
    ledger.write("leder-anden", other_body, consultation)
    ledger.write(
        "leder-anden",
        other_body,
        ev.MeetingHeld(body="anden", date="2026-03-02", agenda_item="Budget", present=["borger"]),
    )
    assert "anden" in ledger.state.matters[MATTER].involved
    assert reading_bodies(ledger.state, MATTER) == {"lokal"}
    ledger.appoint("anden", "chef", "management")  # the matter's decision maker sits there too
    ledger.write("chef", other_body, consultation)
    assert reading_bodies(ledger.state, MATTER) == {"lokal", "anden"}
    assert may_read_matter(ledger.state, "borger", MATTER)


def test_material_and_hearings_from_the_management_side_bring_a_body_in(
    ledger: MemoryLedger, other_body: str
) -> None:
    ledger.write("leder-bo", other_body, _material("anden"))
    assert reading_bodies(ledger.state, MATTER) == {"lokal", "anden"}
    ledger.write("leder-bo", other_body, ev.HearingOpened(bodies=["hmed"], respond_by="2026-04-01"))
    assert reading_bodies(ledger.state, MATTER) == {"lokal", "anden", "hmed"}


def test_an_escalation_brings_a_body_in_only_from_a_body_that_reads(
    ledger: MemoryLedger, other_body: str
) -> None:
    ledger.write(
        "borger",
        other_body,
        ev.ProposalSubmitted(body="anden", title="Forslag", text="Vi foreslår ..."),
    )
    ledger.write(
        "borger",
        other_body,
        ev.EscalatedToBody(from_body="anden", to_body="hmed", reason="Ingen svar."),
    )
    assert reading_bodies(ledger.state, MATTER) == {"lokal"}
    ledger.write(
        "tr-anna",
        other_body,
        ev.EscalatedToBody(from_body="lokal", to_body="hmed", reason="Uenighed."),
    )
    assert reading_bodies(ledger.state, MATTER) == {"lokal", "hmed"}


def test_reading_follows_the_seat_the_decision_maker_and_the_auditors(
    ledger: MemoryLedger, budget: str
) -> None:
    ledger.enrol("revisor", "auditor")
    ledger.enrol("direktor")
    stream = ledger.open_matter(
        "ny-sag", "chef", responsible_body="lokal", decision_maker="direktor"
    )
    assert stream.endswith("ny-sag")
    ledger.write(ledger.admin, "registry", ev.MemberLeft(body="lokal", person="tr-anna"))
    assert not may_read_matter(ledger.state, "tr-anna", MATTER)  # opened while they sat there
    assert not may_read_matter(ledger.state, "tr-anna", "ny-sag")
    assert may_read_matter(ledger.state, "direktor", "ny-sag")  # sits in no body
    assert not may_read_matter(ledger.state, "direktor", MATTER)
    assert may_read_matter(ledger.state, "revisor", MATTER)
    assert not may_read_matter(ledger.state, ledger.admin, MATTER)
