"""Output schemas of the read models: the projections' records, paged and dated.

The records themselves (``MatterHeader``, ``TimelineEntry``, ...) are the
projections' frozen dataclasses; these models add what the HTTP reader
needs around them: which point of the log they show (``as_of`` tree size,
how it was asked, how far the live read models lag behind the log) and
paging.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.schemas import _Out
from projections.read_models.disputes import DisputeView
from projections.read_models.dossier import CoResponsibility
from projections.read_models.dry_run import Refusal
from projections.read_models.findings import FindingView
from projections.read_models.forecast import Upcoming
from projections.read_models.guidelines import GuidelineView
from projections.read_models.involvement import MatterInvolvement, MembershipLine
from projections.read_models.receipt import ReceiptItem
from projections.read_models.statistics import BodyYear
from projections.read_models.timeline import MatterHeader, TimelineEntry


class Point(_Out):
    """Which prefix of the log a view shows."""

    as_of: int = Field(description="The tree size the view reflects.")
    as_of_asked: str | None = Field(description="The as_of the request gave, if any (a replay).")
    behind: int = Field(description="Events of the log the live read models have not applied yet.")


class MatterSummaryOut(_Out):
    matter: str
    title: str
    category: str
    influence_level: str
    responsible_body: str
    decision_maker: str
    status: str
    events: int
    opened_time: str


class MatterListOut(Point):
    matters: list[MatterSummaryOut]
    total: int
    next_offset: int | None


class TimelineOut(Point):
    origin: str
    matter: MatterHeader
    entries: list[TimelineEntry]
    next_after_seq: int | None = Field(description="Pass as after_seq for the next page.")


class DossierOut(Point):
    origin: str
    matter: MatterHeader
    document: dict[str, Any] = Field(
        description="The decision(s) with rationale and each input's treatment, "
        "disagreements with answers, compromises and agreements."
    )
    co_responsibility: list[CoResponsibility]
    body_names: dict[str, str]


class FindingsOut(Point):
    origin: str
    reference_time: str = Field(description="The time deadlines are judged at.")
    findings: list[FindingView]
    total: int
    next_offset: int | None


class ForecastOut(Point):
    origin: str
    reference_time: str = Field(description="The time deadlines are judged at.")
    matter: str
    matter_title: str
    due: list[FindingView] = Field(description="The matter's findings due at the reference time.")
    upcoming: list[Upcoming] = Field(
        description="The findings that fall due later unless something happens, soonest first."
    )


class DryRunOut(_Out):
    origin: str
    as_of: int = Field(description="The tree size the event was judged at (it would be that leaf).")
    behind: int = Field(description="Events of the log the live read models have not applied yet.")
    stream: str
    event_type: str
    actor: str
    time: str
    admitted: bool = Field(description="Would a real append with this body admit the event?")
    refusal: Refusal | None = Field(
        description="If not: the error a real append would give (code, message, details)."
    )
    reference_time: str = Field(description="The time findings are judged at now.")
    reference_time_after: str = Field(
        description="The time findings would be judged at once the event is signed."
    )
    raised: list[FindingView] = Field(description="Findings the event would raise.")
    closed: list[FindingView] = Field(description="Findings the event would close.")
    upcoming: list[Upcoming] = Field(
        description="The forecast of the event's matter once signed: findings due later."
    )


class InvolvementOut(Point):
    origin: str
    person: str
    name: str | None
    memberships: list[MembershipLine]
    matters: list[MatterInvolvement]
    total: int
    next_offset: int | None


class ReceiptOut(Point):
    origin: str
    person: str
    name: str | None
    matter: str
    title: str | None = Field(description="The matter's title; null when withheld.")
    responsible_body: str
    responsible_body_name: str
    verdict: str
    items: list[ReceiptItem]
    disclosure: Literal["full", "routing"] = Field(
        description="`full` to a reader of the matter; `routing` to one who may not read it: "
        "event types, times, leaf indexes, the bodies each event addressed, the actors' "
        "bodies, sides and roles, and no free text."
    )
    withheld: list[str] = Field(description="The fields withheld from this reader (`title`).")
    leaf_indexes: list[int] = Field(description="The leaves the receipt's bundle proves.")


class StatisticsOut(Point):
    origin: str
    body: str
    body_name: str
    years: list[BodyYear]


class GuidelinesOut(Point):
    origin: str
    on: str | None = Field(description="The day each guideline's state is given for.")
    guidelines: list[GuidelineView]
    total: int
    next_offset: int | None


class DisputesOut(Point):
    origin: str
    reference_time: str = Field(description="The time deadlines are judged at.")
    disputes: list[DisputeView]
    total: int
    next_offset: int | None
