"""Every event type of the catalogue, signed by the person DESIGN.md section 3 allows.

Each story below sets the scene in the test municipality and names one
signing: who signs which event in which stream.  The test signs it through
the SDK and checks that it is in the log: the receipt's leaf index, the
stream head, the tree size and the stored record.  ``LedgerCreated`` and
``ImportCompleted`` need a ledger of their own and have their own tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import REGISTRY_STREAM
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.service.verification import verify_ledger
from tests.stories.log_assertions import signed_and_logged
from tests.stories.matter import Matter
from tests.stories.school import school_structure


@dataclass(frozen=True)
class Signing:
    person: str
    stream: str
    payload: ev.Payload


Story = Callable[[Organisation, ManualClock], Signing]
STORIES: dict[str, Story] = {}


def story(event_type: str) -> Callable[[Story], Story]:
    def register(tell: Story) -> Story:
        STORIES[event_type] = tell
        return tell

    return register


def opened(org: Organisation, clock: ManualClock) -> Matter:
    matter = Matter(org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    return matter


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- registry ----------------------------------------------------------------


@story("PersonEnrolled")
def a_new_manager_is_enrolled(org: Organisation, clock: ManualClock) -> Signing:
    key = PersonKey.generate("ny-leder")
    return Signing(
        "admin",
        REGISTRY_STREAM,
        ev.PersonEnrolled(person="ny-leder", key_id=key.key_id, public_key=key.public_key_b64),
    )


@story("KeyAdded")
def the_union_rep_gets_a_second_key(org: Organisation, clock: ManualClock) -> Signing:
    key = PersonKey.generate("tr")
    return Signing(
        "admin",
        REGISTRY_STREAM,
        ev.KeyAdded(person="tr", key_id=key.key_id, public_key=key.public_key_b64),
    )


@story("KeyRevoked")
def a_lost_laptop_key_is_revoked(org: Organisation, clock: ManualClock) -> Signing:
    key_id = org.keys["tr-lokal"].key_id
    return Signing(
        "admin",
        REGISTRY_STREAM,
        ev.KeyRevoked(person="tr-lokal", key_id=key_id, reason="Mistet pc"),
    )


@story("BodyEstablished")
def a_trio_is_established_under_the_local_committee(
    org: Organisation, clock: ManualClock
) -> Signing:
    return Signing(
        "admin",
        REGISTRY_STREAM,
        ev.BodyEstablished(body="trio-skole", name="Trio, skolen", kind="trio", parent="lmed"),
    )


@story("BodyDissolved")
def the_local_committee_is_dissolved(org: Organisation, clock: ManualClock) -> Signing:
    return Signing(
        "admin", REGISTRY_STREAM, ev.BodyDissolved(body="lmed", reason="Lagt sammen med område-MED")
    )


@story("MemberAppointed")
def an_employee_joins_the_local_committee(org: Organisation, clock: ManualClock) -> Signing:
    return Signing(
        "admin",
        REGISTRY_STREAM,
        ev.MemberAppointed(body="lmed", person="udenfor", side="employees", roles=["member"]),
    )


@story("MemberLeft")
def the_work_environment_rep_leaves_hovedmed(org: Organisation, clock: ManualClock) -> Signing:
    return Signing("admin", REGISTRY_STREAM, ev.MemberLeft(body="hmed", person="amr"))


# --- a matter, from opening to closing -----------------------------------------


@story("MatterOpened")
def the_director_opens_the_school_matter(org: Organisation, clock: ManualClock) -> Signing:
    return Signing("direktor", "matter/skolestruktur", school_structure(clock))


@story("MaterialShared")
def the_director_shares_the_draft(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "direktor",
        matter.stream,
        ev.MaterialShared(
            documents=[ev.Document(title="Udkast til skolestruktur", sha256=sha256("udkast v1"))],
            bodies=["hmed", "lmed"],
        ),
    )


@story("ConsultationOpened")
def the_local_chair_opens_a_consultation(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "leder",
        matter.stream,
        ev.ConsultationOpened(
            body="lmed",
            question="Hvad betyder sammenlægningen for jer?",
            respond_by=clock.date(days=21),
        ),
    )


@story("MeetingHeld")
def the_secretary_records_the_meeting(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("sekretaer", matter.stream, hovedmed_meeting(clock))


def hovedmed_meeting(clock: ManualClock) -> ev.MeetingHeld:
    return ev.MeetingHeld(
        body="hmed",
        date=clock.date(),
        agenda_item="Punkt 2: Skolestruktur",
        present=["direktor", "sekretaer", "tr", "amr"],
        minutes_sha256=sha256("referat"),
    )


@story("MinutesApproved")
def the_chair_approves_the_minutes(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    meeting = matter.act("sekretaer", hovedmed_meeting(clock))
    return Signing("direktor", matter.stream, ev.MinutesApproved(meeting=meeting["seq"]))


@story("PositionStated")
def the_employee_side_states_its_position(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("tr", matter.stream, employee_position())


def employee_position() -> ev.PositionStated:
    return ev.PositionStated(
        body="hmed",
        side="employees",
        stance="support_with_changes",
        text="Vi støtter sammenlægningen, hvis ingen afskediges.",
        proposals=["Ingen afskedigelser i 2027."],
    )


@story("ProposalSubmitted")
def the_local_committee_submits_a_proposal(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "tr-lokal",
        matter.stream,
        ev.ProposalSubmitted(
            body="lmed", title="Fælles ledelse", text="Én ledelse for begge skoler."
        ),
    )


@story("DisagreementRecorded")
def the_work_environment_rep_disagrees(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("amr", matter.stream, disagreement())


def disagreement() -> ev.DisagreementRecorded:
    return ev.DisagreementRecorded(
        body="hmed", points=["Arbejdsmiljøet er ikke vurderet."], legitimate_difference=True
    )


@story("DisagreementAnswered")
def the_director_answers_the_disagreement(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    recorded = matter.act("amr", disagreement())
    return Signing(
        "direktor",
        matter.stream,
        ev.DisagreementAnswered(
            disagreement=recorded["seq"], response="En APV gennemføres før beslutningen."
        ),
    )


def compromise_on_the_table(matter: Matter) -> int:
    proposed = matter.act("tr", ev.CompromiseProposed(body="hmed", terms="Sammenlægning i 2028."))
    return int(proposed["seq"])


@story("CompromiseProposed")
def the_union_rep_proposes_a_compromise(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "tr", matter.stream, ev.CompromiseProposed(body="hmed", terms="Sammenlægning i 2028.")
    )


@story("CompromiseAccepted")
def the_chair_accepts_for_management(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    proposal = compromise_on_the_table(matter)
    return Signing(
        "direktor", matter.stream, ev.CompromiseAccepted(proposal=proposal, side="management")
    )


@story("CompromiseRejected")
def the_vice_chair_rejects_for_the_employees(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    proposed = matter.act(
        "direktor", ev.CompromiseProposed(body="hmed", terms="Sammenlægning allerede i 2026.")
    )
    return Signing(
        "tr",
        matter.stream,
        ev.CompromiseRejected(proposal=proposed["seq"], side="employees", reason="For hurtigt."),
    )


@story("AgreementReached")
def both_sides_accept_and_agree_a_guideline(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    proposal = compromise_on_the_table(matter)
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    return Signing(
        "direktor",
        matter.stream,
        ev.AgreementReached(
            body="hmed",
            compromise=proposal,
            text="Retningslinje for inddragelse ved sammenlægninger.",
            guideline=True,
            guideline_type="procedure",
        ),
    )


@story("HearingOpened")
def the_director_opens_a_hearing(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "direktor", matter.stream, ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=30))
    )


@story("HearingResponseSubmitted")
def the_local_committee_answers_the_hearing(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    matter.act("direktor", ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=30)))
    return Signing(
        "tr-lokal",
        matter.stream,
        ev.HearingResponseSubmitted(body="lmed", text="Vi ønsker en fælles ledelse."),
    )


@story("DecisionMade")
def the_director_decides_and_treats_the_position(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    position = matter.act("tr", employee_position())
    return Signing(
        "direktor",
        matter.stream,
        ev.DecisionMade(
            outcome="Skolerne lægges sammen i 2027.",
            rationale="Faldende elevtal.",
            inputs=[
                ev.DecisionInput(
                    event=position["seq"], treatment="adopted", reason="Ingen afskedigelser."
                )
            ],
        ),
    )


@story("ReferredToPolitics")
def the_director_refers_the_matter_to_the_committee(
    org: Organisation, clock: ManualClock
) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "direktor",
        matter.stream,
        ev.ReferredToPolitics(
            committee="udvalg", date=clock.date(days=14), proposal_reference="Pkt. 7"
        ),
    )


@story("PoliticalDecisionRecorded")
def the_secretary_records_the_committee_decision(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "sekretaer",
        matter.stream,
        ev.PoliticalDecisionRecorded(committee="udvalg", outcome="Godkendt.", date=clock.date()),
    )


@story("ConsultationAcknowledged")
def the_work_environment_rep_confirms_being_consulted(
    org: Organisation, clock: ManualClock
) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "amr",
        matter.stream,
        ev.ConsultationAcknowledged(body="hmed", adequate_time=False, comment="Kun tre dage."),
    )


@story("EscalatedToBody")
def the_local_committee_escalates_to_hovedmed(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    matter.act(
        "direktor",
        ev.MaterialShared(
            documents=[ev.Document(title="Udkast", sha256=sha256("udkast"))], bodies=["lmed"]
        ),
    )
    return Signing(
        "tr-lokal",
        matter.stream,
        ev.EscalatedToBody(from_body="lmed", to_body="hmed", reason="Uenighed om tidsplanen."),
    )


@story("BreachClaimed")
def the_union_rep_claims_a_breach(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "tr", matter.stream, ev.BreachClaimed(body="hmed", text="Besluttet uden drøftelse i MED.")
    )


@story("BreachResolved")
def the_hovedmed_chair_resolves_the_claim(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    claim = matter.act("tr", ev.BreachClaimed(body="hmed", text="Besluttet uden drøftelse."))
    return Signing(
        "direktor",
        matter.stream,
        ev.BreachResolved(claim=claim["seq"], resolution="compensated", comment="Ny drøftelse."),
    )


@story("DecisionCommunicated")
def the_director_tells_the_staff(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing(
        "direktor", matter.stream, ev.DecisionCommunicated(to="Alle ansatte", channel="Intranet")
    )


@story("MatterClosed")
def the_decision_maker_closes_the_matter(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("direktor", matter.stream, ev.MatterClosed(reason="Besluttet og meddelt."))


@story("MatterWithdrawn")
def the_decision_maker_withdraws_the_proposal(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("direktor", matter.stream, ev.MatterWithdrawn(reason="Forslaget er trukket."))


@story("CorrectionIssued")
def the_union_rep_corrects_their_own_position(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    position = matter.act("tr", employee_position())
    return Signing(
        "tr",
        matter.stream,
        ev.CorrectionIssued(event=position["seq"], correction="Skulle være 2028, ikke 2027."),
    )


@story("PayloadRedacted")
def the_admin_erases_a_position_under_gdpr(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    position = matter.act("tr", employee_position())
    return Signing(
        "admin",
        matter.stream,
        ev.PayloadRedacted(event=position["seq"], legal_basis="GDPR art. 17"),
    )


# --- the tests -------------------------------------------------------------------

OWN_LEDGER = {"LedgerCreated", "ImportCompleted"}


def test_every_event_type_has_a_story() -> None:
    assert set(STORIES) | OWN_LEDGER == set(ev.EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(STORIES))
def test_the_right_person_signs_and_the_event_is_logged(
    event_type: str, org: Organisation, clock: ManualClock
) -> None:
    signing = STORIES[event_type](org, clock)
    assert type(signing.payload).__name__ == event_type

    signed_and_logged(org, signing.person, signing.stream, signing.payload)

    verify_ledger(org.service.store, org.origin)


def test_the_founding_admin_creates_the_ledger(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    org = Organisation(
        service, f"ledger.example/ny{unique}", "Nykommune", clock, admin="grundlaegger"
    )

    [record] = service.records(org.origin, REGISTRY_STREAM)
    assert record.leaf_index == 0
    assert record.entry is not None
    head = service.head(org.origin, REGISTRY_STREAM)
    assert head is not None and head.seq == 1
    assert service.tree_size(org.origin) == 1
    registry = service.state(org.origin).registry
    assert registry.is_admin("grundlaegger")
    assert registry.name == "Nykommune"
    assert registry.log_public_key == service.log_keys.signer(org.origin).verifier_key()
    assert verify_ledger(service.store, org.origin).tree_size == 1


def test_the_admin_ends_the_import_of_old_history(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    org = Organisation(
        service, f"ledger.example/import{unique}", "Importkommune", clock, import_mode=True
    )
    assert service.state(org.origin).registry.import_mode

    signed_and_logged(org, "admin", REGISTRY_STREAM, ev.ImportCompleted(imported_events=0))

    assert not service.state(org.origin).registry.import_mode
    verify_ledger(service.store, org.origin)
