"""The event catalogue: every event type, its payload, and its stream.

Events are named in the past tense; each payload is a frozen model whose
fields are exactly those of DESIGN.md section 3.  References to earlier
events of the same stream are their sequence numbers (``seq``).  Person,
body and matter ids match ``ledger.protocol.envelope.ID_PATTERN``; dates are
``YYYY-MM-DD``.  Payloads hold no floats.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Optional, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)

from ledger.errors import MalformedPayloadError, UnknownEventTypeError
from ledger.protocol.canonical import JSONObject
from ledger.protocol.envelope import ID_PATTERN

Id = Annotated[str, StringConstraints(pattern=rf"^{ID_PATTERN}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Line = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f\x85\u2028\u2029]+$"),
]
"""One line of text (a title, a name, a reference): no line breaks or other control characters,
so that it can never start a line of its own in a printed receipt or a log."""
Date = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
]
"""``YYYY-MM-DD`` in ASCII digits (``\\d`` would admit any Unicode digit)."""
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Seq = Annotated[int, Field(ge=1, le=2**53 - 1)]
Base64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$")]
"""Canonical base64 of a 32-byte key: the last character before ``=`` leaves the two bits
past the data zero, so that no two texts name the same key."""
KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]

Side = Literal["management", "employees"]
BodyKind = Literal[
    "hovedmed",
    "omraademed",
    "lokalmed",
    "trio",
    "staff_meeting",
    "budget_group",
    "working_group",
    "political_committee",
]
MemberRole = Literal["chair", "vice_chair", "tr", "amr", "secretary", "substitute", "member"]
PersonRole = Literal["admin", "auditor"]
Category = Literal[
    "budget",
    "reorganisation",
    "work_environment",
    "guideline",
    "personnel_policy",
    "technology",
    "other",
]
InfluenceLevel = Literal["information", "discussion", "codetermination"]
Stance = Literal["support", "support_with_changes", "oppose", "abstain"]
Treatment = Literal["adopted", "partly_adopted", "not_adopted"]
GuidelineType = Literal["procedure", "mandatory", "optional"]
"""A guideline (retningslinje) by how it comes about: ``procedure`` and ``mandatory`` (skal)
guidelines exist only by agreement and are changed only by agreement; an ``optional`` (kan)
guideline may be declined after negotiation, and terminated with notice (docs/RULEBOOK.md)."""
BreachResolution = Literal[
    "withdrawn", "remedied", "compensated", "reprimand", "fine", "rejected", "agreed"
]
"""How a dispute ended: withdrawn by the claimant, remedied by management, compensated,
a reprimand (påtale) or a fine (bod) from the central parties or arbitration, the claim
rejected, or (for an interpretation dispute) an agreed interpretation."""
DisputeLevel = Literal["local", "hovedmed", "central_parties", "arbitration"]
"""Where a dispute stands on its path: the body where it arose, HovedMED, the central
parties (KL and Forhandlingsfællesskabet), arbitration (faglig voldgift)."""
EscalationLevel = Literal["hovedmed", "central_parties", "arbitration"]
Remedy = Literal["decision_withdrawn", "decision_reopened"]
RulebookSettings = dict[Id, Annotated[int, Field(ge=0, le=3650)]]
"""Rule parameters by key (``med-07.material_days``, ``med-03.enabled``): a ledger's
defaults in ``LedgerCreated``, a body's own in ``BodyEstablished`` and ``BodyRulesSet``."""


class Disclosure(Enum):
    """How far a matter event's field travels beyond the people who may read the matter."""

    ROUTING = "routing"
    """Disclosed by an absence receipt to a person who may not read the matter: bodies
    addressed, dates, references to earlier events, sides, stances; never free text."""
    KEPT = "kept"
    """Not disclosed, but read by the rules, so ``PayloadRedacted`` may not erase it (a
    decision's inputs, the digests of documents and minutes)."""


T = TypeVar("T")
Routed = Annotated[T, Disclosure.ROUTING]
"""A routing field of a matter event (``Disclosure.ROUTING``)."""
Kept = Annotated[T, Disclosure.KEPT]
"""A kept field of a matter event (``Disclosure.KEPT``)."""


class Payload(BaseModel):
    """Base of every payload: frozen, strict about unknown fields.

    Each top-level field is committed to on its own (docs/PROTOCOL.md section 4), so a
    payload can be disclosed, or erased, one field at a time.  Every field of a registry
    event is a routing field, since every enrolled person reads the registry; a matter
    event (``MatterPayload``) marks its routing fields ``Routed`` and its kept fields
    ``Kept``, and every other field of it is erasable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    erased: ClassVar[frozenset[str]] = frozenset()
    """Fields this copy lacks because ``PayloadRedacted`` erased them (see ``parse_payload``)."""

    def committed_fields(self) -> frozenset[str]:
        """The fields the signed body commits to: those given, and those erased since."""
        return frozenset(self.model_fields_set) | self.erased

    @classmethod
    def routing_fields(cls) -> frozenset[str]:
        return frozenset(cls.model_fields)

    @classmethod
    def kept_fields(cls) -> frozenset[str]:
        return frozenset()

    @classmethod
    def erasable_fields(cls) -> frozenset[str]:
        return frozenset(cls.model_fields) - cls.routing_fields() - cls.kept_fields()


class MatterPayload(Payload):
    """Base of a matter event's payload: its fields are disclosed as they are marked."""

    @classmethod
    def routing_fields(cls) -> frozenset[str]:
        return _marked(cls, Disclosure.ROUTING)

    @classmethod
    def kept_fields(cls) -> frozenset[str]:
        return _marked(cls, Disclosure.KEPT)


@cache
def _marked(model: type[Payload], disclosure: Disclosure) -> frozenset[str]:
    return frozenset(
        name for name, field in model.model_fields.items() if disclosure in field.metadata
    )


# --- registry stream -------------------------------------------------------


class FoundingAdmin(Payload):
    person: Id
    key_id: KeyId
    public_key: Base64Key


class LedgerCreated(Payload):
    name: Line
    origin: Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,255}$")]
    log_public_key: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    admin: FoundingAdmin
    import_mode: bool = False
    rulebook: RulebookSettings = Field(default_factory=dict)


class ImportCompleted(Payload):
    """Ends the import mode a ledger was created in (see docs/PROTOCOL.md)."""

    imported_events: Annotated[int, Field(ge=0)]


class PersonEnrolled(Payload):
    person: Id
    key_id: KeyId
    public_key: Base64Key
    roles: list[PersonRole] = Field(default_factory=list)


class KeyAdded(Payload):
    person: Id
    key_id: KeyId
    public_key: Base64Key


class KeyRevoked(Payload):
    person: Id
    key_id: KeyId
    reason: Line


class BodyEstablished(Payload):
    body: Id
    name: Line
    kind: BodyKind
    parent: Id | None = None
    unit: Line | None = None
    rulebook: RulebookSettings = Field(default_factory=dict)
    """The body's local rules (its forretningsorden), over the ledger's defaults."""


class BodyRulesSet(Payload):
    """The body's local rule parameters from now on (its forretningsorden changed)."""

    body: Id
    rulebook: RulebookSettings


class BodyDissolved(Payload):
    body: Id
    reason: Line


class MemberAppointed(Payload):
    body: Id
    person: Id
    side: Side
    roles: list[MemberRole] = Field(default_factory=lambda: list[MemberRole](["member"]))
    from_date: Date | None = None
    until: Date | None = None


class MemberLeft(Payload):
    body: Id
    person: Id
    until: Date | None = None


# --- matter streams -------------------------------------------------------


class MatterOpened(MatterPayload):
    title: Line
    description: Text
    category: Routed[Category]
    responsible_body: Routed[Id]
    influence_level: Routed[InfluenceLevel]
    decision_maker: Routed[Id]
    planned_decision_date: Routed[Date]
    political_deadline: Routed[Date | None] = None
    case_number: Line | None = None
    agenda_item: Line | None = None
    guideline_type: Routed[GuidelineType | None] = None
    """For a ``guideline`` matter: the type of guideline it is to make."""
    touches_guidelines: Routed[list[Id]] = Field(default_factory=list)
    """Guidelines in force that the matter touches (MED-14)."""


class Document(Payload):
    title: Line
    sha256: Sha256
    link: Line | None = None


class MaterialShared(MatterPayload):
    documents: Kept[Annotated[list[Document], Field(min_length=1)]]
    bodies: Routed[Annotated[list[Id], Field(min_length=1)]]


class ConsultationOpened(MatterPayload):
    body: Routed[Id]
    question: Text
    respond_by: Routed[Date]


class MeetingHeld(MatterPayload):
    body: Routed[Id]
    date: Routed[Date]
    agenda_item: Line
    present: Routed[list[Id]]
    absent: Routed[list[Id]] = Field(default_factory=list)
    minutes_sha256: Kept[Sha256 | None] = None
    """SHA-256 of the minutes document: what each approval and the publication sign."""
    annual_work_environment_discussion: Routed[bool] = False
    """The body's annual work-environment discussion (MED-15) was held at this meeting."""


class MinutesApproved(MatterPayload):
    """One approver's approval of the minutes, signing their digest."""

    meeting: Routed[Seq]
    minutes_sha256: Routed[Sha256]
    at_meeting: Routed[Seq | None] = None
    """The later meeting of the same body at which the minutes were approved, if any."""


class MinutesPublished(MatterPayload):
    """The approved minutes made known to the employees."""

    meeting: Routed[Seq]
    minutes_sha256: Routed[Sha256]
    channel: Line


class PositionStated(MatterPayload):
    body: Routed[Id]
    side: Routed[Side]
    stance: Routed[Stance]
    text: Text
    proposals: list[Text] = Field(default_factory=list)


class ProposalSubmitted(MatterPayload):
    body: Routed[Id]
    title: Line
    text: Text


class DisagreementRecorded(MatterPayload):
    body: Routed[Id]
    points: Annotated[list[Text], Field(min_length=1)]
    legitimate_difference: Routed[bool] = False


class DisagreementAnswered(MatterPayload):
    disagreement: Routed[Seq]
    response: Text


class CompromiseProposed(MatterPayload):
    body: Routed[Id]
    terms: Text


class CompromiseAccepted(MatterPayload):
    proposal: Routed[Seq]
    side: Routed[Side]


class CompromiseRejected(MatterPayload):
    proposal: Routed[Seq]
    side: Routed[Side]
    reason: Text | None = None


class AgreementReached(MatterPayload):
    body: Routed[Id]
    compromise: Routed[Seq]
    text: Text
    guideline: Routed[bool] = False
    guideline_type: Routed[GuidelineType | None] = None
    guideline_id: Routed[Id | None] = None
    """The new guideline's id in the register (given exactly when ``guideline``)."""
    effective_from: Routed[Date | None] = None


class GuidelineAmended(MatterPayload):
    """A guideline in force changed by agreement: both sides accepted the compromise."""

    guideline: Routed[Id]
    body: Routed[Id]
    compromise: Routed[Seq]
    text: Text
    guideline_type: Routed[GuidelineType | None] = None
    effective_from: Routed[Date | None] = None


class GuidelineTerminated(MatterPayload):
    """Notice of termination of an optional guideline, ending it on ``effective_from``."""

    guideline: Routed[Id]
    body: Routed[Id]
    effective_from: Routed[Date]
    reason: Text


class HearingOpened(MatterPayload):
    bodies: Routed[Annotated[list[Id], Field(min_length=1)]]
    respond_by: Routed[Date]


class HearingResponseSubmitted(MatterPayload):
    body: Routed[Id]
    text: Text


class DecisionInput(Payload):
    event: Seq
    treatment: Treatment
    reason: Text


class DecisionMade(MatterPayload):
    outcome: Text
    rationale: Text
    inputs: Kept[list[DecisionInput]] = Field(default_factory=list)
    management_prerogative: Routed[bool] = False


class ReferredToPolitics(MatterPayload):
    committee: Routed[Id]
    date: Routed[Date]
    proposal_reference: Line


class PoliticalDecisionRecorded(MatterPayload):
    committee: Routed[Id]
    outcome: Text
    date: Routed[Date]


class ConsultationAcknowledged(MatterPayload):
    body: Routed[Id]
    adequate_time: Routed[bool]
    comment: Text | None = None


class EscalatedToBody(MatterPayload):
    from_body: Routed[Id]
    to_body: Routed[Id]
    reason: Text


class BreachClaimed(MatterPayload):
    """A written claim that the agreement was broken, naming the event it concerns."""

    body: Routed[Id]
    concerns: Routed[Seq]
    text: Text


class InterpretationDisputed(MatterPayload):
    """A disagreement on how the agreement is to be read: a dispute, not a breach claim."""

    body: Routed[Id]
    question: Text
    concerns: Routed[Seq | None] = None


class BreachRemedied(MatterPayload):
    """Management remedies a breach claim: withdraws or reopens the decision."""

    claim: Routed[Seq]
    remedy: Routed[Remedy]
    text: Text


class DisputeEscalated(MatterPayload):
    """A breach claim or interpretation dispute taken one step up its path."""

    dispute: Routed[Seq]
    level: Routed[EscalationLevel]
    reason: Text


class BreachResolved(MatterPayload):
    """How a breach claim or an interpretation dispute ended, at the level it had reached."""

    claim: Routed[Seq]
    resolution: Routed[BreachResolution]
    level: Routed[DisputeLevel] = "hovedmed"
    comment: Text | None = None


class DecisionCommunicated(MatterPayload):
    to: Line
    channel: Line


class MatterClosed(MatterPayload):
    reason: Text


class MatterWithdrawn(MatterPayload):
    reason: Text


class CorrectionIssued(MatterPayload):
    event: Routed[Seq]
    correction: Text


class PayloadRedacted(MatterPayload):
    """Erases the named fields of an earlier event of the matter (their values and salts)."""

    event: Routed[Seq]
    fields: Routed[Annotated[list[FieldName], Field(min_length=1, max_length=64)]]
    legal_basis: Kept[Text]


REGISTRY_EVENTS: dict[str, type[Payload]] = {
    cls.__name__: cls
    for cls in (
        LedgerCreated,
        ImportCompleted,
        PersonEnrolled,
        KeyAdded,
        KeyRevoked,
        BodyEstablished,
        BodyDissolved,
        MemberAppointed,
        MemberLeft,
        BodyRulesSet,
    )
}

MATTER_EVENTS: dict[str, type[Payload]] = {
    cls.__name__: cls
    for cls in (
        MatterOpened,
        MaterialShared,
        ConsultationOpened,
        MeetingHeld,
        MinutesApproved,
        MinutesPublished,
        PositionStated,
        ProposalSubmitted,
        DisagreementRecorded,
        DisagreementAnswered,
        CompromiseProposed,
        CompromiseAccepted,
        CompromiseRejected,
        AgreementReached,
        GuidelineAmended,
        GuidelineTerminated,
        HearingOpened,
        HearingResponseSubmitted,
        DecisionMade,
        ReferredToPolitics,
        PoliticalDecisionRecorded,
        ConsultationAcknowledged,
        EscalatedToBody,
        BreachClaimed,
        InterpretationDisputed,
        BreachRemedied,
        DisputeEscalated,
        BreachResolved,
        DecisionCommunicated,
        MatterClosed,
        MatterWithdrawn,
        CorrectionIssued,
    )
}

# PayloadRedacted may stand in any matter stream: it erases a payload there.
ANY_MATTER_EVENTS: dict[str, type[Payload]] = {"PayloadRedacted": PayloadRedacted}

EVENT_TYPES: dict[str, type[Payload]] = {**REGISTRY_EVENTS, **MATTER_EVENTS, **ANY_MATTER_EVENTS}
_IN_MATTER_STREAMS: dict[str, type[Payload]] = {**MATTER_EVENTS, **ANY_MATTER_EVENTS}


def payload_model(event_type: str, stream: str) -> type[Payload]:
    """The payload model of ``event_type`` in ``stream``.

    Raises UnknownEventTypeError for a type that does not exist or does not
    belong in that kind of stream.
    """
    table = REGISTRY_EVENTS if stream == "registry" else _IN_MATTER_STREAMS
    try:
        return table[event_type]
    except KeyError:
        where = "the registry stream" if stream == "registry" else "a matter stream"
        if event_type in EVENT_TYPES:
            raise UnknownEventTypeError(f"{event_type} does not belong in {where}") from None
        raise UnknownEventTypeError(f"unknown event type {event_type!r}") from None


def parse_payload(
    event_type: str, stream: str, payload: JSONObject, erased: frozenset[str] = frozenset()
) -> Payload:
    """Validate ``payload`` against its event type; raise MalformedPayloadError.

    ``erased`` names fields a ``PayloadRedacted`` erased: they may be missing
    (only erasable fields ever are), and read as None.
    """
    model = payload_model(event_type, stream)
    if erased:
        model = _with_erased(model, erased & model.erasable_fields())
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        errors = [
            {"field": ".".join(str(p) for p in err["loc"]), "problem": err["msg"]}
            for err in exc.errors()
        ]
        raise MalformedPayloadError(
            f"{event_type} payload does not match its schema", errors=errors
        ) from None


def payload_json(payload: Payload) -> dict[str, Any]:
    """The payload as the JSON object to commit to, without unset optional fields."""
    return payload.model_dump(mode="json", exclude_none=True)


@cache
def _with_erased(model: type[Payload], erased: frozenset[str]) -> type[Payload]:
    """``model`` with the ``erased`` fields optional: a subclass, so ``isinstance`` holds."""
    overrides: dict[str, Any] = {
        name: (Optional[model.model_fields[name].annotation], None)  # noqa: UP045
        for name in sorted(erased)
    }
    erased_model: type[Payload] = create_model(
        f"{model.__name__}Erased", __base__=model, **overrides
    )
    erased_model.erased = erased
    return erased_model
