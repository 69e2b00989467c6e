"""For whom did an actor act: the body, side and roles behind a signature, as of then."""

from __future__ import annotations

from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView, Tenure

# Events whose ``body`` names the receiving body, not the signer's.
_RECEIVER_FIELDS = frozenset({"MaterialShared", "HearingOpened"})


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
    if fact.type not in _RECEIVER_FIELDS:
        for name in ("body", "from_body"):
            value = fact.get(name)
            if isinstance(value, str):
                candidates.append(value)
    reference = None
    if fact.type == "MinutesApproved":
        reference = matter.fact(int(fact.get("meeting", 0)))
    elif fact.type in ("CompromiseAccepted", "CompromiseRejected"):
        reference = matter.fact(int(fact.get("proposal", 0)))
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
