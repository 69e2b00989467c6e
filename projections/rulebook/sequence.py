"""What came before what in a matter: the order questions several rules ask."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from projections.facts.matter import Fact, MatterFacts


def before_first(
    matter: MatterFacts, target: str, candidates: tuple[str, ...], counts: Callable[[Fact], bool]
) -> list[Fact]:
    """The ``target`` events logged before the first of ``candidates`` that ``counts``.

    MED-01 asks it of decisions and consultations, MED-02 of referrals and
    involvements, MED-06 of decisions and agreements.
    """
    first = first_after(matter.typed(*candidates), 0, counts)
    return [f for f in matter.typed(target) if first is None or f.seq < first.seq]


def first_after(
    facts: Iterable[Fact], seq: int, counts: Callable[[Fact], bool] = lambda _: True
) -> Fact | None:
    """The first of ``facts`` (in sequence order) after event ``seq`` that ``counts``."""
    return next((f for f in facts if f.seq > seq and counts(f)), None)


def any_erased(facts: Iterable[Fact]) -> bool:
    """Is any of ``facts`` redacted?  Then it might have settled the question."""
    return any(f.payload is None for f in facts)


def answered_seqs(matter: MatterFacts, answer_type: str, field: str) -> set[int] | None:
    """The events that the ``answer_type`` events of ``matter`` answer, by the seq in ``field``.

    None when an answer is redacted: it might answer any of them, so the
    rule gives the benefit of the doubt (MED-04 asks it of disagreements,
    MED-11 of breach claims).
    """
    answers = matter.typed(answer_type)
    if any_erased(answers):
        return None
    return {int(f.get(field)) for f in answers}
