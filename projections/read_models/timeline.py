"""The timeline of a matter (DESIGN.md section 5): every event with who, for whom, when.

Rows: ``rm_matters`` (one per matter: its header) and ``rm_timeline`` (one
per event: time, type, actor, the actor's body, side and roles as of the
event's position, a one-line summary in Danish and English, leaf index).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ledger.domain import events as ev
from ledger.domain.groupings import names
from ledger.errors import MatterNotFoundError
from projections.facts.actors import acting_membership
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource, split_list
from projections.read_models.summaries import summarise
from projections.vocabulary import Lang


def matter_rows(origin: str, matter: MatterFacts, registry: RegistryView) -> dict[str, list[Row]]:
    """The ``rm_matters`` row of a matter."""
    opened = matter.opened
    first, last = matter.events[0], matter.events[-1]
    return {
        "rm_matters": [
            {
                "origin": origin,
                "matter": matter.matter,
                "title": matter.title,
                "category": opened.category,
                "influence_level": opened.influence_level,
                "responsible_body": opened.responsible_body,
                "decision_maker": opened.decision_maker,
                "status": matter.status(),
                "opened_leaf": first.leaf,
                "opened_time": first.time,
                "last_leaf": last.leaf,
                "events": len(matter.events),
            }
        ]
    }


_DETAILED = names(
    ev.PositionStated,
    ev.ConsultationAcknowledged,
    ev.CompromiseAccepted,
    ev.CompromiseRejected,
    ev.BreachResolved,
    ev.DecisionMade,
    ev.DisagreementRecorded,
)
"""The events ``act_detail`` has a word for (the others are not decoded for it)."""


def act_detail(fact: Fact) -> str:
    """What the act was, in a word: a stance, a treatment, a side, a resolution."""
    if fact.type not in _DETAILED:
        return ""
    match fact.data:
        case ev.PositionStated(stance=stance):
            return stance
        case ev.ConsultationAcknowledged(adequate_time=adequate):
            return "adequate_time" if adequate else "inadequate_time"
        case ev.CompromiseAccepted(side=side) | ev.CompromiseRejected(side=side):
            return side
        case ev.BreachResolved(resolution=resolution):
            return resolution
        case ev.DecisionMade(management_prerogative=True):
            return "management_prerogative"
        case ev.DisagreementRecorded(legitimate_difference=True):
            return "legitimate_difference"
    return ""


def _seqs(seqs: list[int] | None) -> str:
    """Sequence numbers as the comma-separated column stores them ("" for none)."""
    return ",".join(map(str, seqs)) if seqs else ""


def event_rows(
    origin: str, matter: MatterFacts, facts: list[Fact], registry: RegistryView
) -> dict[str, list[Row]]:
    """The ``rm_timeline`` rows of some events of a matter."""
    return {"rm_timeline": [_event_row(origin, matter, fact, registry) for fact in facts]}


def _event_row(origin: str, matter: MatterFacts, fact: Fact, registry: RegistryView) -> Row:
    """The ``rm_timeline`` row of one event."""
    body, tenure = acting_membership(fact, matter, registry)
    summary_da, summary_en = summarise(fact, registry)
    return {
        "origin": origin,
        "matter": matter.matter,
        "seq": fact.seq,
        "leaf_index": fact.leaf,
        "claimed_time": fact.time,
        "recorded_at": fact.recorded_at,
        "event_type": fact.type,
        "actor": fact.actor,
        "body": body,
        "side": None if tenure is None else tenure.side,
        "roles": "" if tenure is None else ",".join(tenure.roles),
        "imported": fact.imported,
        "redacted": fact.erased,
        "corrected_by": _seqs(matter.corrections.get(fact.seq)),
        "summary_da": summary_da,
        "summary_en": summary_en,
        "detail": act_detail(fact),
    }


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    leaf_index: int
    claimed_time: str
    recorded_at: str
    event_type: str
    actor: str
    actor_name: str | None
    body: str | None
    body_name: str | None
    side: str | None
    roles: list[str]
    imported: bool
    redacted: bool
    corrected_by: list[int]
    summary: str
    detail: str


@dataclass(frozen=True)
class MatterHeader:
    matter: str
    title: str
    category: str
    influence_level: str
    responsible_body: str
    responsible_body_name: str
    decision_maker: str
    status: str
    events: int


@dataclass(frozen=True)
class Timeline:
    origin: str
    as_of: int
    matter: MatterHeader
    entries: list[TimelineEntry]


def body_names(source: RowSource, origin: str) -> dict[str, str]:
    """Registered body names (part of the signed log, so never erased)."""
    return {str(r["body"]): str(r["name"]) for r in source.rows("rm_bodies", origin)}


def matter_header(
    source: RowSource, origin: str, matter: str, bodies: Mapping[str, str] | None = None
) -> MatterHeader:
    """A matter's header; raises MatterNotFoundError.  ``bodies``: body names, if read already."""
    found = source.rows("rm_matters", origin, matter=matter)
    if not found:
        raise MatterNotFoundError(f"no matter {matter!r} in {origin}", matter=matter)
    row = found[0]
    names = body_names(source, origin) if bodies is None else bodies
    return MatterHeader(
        matter=matter,
        title=row["title"],
        category=row["category"],
        influence_level=row["influence_level"],
        responsible_body=row["responsible_body"],
        responsible_body_name=str(names.get(row["responsible_body"], row["responsible_body"])),
        decision_maker=row["decision_maker"],
        status=row["status"],
        events=int(row["events"]),
    )


def timeline(
    source: RowSource,
    origin: str,
    matter: str,
    *,
    lang: Lang = "da",
    names: Mapping[str, str] | None = None,
) -> Timeline:
    """The timeline of ``matter``; raises MatterNotFoundError.

    ``names`` maps person ids to display names (the directory, read now).
    """
    bodies = body_names(source, origin)
    header = matter_header(source, origin, matter, bodies)
    people = names or {}
    entries = [
        _entry(row, lang, people, bodies)
        for row in source.rows("rm_timeline", origin, matter=matter)
    ]
    return Timeline(origin, source.tracking(origin, ReadModel.TIMELINE).position, header, entries)


def _entry(
    row: Row, lang: Lang, people: Mapping[str, str], bodies: Mapping[str, str]
) -> TimelineEntry:
    body: Any = row["body"]
    return TimelineEntry(
        seq=int(row["seq"]),
        leaf_index=int(row["leaf_index"]),
        claimed_time=row["claimed_time"],
        recorded_at=row["recorded_at"],
        event_type=row["event_type"],
        actor=row["actor"],
        actor_name=people.get(row["actor"]),
        body=body,
        body_name=None if body is None else bodies.get(body, body),
        side=row["side"],
        roles=split_list(row["roles"]),
        imported=bool(row["imported"]),
        redacted=bool(row["redacted"]),
        corrected_by=[int(s) for s in split_list(row["corrected_by"])],
        summary=row["summary_da"] if lang == "da" else row["summary_en"],
        detail=row["detail"],
    )
