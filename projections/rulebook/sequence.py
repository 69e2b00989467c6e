"""What came before what in a matter: the order questions several rules ask."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from projections.facts.matter import Fact, MatterFacts


def before_first(
    matter: MatterFacts, target: str, candidates: tuple[str, ...], counts: Callable[[Fact], bool]
) -> list[Fact]:
    """The ``target`` events logged before the first of ``candidates`` that ``counts``.

    MED-01 asks it of decisions and discussions, MED-02 of referrals and
    discussions, MED-06 of decisions and agreements.
    """
    first = first_after(matter.typed(*candidates), 0, counts)
    return [f for f in matter.typed(target) if first is None or f.seq < first.seq]


def first_after(
    facts: Iterable[Fact], seq: int, counts: Callable[[Fact], bool] = lambda _: True
) -> Fact | None:
    """The first of ``facts`` (in sequence order) after event ``seq`` that ``counts``."""
    return next((f for f in facts if f.seq > seq and counts(f)), None)
