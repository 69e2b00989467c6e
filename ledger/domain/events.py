"""The event catalogue: every event type, its payload, and its stream.

Events are named in the past tense; each payload is a frozen model whose
fields are exactly those of DESIGN.md section 3.  References to earlier
events of the same stream are their sequence numbers (``seq``).  Person,
body and matter ids match ``ledger.protocol.envelope.ID_PATTERN``; dates are
``YYYY-MM-DD``.  Payloads hold no floats.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Optional

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


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


class Payload(BaseModel):
    """Base of every payload: frozen, strict about unknown fields.

    Each top-level field is committed to on its own (docs/PROTOCOL.md section 4), so a
    payload can be disclosed, or erased, one field at a time:

    - ``routing``: the fields an absence receipt discloses to a person who may not
      read the matter: bodies addressed, dates, references to earlier events,
      sides, stances; never free text.  ``None`` (the registry's events): every
      field, since every enrolled person reads the registry.
    - ``kept``: fields besides the routing fields that rules read and that
      ``PayloadRedacted`` therefore may not erase (a decision's inputs, the
      digests of documents and minutes).  Every other field is erasable.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    routing: ClassVar[frozenset[str] | None] = None
    kept: ClassVar[frozenset[str]] = frozenset()
    erased: ClassVar[frozenset[str]] = frozenset()
    """Fields this copy lacks because ``PayloadRedacted`` erased them (see ``parse_payload``)."""

    def committed_fields(self) -> frozenset[str]:
        """The fields the signed body commits to: those given, and those erased since."""
        return frozenset(self.model_fields_set) | self.erased

    @classmethod
    def routing_fields(cls) -> frozenset[str]:
        return frozenset(cls.model_fields) if cls.routing is None else cls.routing

    @classmethod
    def erasable_fields(cls) -> frozenset[str]:
        return frozenset(cls.model_fields) - cls.routing_fields() - cls.kept


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


class MatterOpened(Payload):
    routing = _fields(
        "responsible_body",
        "decision_maker",
        "category",
        "influence_level",
        "planned_decision_date",
        "political_deadline",
        "guideline_type",
        "touches_guidelines",
    )
    title: Line
    description: Text
    category: Category
    responsible_body: Id
    influence_level: InfluenceLevel
    decision_maker: Id
    planned_decision_date: Date
    political_deadline: Date | None = None
    case_number: Line | None = None
    agenda_item: Line | None = None
    guideline_type: GuidelineType | None = None
    """For a ``guideline`` matter: the type of guideline it is to make."""
    touches_guidelines: list[Id] = Field(default_factory=list)
    """Guidelines in force that the matter touches (MED-14)."""


class Document(Payload):
    title: Line
    sha256: Sha256
    link: Line | None = None


class MaterialShared(Payload):
    routing = _fields("bodies")
    kept = _fields("documents")
    documents: Annotated[list[Document], Field(min_length=1)]
    bodies: Annotated[list[Id], Field(min_length=1)]


class ConsultationOpened(Payload):
    routing = _fields("body", "respond_by")
    body: Id
    question: Text
    respond_by: Date


class MeetingHeld(Payload):
    routing = _fields("body", "date", "present", "absent", "annual_work_environment_discussion")
    kept = _fields("minutes_sha256")
    body: Id
    date: Date
    agenda_item: Line
    present: list[Id]
    absent: list[Id] = Field(default_factory=list)
    minutes_sha256: Sha256 | None = None
    """SHA-256 of the minutes document: what each approval and the publication sign."""
    annual_work_environment_discussion: bool = False
    """The body's annual work-environment discussion (MED-15) was held at this meeting."""


class MinutesApproved(Payload):
    """One approver's approval of the minutes, signing their digest."""

    routing = _fields("meeting", "minutes_sha256", "at_meeting")
    meeting: Seq
    minutes_sha256: Sha256
    at_meeting: Seq | None = None
    """The later meeting of the same body at which the minutes were approved, if any."""


class MinutesPublished(Payload):
    """The approved minutes made known to the employees."""

    routing = _fields("meeting", "minutes_sha256")
    meeting: Seq
    minutes_sha256: Sha256
    channel: Line


class PositionStated(Payload):
    routing = _fields("body", "side", "stance")
    body: Id
    side: Side
    stance: Stance
    text: Text
    proposals: list[Text] = Field(default_factory=list)


class ProposalSubmitted(Payload):
    routing = _fields("body")
    body: Id
    title: Line
    text: Text


class DisagreementRecorded(Payload):
    routing = _fields("body", "legitimate_difference")
    body: Id
    points: Annotated[list[Text], Field(min_length=1)]
    legitimate_difference: bool = False


class DisagreementAnswered(Payload):
    routing = _fields("disagreement")
    disagreement: Seq
    response: Text


class CompromiseProposed(Payload):
    routing = _fields("body")
    body: Id
    terms: Text


class CompromiseAccepted(Payload):
    routing = _fields("proposal", "side")
    proposal: Seq
    side: Side


class CompromiseRejected(Payload):
    routing = _fields("proposal", "side")
    proposal: Seq
    side: Side
    reason: Text | None = None


class AgreementReached(Payload):
    routing = _fields(
        "body", "compromise", "guideline", "guideline_type", "guideline_id", "effective_from"
    )
    body: Id
    compromise: Seq
    text: Text
    guideline: bool = False
    guideline_type: GuidelineType | None = None
    guideline_id: Id | None = None
    """The new guideline's id in the register (given exactly when ``guideline``)."""
    effective_from: Date | None = None


class GuidelineAmended(Payload):
    """A guideline in force changed by agreement: both sides accepted the compromise."""

    routing = _fields("guideline", "body", "compromise", "guideline_type", "effective_from")
    guideline: Id
    body: Id
    compromise: Seq
    text: Text
    guideline_type: GuidelineType | None = None
    effective_from: Date | None = None


class GuidelineTerminated(Payload):
    """Notice of termination of an optional guideline, ending it on ``effective_from``."""

    routing = _fields("guideline", "body", "effective_from")
    guideline: Id
    body: Id
    effective_from: Date
    reason: Text


class HearingOpened(Payload):
    routing = _fields("bodies", "respond_by")
    bodies: Annotated[list[Id], Field(min_length=1)]
    respond_by: Date


class HearingResponseSubmitted(Payload):
    routing = _fields("body")
    body: Id
    text: Text


class DecisionInput(Payload):
    event: Seq
    treatment: Treatment
    reason: Text


class DecisionMade(Payload):
    routing = _fields("management_prerogative")
    kept = _fields("inputs")
    outcome: Text
    rationale: Text
    inputs: list[DecisionInput] = Field(default_factory=list)
    management_prerogative: bool = False


class ReferredToPolitics(Payload):
    routing = _fields("committee", "date")
    committee: Id
    date: Date
    proposal_reference: Line


class PoliticalDecisionRecorded(Payload):
    routing = _fields("committee", "date")
    committee: Id
    outcome: Text
    date: Date


class ConsultationAcknowledged(Payload):
    routing = _fields("body", "adequate_time")
    body: Id
    adequate_time: bool
    comment: Text | None = None


class EscalatedToBody(Payload):
    routing = _fields("from_body", "to_body")
    from_body: Id
    to_body: Id
    reason: Text


class BreachClaimed(Payload):
    """A written claim that the agreement was broken, naming the event it concerns."""

    routing = _fields("body", "concerns")
    body: Id
    concerns: Seq
    text: Text


class InterpretationDisputed(Payload):
    """A disagreement on how the agreement is to be read: a dispute, not a breach claim."""

    routing = _fields("body", "concerns")
    body: Id
    question: Text
    concerns: Seq | None = None


class BreachRemedied(Payload):
    """Management remedies a breach claim: withdraws or reopens the decision."""

    routing = _fields("claim", "remedy")
    claim: Seq
    remedy: Remedy
    text: Text


class DisputeEscalated(Payload):
    """A breach claim or interpretation dispute taken one step up its path."""

    routing = _fields("dispute", "level")
    dispute: Seq
    level: EscalationLevel
    reason: Text


class BreachResolved(Payload):
    """How a breach claim or an interpretation dispute ended, at the level it had reached."""

    routing = _fields("claim", "resolution", "level")
    claim: Seq
    resolution: BreachResolution
    level: DisputeLevel = "hovedmed"
    comment: Text | None = None


class DecisionCommunicated(Payload):
    routing = _fields()
    to: Line
    channel: Line


class MatterClosed(Payload):
    routing = _fields()
    reason: Text


class MatterWithdrawn(Payload):
    routing = _fields()
    reason: Text


class CorrectionIssued(Payload):
    routing = _fields("event")
    event: Seq
    correction: Text


class PayloadRedacted(Payload):
    """Erases the named fields of an earlier event of the matter (their values and salts)."""

    routing = _fields("event", "fields")
    kept = _fields("legal_basis")
    event: Seq
    fields: Annotated[list[FieldName], Field(min_length=1, max_length=64)]
    legal_basis: Text


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


def payload_model(event_type: str, stream: str) -> type[Payload]:
    """The payload model of ``event_type`` in ``stream``.

    Raises UnknownEventTypeError for a type that does not exist or does not
    belong in that kind of stream.
    """
    table = REGISTRY_EVENTS if stream == "registry" else {**MATTER_EVENTS, **ANY_MATTER_EVENTS}
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
