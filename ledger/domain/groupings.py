"""Groupings of matter events by what they mean, defined once for writer and readers.

The domain's write-time rules (``ledger.domain.matters``) and the read
models and rulebook (``projections``) ask the same questions of a matter's
events: which may a decision name as an input, which inform or consult a
body, which end the matter.  Each grouping is named here, from the event
classes themselves, so that the writer and the readers cannot drift apart.
"""

from __future__ import annotations

from ledger.domain import events as ev


def names(*classes: type[ev.Payload]) -> frozenset[str]:
    """The type names of the given event classes: a grouping, as the log and readers name
    events."""
    return frozenset(cls.__name__ for cls in classes)


DECISION_INPUT_TYPES = names(
    ev.PositionStated,
    ev.ProposalSubmitted,
    ev.HearingResponseSubmitted,
    ev.DisagreementRecorded,
    ev.CompromiseProposed,
    ev.AgreementReached,
    ev.ConsultationAcknowledged,
    ev.PoliticalDecisionRecorded,
)
"""Events a decision may name among its inputs (``DecisionMade.inputs``)."""

INPUTS_TO_ADDRESS = names(ev.PositionStated, ev.ProposalSubmitted, ev.HearingResponseSubmitted)
"""Decision inputs a later decision must say how it treated (DESIGN.md section 6, MED-05)."""

CONSULTING_TYPES = names(ev.ConsultationOpened, ev.MeetingHeld, ev.HearingOpened)
"""Events that consult a body: a consultation opened in it, its meeting, a hearing sent to it."""

SENT_TO_BODIES_TYPES = names(ev.MaterialShared, ev.ConsultationOpened, ev.HearingOpened)
"""Events that reach a body as a whole, so every member sitting in it then: material
shared with it, a consultation opened in it, a hearing sent to it."""

INVOLVING_TYPES = SENT_TO_BODIES_TYPES | CONSULTING_TYPES
"""Events that inform or consult a body: material shared with it, or consulting it."""

ENDING_TYPES = names(ev.MatterClosed, ev.MatterWithdrawn)
"""Events that end a matter."""

INFORMING_TYPES = names(ev.MaterialShared, ev.HearingOpened)
"""Events that inform a body (DESIGN.md section 6): material shared with it, a hearing
sent to it.  A hearing informs; it is never a discussion (høring erstatter ikke drøftelse)."""

DISCUSSING_TYPES = names(ev.ConsultationOpened, ev.MeetingHeld)
"""Events in which a body discusses (drøfter) a matter: a consultation opened in it, a
meeting it held on the matter."""

DISPUTE_TYPES = names(ev.BreachClaimed, ev.InterpretationDisputed)
"""Events that start a dispute: a breach claim, a disagreement on interpretation."""

GUIDELINE_TYPES = names(ev.AgreementReached, ev.GuidelineAmended, ev.GuidelineTerminated)
"""Events the guideline register folds in (an agreement only when it makes a guideline)."""

DISPUTE_STEP_TYPES = names(ev.BreachRemedied, ev.DisputeEscalated, ev.BreachResolved)
"""Events that move a dispute on along its path: management's remedy of a breach claim,
an escalation one level up, the resolution."""


def dispute_moved(payload: ev.Payload) -> int | None:
    """The dispute a step of ``DISPUTE_STEP_TYPES`` moves on (the seq of the claim or
    interpretation dispute that started it); None for any other event."""
    match payload:
        case (
            ev.BreachRemedied(claim=seq)
            | ev.BreachResolved(claim=seq)
            | ev.DisputeEscalated(dispute=seq)
        ):
            return seq
    return None
