"""What came before what in a matter: the order questions several rules ask."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from typing import TypeVar

from ledger.domain.events import Payload
from projections.facts.logged import LoggedEvent
from projections.facts.matter import Fact, MatterFacts

P = TypeVar("P", bound=Payload)


def before_first(
    matter: MatterFacts, target: type[P], candidates: Set[str], counts: Callable[[Fact], bool]
) -> list[LoggedEvent[P]]:
    """The ``target`` events logged before the first event of a type in ``candidates``
    that ``counts``.

    MED-01 asks it of decisions and discussions, MED-02 of referrals and
    discussions, MED-06 of decisions and agreements.
    """
    first = first_after(matter.among(candidates), 0, counts)
    return [f for f in matter.typed(target) if first is None or f.seq < first.seq]


def first_after(
    facts: Iterable[LoggedEvent[P]], seq: int, counts: Callable[[Fact], bool] = lambda _: True
) -> LoggedEvent[P] | None:
    """The first of ``facts`` (in sequence order) after event ``seq`` that ``counts``."""
    return next((f for f in facts if f.seq > seq and counts(f)), None)
