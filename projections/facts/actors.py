"""For whom did an actor act: the body, side and roles behind a signature, as of then."""

from __future__ import annotations

from ledger.domain import events as ev
from ledger.domain.groupings import names
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView, Tenure

# Events signed for the body of the event they refer to: an approval of a meeting's
# minutes, an answer to a compromise.
_REFERRING = names(ev.MinutesApproved, ev.CompromiseAccepted, ev.CompromiseRejected)
# Events whose bodies are the ones they reach, not the signer's.
_REACHING = names(ev.MaterialShared, ev.HearingOpened)


def acting_membership(
    fact: Fact, matter: MatterFacts, registry: RegistryView
) -> tuple[str | None, Tenure | None]:
    """The body the actor signed ``fact`` for, and their appointment there at the time.

    Tries the body the event names (or, for approvals and answers to a
    compromise, the body of the meeting or compromise referred to), then the
    responsible body, then every body the actor sat in at that position;
    the first where the actor was a member wins.  Without any, the named
    (or responsible) body and no appointment.  Cached on the fact: the
    registry's history never changes, and an erasure clears the cache.
    """
    if fact.acting is None:
        fact.acting = _acting_membership(fact, matter, registry)
    return fact.acting


def _acting_membership(
    fact: Fact, matter: MatterFacts, registry: RegistryView
) -> tuple[str | None, Tenure | None]:
    candidates: list[str] = []
    if fact.type not in _REACHING:
        payload = fact.payload
        for name in ("body", "from_body"):
            value = payload.get(name)
            if isinstance(value, str):
                candidates.append(value)
    reference = None
    if fact.type in _REFERRING:
        match fact.data:
            case (
                ev.MinutesApproved(meeting=seq)
                | ev.CompromiseAccepted(proposal=seq)
                | ev.CompromiseRejected(proposal=seq)
            ):
                reference = matter.fact(seq)
    if reference is not None and isinstance(reference.get("body"), str):
        candidates.append(str(reference.get("body")))
    candidates.append(matter.responsible_body)
    for body in candidates:
        tenure = registry.membership(body, fact.actor, fact.leaf)
        if tenure is not None:
            return body, tenure
    for tenure in registry.bodies_of(fact.actor, fact.leaf):
        return tenure.body, tenure
    return candidates[0], None
