"""The matters the benchmarks open: discussed in HovedMED, decided by the director."""

from __future__ import annotations

from ledger.domain import events as ev


def hovedmed_matter(
    title: str, description: str, category: ev.Category, planned_decision_date: str
) -> ev.MatterOpened:
    """The opening of a matter HovedMED discusses and the director decides."""
    return ev.MatterOpened(
        title=title,
        description=description,
        category=category,
        responsible_body="hmed",
        influence_level="discussion",
        decision_maker="direktor",
        planned_decision_date=planned_decision_date,
    )
