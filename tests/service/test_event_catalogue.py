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


def by_the_admin(event_type: str, payload: Callable[[Organisation], ev.Payload]) -> None:
    """A story in which the admin signs ``payload`` in the registry, nothing before it."""
    STORIES[event_type] = lambda org, clock: Signing("admin", REGISTRY_STREAM, payload(org))


def on_the_opened_matter(
    event_type: str, person: str, payload: Callable[[ManualClock], ev.Payload]
) -> None:
    """A story in which ``person`` signs ``payload`` right after the school matter opened."""

    def tell(org: Organisation, clock: ManualClock) -> Signing:
        matter = opened(org, clock)
        return Signing(person, matter.stream, payload(clock))

    STORIES[event_type] = tell


def with_a_new_key(
    event: type[ev.PersonEnrolled] | type[ev.KeyAdded], person: str
) -> ev.PersonEnrolled | ev.KeyAdded:
    key = PersonKey.generate(person)
    return event(person=person, key_id=key.key_id, public_key=key.public_key_b64)


# --- registry ----------------------------------------------------------------

# A new manager is enrolled; the union rep gets a second key; a lost laptop key is revoked.
by_the_admin("PersonEnrolled", lambda org: with_a_new_key(ev.PersonEnrolled, "ny-leder"))
by_the_admin("KeyAdded", lambda org: with_a_new_key(ev.KeyAdded, "tr"))
by_the_admin(
    "KeyRevoked",
    lambda org: ev.KeyRevoked(
        person="tr-lokal", key_id=org.keys["tr-lokal"].key_id, reason="Mistet pc"
    ),
)
# A trio is established under the local committee, which is later dissolved.
by_the_admin(
    "BodyEstablished",
    lambda org: ev.BodyEstablished(
        body="trio-skole", name="Trio, skolen", kind="trio", parent="lmed"
    ),
)
by_the_admin(
    "BodyDissolved", lambda org: ev.BodyDissolved(body="lmed", reason="Lagt sammen med område-MED")
)
# An employee joins the local committee; the work environment rep leaves HovedMED.
by_the_admin(
    "MemberAppointed",
    lambda org: ev.MemberAppointed(
        body="lmed", person="udenfor", side="employees", roles=["member"]
    ),
)
by_the_admin("MemberLeft", lambda org: ev.MemberLeft(body="hmed", person="amr"))
# The local committee's forretningsorden asks for material ten days before a meeting.
by_the_admin(
    "BodyRulesSet", lambda org: ev.BodyRulesSet(body="lmed", rulebook={"med-07.material_days": 10})
)


# --- a matter, from opening to closing -----------------------------------------


def hovedmed_meeting(clock: ManualClock) -> ev.MeetingHeld:
    return ev.MeetingHeld(
        body="hmed",
        date=clock.date(),
        agenda_item="Punkt 2: Skolestruktur",
        present=["direktor", "sekretaer", "tr", "amr"],
        minutes_sha256=sha256("referat"),
    )


def employee_position(clock: ManualClock) -> ev.PositionStated:
    return ev.PositionStated(
        body="hmed",
        side="employees",
        stance="support_with_changes",
        text="Vi støtter sammenlægningen, hvis ingen afskediges.",
        proposals=["Ingen afskedigelser i 2027."],
    )


def disagreement(clock: ManualClock) -> ev.DisagreementRecorded:
    return ev.DisagreementRecorded(
        body="hmed", points=["Arbejdsmiljøet er ikke vurderet."], legitimate_difference=True
    )


def compromise(clock: ManualClock) -> ev.CompromiseProposed:
    return ev.CompromiseProposed(body="hmed", terms="Sammenlægning i 2028.")


def hearing(clock: ManualClock) -> ev.HearingOpened:
    return ev.HearingOpened(bodies=["lmed"], respond_by=clock.date(days=30))


def answering(
    event_type: str,
    earlier: tuple[str, Callable[[ManualClock], ev.Payload]],
    person: str,
    payload: Callable[[int], ev.Payload],
) -> None:
    """A story in which, on the opened school matter, someone signs ``earlier`` and then
    ``person`` signs ``payload``, given the earlier event's sequence number."""

    def tell(org: Organisation, clock: ManualClock) -> Signing:
        matter = opened(org, clock)
        first = matter.act(earlier[0], earlier[1](clock))
        return Signing(person, matter.stream, payload(first["seq"]))

    STORIES[event_type] = tell


@story("MatterOpened")
def the_director_opens_the_school_matter(org: Organisation, clock: ManualClock) -> Signing:
    return Signing("direktor", "matter/skolestruktur", school_structure(clock))


# The director shares the draft; the local chair opens a consultation.
on_the_opened_matter(
    "MaterialShared",
    "direktor",
    lambda clock: ev.MaterialShared(
        documents=[ev.Document(title="Udkast til skolestruktur", sha256=sha256("udkast v1"))],
        bodies=["hmed", "lmed"],
    ),
)
on_the_opened_matter(
    "ConsultationOpened",
    "leder",
    lambda clock: ev.ConsultationOpened(
        body="lmed",
        question="Hvad betyder sammenlægningen for jer?",
        respond_by=clock.date(days=21),
    ),
)
# The secretary records the meeting; the chair approves the minutes.
on_the_opened_matter("MeetingHeld", "sekretaer", hovedmed_meeting)
answering(
    "MinutesApproved",
    ("sekretaer", hovedmed_meeting),
    "direktor",
    lambda meeting: ev.MinutesApproved(meeting=meeting, minutes_sha256=sha256("referat")),
)
answering(
    "MinutesPublished",
    ("sekretaer", hovedmed_meeting),
    "sekretaer",
    lambda meeting: ev.MinutesPublished(
        meeting=meeting, minutes_sha256=sha256("referat"), channel="Intranettet"
    ),
)
# The employee side states its position; the local committee submits a proposal.
on_the_opened_matter("PositionStated", "tr", employee_position)
on_the_opened_matter(
    "ProposalSubmitted",
    "tr-lokal",
    lambda clock: ev.ProposalSubmitted(
        body="lmed", title="Fælles ledelse", text="Én ledelse for begge skoler."
    ),
)
# The work environment rep disagrees; the director answers the disagreement.
on_the_opened_matter("DisagreementRecorded", "amr", disagreement)
answering(
    "DisagreementAnswered",
    ("amr", disagreement),
    "direktor",
    lambda recorded: ev.DisagreementAnswered(
        disagreement=recorded, response="En APV gennemføres før beslutningen."
    ),
)
# The union rep proposes a compromise; the chair accepts it for management; the vice
# chair rejects an earlier one for the employees.
on_the_opened_matter("CompromiseProposed", "tr", compromise)
answering(
    "CompromiseAccepted",
    ("tr", compromise),
    "direktor",
    lambda proposal: ev.CompromiseAccepted(proposal=proposal, side="management"),
)
answering(
    "CompromiseRejected",
    (
        "direktor",
        lambda clock: ev.CompromiseProposed(body="hmed", terms="Sammenlægning allerede i 2026."),
    ),
    "tr",
    lambda proposal: ev.CompromiseRejected(
        proposal=proposal, side="employees", reason="For hurtigt."
    ),
)


def agreed_compromise(matter: Matter, clock: ManualClock) -> int:
    """A compromise in HovedMED that both sides accepted: its sequence number."""
    proposal = int(matter.act("tr", compromise(clock))["seq"])
    matter.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    matter.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    return proposal


def guideline_agreement(
    matter: Matter, clock: ManualClock, guideline_type: str
) -> ev.AgreementReached:
    """HovedMED agrees, on a compromise both sides accepted, the guideline ``inddragelse`` of
    ``guideline_type``."""
    return ev.AgreementReached(
        body="hmed",
        compromise=agreed_compromise(matter, clock),
        text="Retningslinje for inddragelse ved sammenlægninger.",
        guideline=True,
        guideline_type=guideline_type,  # type: ignore[arg-type]
        guideline_id="inddragelse",
    )


def guideline_agreed(org: Organisation, clock: ManualClock, guideline_type: str) -> Matter:
    """The matter opened, and HovedMED agrees in it the guideline ``inddragelse`` of
    ``guideline_type``."""
    matter = opened(org, clock)
    matter.act("direktor", guideline_agreement(matter, clock, guideline_type))
    return matter


@story("AgreementReached")
def both_sides_accept_and_agree_a_guideline(org: Organisation, clock: ManualClock) -> Signing:
    matter = opened(org, clock)
    return Signing("direktor", matter.stream, guideline_agreement(matter, clock, "procedure"))


GuidelineStory = Callable[[Matter, ManualClock], ev.Payload]


def on_the_agreed_guideline(
    event_type: str, guideline_type: str, person: str
) -> Callable[[GuidelineStory], GuidelineStory]:
    """A story in which ``person`` signs what the decorated story gives on the matter of
    :func:`guideline_agreed`."""

    def register(payload: GuidelineStory) -> GuidelineStory:
        def tell(org: Organisation, clock: ManualClock) -> Signing:
            matter = guideline_agreed(org, clock, guideline_type)
            return Signing(person, matter.stream, payload(matter, clock))

        STORIES[event_type] = tell
        return payload

    return register


@on_the_agreed_guideline("GuidelineAmended", "procedure", "direktor")
def both_sides_agree_to_amend_the_guideline(matter: Matter, clock: ManualClock) -> ev.Payload:
    return ev.GuidelineAmended(
        guideline="inddragelse",
        body="hmed",
        compromise=agreed_compromise(matter, clock),
        text="Også ved flytninger.",
    )


@on_the_agreed_guideline("GuidelineTerminated", "optional", "tr")
def the_employee_side_gives_notice_on_an_optional_guideline(
    matter: Matter, clock: ManualClock
) -> ev.Payload:
    return ev.GuidelineTerminated(
        guideline="inddragelse",
        body="hmed",
        effective_from=clock.date(days=100),
        reason="Retningslinjen er forældet.",
    )


# The director opens a hearing; the local committee answers it.
on_the_opened_matter("HearingOpened", "direktor", hearing)
answering(
    "HearingResponseSubmitted",
    ("direktor", hearing),
    "tr-lokal",
    lambda _: ev.HearingResponseSubmitted(body="lmed", text="Vi ønsker en fælles ledelse."),
)
# The director decides and treats the employees' position.
answering(
    "DecisionMade",
    ("tr", employee_position),
    "direktor",
    lambda position: ev.DecisionMade(
        outcome="Skolerne lægges sammen i 2027.",
        rationale="Faldende elevtal.",
        inputs=[
            ev.DecisionInput(event=position, treatment="adopted", reason="Ingen afskedigelser.")
        ],
    ),
)
# The director refers the matter to the committee; the secretary records its decision.
on_the_opened_matter(
    "ReferredToPolitics",
    "direktor",
    lambda clock: ev.ReferredToPolitics(
        committee="udvalg", date=clock.date(days=14), proposal_reference="Pkt. 7"
    ),
)
on_the_opened_matter(
    "PoliticalDecisionRecorded",
    "sekretaer",
    lambda clock: ev.PoliticalDecisionRecorded(
        committee="udvalg", outcome="Godkendt.", date=clock.date()
    ),
)
# The work environment rep confirms being consulted (with too little time).
on_the_opened_matter(
    "ConsultationAcknowledged",
    "amr",
    lambda clock: ev.ConsultationAcknowledged(
        body="hmed", adequate_time=False, comment="Kun tre dage."
    ),
)
# The local committee escalates to HovedMED once the draft is shared.
answering(
    "EscalatedToBody",
    (
        "direktor",
        lambda clock: ev.MaterialShared(
            documents=[ev.Document(title="Udkast", sha256=sha256("udkast"))], bodies=["lmed"]
        ),
    ),
    "tr-lokal",
    lambda _: ev.EscalatedToBody(
        from_body="lmed", to_body="hmed", reason="Uenighed om tidsplanen."
    ),
)


# The union rep claims a breach in writing, naming the opening; the director remedies
# it by reopening; the claim goes to HovedMED; its chair resolves an earlier claim.
def breach_claim(clock: ManualClock) -> ev.BreachClaimed:
    return ev.BreachClaimed(body="hmed", concerns=1, text="Besluttet uden drøftelse i MED.")


on_the_opened_matter("BreachClaimed", "tr", breach_claim)
on_the_opened_matter(
    "InterpretationDisputed",
    "direktor",
    lambda clock: ev.InterpretationDisputed(
        body="hmed", question="Er en høring en drøftelse?", concerns=1
    ),
)
answering(
    "BreachRemedied",
    ("tr", breach_claim),
    "direktor",
    lambda claim: ev.BreachRemedied(
        claim=claim, remedy="decision_reopened", text="Sagen drøftes på ny i HovedMED."
    ),
)
answering(
    "DisputeEscalated",
    ("tr", breach_claim),
    "tr",
    lambda claim: ev.DisputeEscalated(
        dispute=claim, level="hovedmed", reason="Ledelsen har ikke reageret."
    ),
)
answering(
    "BreachResolved",
    ("tr", breach_claim),
    "direktor",
    lambda claim: ev.BreachResolved(claim=claim, resolution="compensated", comment="Ny drøftelse."),
)
# The director tells the staff, closes the matter, or withdraws the proposal.
on_the_opened_matter(
    "DecisionCommunicated",
    "direktor",
    lambda clock: ev.DecisionCommunicated(to="Alle ansatte", channel="Intranet"),
)
on_the_opened_matter(
    "MatterClosed", "direktor", lambda clock: ev.MatterClosed(reason="Besluttet og meddelt.")
)
on_the_opened_matter(
    "MatterWithdrawn", "direktor", lambda clock: ev.MatterWithdrawn(reason="Forslaget er trukket.")
)
# The union rep corrects their own position; the admin erases it under the GDPR.
answering(
    "CorrectionIssued",
    ("tr", employee_position),
    "tr",
    lambda position: ev.CorrectionIssued(event=position, correction="Skulle være 2028, ikke 2027."),
)
answering(
    "PayloadRedacted",
    ("tr", employee_position),
    "admin",
    lambda position: ev.PayloadRedacted(
        event=position, fields=["text"], legal_basis="GDPR art. 17"
    ),
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
