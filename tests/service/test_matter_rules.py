"""The write-time rules of a matter: who may sign each step of the MED process.

The stories continue the school-structure matter (``matter`` fixture):
opened in HovedMED by the director, who decides it.  HovedMED: director
(chair), secretary (management); union rep ``tr`` (vice-chair) and ``amr``
(employees).  LokalMED below it: ``leder`` (chair), ``tr-lokal`` (vice-chair,
employees).  Every refusal names its rule and stores nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from ledger import errors
from ledger.domain import events as ev
from ledger.domain.matters import AFTER_END_TYPES
from ledger.protocol.canonical import parse_canonical
from ledger.service.application import LedgerService
from ledger.service.verification import verify_ledger
from ledger.storage.logkeys import LogKeyring
from tests.stories.log_assertions import refused, signed_and_logged, stored_entries
from tests.stories.matter import Matter
from tests.stories.school import school_structure


def draft(title: str = "Udkast til skolestruktur") -> ev.Document:
    return ev.Document(title=title, sha256=hashlib.sha256(title.encode()).hexdigest())


def share_with(matter: Matter, *bodies: str) -> None:
    matter.act("direktor", ev.MaterialShared(documents=[draft()], bodies=list(bodies)))


def only_lokalmeds_member_signs(org: Organisation, matter: Matter, payload: ev.Payload) -> None:
    """HovedMED's union rep, no member of LokalMED, is refused ``payload``; LokalMED's signs it."""
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("tr", payload)
    signed_and_logged(org, "tr-lokal", matter.stream, payload)


def position(body: str = "hmed", side: ev.Side = "employees") -> ev.PositionStated:
    return ev.PositionStated(body=body, side=side, stance="oppose", text="Vi er imod.")


MINUTES = hashlib.sha256(b"Referat af moedet").hexdigest()


def meeting(body: str = "hmed", *present: str) -> ev.MeetingHeld:
    return ev.MeetingHeld(
        body=body,
        date="2026-01-05",
        agenda_item="Skolestruktur",
        present=list(present or ("direktor", "tr")),
        minutes_sha256=MINUTES,
    )


def compromise(matter: Matter, by: str = "tr") -> int:
    proposed = matter.act(by, ev.CompromiseProposed(body="hmed", terms="Sammenlægning i 2028."))
    return int(proposed["seq"])


def accepted_by_both_sides(matter: Matter) -> int:
    """The union rep proposes a compromise and both sides accept it; returns its seq."""
    proposal = compromise(matter)
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    return proposal


def agreement(proposal: int, body: str = "hmed", **fields: object) -> ev.AgreementReached:
    return ev.AgreementReached.model_validate(
        {"body": body, "compromise": proposal, "text": "Aftalt.", **fields}
    )


# --- opening a matter ------------------------------------------------------------


def test_only_management_of_the_responsible_body_opens_a_matter(
    org: Organisation, clock: ManualClock
) -> None:
    stream = "matter/ny-sag"
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=stream):
        org.act("tr", "ny-sag", school_structure(clock))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=stream):
        org.act("leder", "ny-sag", school_structure(clock))

    signed_and_logged(org, "sekretaer", stream, school_structure(clock))


def test_a_matter_belongs_to_an_existing_med_body_and_decision_maker(
    org: Organisation, clock: ManualClock
) -> None:
    stream = "matter/ny-sag"
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=stream):
        org.act("direktor", "ny-sag", school_structure(clock, responsible_body="udvalg"))
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=stream):
        org.act("direktor", "ny-sag", school_structure(clock, responsible_body="omraade-nord"))
    with refused(org, errors.UnknownPersonError, "unknown_person", stream=stream):
        org.act("direktor", "ny-sag", school_structure(clock, decision_maker="borgmester"))

    org.registry(ev.BodyDissolved(body="lmed", reason="Nedlagt"))
    with refused(org, errors.BodyDissolvedError, "body_dissolved", stream=stream):
        org.act("leder", "ny-sag", school_structure(clock, responsible_body="lmed"))


def test_a_matter_starts_with_matter_opened_and_opens_once(
    org: Organisation, clock: ManualClock
) -> None:
    with refused(org, errors.StreamNotStartedError, "stream_not_started", stream="matter/ny-sag"):
        org.act("tr", "ny-sag", position())

    org.act("direktor", "ny-sag", school_structure(clock))
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream="matter/ny-sag"):
        org.act("direktor", "ny-sag", school_structure(clock))


# --- informing and consulting ----------------------------------------------------


def test_material_is_shared_by_management_with_existing_bodies(
    org: Organisation, matter: Matter
) -> None:
    shared = ev.MaterialShared(documents=[draft()], bodies=["lmed"])
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", shared)
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("leder", shared)
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=matter.stream):
        matter.act("direktor", ev.MaterialShared(documents=[draft()], bodies=["omraade-nord"]))


def test_a_consultation_is_opened_by_management_or_the_bodys_chair(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    def consultation(body: str) -> ev.ConsultationOpened:
        return ev.ConsultationOpened(
            body=body, question="Hvad mener I?", respond_by=clock.date(days=14)
        )

    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr-lokal", consultation("lmed"))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("udenfor", consultation("lmed"))
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=matter.stream):
        matter.act("direktor", consultation("omraade-nord"))

    # An employee-side chair may open one too.
    org.registry(
        ev.MemberAppointed(body="lmed", person="udenfor", side="employees", roles=["chair"])
    )
    signed_and_logged(org, "udenfor", matter.stream, consultation("lmed"))
    signed_and_logged(org, "sekretaer", matter.stream, consultation("hmed"))


def test_a_meeting_is_recorded_by_the_chair_or_secretary_of_an_involved_body(
    org: Organisation, matter: Matter
) -> None:
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("leder", meeting("lmed", "leder", "tr-lokal"))
    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        matter.act("amr", meeting("hmed"))
    with refused(org, errors.UnknownPersonError, "unknown_person", stream=matter.stream):
        matter.act("sekretaer", meeting("hmed", "direktor", "borgmester"))

    signed_and_logged(org, "direktor", matter.stream, meeting("hmed"))


def test_minutes_are_approved_once_by_the_chair_and_once_by_the_vice_chair(
    org: Organisation, matter: Matter
) -> None:
    held = matter.act("sekretaer", meeting("hmed"))
    approval = ev.MinutesApproved(meeting=held["seq"], minutes_sha256=MINUTES)

    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        matter.act("amr", approval)
    signed_and_logged(org, "direktor", matter.stream, approval)
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=matter.stream):
        matter.act("direktor", approval)
    signed_and_logged(org, "tr", matter.stream, approval)


def test_only_minutes_of_a_meeting_can_be_approved(org: Organisation, matter: Matter) -> None:
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("direktor", ev.MinutesApproved(meeting=1, minutes_sha256=MINUTES))
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("direktor", ev.MinutesApproved(meeting=99, minutes_sha256=MINUTES))


# --- what the employee side says ---------------------------------------------------


def test_a_position_is_stated_by_a_member_for_their_own_side(
    org: Organisation, matter: Matter
) -> None:
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", position(side="management"))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("udenfor", position())
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("tr-lokal", position(body="lmed"))

    share_with(matter, "lmed")
    signed_and_logged(org, "tr-lokal", matter.stream, position(body="lmed"))


def test_a_proposal_comes_from_a_member_of_the_proposing_body(
    org: Organisation, matter: Matter
) -> None:
    proposal = ev.ProposalSubmitted(body="lmed", title="Fælles ledelse", text="Én ledelse.")
    only_lokalmeds_member_signs(org, matter, proposal)


def test_disagreements_and_compromises_are_raised_by_members_of_involved_bodies(
    org: Organisation, matter: Matter
) -> None:
    disagreement = ev.DisagreementRecorded(body="lmed", points=["Ingen konsekvensanalyse."])
    proposal = ev.CompromiseProposed(body="lmed", terms="Udskyd et år.")

    for payload in (disagreement, proposal):
        with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
            matter.act("tr-lokal", payload)
    share_with(matter, "lmed")
    for payload in (disagreement, proposal):
        only_lokalmeds_member_signs(org, matter, payload)


def test_a_disagreement_is_answered_once_by_management_or_the_decision_maker(
    org: Organisation, matter: Matter
) -> None:
    recorded = matter.act("amr", ev.DisagreementRecorded(body="hmed", points=["For hurtigt."]))
    answer = ev.DisagreementAnswered(disagreement=recorded["seq"], response="Tidsplanen udskydes.")

    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", answer)
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act(
            "direktor", ev.DisagreementAnswered(disagreement=1, response="Det er ikke en uenighed.")
        )
    signed_and_logged(org, "sekretaer", matter.stream, answer)
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=matter.stream):
        matter.act("direktor", answer)


# --- compromises and agreements ------------------------------------------------------


def answered_by_the_vice_chair_alone(
    org: Organisation,
    matter: Matter,
    answer: type[ev.CompromiseAccepted] | type[ev.CompromiseRejected],
    proposal: int,
    *,
    unknown: int,
) -> None:
    """For the employees, the AMR (no chair) may not ``answer`` the compromise, nor may
    anyone answer the event ``unknown``; the vice-chair (tr) answers ``proposal``."""
    with refused(org, errors.SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        matter.act("amr", answer(proposal=proposal, side="employees"))
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("tr", answer(proposal=unknown, side="employees"))
    signed_and_logged(org, "tr", matter.stream, answer(proposal=proposal, side="employees"))


def test_a_compromise_is_accepted_by_the_chair_or_vice_chair_for_their_own_side(
    org: Organisation, matter: Matter
) -> None:
    proposal = compromise(matter)

    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="management"))
    answered_by_the_vice_chair_alone(org, matter, ev.CompromiseAccepted, proposal, unknown=1)
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=matter.stream):
        matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=matter.stream):
        matter.act("tr", ev.CompromiseRejected(proposal=proposal, side="employees"))


def test_a_compromise_is_rejected_by_the_chair_or_vice_chair_of_that_side(
    org: Organisation, matter: Matter
) -> None:
    proposal = compromise(matter, by="direktor")

    answered_by_the_vice_chair_alone(org, matter, ev.CompromiseRejected, proposal, unknown=99)


def test_an_agreement_needs_acceptance_from_both_sides(org: Organisation, matter: Matter) -> None:
    proposal = compromise(matter)

    with refused(
        org, errors.AgreementNeedsBothSidesError, "agreement_needs_both_sides", stream=matter.stream
    ):
        matter.act("direktor", agreement(proposal))
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    with refused(
        org, errors.AgreementNeedsBothSidesError, "agreement_needs_both_sides", stream=matter.stream
    ):
        matter.act("direktor", agreement(proposal))
    matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))

    signed_and_logged(org, "tr", matter.stream, agreement(proposal))


def test_an_agreement_is_about_a_compromise_in_its_own_body_signed_by_a_member(
    org: Organisation, matter: Matter
) -> None:
    proposal = accepted_by_both_sides(matter)

    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("direktor", agreement(1))
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("leder", agreement(proposal, body="lmed"))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("leder", agreement(proposal))


def test_a_guideline_agreement_names_its_type_and_only_then(
    org: Organisation, matter: Matter
) -> None:
    proposal = accepted_by_both_sides(matter)

    incompletes: list[dict[str, Any]] = [
        {"guideline": True},
        {"guideline": True, "guideline_type": "mandatory"},
        {"guideline": True, "guideline_id": "trivsel"},
        {"guideline_type": "mandatory"},
        {"guideline_id": "trivsel"},
    ]
    for incomplete in incompletes:
        with refused(org, errors.MalformedPayloadError, "malformed_payload", stream=matter.stream):
            matter.act("direktor", agreement(proposal, **incomplete))
    signed_and_logged(
        org,
        "direktor",
        matter.stream,
        agreement(proposal, guideline=True, guideline_type="mandatory", guideline_id="trivsel"),
    )


def test_an_agreement_still_needs_both_sides_after_a_restart_with_a_redaction(
    org: Organisation, matter: Matter, service: LedgerService, clock: ManualClock, tmp_path: Path
) -> None:
    """A GDPR erasure elsewhere in the matter must not switch the rule off in a fresh process."""
    stated = matter.act("tr", position())
    matter.act(
        "admin",
        ev.PayloadRedacted(event=stated["seq"], fields=["text"], legal_basis="GDPR art. 17"),
    )
    proposal = compromise(matter)
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    restarted = LedgerService(service.store, LogKeyring(tmp_path / "log-keys"), clock=clock)
    org.service = restarted
    org.transport.service = restarted

    with refused(
        org, errors.AgreementNeedsBothSidesError, "agreement_needs_both_sides", stream=matter.stream
    ):
        matter.act("direktor", agreement(proposal))


def test_an_erasure_leaves_the_service_the_state_a_restart_would_load(
    org: Organisation, matter: Matter, service: LedgerService, clock: ManualClock, tmp_path: Path
) -> None:
    """The pages read the service's state: once a text is erased it is gone from there at once,
    as a restarted service replaying the log would have it (the title shows as the id)."""
    stated = int(matter.act("tr", position())["seq"])
    proposal = compromise(matter)
    for seq, fields in ((1, ["title", "description"]), (stated, ["text"]), (proposal, ["terms"])):
        matter.act("admin", ev.PayloadRedacted(event=seq, fields=fields, legal_basis="GDPR"))
    live = service.state(org.origin).matters[matter.matter_id]
    restarted = LedgerService(service.store, LogKeyring(tmp_path / "log-keys"), clock=clock)
    loaded = restarted.state(org.origin).matters[matter.matter_id]
    assert live.events == loaded.events and live.opened == loaded.opened
    assert live.title == loaded.title == matter.matter_id
    assert live.opened.description is None and live.opened.responsible_body == "hmed"
    position_now, proposal_now = live.events[stated].payload, live.events[proposal].payload
    assert isinstance(position_now, ev.PositionStated) and position_now.text is None
    assert isinstance(proposal_now, ev.CompromiseProposed) and proposal_now.terms is None
    assert live.events[stated].committed_fields() == loaded.events[stated].committed_fields()


# --- hearings ------------------------------------------------------------------------


def test_a_hearing_is_opened_by_management_to_existing_bodies(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=30)))
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=matter.stream):
        matter.act(
            "direktor", ev.HearingOpened(bodies=["omraade-nord"], respond_by=clock.date(days=30))
        )


def test_only_a_body_asked_in_a_hearing_responds_by_one_of_its_members(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    response = ev.HearingResponseSubmitted(body="lmed", text="Vi er imod.")
    share_with(matter, "lmed")
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("tr-lokal", response)

    matter.act("direktor", ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=30)))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("udenfor", response)
    signed_and_logged(org, "tr-lokal", matter.stream, response)


# --- deciding ----------------------------------------------------------------------


def test_only_the_decision_maker_decides(org: Organisation, matter: Matter) -> None:
    decision = ev.DecisionMade(outcome="Skolerne lægges sammen.", rationale="Færre elever.")
    with refused(
        org, errors.SignerNotDecisionMakerError, "signer_not_decision_maker", stream=matter.stream
    ):
        matter.act("sekretaer", decision)
    signed_and_logged(org, "direktor", matter.stream, decision)


def test_a_decisions_inputs_are_earlier_positions_proposals_and_responses(
    org: Organisation, matter: Matter
) -> None:
    share_with(matter, "lmed")  # seq 2: material is not an input

    for not_an_input in (2, 99):
        with refused(
            org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
        ):
            matter.act(
                "direktor",
                ev.DecisionMade(
                    outcome="Besluttet.",
                    rationale="Se bilag.",
                    inputs=[
                        ev.DecisionInput(event=not_an_input, treatment="not_adopted", reason="-")
                    ],
                ),
            )


def refused_unless_management_names_a_committee(
    org: Organisation,
    matter: Matter,
    political_step: Callable[[str], ev.Payload],
    manager: str,
    med_body: str,
) -> None:
    """The two rules every step towards politics shares: refused from the union side,
    and refused by ``manager`` when it names ``med_body`` instead of a political committee."""
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", political_step("udvalg"))
    with refused(
        org,
        errors.PoliticalCommitteeRequiredError,
        "political_committee_required",
        stream=matter.stream,
    ):
        matter.act(manager, political_step(med_body))


def test_a_referral_goes_from_management_to_a_political_committee(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    def referral(committee: str) -> ev.ReferredToPolitics:
        return ev.ReferredToPolitics(
            committee=committee, date=clock.date(), proposal_reference="Pkt. 4"
        )

    refused_unless_management_names_a_committee(org, matter, referral, "direktor", "lmed")
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=matter.stream):
        matter.act("direktor", referral("byraadet"))


def test_a_political_decision_is_recorded_by_management_or_the_secretary(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    def recorded(committee: str) -> ev.PoliticalDecisionRecorded:
        return ev.PoliticalDecisionRecorded(
            committee=committee, outcome="Godkendt.", date=clock.date()
        )

    refused_unless_management_names_a_committee(org, matter, recorded, "sekretaer", "hmed")

    # A secretary on the employee side may record it too.
    org.registry(
        ev.MemberAppointed(body="hmed", person="udenfor", side="employees", roles=["secretary"])
    )
    signed_and_logged(org, "udenfor", matter.stream, recorded("udvalg"))


def test_a_member_of_an_involved_body_acknowledges_being_consulted(
    org: Organisation, matter: Matter
) -> None:
    acknowledgement = ev.ConsultationAcknowledged(body="lmed", adequate_time=True)
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act("tr-lokal", acknowledgement)
    share_with(matter, "lmed")
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=matter.stream):
        matter.act("tr", acknowledgement)
    signed_and_logged(org, "tr-lokal", matter.stream, acknowledgement)


def test_a_matter_is_escalated_only_up_the_med_structure(
    org: Organisation, clock: ManualClock
) -> None:
    local = Matter(org, "vikarer")
    local.act("leder", school_structure(clock, responsible_body="lmed", decision_maker="leder"))

    def escalation(from_body: str, to_body: str) -> ev.EscalatedToBody:
        return ev.EscalatedToBody(from_body=from_body, to_body=to_body, reason="Uenighed.")

    with refused(
        org, errors.NotAnAncestorBodyError, "escalation_not_to_ancestor", stream=local.stream
    ):
        local.act("tr-lokal", escalation("lmed", "udvalg"))
    with refused(org, errors.UnknownBodyError, "unknown_body", stream=local.stream):
        local.act("tr-lokal", escalation("lmed", "omraade-nord"))
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=local.stream):
        local.act("tr", escalation("hmed", "lmed"))
    with refused(org, errors.SignerNotMemberError, "signer_not_member", stream=local.stream):
        local.act("tr", escalation("lmed", "hmed"))

    signed_and_logged(org, "tr-lokal", local.stream, escalation("lmed", "hmed"))
    # Once escalated, HovedMED is involved, and it cannot escalate back down.
    signed_and_logged(org, "tr", local.stream, position("hmed"))
    with refused(
        org, errors.NotAnAncestorBodyError, "escalation_not_to_ancestor", stream=local.stream
    ):
        local.act("tr", escalation("hmed", "lmed"))


# --- breach claims -------------------------------------------------------------------


def test_a_breach_is_claimed_by_the_employee_side_of_an_involved_body(
    org: Organisation, matter: Matter
) -> None:
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act(
            "direktor",
            ev.BreachClaimed(body="hmed", concerns=1, text="Ledelsen klager over sig selv."),
        )
    with refused(org, errors.BodyNotInvolvedError, "body_not_involved", stream=matter.stream):
        matter.act(
            "tr-lokal", ev.BreachClaimed(body="lmed", concerns=1, text="Vi blev aldrig spurgt.")
        )
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("tr", ev.BreachClaimed(body="hmed", concerns=9, text="Om en ukendt hændelse."))


def test_only_the_hovedmed_chair_resolves_a_breach_claim_once(
    org: Organisation, clock: ManualClock
) -> None:
    local = Matter(org, "vikarer")
    local.act("leder", school_structure(clock, responsible_body="lmed", decision_maker="leder"))
    claim = local.act(
        "tr-lokal", ev.BreachClaimed(body="lmed", concerns=1, text="Besluttet uden drøftelse.")
    )
    resolution = ev.BreachResolved(claim=claim["seq"], resolution="rejected")

    with refused(org, errors.NotAllowedError, "not_allowed", stream=local.stream):
        local.act("leder", resolution)  # chair of the LokalMED, not of HovedMED
    with refused(org, errors.NotAllowedError, "not_allowed", stream=local.stream):
        local.act("tr", resolution)  # vice-chair of HovedMED
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=local.stream
    ):
        local.act("direktor", ev.BreachResolved(claim=1, resolution="rejected"))

    signed_and_logged(org, "direktor", local.stream, resolution)
    with refused(org, errors.AlreadyRecordedError, "already_recorded", stream=local.stream):
        local.act("direktor", ev.BreachResolved(claim=claim["seq"], resolution="withdrawn"))


# --- communicating, closing, correcting, erasing -------------------------------------


def test_management_communicates_the_decision(org: Organisation, matter: Matter) -> None:
    with refused(org, errors.SignerWrongSideError, "signer_wrong_side", stream=matter.stream):
        matter.act("tr", ev.DecisionCommunicated(to="Alle ansatte", channel="Opslag"))
    signed_and_logged(
        org, "sekretaer", matter.stream, ev.DecisionCommunicated(to="Alle ansatte", channel="Mail")
    )


@pytest.mark.parametrize(
    "ending", [ev.MatterClosed(reason="Afsluttet."), ev.MatterWithdrawn(reason="Trukket.")]
)
def test_only_the_decision_maker_ends_a_matter(
    org: Organisation, matter: Matter, ending: ev.Payload
) -> None:
    with refused(
        org, errors.SignerNotDecisionMakerError, "signer_not_decision_maker", stream=matter.stream
    ):
        matter.act("sekretaer", ending)
    signed_and_logged(org, "direktor", matter.stream, ending)


@pytest.mark.parametrize(
    "ending", [ev.MatterClosed(reason="Afsluttet."), ev.MatterWithdrawn(reason="Trukket.")]
)
def test_an_ended_matter_takes_only_records_about_its_past(
    org: Organisation, matter: Matter, ending: ev.Payload
) -> None:
    stated = matter.act("tr", position())
    held = matter.act("sekretaer", meeting("hmed"))
    matter.act("direktor", ending)

    for person, too_late in [
        ("tr", position()),
        ("direktor", ev.DecisionMade(outcome="Alligevel.", rationale="Glemt.")),
        ("direktor", ev.MaterialShared(documents=[draft()], bodies=["lmed"])),
        ("direktor", ev.MatterClosed(reason="Igen.")),
    ]:
        with refused(org, errors.MatterEndedError, "matter_ended", stream=matter.stream):
            matter.act(person, too_late)

    _record_the_past(org, matter, stated=stated["seq"], held=held["seq"])
    after_the_end = {entry.body.type for entry in stored_entries(org, matter.stream)[4:]}
    assert after_the_end == AFTER_END_TYPES
    verify_ledger(org.service.store, org.origin)


def _record_the_past(org: Organisation, matter: Matter, *, stated: int, held: int) -> None:
    """Sign and log, after the end, every kind of record that speaks of the matter's past."""
    for person, about_the_past in [
        ("tr", ev.CorrectionIssued(event=stated, correction="Rettet.")),
        ("amr", ev.ConsultationAcknowledged(body="hmed", adequate_time=False)),
        ("direktor", ev.MinutesApproved(meeting=held, minutes_sha256=MINUTES)),
        ("tr", ev.MinutesApproved(meeting=held, minutes_sha256=MINUTES)),
        (
            "sekretaer",
            ev.MinutesPublished(meeting=held, minutes_sha256=MINUTES, channel="Intranet"),
        ),
    ]:
        signed_and_logged(org, person, matter.stream, about_the_past)
    claim = signed_and_logged(
        org, "tr", matter.stream, ev.BreachClaimed(body="hmed", concerns=1, text="For sent.")
    )["seq"]
    for person, about_the_past in [
        (
            "direktor",
            ev.BreachRemedied(claim=claim, remedy="decision_reopened", text="Drøftes igen."),
        ),
        ("tr", ev.DisputeEscalated(dispute=claim, level="hovedmed", reason="Ikke nok.")),
        ("direktor", ev.BreachResolved(claim=claim, resolution="compensated")),
        ("direktor", ev.InterpretationDisputed(body="hmed", question="Gælder § 7 også her?")),
        ("direktor", ev.DecisionCommunicated(to="Personalet", channel="Mail")),
        ("admin", ev.PayloadRedacted(event=stated, fields=["text"], legal_basis="GDPR")),
    ]:
        signed_and_logged(org, person, matter.stream, about_the_past)


def test_only_the_original_actor_corrects_an_event(org: Organisation, matter: Matter) -> None:
    stated = matter.act("tr", position())

    with refused(
        org, errors.SignerNotOriginalActorError, "signer_not_original_actor", stream=matter.stream
    ):
        matter.act(
            "direktor", ev.CorrectionIssued(event=stated["seq"], correction="Nej, de støttede.")
        )
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("tr", ev.CorrectionIssued(event=99, correction="Findes ikke."))


def test_an_admin_erases_a_field_once_and_never_one_the_rules_read(
    org: Organisation, matter: Matter
) -> None:
    stated = matter.act("tr", position())
    erasure = ev.PayloadRedacted(event=stated["seq"], fields=["text"], legal_basis="GDPR art. 17")

    def erase(event: int, *fields: str) -> ev.PayloadRedacted:
        return ev.PayloadRedacted(event=event, fields=list(fields), legal_basis="GDPR art. 17")

    with refused(org, errors.SignerNotAdminError, "signer_not_admin", stream=matter.stream):
        matter.act("direktor", erasure)
    for event, field in ((1, "responsible_body"), (stated["seq"], "stance"), (1, "nonsense")):
        with refused(org, errors.NotRedactableError, "not_redactable", stream=matter.stream):
            matter.act("admin", erase(event, field))
    with refused(
        org, errors.UnknownEventReferenceError, "unknown_event_reference", stream=matter.stream
    ):
        matter.act("admin", erase(99, "text"))
    with refused(org, errors.AlreadyRedactedError, "already_redacted", stream=matter.stream):
        matter.act("admin", erase(stated["seq"], "text", "text"))

    receipt = signed_and_logged(org, "admin", matter.stream, erasure)
    with refused(org, errors.AlreadyRedactedError, "already_redacted", stream=matter.stream):
        matter.act("admin", erasure)

    [erased] = org.service.records(org.origin, matter.stream, after_seq=stated["seq"] - 1, limit=1)
    assert erased.entry is not None, "the signed entry stays in the log"
    assert erased.payload is not None and erased.salts is not None
    kept = parse_canonical(erased.payload)
    assert isinstance(kept, dict) and "text" not in kept and kept["stance"] == "oppose"
    assert b"text" not in erased.salts and erased.redacted_by == receipt["leaf_index"]
    report = verify_ledger(org.service.store, org.origin)
    assert report.redacted == 1
    second = matter.act("tr", position())
    matter.act("admin", erase(second["seq"], "text"))
    assert verify_ledger(org.service.store, org.origin).redacted == 2


@pytest.mark.parametrize("kind", ["consultation", "meeting", "compromise"])
def test_fields_later_rules_depend_on_cannot_be_redacted(
    org: Organisation, matter: Matter, clock: ManualClock, kind: str
) -> None:
    """Erasing a meeting's or a compromise's body would let anyone approve or accept it."""
    if kind == "consultation":
        target = matter.act(
            "direktor",
            ev.ConsultationOpened(
                body="hmed", question="Jeres syn?", respond_by=clock.date(days=14)
            ),
        )
    elif kind == "meeting":
        target = matter.act(
            "sekretaer",
            ev.MeetingHeld(body="hmed", date=clock.date(), agenda_item="Punkt 1", present=["tr"]),
        )
    else:
        target = matter.act("direktor", ev.CompromiseProposed(body="hmed", terms="To faser."))
    with refused(org, errors.NotRedactableError, "not_redactable", stream=matter.stream):
        matter.act(
            "admin",
            ev.PayloadRedacted(event=target["seq"], fields=["body"], legal_basis="GDPR art. 17"),
        )
