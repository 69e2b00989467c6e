"""A matter (sag): its state as of one log position, and its write-time rules.

``MatterState`` is pure.  ``check`` raises the named error when an actor
may not add an event to the matter now; ``apply`` folds an admitted event
in.  Who may sign what is DESIGN.md section 3, judged against the registry
as of the same position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.domain import events as ev
from ledger.domain.groupings import DECISION_INPUT_TYPES as INPUT_TYPES
from ledger.domain.registry import RegistryState
from ledger.errors import (
    AgreementNeedsBothSidesError,
    AlreadyRecordedError,
    AlreadyRedactedError,
    BodyNotInvolvedError,
    MalformedPayloadError,
    MatterEndedError,
    NotAllowedError,
    NotAnAncestorBodyError,
    NotRedactableError,
    PoliticalCommitteeRequiredError,
    SignerNotDecisionMakerError,
    SignerNotOriginalActorError,
    UnknownEventReferenceError,
)

# What may still be added once a matter is closed or withdrawn: records about
# the past (corrections, erasure, acknowledgements, breach claims on how it was
# decided, communicating the decision).
AFTER_END_TYPES = frozenset(
    {
        "CorrectionIssued",
        "PayloadRedacted",
        "ConsultationAcknowledged",
        "BreachClaimed",
        "BreachResolved",
        "DecisionCommunicated",
    }
)

# Events whose payloads ``apply`` folds into the matter's state: without one of
# them the rules below cannot all be judged.  Other payloads (a position, a
# proposal's text) change nothing the rules look at.
STATE_TYPES = frozenset(
    {
        "MaterialShared",
        "HearingOpened",
        "ConsultationOpened",
        "ProposalSubmitted",
        "EscalatedToBody",
        "MinutesApproved",
        "DisagreementAnswered",
        "CompromiseAccepted",
        "BreachResolved",
        "MatterClosed",
        "MatterWithdrawn",
        "PayloadRedacted",
    }
)


# Payloads that later rules read (the matter's structure, a meeting's body, a
# compromise's body, and the state above) can never be redacted; only the
# statements people make can.  Correct those with CorrectionIssued instead.
NOT_REDACTABLE = STATE_TYPES | {"MatterOpened", "MeetingHeld", "CompromiseProposed"}


@dataclass
class EventInfo:
    """What later rules need to know of an earlier event in the matter."""

    type: str
    actor: str
    payload: ev.Payload | None  # None once redacted, or when verifying without it


@dataclass
class MatterState:
    matter_id: str
    opened: ev.MatterOpened
    involved: set[str] = field(default_factory=set)
    hearing_bodies: set[str] = field(default_factory=set)
    events: dict[int, EventInfo] = field(default_factory=dict)
    accepted_sides: dict[int, set[str]] = field(default_factory=dict)
    answered: set[int] = field(default_factory=set)
    resolved_claims: set[int] = field(default_factory=set)
    minutes_approvals: dict[int, set[str]] = field(default_factory=dict)
    redacted: set[int] = field(default_factory=set)
    ended: bool = False
    incomplete: bool = False  # a payload the rules depend on is not available

    @classmethod
    def open(cls, matter_id: str, actor: str, payload: ev.MatterOpened) -> MatterState:
        state = cls(matter_id, payload, involved={payload.responsible_body})
        state.events[1] = EventInfo("MatterOpened", actor, payload)
        return state

    @property
    def responsible_body(self) -> str:
        return self.opened.responsible_body

    @property
    def decision_maker(self) -> str:
        return self.opened.decision_maker

    # --- rules ------------------------------------------------------------

    @staticmethod
    def check_opening(registry: RegistryState, actor: str, payload: ev.MatterOpened) -> None:
        """Who may open a matter: a management-side member of the responsible body."""
        body = registry.body(payload.responsible_body)
        if body.kind == "political_committee":
            raise BodyNotInvolvedError(
                "a political committee cannot be the responsible MED body",
                body=body.body_id,
            )
        registry.require_member(payload.responsible_body, actor, side="management")
        registry.require_person(payload.decision_maker)

    def check(
        self, registry: RegistryState, actor: str, event_type: str, payload: ev.Payload
    ) -> None:
        """Raise the named error if ``actor`` may not add ``payload`` now."""
        if self.ended and event_type not in AFTER_END_TYPES:
            raise MatterEndedError(f"matter {self.matter_id} is closed", matter=self.matter_id)
        reg = registry
        responsible = self.responsible_body
        match payload:
            case ev.MatterOpened():
                raise AlreadyRecordedError("the matter is already open", matter=self.matter_id)
            case ev.MaterialShared(bodies=bodies):
                reg.require_member(responsible, actor, side="management")
                for body_id in bodies:
                    reg.body(body_id)
            case ev.ConsultationOpened(body=body_id):
                membership = reg.membership(body_id, actor)
                if not (membership and ("chair" in membership.roles)):
                    reg.require_member(body_id, actor, side="management")
            case ev.MeetingHeld(body=body_id, present=present, absent=absent):
                self._require_involved(body_id)
                reg.require_member(body_id, actor, roles=("chair", "secretary"))
                for person in [*present, *absent]:
                    reg.require_person(person)
            case ev.MinutesApproved(meeting=meeting):
                info = self._ref(meeting, {"MeetingHeld"})
                if isinstance(info.payload, ev.MeetingHeld):
                    reg.require_member(info.payload.body, actor, roles=("chair", "vice_chair"))
                if actor in self.minutes_approvals.get(meeting, set()):
                    raise AlreadyRecordedError(
                        f"{actor} already approved the minutes of event {meeting}", event=meeting
                    )
            case ev.PositionStated(body=body_id, side=side):
                self._require_involved(body_id)
                reg.require_member(body_id, actor, side=side)
            case ev.ProposalSubmitted(body=body_id):
                reg.require_member(body_id, actor)
            case ev.DisagreementRecorded(body=body_id) | ev.CompromiseProposed(body=body_id):
                self._require_involved(body_id)
                reg.require_member(body_id, actor)
            case ev.DisagreementAnswered(disagreement=seq):
                self._ref(seq, {"DisagreementRecorded"})
                if seq in self.answered:
                    raise AlreadyRecordedError(f"disagreement {seq} is already answered", event=seq)
                self._require_decider_or_management(reg, actor)
            case (
                ev.CompromiseAccepted(proposal=seq, side=side)
                | ev.CompromiseRejected(proposal=seq, side=side)
            ):
                info = self._ref(seq, {"CompromiseProposed"})
                if isinstance(info.payload, ev.CompromiseProposed):
                    reg.require_member(
                        info.payload.body, actor, side=side, roles=("chair", "vice_chair")
                    )
                if side in self.accepted_sides.get(seq, set()):
                    raise AlreadyRecordedError(
                        f"the {side} side already accepted compromise {seq}", event=seq
                    )
            case ev.AgreementReached(body=body_id, compromise=seq, guideline=guideline):
                info = self._ref(seq, {"CompromiseProposed"})
                if guideline != (payload.guideline_type is not None):
                    raise MalformedPayloadError(
                        "guideline_type is given exactly when guideline is true"
                    )
                if isinstance(info.payload, ev.CompromiseProposed) and info.payload.body != body_id:
                    raise BodyNotInvolvedError(
                        f"compromise {seq} was proposed in {info.payload.body}, not {body_id}"
                    )
                accepted = self.accepted_sides.get(seq, set())
                if not self.incomplete and accepted != {"management", "employees"}:
                    raise AgreementNeedsBothSidesError(
                        f"compromise {seq} is accepted by {sorted(accepted) or 'no side'}; "
                        "an agreement needs acceptance from both sides",
                        event=seq,
                    )
                reg.require_member(body_id, actor)
            case ev.HearingOpened(bodies=bodies):
                reg.require_member(responsible, actor, side="management")
                for body_id in bodies:
                    reg.body(body_id)
            case ev.HearingResponseSubmitted(body=body_id):
                if body_id not in self.hearing_bodies:
                    raise BodyNotInvolvedError(
                        f"{body_id} was not asked in a hearing on this matter", body=body_id
                    )
                reg.require_member(body_id, actor)
            case ev.DecisionMade(inputs=inputs):
                self._require_decision_maker(actor)
                for item in inputs:
                    self._ref(item.event, INPUT_TYPES)
            case ev.ReferredToPolitics(committee=committee):
                reg.require_member(responsible, actor, side="management")
                self._require_committee(reg, committee)
            case ev.PoliticalDecisionRecorded(committee=committee):
                self._require_committee(reg, committee)
                membership = reg.membership(responsible, actor)
                if not (membership and "secretary" in membership.roles):
                    reg.require_member(responsible, actor, side="management")
            case ev.ConsultationAcknowledged(body=body_id):
                self._require_involved(body_id)
                reg.require_member(body_id, actor)
            case ev.EscalatedToBody(from_body=from_body, to_body=to_body):
                self._require_involved(from_body)
                reg.require_member(from_body, actor)
                reg.body(to_body)
                if to_body not in reg.ancestors(from_body):
                    raise NotAnAncestorBodyError(
                        f"{to_body} is not above {from_body}", body=to_body
                    )
            case ev.BreachClaimed(body=body_id):
                self._require_involved(body_id)
                reg.require_member(body_id, actor, side="employees")
            case ev.BreachResolved(claim=seq):
                self._ref(seq, {"BreachClaimed"})
                if seq in self.resolved_claims:
                    raise AlreadyRecordedError(f"breach claim {seq} is already resolved", event=seq)
                chairs = [
                    body_id
                    for body_id in reg.hovedmed_for(responsible)
                    if (m := reg.membership(body_id, actor)) and "chair" in m.roles
                ]
                if not chairs:
                    raise NotAllowedError(
                        f"{actor} is not the chair of the HovedMED over {responsible}",
                        person=actor,
                    )
            case ev.DecisionCommunicated():
                reg.require_member(responsible, actor, side="management")
            case ev.MatterClosed() | ev.MatterWithdrawn():
                self._require_decision_maker(actor)
            case ev.CorrectionIssued(event=seq):
                info = self._ref(seq, None)
                if info.actor != actor:
                    raise SignerNotOriginalActorError(
                        f"only {info.actor}, who signed event {seq}, may correct it", event=seq
                    )
            case ev.PayloadRedacted(event=seq):
                reg.require_admin(actor)
                info = self._ref(seq, None)
                if info.type in NOT_REDACTABLE:
                    raise NotRedactableError(
                        f"{info.type} carries structure later rules depend on and cannot be "
                        "redacted; only statements (positions, disagreements, responses, ...) can",
                        event=seq,
                    )
                if seq in self.redacted:
                    raise AlreadyRedactedError(f"event {seq} is already redacted", event=seq)

    def _ref(self, seq: int, types: set[str] | frozenset[str] | None) -> EventInfo:
        info = self.events.get(seq)
        if info is None or (types is not None and info.type not in types):
            wanted = " or ".join(sorted(types)) if types else "an event"
            raise UnknownEventReferenceError(
                f"event {seq} of matter {self.matter_id} is not {wanted}", event=seq
            )
        return info

    def _require_involved(self, body_id: str) -> None:
        if body_id not in self.involved:
            raise BodyNotInvolvedError(
                f"{body_id} is not involved in matter {self.matter_id}; share material, "
                "open a consultation or hearing, or escalate to it first",
                body=body_id,
            )

    def _require_decision_maker(self, actor: str) -> None:
        if actor != self.decision_maker:
            raise SignerNotDecisionMakerError(
                f"{actor} is not the decision maker ({self.decision_maker})", person=actor
            )

    def _require_decider_or_management(self, reg: RegistryState, actor: str) -> None:
        if actor != self.decision_maker:
            reg.require_member(self.responsible_body, actor, side="management")

    @staticmethod
    def _require_committee(reg: RegistryState, committee: str) -> None:
        if reg.body(committee).kind != "political_committee":
            raise PoliticalCommitteeRequiredError(
                f"{committee} is not a political committee", body=committee
            )

    # --- folding events in ------------------------------------------------

    def apply(self, seq: int, event_type: str, actor: str, payload: ev.Payload | None) -> None:
        """Fold one admitted event in; ``payload`` is None when it was redacted."""
        self.events[seq] = EventInfo(event_type, actor, payload)
        if payload is None:
            if event_type in STATE_TYPES:
                self.incomplete = True
            return
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
            case ev.BreachResolved(claim=claim):
                self.resolved_claims.add(claim)
            case ev.MatterClosed() | ev.MatterWithdrawn():
                self.ended = True
            case ev.PayloadRedacted(event=target):
                self.redacted.add(target)
                if target in self.events:
                    self.events[target].payload = None
