"""A matter (sag): its state as of one log position, and its write-time rules.

``MatterState`` is pure.  ``check`` raises the named error when an actor
may not add an event to the matter now; ``apply`` folds an admitted event
in.  Who may sign what is DESIGN.md section 3, judged against the registry
as of the same position.

Two sets of bodies grow as events come in, for two different questions:

- ``involved`` (may this body speak on the matter?): the responsible body
  and every body brought in by anyone, including a body that submitted a
  proposal of its own (docs/PROTOCOL.md section 9);
- ``readers`` (may this body's members read the matter?): only what the
  matter's management side did: the responsible body, the bodies it shared
  material with, sent a hearing to, opened a consultation or held a meeting
  in, and the bodies a reading body escalated to.  Nothing a body does on
  its own side makes it a reader (docs/PROTOCOL.md section 9a).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ledger.domain import events as ev
from ledger.domain.groupings import DECISION_INPUT_TYPES, DISPUTE_TYPES
from ledger.domain.guidelines import DEFAULT_NOTICE_MONTHS, NOTICE_MONTHS_KEY, GuidelineRegister
from ledger.domain.registry import RegistryState
from ledger.errors import (
    AgreementNeedsBothSidesError,
    AlreadyRecordedError,
    AlreadyRedactedError,
    BodyNotInvolvedError,
    DisputePathError,
    MalformedPayloadError,
    MatterEndedError,
    MinutesDigestMismatchError,
    NotAllowedError,
    NotAnAncestorBodyError,
    NotRedactableError,
    PoliticalCommitteeRequiredError,
    SignerNotDecisionMakerError,
    SignerNotOriginalActorError,
    UnknownEventReferenceError,
)
from ledger.protocol.envelope import matter_stream

# What may still be added once a matter is closed or withdrawn: records about
# the past (corrections, erasure, acknowledgements, the minutes of its meetings,
# disputes on how it was decided and their path, communicating the decision).
AFTER_END_TYPES = frozenset(
    {
        "CorrectionIssued",
        "PayloadRedacted",
        "ConsultationAcknowledged",
        "MinutesApproved",
        "MinutesPublished",
        "BreachClaimed",
        "InterpretationDisputed",
        "BreachRemedied",
        "DisputeEscalated",
        "BreachResolved",
        "DecisionCommunicated",
    }
)

DISPUTE_LEVELS: tuple[ev.DisputeLevel, ...] = (
    "local",
    "hovedmed",
    "central_parties",
    "arbitration",
)
"""A dispute's path, in order: each escalation takes it exactly one step up."""
OUTSIDE_OUTCOMES = frozenset({"reprimand", "fine"})
"""Outcomes only the central parties or arbitration give (påtale, bod)."""


@dataclass(frozen=True)
class Admission:
    """What a write-time rule may ask besides the matter itself: the registry and the
    guideline register as of the event's position, and the (UTC) day the event claims."""

    registry: RegistryState
    guidelines: GuidelineRegister
    day: date


@dataclass
class Dispute:
    """A breach claim or an interpretation dispute on its path."""

    kind: str  # "BreachClaimed" or "InterpretationDisputed"
    claimant: str
    body: str
    level: ev.DisputeLevel = "local"
    remedied: bool = False
    settled: bool = False


@dataclass(slots=True)
class EventInfo:
    """What later rules need to know of an earlier event in the matter."""

    type: str
    actor: str
    payload: ev.Payload | None  # None once redacted, or when verifying without it
    committed: frozenset[str] | None = None
    """The fields the event committed to, kept when its payload is not (a lean state)."""

    def committed_fields(self) -> frozenset[str] | None:
        """The fields the signed body committed to; None when the payload was redacted."""
        if self.payload is not None:
            return self.payload.committed_fields()
        return self.committed


def digests_of(payload: ev.Payload | None) -> list[str]:
    """The document digests one event's payload names (``ledger.domain.documents``)."""
    if isinstance(payload, ev.MaterialShared):
        return [document.sha256 for document in payload.documents]
    if isinstance(payload, ev.MeetingHeld) and payload.minutes_sha256 is not None:
        return [payload.minutes_sha256]
    return []


PAYLOADS_RULES_READ = frozenset({"MatterOpened", "MeetingHeld", "CompromiseProposed"})
"""The event types whose payloads a later write-time rule reads (``MatterState._ref``)."""

Interned = dict[frozenset[str], frozenset[str]]


def _lean_info(
    event_type: str, actor: str, payload: ev.Payload | None, interned: Interned
) -> EventInfo:
    """An event's info without its payload, unless a later rule reads it.

    Used when re-verifying a whole ledger: keeping every payload would grow
    memory with the ledger (about 1 KB an event).  The committed field sets
    repeat, so each distinct one is kept once (in ``interned``, the ledger state's own);
    so do the type and signer names, which each entry's JSON brings as new strings
    (``sys.intern``: about 2 MiB of 16 at 20,000 events, ``benchmarks.profiles b6``).
    """
    event_type, actor = sys.intern(event_type), sys.intern(actor)
    if payload is None or event_type in PAYLOADS_RULES_READ:
        return EventInfo(event_type, actor, payload)
    committed = payload.committed_fields()
    return EventInfo(event_type, actor, None, interned.setdefault(committed, committed))


MatterCheck = TypeVar("MatterCheck", bound=Callable[..., None])

# The write-time check of each matter event type: event type -> MatterState
# method, filled in by the ``_checks`` decorator.
CHECKS: dict[str, Callable[..., None]] = {}


def _checks(*models: type[ev.Payload]) -> Callable[[MatterCheck], MatterCheck]:
    """Register the decorated method as the write-time check of these event types."""

    def register(method: MatterCheck) -> MatterCheck:
        for model in models:
            CHECKS[model.__name__] = method
        return method

    return register


def _require_role_or_management(reg: RegistryState, body_id: str, actor: str, role: str) -> None:
    """``actor`` holds ``role`` in the body or sits there on the management side."""
    membership = reg.membership(body_id, actor)
    if not (membership and role in membership.roles):
        reg.require_member(body_id, actor, side="management")


def _require_committee(reg: RegistryState, committee: str) -> None:
    if reg.body(committee).kind != "political_committee":
        raise PoliticalCommitteeRequiredError(
            f"{committee} is not a political committee", body=committee
        )


def _require_guideline_fields(payload: ev.AgreementReached) -> None:
    given = (payload.guideline_type is not None, payload.guideline_id is not None)
    if given != (payload.guideline, payload.guideline):
        raise MalformedPayloadError(
            "guideline_type and guideline_id are given exactly when guideline is true"
        )


def _require_minutes_digest(meeting: ev.MeetingHeld, seq: int, digest: str) -> None:
    """An approval or publication signs the digest the meeting event committed to."""
    if meeting.minutes_sha256 is None:
        raise MinutesDigestMismatchError(
            f"meeting {seq} recorded no minutes; record the meeting with minutes_sha256",
            event=seq,
        )
    if meeting.minutes_sha256 != digest:
        raise MinutesDigestMismatchError(
            f"minutes_sha256 is not the digest of the minutes of meeting {seq}",
            event=seq,
            expected=meeting.minutes_sha256,
        )


def _require_compromise_of_body(compromise: ev.CompromiseProposed, seq: int, body_id: str) -> None:
    if compromise.body != body_id:
        raise BodyNotInvolvedError(
            f"compromise {seq} was proposed in {compromise.body}, not {body_id}"
        )


def _require_outcome_at_level(dispute: Dispute, payload: ev.BreachResolved) -> None:
    """The dispute is settled at the level it reached (HovedMED may take up a claim that
    was never escalated), with an outcome that level can give."""
    allowed = {dispute.level} | ({"hovedmed"} if dispute.level == "local" else set())
    if payload.level not in allowed:
        raise DisputePathError(
            f"the dispute stands at {dispute.level}; it cannot be settled at {payload.level}",
            level=dispute.level,
        )
    if payload.resolution in OUTSIDE_OUTCOMES and payload.level not in (
        "central_parties",
        "arbitration",
    ):
        raise DisputePathError(
            f"{payload.resolution} is given by the central parties or arbitration, "
            f"not at {payload.level}",
            level=payload.level,
        )


def _require_ancestor(reg: RegistryState, from_body: str, to_body: str) -> None:
    if to_body not in reg.ancestors(from_body):
        raise NotAnAncestorBodyError(f"{to_body} is not above {from_body}", body=to_body)


def _require_original_actor(info: EventInfo, seq: int, actor: str) -> None:
    if info.actor != actor:
        raise SignerNotOriginalActorError(
            f"only {info.actor}, who signed event {seq}, may correct it", event=seq
        )


def _require_erasable(info: EventInfo, seq: int, names: list[str]) -> None:
    """Each named field is one the event committed to and no rule reads (docs/PROTOCOL.md)."""
    model = ev.MATTER_EVENTS.get(info.type) or ev.ANY_MATTER_EVENTS[info.type]
    for name in names:
        if name not in model.erasable_fields():
            raise NotRedactableError(
                f"{info.type} field {name!r} cannot be erased: it is a routing field or "
                "one the rules read, or no field of that event (correct it with "
                "CorrectionIssued instead)",
                event=seq,
                field=name,
            )
        committed = info.committed_fields()
        if committed is not None and name not in committed:
            raise NotRedactableError(f"event {seq} has no field {name!r}", event=seq, field=name)


@dataclass
class MatterState:
    matter_id: str
    opened: ev.MatterOpened
    involved: set[str] = field(default_factory=set)
    readers: set[str] = field(default_factory=set)
    hearing_bodies: set[str] = field(default_factory=set)
    events: dict[int, EventInfo] = field(default_factory=dict)
    accepted_sides: dict[int, set[str]] = field(default_factory=dict)
    answered: set[int] = field(default_factory=set)
    disputes: dict[int, Dispute] = field(default_factory=dict)
    minutes_approvals: dict[int, set[str]] = field(default_factory=dict)
    erased: dict[int, set[str]] = field(default_factory=dict)
    named: dict[str, set[str]] = field(default_factory=dict)
    """Document digest -> the people whose events in this matter name it."""
    ended: bool = False
    interned: Interned | None = None
    """None: keep every event's payload.  A lean state (a verification walk) keeps only what
    later write-time rules read of each event (``_lean_info``), its committed field sets
    interned here."""

    @classmethod
    def open(
        cls,
        matter_id: str,
        actor: str,
        payload: ev.MatterOpened,
        *,
        interned: Interned | None = None,
    ) -> MatterState:
        body = payload.responsible_body
        state = cls(matter_id, payload, involved={body}, readers={body}, interned=interned)
        state.events[1] = EventInfo("MatterOpened", actor, payload)
        return state

    @property
    def title(self) -> str:
        """The matter's title; its id once the title is erased (an id is never erased)."""
        return self.opened.title or self.matter_id

    @property
    def responsible_body(self) -> str:
        return self.opened.responsible_body

    @property
    def decision_maker(self) -> str:
        return self.opened.decision_maker

    # --- rules ------------------------------------------------------------

    @staticmethod
    def check_opening(at: Admission, actor: str, payload: ev.MatterOpened) -> None:
        """Who may open a matter: a management-side member of the responsible body; the
        guidelines it touches must be in the register."""
        registry = at.registry
        body = registry.body(payload.responsible_body)
        if body.kind == "political_committee":
            raise BodyNotInvolvedError(
                "a political committee cannot be the responsible MED body",
                body=body.body_id,
            )
        registry.require_member(payload.responsible_body, actor, side="management")
        registry.require_person(payload.decision_maker)
        if payload.guideline_type is not None and payload.category != "guideline":
            raise MalformedPayloadError("guideline_type is given only for a guideline matter")
        for guideline_id in payload.touches_guidelines:
            at.guidelines.get(guideline_id)

    def check(self, at: Admission, actor: str, event_type: str, payload: ev.Payload) -> None:
        """Raise the named error if ``actor`` may not add ``payload`` now.

        The matter must not have ended (unless the event records the past);
        then the check registered for the event type judges it.
        """
        self._require_not_ended(event_type)
        check = CHECKS.get(event_type)
        if check is not None:
            check(self, at, actor, payload)

    @_checks(ev.MatterOpened)
    def _check_reopened(self, at: Admission, actor: str, payload: ev.MatterOpened) -> None:
        raise AlreadyRecordedError("the matter is already open", matter=self.matter_id)

    @_checks(ev.MaterialShared, ev.HearingOpened)
    def _check_bodies_brought_in(
        self, at: Admission, actor: str, payload: ev.MaterialShared | ev.HearingOpened
    ) -> None:
        at.registry.require_member(self.responsible_body, actor, side="management")
        for body_id in payload.bodies:
            at.registry.body(body_id)

    @_checks(ev.ConsultationOpened)
    def _check_consultation_opened(
        self, at: Admission, actor: str, payload: ev.ConsultationOpened
    ) -> None:
        _require_role_or_management(at.registry, payload.body, actor, "chair")

    @_checks(ev.MeetingHeld)
    def _check_meeting_held(self, at: Admission, actor: str, payload: ev.MeetingHeld) -> None:
        self._require_speaks_for(at, payload.body, actor, roles=("chair", "secretary"))
        for person in [*payload.present, *payload.absent]:
            at.registry.require_person(person)

    @_checks(ev.MinutesApproved)
    def _check_minutes_approved(
        self, at: Admission, actor: str, payload: ev.MinutesApproved
    ) -> None:
        held = self._minutes_of(at, actor, payload.meeting, payload.minutes_sha256, "vice_chair")
        if held is not None and payload.at_meeting is not None:
            self._require_later_meeting(payload.at_meeting, payload.meeting, held)
        self._require_minutes_not_yet_approved(payload.meeting, actor)

    @_checks(ev.MinutesPublished)
    def _check_minutes_published(
        self, at: Admission, actor: str, payload: ev.MinutesPublished
    ) -> None:
        self._minutes_of(at, actor, payload.meeting, payload.minutes_sha256, "secretary")

    def _minutes_of(
        self, at: Admission, actor: str, meeting: int, minutes_sha256: str, role: str
    ) -> ev.MeetingHeld | None:
        """The meeting whose minutes ``actor`` (its body's chair, or ``role``) approves or
        publishes; the digest must be the one the meeting recorded."""
        info = self._ref(meeting, {"MeetingHeld"})
        if not isinstance(info.payload, ev.MeetingHeld):
            return None
        at.registry.require_member(info.payload.body, actor, roles=("chair", role))
        _require_minutes_digest(info.payload, meeting, minutes_sha256)
        return info.payload

    @_checks(ev.PositionStated)
    def _check_position_stated(self, at: Admission, actor: str, payload: ev.PositionStated) -> None:
        self._require_speaks_for(at, payload.body, actor, side=payload.side)

    @_checks(ev.ProposalSubmitted)
    def _check_proposal_submitted(
        self, at: Admission, actor: str, payload: ev.ProposalSubmitted
    ) -> None:
        at.registry.require_member(payload.body, actor)

    @_checks(ev.DisagreementRecorded, ev.CompromiseProposed, ev.ConsultationAcknowledged)
    def _check_said_in_involved_body(
        self,
        at: Admission,
        actor: str,
        payload: ev.DisagreementRecorded | ev.CompromiseProposed | ev.ConsultationAcknowledged,
    ) -> None:
        self._require_speaks_for(at, payload.body, actor)

    @_checks(ev.DisagreementAnswered)
    def _check_disagreement_answered(
        self, at: Admission, actor: str, payload: ev.DisagreementAnswered
    ) -> None:
        self._ref(payload.disagreement, {"DisagreementRecorded"})
        self._require_unanswered(payload.disagreement)
        self._require_decider_or_management(at.registry, actor)

    @_checks(ev.CompromiseAccepted, ev.CompromiseRejected)
    def _check_compromise_judged(
        self,
        at: Admission,
        actor: str,
        payload: ev.CompromiseAccepted | ev.CompromiseRejected,
    ) -> None:
        info = self._ref(payload.proposal, {"CompromiseProposed"})
        if isinstance(info.payload, ev.CompromiseProposed):
            at.registry.require_member(
                info.payload.body, actor, side=payload.side, roles=("chair", "vice_chair")
            )
        self._require_side_not_yet_accepted(payload.proposal, payload.side)

    @_checks(ev.AgreementReached)
    def _check_agreement_reached(
        self, at: Admission, actor: str, payload: ev.AgreementReached
    ) -> None:
        self._ref(payload.compromise, {"CompromiseProposed"})
        _require_guideline_fields(payload)
        self._require_agreed_compromise(at, actor, payload.compromise, payload.body)
        if payload.guideline_id is not None:
            at.guidelines.require_new(payload.guideline_id)

    @_checks(ev.GuidelineAmended)
    def _check_guideline_amended(
        self, at: Admission, actor: str, payload: ev.GuidelineAmended
    ) -> None:
        at.guidelines.require_not_terminated(payload.guideline)
        self._require_agreed_compromise(at, actor, payload.compromise, payload.body)

    @_checks(ev.GuidelineTerminated)
    def _check_guideline_terminated(
        self, at: Admission, actor: str, payload: ev.GuidelineTerminated
    ) -> None:
        months = at.registry.rule_setting(payload.body, NOTICE_MONTHS_KEY, DEFAULT_NOTICE_MONTHS)
        guideline = at.guidelines.check_termination(payload, at.day, months)
        if payload.body != guideline.body:
            raise BodyNotInvolvedError(
                f"guideline {guideline.guideline_id} was agreed in {guideline.body}, "
                f"not {payload.body}",
                body=payload.body,
            )
        self._require_speaks_for(at, payload.body, actor)

    @_checks(ev.HearingResponseSubmitted)
    def _check_hearing_response(
        self, at: Admission, actor: str, payload: ev.HearingResponseSubmitted
    ) -> None:
        self._require_heard(payload.body)
        at.registry.require_member(payload.body, actor)

    @_checks(ev.DecisionMade)
    def _check_decision_made(self, at: Admission, actor: str, payload: ev.DecisionMade) -> None:
        self._require_decision_maker(actor)
        for item in payload.inputs:
            self._ref(item.event, DECISION_INPUT_TYPES)

    @_checks(ev.ReferredToPolitics)
    def _check_referred_to_politics(
        self, at: Admission, actor: str, payload: ev.ReferredToPolitics
    ) -> None:
        at.registry.require_member(self.responsible_body, actor, side="management")
        _require_committee(at.registry, payload.committee)

    @_checks(ev.PoliticalDecisionRecorded)
    def _check_political_decision(
        self, at: Admission, actor: str, payload: ev.PoliticalDecisionRecorded
    ) -> None:
        _require_committee(at.registry, payload.committee)
        _require_role_or_management(at.registry, self.responsible_body, actor, "secretary")

    @_checks(ev.EscalatedToBody)
    def _check_escalated(self, at: Admission, actor: str, payload: ev.EscalatedToBody) -> None:
        self._require_speaks_for(at, payload.from_body, actor)
        at.registry.body(payload.to_body)
        _require_ancestor(at.registry, payload.from_body, payload.to_body)

    @_checks(ev.BreachClaimed)
    def _check_breach_claimed(self, at: Admission, actor: str, payload: ev.BreachClaimed) -> None:
        self._ref(payload.concerns, None)
        self._require_speaks_for(at, payload.body, actor, side="employees")

    @_checks(ev.InterpretationDisputed)
    def _check_interpretation_disputed(
        self, at: Admission, actor: str, payload: ev.InterpretationDisputed
    ) -> None:
        if payload.concerns is not None:
            self._ref(payload.concerns, None)
        self._require_speaks_for(at, payload.body, actor)

    @_checks(ev.BreachRemedied)
    def _check_breach_remedied(self, at: Admission, actor: str, payload: ev.BreachRemedied) -> None:
        self._ref(payload.claim, {"BreachClaimed"})
        dispute = self._open_dispute(payload.claim)
        if dispute.remedied:
            raise AlreadyRecordedError(
                f"breach claim {payload.claim} is already remedied", event=payload.claim
            )
        self._require_decider_or_management(at.registry, actor)

    @_checks(ev.DisputeEscalated)
    def _check_dispute_escalated(
        self, at: Admission, actor: str, payload: ev.DisputeEscalated
    ) -> None:
        self._ref(payload.dispute, DISPUTE_TYPES)
        dispute = self._open_dispute(payload.dispute)
        step = DISPUTE_LEVELS.index(dispute.level) + 1
        if step >= len(DISPUTE_LEVELS) or DISPUTE_LEVELS[step] != payload.level:
            raise DisputePathError(
                f"dispute {payload.dispute} stands at {dispute.level}; it can go to "
                f"{DISPUTE_LEVELS[step] if step < len(DISPUTE_LEVELS) else 'no higher level'}, "
                f"not {payload.level}",
                event=payload.dispute,
                level=dispute.level,
            )
        self._require_on_dispute_path(at.registry, dispute, actor)

    @_checks(ev.BreachResolved)
    def _check_breach_resolved(self, at: Admission, actor: str, payload: ev.BreachResolved) -> None:
        self._ref(payload.claim, DISPUTE_TYPES)
        self._require_unresolved(payload.claim)
        dispute = self.disputes.get(payload.claim)
        if dispute is None:
            return  # verifying without the claim's payload: the path cannot be judged
        _require_outcome_at_level(dispute, payload)
        if payload.resolution == "withdrawn" and actor == dispute.claimant:
            return
        if payload.level == "local":
            at.registry.require_member(dispute.body, actor, roles=("chair", "vice_chair"))
        else:
            self._require_hovedmed_chair(at.registry, actor)

    @_checks(ev.DecisionCommunicated)
    def _check_decision_communicated(
        self, at: Admission, actor: str, payload: ev.DecisionCommunicated
    ) -> None:
        at.registry.require_member(self.responsible_body, actor, side="management")

    @_checks(ev.MatterClosed, ev.MatterWithdrawn)
    def _check_ended(
        self, at: Admission, actor: str, payload: ev.MatterClosed | ev.MatterWithdrawn
    ) -> None:
        self._require_decision_maker(actor)

    @_checks(ev.CorrectionIssued)
    def _check_correction(self, at: Admission, actor: str, payload: ev.CorrectionIssued) -> None:
        info = self._ref(payload.event, None)
        _require_original_actor(info, payload.event, actor)

    @_checks(ev.PayloadRedacted)
    def _check_redaction(self, at: Admission, actor: str, payload: ev.PayloadRedacted) -> None:
        at.registry.require_admin(actor)
        info = self._ref(payload.event, None)
        _require_erasable(info, payload.event, payload.fields)
        self._require_not_erased(payload.event, payload.fields)

    def _forget(self, seq: int, erased: frozenset[str]) -> None:
        """Drop erased values from this state as well: whatever reads it (a page) then sees
        what a replay of the log gives, the erased fields None.  No rule reads them (only
        erasable fields go); a lean state keeps no free text to drop."""
        info = self.events.get(seq)
        if info is None or info.payload is None or self.interned is not None:
            return
        # The fields as given (an explicit null stays committed), less the erased ones.
        given = info.payload.model_dump(mode="json", exclude_unset=True)
        kept = {k: v for k, v in given.items() if k not in erased}
        payload = ev.parse_payload(info.type, matter_stream(self.matter_id), kept, erased)
        info.payload = payload
        if isinstance(payload, ev.MatterOpened):
            self.opened = payload

    # --- the rules the checks share -------------------------------------

    def _ref(self, seq: int, types: set[str] | frozenset[str] | None) -> EventInfo:
        """The earlier event ``seq`` of this matter, which must be one of ``types``."""
        info = self.events.get(seq)
        if info is None or (types is not None and info.type not in types):
            wanted = " or ".join(sorted(types)) if types else "an event"
            raise UnknownEventReferenceError(
                f"event {seq} of matter {self.matter_id} is not {wanted}", event=seq
            )
        return info

    def _require_not_ended(self, event_type: str) -> None:
        if self.ended and event_type not in AFTER_END_TYPES:
            raise MatterEndedError(f"matter {self.matter_id} is closed", matter=self.matter_id)

    def _require_speaks_for(
        self,
        at: Admission,
        body_id: str,
        actor: str,
        *,
        side: str | None = None,
        roles: Iterable[str] = (),
    ) -> None:
        """``actor`` speaks in ``body_id`` on this matter: the body is involved in it and
        ``actor`` sits in it (on ``side``, holding one of ``roles``)."""
        if body_id not in self.involved:
            raise BodyNotInvolvedError(
                f"{body_id} is not involved in matter {self.matter_id}; share material, "
                "open a consultation or hearing, or escalate to it first",
                body=body_id,
            )
        at.registry.require_member(body_id, actor, side=side, roles=roles)

    def _require_heard(self, body_id: str) -> None:
        if body_id not in self.hearing_bodies:
            raise BodyNotInvolvedError(
                f"{body_id} was not asked in a hearing on this matter", body=body_id
            )

    def _require_decision_maker(self, actor: str) -> None:
        if actor != self.decision_maker:
            raise SignerNotDecisionMakerError(
                f"{actor} is not the decision maker ({self.decision_maker})", person=actor
            )

    def _require_decider_or_management(self, reg: RegistryState, actor: str) -> None:
        if actor != self.decision_maker:
            reg.require_member(self.responsible_body, actor, side="management")

    def _require_minutes_not_yet_approved(self, meeting: int, actor: str) -> None:
        if actor in self.minutes_approvals.get(meeting, set()):
            raise AlreadyRecordedError(
                f"{actor} already approved the minutes of event {meeting}", event=meeting
            )

    def _require_unanswered(self, disagreement: int) -> None:
        if disagreement in self.answered:
            raise AlreadyRecordedError(
                f"disagreement {disagreement} is already answered", event=disagreement
            )

    def _require_side_not_yet_accepted(self, proposal: int, side: str) -> None:
        if side in self.accepted_sides.get(proposal, set()):
            raise AlreadyRecordedError(
                f"the {side} side already accepted compromise {proposal}", event=proposal
            )

    def _require_both_sides_accepted(self, proposal: int) -> None:
        accepted = self.accepted_sides.get(proposal, set())
        if accepted != {"management", "employees"}:
            raise AgreementNeedsBothSidesError(
                f"compromise {proposal} is accepted by {sorted(accepted) or 'no side'}; "
                "an agreement needs acceptance from both sides",
                event=proposal,
            )

    def _require_agreed_compromise(
        self, at: Admission, actor: str, compromise: int, body: str
    ) -> None:
        """``compromise`` was proposed in ``body`` and accepted by both sides; ``actor`` sits
        in ``body`` (an agreement, or a guideline's amendment, records it)."""
        info = self._ref(compromise, {"CompromiseProposed"})
        if isinstance(info.payload, ev.CompromiseProposed):
            _require_compromise_of_body(info.payload, compromise, body)
        self._require_both_sides_accepted(compromise)
        at.registry.require_member(body, actor)

    def _require_unresolved(self, claim: int) -> None:
        dispute = self.disputes.get(claim)
        if dispute is not None and dispute.settled:
            raise AlreadyRecordedError(f"breach claim {claim} is already resolved", event=claim)

    def _open_dispute(self, seq: int) -> Dispute:
        """The dispute started by event ``seq``, which must not be settled yet."""
        dispute = self.disputes.get(seq)
        if dispute is None:
            raise UnknownEventReferenceError(f"event {seq} started no dispute", event=seq)
        if dispute.settled:
            raise DisputePathError(f"dispute {seq} is already settled", event=seq)
        return dispute

    def _require_on_dispute_path(self, reg: RegistryState, dispute: Dispute, actor: str) -> None:
        """A member of the body where the dispute arose, or of the HovedMED above the matter."""
        if reg.membership(dispute.body, actor) is not None:
            return
        if any(
            reg.membership(b, actor) is not None for b in reg.hovedmed_for(self.responsible_body)
        ):
            return
        reg.require_member(dispute.body, actor)

    def _require_later_meeting(self, later: int, meeting: int, held: ev.MeetingHeld) -> None:
        """``later`` is a meeting of the same body, held on or after meeting ``meeting``."""
        info = self._ref(later, {"MeetingHeld"})
        if isinstance(info.payload, ev.MeetingHeld) and (
            info.payload.body != held.body or info.payload.date < held.date or later == meeting
        ):
            raise UnknownEventReferenceError(
                f"event {later} is not a later meeting of {held.body}", event=later
            )

    def _require_hovedmed_chair(self, reg: RegistryState, actor: str) -> None:
        responsible = self.responsible_body
        chairs = [
            body_id
            for body_id in reg.hovedmed_for(responsible)
            if (m := reg.membership(body_id, actor)) and "chair" in m.roles
        ]
        if not chairs:
            raise NotAllowedError(
                f"{actor} is not the chair of the HovedMED over {responsible}", person=actor
            )

    def _require_not_erased(self, seq: int, names: list[str]) -> None:
        again = sorted(set(names) & self.erased.get(seq, set()))
        if again or len(set(names)) != len(names):
            raise AlreadyRedactedError(
                f"event {seq}: field(s) {', '.join(again) or 'named twice'} already erased",
                event=seq,
            )

    # --- who reads the matter ---------------------------------------------

    def manages(self, reg: RegistryState, actor: str) -> bool:
        """Does ``actor`` act for the matter's management side (as of ``reg``)?

        The decision maker, and every management-side member of the
        responsible body.
        """
        if actor == self.decision_maker:
            return True
        membership = reg.membership(self.responsible_body, actor)
        return membership is not None and membership.side == "management"

    def _addressed_readers(self, reg: RegistryState, actor: str, payload: ev.Payload) -> list[str]:
        """The bodies this event makes readers of the matter.

        Material and hearings are sent by the management side (their
        write-time rule says so); a consultation or a meeting counts when
        the management side held it, not when a chair of another body did so
        on their own; an escalation counts when the body it comes from
        already reads the matter (the dispute path of the framework
        agreement goes up from a body that was brought in).  A proposal,
        position, disagreement or response never does.
        """
        match payload:
            case ev.MaterialShared(bodies=bodies) | ev.HearingOpened(bodies=bodies):
                return list(bodies) if self.manages(reg, actor) else []
            case ev.ConsultationOpened(body=body_id) | ev.MeetingHeld(body=body_id):
                return [body_id] if self.manages(reg, actor) else []
            case ev.EscalatedToBody(from_body=from_body, to_body=to_body):
                return [to_body] if from_body in self.readers else []
        return []

    # --- folding events in ------------------------------------------------

    def apply(
        self,
        seq: int,
        event_type: str,
        actor: str,
        payload: ev.Payload | None,
        registry: RegistryState,
    ) -> None:
        """Fold one admitted event in; ``payload`` is None when it was redacted.

        ``registry`` is the registry as of the event's position: it says
        whether ``actor`` acted for the matter's management side.
        """
        if self.interned is None:
            self.events[seq] = EventInfo(event_type, actor, payload)
        else:
            self.events[seq] = _lean_info(event_type, actor, payload, self.interned)
        for digest in digests_of(payload):
            self.named.setdefault(digest, set()).add(actor)
        if payload is None:
            return
        self.readers.update(self._addressed_readers(registry, actor, payload))
        match payload:
            case ev.MaterialShared(bodies=bodies) | ev.HearingOpened(bodies=bodies):
                self.involved.update(bodies)
                if isinstance(payload, ev.HearingOpened):
                    self.hearing_bodies.update(bodies)
            case ev.ConsultationOpened(body=body_id) | ev.ProposalSubmitted(body=body_id):
                self.involved.add(body_id)
            case ev.EscalatedToBody(to_body=to_body):
                self.involved.add(to_body)
            case ev.MinutesApproved(meeting=meeting):
                self.minutes_approvals.setdefault(meeting, set()).add(actor)
            case ev.DisagreementAnswered(disagreement=disagreement):
                self.answered.add(disagreement)
            case ev.CompromiseAccepted(proposal=proposal, side=side):
                self.accepted_sides.setdefault(proposal, set()).add(side)
            case ev.BreachClaimed(body=body_id) | ev.InterpretationDisputed(body=body_id):
                self.disputes[seq] = Dispute(event_type, actor, body_id)
            case ev.BreachRemedied(claim=claim) if claim in self.disputes:
                self.disputes[claim].remedied = True
            case ev.DisputeEscalated(dispute=disputed, level=level) if disputed in self.disputes:
                self.disputes[disputed].level = level
                if level == "hovedmed":
                    hovedmed = registry.hovedmed_for(self.responsible_body)
                    self.involved.update(hovedmed)
                    self.readers.update(hovedmed)
            case ev.BreachResolved(claim=claim) if claim in self.disputes:
                self.disputes[claim].settled = True
            case ev.MatterClosed() | ev.MatterWithdrawn():
                self.ended = True
            case ev.PayloadRedacted(event=target, fields=names):
                erased = self.erased.setdefault(target, set())
                erased.update(names)
                self._forget(target, frozenset(erased))
