"""A matter's write-time rules, told as short stories of a LokalMED, in memory."""

from __future__ import annotations

import pytest

from ledger.domain import events as ev
from ledger.domain.matters import CHECKS, MatterState
from ledger.domain.registry import RegistryState
from ledger.errors import (
    AgreementNeedsBothSidesError,
    BodyNotInvolvedError,
    MatterEndedError,
    NotRedactableError,
    SignerNotDecisionMakerError,
    SignerNotMemberError,
    SignerNotOriginalActorError,
    SignerWrongSideError,
    StreamNotStartedError,
)
from ledger.protocol.envelope import matter_stream
from tests.domain.memory_ledger import NOW, MemoryLedger


def _position(side: ev.Side = "employees", body: str = "lokal") -> ev.PositionStated:
    return ev.PositionStated(body=body, side=side, stance="support", text="Vi bakker op.")


def test_a_management_member_opens_a_matter_for_their_body(
    ledger: MemoryLedger, budget: str
) -> None:
    matter = ledger.state.matters["budget-2026"]
    assert matter.responsible_body == "lokal"
    assert matter.decision_maker == "chef"
    assert matter.involved == {"lokal"}


def test_an_employee_representative_does_not_open_matters(ledger: MemoryLedger) -> None:
    with pytest.raises(SignerWrongSideError):
        ledger.open_matter("vagtplan", "tr-anna", responsible_body="lokal", decision_maker="chef")


def test_a_political_committee_is_never_the_responsible_med_body(ledger: MemoryLedger) -> None:
    with pytest.raises(BodyNotInvolvedError):
        ledger.open_matter("skolereform", "chef", responsible_body="udvalg", decision_maker="chef")


def test_a_matter_stream_starts_with_its_opening(ledger: MemoryLedger) -> None:
    with pytest.raises(StreamNotStartedError):
        ledger.admit(ledger.sign("tr-anna", matter_stream("ukendt-sag"), _position()))


def test_a_signer_who_is_not_a_member_cannot_state_a_position(
    ledger: MemoryLedger, budget: str
) -> None:
    with pytest.raises(SignerNotMemberError):
        ledger.admit(ledger.sign("borger", budget, _position()))


def test_each_side_states_its_own_position(ledger: MemoryLedger, budget: str) -> None:
    ledger.write("tr-anna", budget, _position("employees"))
    ledger.write("leder-bo", budget, _position("management"))
    with pytest.raises(SignerWrongSideError):
        ledger.admit(ledger.sign("tr-anna", budget, _position("management")))


def test_a_body_speaks_on_a_matter_only_once_it_is_involved(
    ledger: MemoryLedger, budget: str
) -> None:
    ledger.appoint("hmed", "tr-anna", "employees", ("tr",))
    with pytest.raises(BodyNotInvolvedError):
        ledger.admit(ledger.sign("tr-anna", budget, _position(body="hmed")))
    ledger.write(
        "chef",
        budget,
        ev.MaterialShared(
            documents=[ev.Document(title="Budgetforslag", sha256="0" * 64)], bodies=["hmed"]
        ),
    )
    ledger.write("tr-anna", budget, _position(body="hmed"))
    assert "hmed" in ledger.state.matters["budget-2026"].involved


def test_an_agreement_needs_both_sides_to_accept_the_compromise(
    ledger: MemoryLedger, budget: str
) -> None:
    proposal = ledger.write(
        "leder-bo",
        budget,
        ev.CompromiseProposed(body="lokal", terms="To stillinger i stedet for tre."),
    )
    ledger.write("chef", budget, ev.CompromiseAccepted(proposal=proposal, side="management"))
    agreement = ev.AgreementReached(
        body="lokal", compromise=proposal, text="Enighed om to stillinger."
    )
    with pytest.raises(AgreementNeedsBothSidesError):
        ledger.admit(ledger.sign("chef", budget, agreement))
    ledger.enrol("naestformand-carl")
    ledger.appoint("lokal", "naestformand-carl", "employees", ("vice_chair",))
    ledger.write(
        "naestformand-carl", budget, ev.CompromiseAccepted(proposal=proposal, side="employees")
    )
    ledger.write("chef", budget, agreement)


def test_only_the_decision_maker_decides(ledger: MemoryLedger, budget: str) -> None:
    decision = ev.DecisionMade(outcome="Budgettet vedtages.", rationale="Rammen holder.")
    with pytest.raises(SignerNotDecisionMakerError):
        ledger.admit(ledger.sign("leder-bo", budget, decision))
    ledger.write("chef", budget, decision)


def test_a_closed_matter_takes_only_records_about_the_past(
    ledger: MemoryLedger, budget: str
) -> None:
    ledger.write("chef", budget, ev.MatterClosed(reason="Besluttet."))
    with pytest.raises(MatterEndedError):
        ledger.admit(ledger.sign("tr-anna", budget, _position()))
    ledger.write("chef", budget, ev.DecisionCommunicated(to="Alle ansatte", channel="Intranet"))
    assert ledger.state.matters["budget-2026"].ended


def test_only_the_original_signer_corrects_an_event(ledger: MemoryLedger, budget: str) -> None:
    stated = ledger.write("tr-anna", budget, _position())
    correction = ev.CorrectionIssued(event=stated, correction="Vi støtter med ændringer.")
    with pytest.raises(SignerNotOriginalActorError):
        ledger.admit(ledger.sign("leder-bo", budget, correction))
    ledger.write("tr-anna", budget, correction)


def test_every_matter_event_type_has_its_write_time_check() -> None:
    assert set(CHECKS) == set(ev.MATTER_EVENTS) | set(ev.ANY_MATTER_EVENTS)


def test_erasure_names_only_fields_the_event_committed_to(
    ledger: MemoryLedger, budget: str
) -> None:
    """An acknowledgement given without a comment committed to none, so none can be erased.

    A lean state keeps the committed field names, not the payload, and must
    refuse and admit exactly as the full state does.
    """
    plain = ledger.write(
        "tr-anna", budget, ev.ConsultationAcknowledged(body="lokal", adequate_time=True)
    )
    commented = ledger.write(
        "tr-anna",
        budget,
        ev.ConsultationAcknowledged(body="lokal", adequate_time=False, comment="For kort tid."),
    )
    with pytest.raises(NotRedactableError, match=f"event {plain} has no field 'comment'") as none:
        ledger.write(
            "admin", budget, ev.PayloadRedacted(event=plain, fields=["comment"], legal_basis="x")
        )
    assert none.value.details == {"event": plain, "field": "comment"}
    with pytest.raises(NotRedactableError, match="field 'body' cannot be erased") as routing:
        ledger.write(
            "admin", budget, ev.PayloadRedacted(event=plain, fields=["body"], legal_basis="x")
        )
    assert routing.value.details == {"event": plain, "field": "body"}
    ledger.write(
        "admin",
        budget,
        ev.PayloadRedacted(event=commented, fields=["comment"], legal_basis="GDPR art. 17"),
    )
    info = ledger.state.matters["budget-2026"].events[plain]
    assert info.committed_fields() == frozenset({"body", "adequate_time"})
    assert (info.payload is None) == ledger.state.lean


def test_a_lean_state_keeps_the_payloads_later_rules_read(
    ledger: MemoryLedger, budget: str
) -> None:
    """Meetings and compromises are read again by approvals and acceptances; positions are not."""
    meeting = ledger.write(
        "chef",
        budget,
        ev.MeetingHeld(
            body="lokal", date=NOW.date().isoformat(), agenda_item="Budget", present=["chef"]
        ),
    )
    position = ledger.write("tr-anna", budget, _position())
    events = ledger.state.matters["budget-2026"].events
    assert isinstance(events[meeting].payload, ev.MeetingHeld)
    assert isinstance(events[1].payload, ev.MatterOpened)
    assert (events[position].payload is None) == ledger.state.lean
    # Who signed each event is kept too: only they may correct it.
    with pytest.raises(SignerNotOriginalActorError):
        ledger.write("tr-anna", budget, ev.CorrectionIssued(event=meeting, correction="Rettet."))
    ledger.write("chef", budget, ev.CorrectionIssued(event=meeting, correction="Rettet."))
    ledger.write("tr-anna", budget, ev.CorrectionIssued(event=position, correction="Rettet."))


def test_an_erasure_keeps_what_the_event_committed_to() -> None:
    """A field a client committed as an explicit null stays committed after another field of
    the event is erased, so it can still be erased in turn, as after a replay."""
    given = {
        "title": "Sag om en navngiven medarbejder",
        "description": "Et forslag.",
        "category": "budget",
        "responsible_body": "lokal",
        "influence_level": "codetermination",
        "decision_maker": "chef",
        "planned_decision_date": "2026-05-01",
        "case_number": None,
    }
    opened = ev.parse_payload("MatterOpened", "matter/m", given)
    assert isinstance(opened, ev.MatterOpened)
    matter = MatterState.open("m", "chef", opened)
    erasure = ev.PayloadRedacted(event=1, fields=["title"], legal_basis="GDPR art. 17")
    matter.apply(2, "PayloadRedacted", "admin", erasure, RegistryState())
    assert matter.title == "m" and matter.opened.description == "Et forslag."
    committed = matter.events[1].committed_fields()
    assert committed == opened.committed_fields() and "case_number" in opened.committed_fields()
