"""The dispute view (DESIGN.md section 6): each breach claim and interpretation dispute on
its path, and what is due from whom by when.

Rows: ``rm_disputes``, one per ``BreachClaimed`` or ``InterpretationDisputed``,
with the steps taken on it in log order (``BreachRemedied``,
``DisputeEscalated``, ``BreachResolved``) and, for a breach claim, the
last day of management's remedy window: the claim's day plus
``med-11.months`` calendar months (default one; the responsible body's
local rules, else the ledger's, as of the claim's position), the one
month of the framework agreement's breach track in which management
withdraws or reopens the decision.

The query shows the path (claim, remedy, escalation to HovedMED, to the
central parties, arbitration, resolution) and the steps still due at the
reference day, each with the party it is due from and, where the
agreement sets one, the day it is due by:

- a breach claim not remedied, at its own body: management must remedy it
  by the window's last day; after that day the claimant's side may take it
  to HovedMED;
- a remedied claim: the HovedMED chair records the outcome (or the claimant
  withdraws it);
- at HovedMED, the central parties or arbitration: that level settles it or
  it goes one level up (the agreement sets no day);
- an interpretation dispute at its own body: the body's chair and vice-chair
  settle it locally, or it goes to HovedMED.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ledger.domain import events as ev
from ledger.domain.groupings import DISPUTE_TYPES
from ledger.domain.guidelines import add_months
from ledger.errors import BodyNotFoundError
from projections.facts.encoding import fixed_time, json_text
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource, split_list
from projections.read_models.timeline import body_names
from projections.vocabulary import Lang

REMEDY_MONTHS_KEY = "med-11.months"
"""The rulebook key of management's remedy window in months (MED-11's parameter)."""
DEFAULT_REMEDY_MONTHS = 1


def remedy_window_end(claim: Fact, matter: MatterFacts, registry: RegistryView) -> date:
    """The last day management has to remedy a breach claim (withdraw or reopen the decision)."""
    months = registry.rule_setting(
        matter.responsible_body, REMEDY_MONTHS_KEY, DEFAULT_REMEDY_MONTHS, claim.leaf
    )
    return add_months(claim.day, months)


def _step(fact: Fact) -> dict[str, Any]:
    step: dict[str, Any] = {
        "type": fact.type,
        "seq": fact.seq,
        "leaf": fact.leaf,
        "time": fact.time,
        "actor": fact.actor,
        "imported": fact.imported,
    }
    match fact.data:
        case ev.BreachRemedied(remedy=remedy):
            step["remedy"] = remedy
        case ev.DisputeEscalated(level=level):
            step["level"] = level
        case ev.BreachResolved(level=level, resolution=resolution):
            step["level"], step["resolution"] = level, resolution
    return step


def matter_rows(origin: str, matter: MatterFacts, registry: RegistryView) -> dict[str, list[Row]]:
    """The ``rm_disputes`` rows of one matter."""
    rows: list[Row] = []
    moved = matter.dispute_steps()
    for claim in matter.among(DISPUTE_TYPES):
        started: ev.BreachClaimed | ev.InterpretationDisputed = claim.data
        steps = [f for f in moved.get(claim.seq, ()) if f.seq > claim.seq]
        level = "local"
        for f in steps:
            if (escalation := f.as_(ev.DisputeEscalated)) is not None:
                level = escalation.level
        resolved = next((f.data for f in steps if f.is_(ev.BreachResolved)), None)
        is_breach = claim.is_(ev.BreachClaimed)
        rows.append(
            {
                "origin": origin,
                "matter": matter.matter,
                "seq": claim.seq,
                "kind": "breach_claim" if is_breach else "interpretation",
                "body": started.body,
                "responsible_body": matter.responsible_body,
                "decision_maker": matter.decision_maker,
                "concerns": started.concerns,
                "claimant": claim.actor,
                "leaf_index": claim.leaf,
                "claimed_time": claim.time,
                "imported": claim.imported,
                "level": level,
                "remedied": any(f.is_(ev.BreachRemedied) for f in steps),
                "resolution": None if resolved is None else resolved.resolution,
                "remedy_due": remedy_window_end(claim, matter, registry).isoformat()
                if is_breach
                else None,
                "steps": json_text([_step(f) for f in steps]),
            }
        )
    return {"rm_disputes": rows}


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    """One step on a dispute's path: ``claim``, ``remedy``, ``hovedmed``,
    ``central_parties``, ``arbitration`` (an escalation to that level) or ``resolution``."""

    stage: str
    event_type: str
    seq: int
    leaf_index: int
    claimed_time: str
    actor: str
    detail: str
    imported: bool


@dataclass(frozen=True)
class DueStep:
    """What is due on a dispute: from which party (and, where the registry names them, which
    people), what, by which day (None where the agreement sets no day), and whether that day
    has passed at the reference day."""

    party: str
    people: list[str]
    action: str
    by: str | None
    overdue: bool
    explanation: str


@dataclass(frozen=True)
class DisputeView:
    matter: str
    matter_title: str
    seq: int
    leaf_index: int
    kind: str
    body: str
    body_name: str
    concerns: int | None
    claimant: str
    claimed_time: str
    level: str
    status: str
    resolution: str | None
    remedy_due: str | None
    imported: bool
    path: list[PathStep]
    due: list[DueStep]


@dataclass(frozen=True)
class DisputesReport:
    origin: str
    as_of: int
    reference_time: str
    disputes: list[DisputeView]


def disputes(
    source: RowSource,
    origin: str,
    *,
    matter: str | None = None,
    body: str | None = None,
    now: datetime | None = None,
    lang: Lang = "da",
) -> DisputesReport:
    """Every dispute of the ledger (or of one matter, or raised in or about one body), with
    its path and what is due at the reference time (``now``, else the latest claimed time
    of the view).  Raises BodyNotFoundError for an unknown ``body``."""
    names = body_names(source, origin)
    if body is not None and body not in names:
        raise BodyNotFoundError(f"no body {body!r} in {origin}", body=body)
    tracking = source.tracking(origin, ReadModel.DISPUTES)
    reference_time = fixed_time(now) if now is not None else tracking.latest_time
    reference = reference_time[:10]
    filters: dict[str, object] = {} if matter is None else {"matter": matter}
    titles = {r["matter"]: r["title"] for r in source.rows("rm_matters", origin)}
    chairs = _chairs(source, origin)
    shown = [
        _view(r, reference, lang, titles, names, chairs)
        for r in source.rows("rm_disputes", origin, **filters)
        if body is None or body in (r["body"], r["responsible_body"])
    ]
    shown.sort(key=lambda d: d.leaf_index)
    return DisputesReport(origin, tracking.position, reference_time, shown)


@dataclass(frozen=True)
class _Chairs:
    """Who chairs what at the view's position: for naming whom a step is due from."""

    parents: dict[str, str | None]
    kinds: dict[str, str]
    seats: dict[str, list[tuple[str, list[str]]]]

    def hovedmed_over(self, body: str) -> list[str]:
        seen: set[str] = set()
        current: str | None = body
        while current is not None and current not in seen:
            if self.kinds.get(current) == "hovedmed":
                return [current]
            seen.add(current)
            current = self.parents.get(current)
        return sorted(b for b, kind in self.kinds.items() if kind == "hovedmed")

    def holding(self, body: str, *roles: str) -> list[str]:
        return sorted(p for p, held in self.seats.get(body, []) if set(roles) & set(held))


def _chairs(source: RowSource, origin: str) -> _Chairs:
    bodies = [b for b in source.rows("rm_bodies", origin) if b["dissolved_leaf"] is None]
    seats: dict[str, list[tuple[str, list[str]]]] = {}
    for m in source.rows("rm_memberships", origin):
        if m["until_leaf"] is None:
            seats.setdefault(str(m["body"]), []).append((str(m["person"]), split_list(m["roles"])))
    return _Chairs(
        {str(b["body"]): b["parent"] for b in bodies},
        {str(b["body"]): str(b["kind"]) for b in bodies},
        seats,
    )


_STAGES = {
    ev.BreachClaimed.__name__: "claim",
    ev.InterpretationDisputed.__name__: "claim",
    ev.BreachRemedied.__name__: "remedy",
}


def _view(
    r: Row,
    reference: str,
    lang: Lang,
    titles: Mapping[str, str],
    names: Mapping[str, str],
    chairs: _Chairs,
) -> DisputeView:
    claim = PathStep(
        "claim",
        (ev.BreachClaimed if r["kind"] == "breach_claim" else ev.InterpretationDisputed).__name__,
        int(r["seq"]),
        int(r["leaf_index"]),
        str(r["claimed_time"]),
        str(r["claimant"]),
        "" if r["concerns"] is None else f"#{r['concerns']}",
        bool(r["imported"]),
    )
    path = [claim]
    for s in json.loads(r["steps"]):
        stage = _STAGES.get(s["type"]) or (
            str(s["level"]) if s["type"] == ev.DisputeEscalated.__name__ else "resolution"
        )
        detail = str(s.get("remedy") or s.get("resolution") or "")
        if s["type"] == ev.BreachResolved.__name__:
            detail = f"{detail} ({s['level']})"
        path.append(
            PathStep(
                stage,
                s["type"],
                int(s["seq"]),
                int(s["leaf"]),
                str(s["time"]),
                str(s["actor"]),
                detail,
                bool(s["imported"]),
            )
        )
    settled = r["resolution"] is not None
    status = "settled" if settled else ("remedied" if r["remedied"] else "open")
    return DisputeView(
        matter=str(r["matter"]),
        matter_title=str(titles.get(r["matter"], r["matter"])),
        seq=int(r["seq"]),
        leaf_index=int(r["leaf_index"]),
        kind=str(r["kind"]),
        body=str(r["body"]),
        body_name=str(names.get(r["body"], r["body"])),
        concerns=r["concerns"],
        claimant=str(r["claimant"]),
        claimed_time=str(r["claimed_time"]),
        level=str(r["level"]),
        status=status,
        resolution=r["resolution"],
        remedy_due=r["remedy_due"],
        imported=bool(r["imported"]) or any(p.imported for p in path),
        path=path,
        due=[] if settled else _due(r, reference, lang, chairs),
    )


def _due(r: Row, reference: str, lang: Lang, chairs: _Chairs) -> list[DueStep]:
    """What is due on an unsettled dispute at the reference day."""
    level, body = str(r["level"]), str(r["body"])
    hovedmed = chairs.hovedmed_over(str(r["responsible_body"]))
    hovedmed_chairs = sorted({p for b in hovedmed for p in chairs.holding(b, "chair")})
    da = lang == "da"
    if level == "local" and r["kind"] == "breach_claim":
        return _breach_at_its_body(r, reference, da, hovedmed_chairs)
    if level == "local":
        return [
            DueStep(
                "body",
                chairs.holding(body, "chair", "vice_chair"),
                "settle_or_escalate",
                None,
                False,
                "Udvalgets formand og næstformand afgør fortolkningen lokalt, eller den føres "
                "videre til HovedMED."
                if da
                else "The body's chair and vice-chair settle the question locally, or it goes "
                "to HovedMED.",
            )
        ]
    text_da, text_en = _AT_LEVEL[level]
    action = "settle_or_escalate" if level != "arbitration" else "decide"
    return [DueStep(level, hovedmed_chairs, action, None, False, text_da if da else text_en)]


_AT_LEVEL = {
    "hovedmed": (
        "HovedMED drøfter sagen: dens formand registrerer udfaldet, eller sagen går videre "
        "til de centrale parter.",
        "HovedMED discusses the dispute: its chair records the outcome, or it goes on to "
        "the central parties.",
    ),
    "central_parties": (
        "De centrale parter (KL og Forhandlingsfællesskabet) behandler sagen; udfaldet "
        "registreres, eller sagen går til voldgift.",
        "The central parties (KL and Forhandlingsfællesskabet) take up the dispute; the "
        "outcome is recorded, or it goes to arbitration.",
    ),
    "arbitration": (
        "Voldgiften afgør sagen; udfaldet registreres.",
        "Arbitration decides the dispute; the outcome is recorded.",
    ),
}
"""What happens to a dispute at each level above its own body (Danish, English)."""


def _breach_at_its_body(
    r: Row, reference: str, da: bool, hovedmed_chairs: list[str]
) -> list[DueStep]:
    """A breach claim at the body where it arose: remedied (HovedMED records the outcome),
    or management's window to remedy, and once it has passed the claimant's escalation."""
    if r["remedied"]:
        return [
            DueStep(
                "hovedmed",
                hovedmed_chairs,
                "record_outcome",
                None,
                False,
                "Ledelsen har afhjulpet bruddet; HovedMED's formand registrerer udfaldet, "
                "eller den der rejste kravet trækker det tilbage."
                if da
                else "Management has remedied the breach; the HovedMED chair records the "
                "outcome, or the claimant withdraws the claim.",
            )
        ]
    by = str(r["remedy_due"])
    overdue = bool(reference) and reference > by
    due = [
        DueStep(
            "management",
            [str(r["decision_maker"])],
            "remedy",
            by,
            overdue,
            f"Ledelsen skal afhjælpe bruddet senest {by} (trække beslutningen tilbage "
            "eller genoptage den og behandle sagen i MED) (rammeaftalen, brudsporet)."
            if da
            else f"Management must remedy the breach by {by} (withdraw the decision, or "
            "reopen it and take the matter through MED) (framework agreement, breach track).",
        )
    ]
    if overdue:
        due.append(
            DueStep(
                "employees",
                [str(r["claimant"])],
                "escalate_to_hovedmed",
                None,
                False,
                f"Fristen {by} er overskredet: medarbejdersiden kan føre sagen videre til HovedMED."
                if da
                else f"The window ended {by}: the employee side may take the claim to HovedMED.",
            )
        )
    return due
