"""The HovedMED the benchmarks (and some tests) set up, and the matters they open in it: by
default discussed in HovedMED and decided by the director."""

from __future__ import annotations

from demo.organisation import Organisation
from ledger.domain import events as ev


def hovedmed(org: Organisation, *, vice_chair: bool = False) -> None:
    """HovedMED ``hmed``, chaired by the director ``direktor``; with ``vice_chair``, ``tr``
    (employees, union representative) is its vice-chair."""
    org.person("direktor", "Direktør")
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    if vice_chair:
        org.person("tr", "Tillidsrepræsentant")
        org.appoint("hmed", "tr", "employees", "vice_chair", "tr")


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
