"""The matters the benchmarks (and some tests) open: by default discussed in HovedMED and
decided by the director."""

from __future__ import annotations

from ledger.domain import events as ev


def matter_opened(
    title: str,
    description: str,
    category: ev.Category,
    planned_decision_date: str,
    *,
    body: str = "hmed",
    influence_level: ev.InfluenceLevel = "discussion",
    decision_maker: str = "direktor",
) -> ev.MatterOpened:
    """The opening of a matter ``body`` treats at ``influence_level`` and ``decision_maker``
    decides."""
    return ev.MatterOpened(
        title=title,
        description=description,
        category=category,
        responsible_body=body,
        influence_level=influence_level,
        decision_maker=decision_maker,
        planned_decision_date=planned_decision_date,
    )
