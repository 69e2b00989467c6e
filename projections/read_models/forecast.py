"""The forecast of a matter: the findings that will fall due, and when, unless something happens.

Some findings wait for time to pass (docs/RULEBOOK.md, *Time*): the
rulebook stores them as soon as the situation exists, due at a deadline
(a political deadline that leaves too little time to inform the
responsible body, a breach claim management has not remedied, minutes not
approved in time).  The findings read model shows a finding once the
reference time reaches its ``due_at``; the forecast shows the others: what
the matter will show, and from when, if nothing happens before.  An event
that settles the situation (the body informed, the claim remedied, the
minutes approved) removes the stored finding, and with it the forecast.

The forecast reads the same ``rm_findings`` rows as the findings query, so
a finding moves from the forecast to the findings at exactly its
``due_at``, live or as of any past point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ledger.errors import MatterNotFoundError
from projections.facts.encoding import fixed_time
from projections.facts.logged import parse_moment
from projections.read_models.findings import FindingView, finding_view
from projections.read_models.schema import ReadModel
from projections.read_models.source import RowSource
from projections.read_models.timeline import body_names
from projections.vocabulary import Lang


@dataclass(frozen=True)
class Upcoming:
    """A finding that falls due later: the finding as it will be shown, and how soon."""

    finding: FindingView
    days_left: int
    """Calendar days (UTC) from the reference time's day to the day it falls due."""


@dataclass(frozen=True)
class Forecast:
    origin: str
    as_of: int
    reference_time: str
    matter: str
    matter_title: str
    due: list[FindingView]
    """The matter's findings already due at the reference time (what the findings show)."""
    upcoming: list[Upcoming]
    """The findings that fall due after the reference time, soonest first."""


def forecast(
    source: RowSource,
    origin: str,
    matter: str,
    *,
    now: datetime | None = None,
    lang: Lang = "da",
) -> Forecast:
    """The findings of ``matter`` due at the reference time and those that will fall due after it.

    The reference time is ``now`` if given, else the latest claimed time in
    the ledger (as of the source's position), as for the findings query.
    Raises MatterNotFoundError for a matter the ledger does not hold.
    """
    opened = source.rows("rm_matters", origin, matter=matter)
    if not opened:
        raise MatterNotFoundError(f"no matter {matter!r} in {origin}", matter=matter)
    titles: Mapping[str, str] = {matter: str(opened[0]["title"])}
    names = body_names(source, origin)
    tracking = source.tracking(origin, ReadModel.FINDINGS)
    reference = fixed_time(now) if now is not None else tracking.latest_time
    due: list[FindingView] = []
    upcoming: list[Upcoming] = []
    for row in source.rows("rm_findings", origin, matter=matter):
        view = finding_view(row, lang, titles, names)
        if row["due_at"] <= reference:
            due.append(view)
        else:
            upcoming.append(Upcoming(view, _days_between(reference, row["due_at"])))
    upcoming.sort(key=lambda u: (u.finding.due_at, u.finding.rule))
    return Forecast(origin, tracking.position, reference, matter, titles[matter], due, upcoming)


def _days_between(reference: str, due_at: str) -> int:
    """Calendar days from the day of ``reference`` to the day of ``due_at`` (0 before any event)."""
    if not reference:
        return 0
    return (parse_moment(due_at).date() - parse_moment(reference).date()).days
