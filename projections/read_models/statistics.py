"""Body statistics per year (DESIGN.md section 5).

``rm_statistics`` keeps each matter's contribution to each body and year,
so a matter's numbers are replaced whenever the matter changes; the query
adds them up.  What counts, and in which year:

- ``matters``: matters the body is responsible for, by the year opened;
- ``consultations``: consultations opened in the body, by their year;
- ``proposals``: proposals from the body (the Ballerup measure), by year;
- ``lead time``: days from the responsible body's first involvement to the
  first of decision, referral to politics and political deadline, counted
  in the year of the first decision or referral; the median is reported;
- ``decisions`` and ``decided with an open disagreement`` (a disagreement
  recorded before the decision and unanswered when it was made), by the
  year of the decision, for the responsible body;
- ``acknowledgement rate``: of the matters the body was consulted in
  (consultation, meeting or hearing; year of the first), the share with at
  least one acknowledgement signed for the body;
- ``reached local``: of the matters the body is responsible for (by the
  year opened), those whose material or discussion reached a MED body
  below it (an område-MED, a LokalMED or a trio: material shared with it,
  a consultation, meeting or hearing in it).  For a HovedMED it measures
  how far its matters get into the local work, the open problem
  Copenhagen's BUF names ("how do we get LokalMED further into the work").
"""

from __future__ import annotations

import statistics as stats
from dataclasses import dataclass, field
from datetime import date

from ledger.domain import events as ev
from ledger.domain.groupings import CONSULTING_TYPES, INVOLVING_TYPES
from ledger.errors import BodyNotFoundError
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource
from projections.read_models.timeline import body_names

COUNTERS = (
    "opened",
    "consultations",
    "proposals",
    "decisions",
    "decided_with_open_disagreement",
    "consulted",
    "acknowledged",
    "inadequate_time",
    "reached_local",
)

LOCAL_KINDS = frozenset({"omraademed", "lokalmed", "trio"})
"""The MED bodies below a HovedMED where the local work is done."""

Cell = dict[str, int | None]


class _Cells:
    """One matter's counters, by body and year."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, int], Cell] = {}

    def cell(self, body: str, year: int) -> Cell:
        found = self.by_key.get((body, year))
        if found is None:  # not setdefault: that would build a cell every bump
            found = self.by_key[body, year] = {**dict.fromkeys(COUNTERS, 0), "lead_time_days": None}
        return found

    def bump(self, body: str, year: int, counter: str) -> None:
        entry = self.cell(body, year)
        entry[counter] = int(entry[counter] or 0) + 1


def matter_rows(origin: str, matter: MatterFacts, registry: RegistryView) -> dict[str, list[Row]]:
    """One matter's contributions to each body and year."""
    m = matter
    cells = _Cells()
    cells.bump(m.responsible_body, m.events[0].moment.year, "opened")
    for consultation in m.typed(ev.ConsultationOpened):
        cells.bump(consultation.data.body, consultation.moment.year, "consultations")
    for proposal in m.typed(ev.ProposalSubmitted):
        cells.bump(proposal.data.body, proposal.moment.year, "proposals")
    _count_decisions(m, cells)
    _lead_time(m, cells)
    _count_consulted(m, cells)
    if _reached_local(m, registry):
        cells.bump(m.responsible_body, m.events[0].moment.year, "reached_local")
    rows = [
        {"origin": origin, "body": body, "year": year, "matter": m.matter, **values}
        for (body, year), values in sorted(cells.by_key.items())
    ]
    return {"rm_statistics": rows}


def _count_decisions(m: MatterFacts, cells: _Cells) -> None:
    """Decisions, and those made while a disagreement recorded before stood unanswered."""
    first_answer: dict[int, int] = {}
    for answer in m.typed(ev.DisagreementAnswered):
        first_answer.setdefault(answer.data.disagreement, answer.seq)
    disagreements = [f.seq for f in m.typed(ev.DisagreementRecorded)]
    for d in m.typed(ev.DecisionMade):
        cells.bump(m.responsible_body, d.moment.year, "decisions")
        if any(s < d.seq and first_answer.get(s, d.seq) >= d.seq for s in disagreements):
            cells.bump(m.responsible_body, d.moment.year, "decided_with_open_disagreement")


def _count_consulted(m: MatterFacts, cells: _Cells) -> None:
    """Bodies consulted (in the year of the first time), acknowledgements, too little time."""
    first_consulted: dict[str, Fact] = {}
    for f in m.among(CONSULTING_TYPES):
        for body in f.bodies:
            first_consulted.setdefault(body, f)
    acknowledgements = m.typed(ev.ConsultationAcknowledged)
    acknowledged = {f.data.body for f in acknowledgements}
    for body, first in sorted(first_consulted.items()):
        cells.bump(body, first.moment.year, "consulted")
        if body in acknowledged:
            cells.bump(body, first.moment.year, "acknowledged")
    for f in acknowledgements:
        if not f.data.adequate_time:
            cells.bump(f.data.body, f.moment.year, "inadequate_time")


def _reached_local(m: MatterFacts, registry: RegistryView) -> bool:
    """Did material or discussion of the matter reach a local MED body below its
    responsible body?"""
    for f in m.among(INVOLVING_TYPES):
        for body in f.bodies:
            info = registry.bodies.get(body)
            if info is None or info.kind not in LOCAL_KINDS:
                continue
            if _below(registry, body, m.responsible_body):
                return True
    return False


def _below(registry: RegistryView, body: str, ancestor: str) -> bool:
    """Is ``body`` below ``ancestor`` in the bodies' tree?"""
    seen: set[str] = set()
    info = registry.bodies.get(body)
    while info is not None and info.parent is not None and info.parent not in seen:
        if info.parent == ancestor:
            return True
        seen.add(info.parent)
        info = registry.bodies.get(info.parent)
    return False


def _lead_time(m: MatterFacts, cells: _Cells) -> None:
    """Days from the responsible body's first involvement to the first decision, referral
    or political deadline, in the year of the first decision or referral."""
    decision = m.first(ev.DecisionMade)
    referral = m.first(ev.ReferredToPolitics)
    events: list[Fact] = [f for f in (decision, referral) if f is not None]
    if not events:
        return
    first = m.first_involvement()
    if first is None:
        return
    days = [f.day for f in events]
    deadline = m.opened.political_deadline
    if deadline:
        days.append(date.fromisoformat(deadline))
    year = min(events, key=lambda f: f.seq).moment.year
    entry = cells.cell(m.responsible_body, year)
    entry["lead_time_days"] = (min(days) - first.day).days


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class BodyYear:
    year: int
    matters: int
    consultations: int
    proposals: int
    median_lead_time_days: float | None
    decisions: int
    decided_with_open_disagreement: int
    consulted_matters: int
    acknowledged_matters: int
    acknowledgement_rate: float | None
    inadequate_time: int
    reached_local_matters: int
    """Matters of the body whose material or discussion reached a local body below it."""
    reached_local_share: float | None
    """``reached_local_matters`` of ``matters`` (None without matters)."""


@dataclass(frozen=True)
class BodyStatistics:
    origin: str
    as_of: int
    body: str
    body_name: str
    years: list[BodyYear] = field(default_factory=list)


def statistics(
    source: RowSource, origin: str, body: str, *, year: int | None = None
) -> BodyStatistics:
    """The body's figures per year (or for one year); raises BodyNotFoundError."""
    names = body_names(source, origin)
    if body not in names:
        raise BodyNotFoundError(f"no body {body!r} in {origin}", body=body)
    by_year: dict[int, list[Row]] = {}
    for r in source.rows("rm_statistics", origin, body=body):
        by_year.setdefault(int(r["year"]), []).append(r)
    if year is not None:
        by_year = {year: by_year.get(year, [])}
    years = []
    for y in sorted(by_year):
        rows = by_year[y]

        def total(counter: str, rows: list[Row] = rows) -> int:
            return sum(int(r[counter]) for r in rows)

        leads = [int(r["lead_time_days"]) for r in rows if r["lead_time_days"] is not None]
        consulted, acknowledged = total("consulted"), total("acknowledged")
        opened, reached = total("opened"), total("reached_local")
        years.append(
            BodyYear(
                year=y,
                matters=opened,
                consultations=total("consultations"),
                proposals=total("proposals"),
                median_lead_time_days=float(stats.median(leads)) if leads else None,
                decisions=total("decisions"),
                decided_with_open_disagreement=total("decided_with_open_disagreement"),
                consulted_matters=consulted,
                acknowledged_matters=acknowledged,
                acknowledgement_rate=acknowledged / consulted if consulted else None,
                inadequate_time=total("inadequate_time"),
                reached_local_matters=reached,
                reached_local_share=reached / opened if opened else None,
            )
        )
    return BodyStatistics(
        origin, source.tracking(origin, ReadModel.STATISTICS).position, body, names[body], years
    )
