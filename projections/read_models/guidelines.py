"""The guideline register (DESIGN.md section 6): each guideline of the organisation.

Rows: ``rm_guideline_events``, one per register step (an ``AgreementReached``
that makes a guideline, a ``GuidelineAmended``, a ``GuidelineTerminated``),
with the fields the register shows; every one of them is a routing field
(docs/PROTOCOL.md section 9), so no erasure ever changes a row.  The query
folds the rows in log order (``projections.facts.guidelines``, the same fold
MED-14 asks) and tells each guideline's state on a day: by default the
day of the latest claimed time the view holds; ``as_of`` a tree size or
date gives the register as the log then stood, like every read model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from ledger.errors import BodyNotFoundError, GuidelineNotFoundError
from projections.facts.guidelines import (
    GuidelineState,
    GuidelineStep,
    Status,
    StepRecord,
    fold_steps,
    step_of,
)
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource
from projections.read_models.timeline import body_names


def event_rows(
    origin: str, matter: MatterFacts, facts: list[Fact], registry: RegistryView
) -> dict[str, list[Row]]:
    """The ``rm_guideline_events`` rows of those of some events of a matter that are
    register steps."""
    return {
        "rm_guideline_events": [
            _step_row(origin, step) for fact in facts if (step := step_of(fact)) is not None
        ]
    }


def _step_row(origin: str, step: GuidelineStep) -> Row:
    return {
        "origin": origin,
        "matter": step.matter,
        "seq": step.seq,
        "guideline": step.guideline,
        "act": step.act,
        "leaf_index": step.leaf,
        **step.recorded(),
    }


def _step(row: Row) -> GuidelineStep:
    return GuidelineStep(
        guideline=str(row["guideline"]),
        act=row["act"],
        matter=str(row["matter"]),
        seq=int(row["seq"]),
        leaf=int(row["leaf_index"]),
        claimed_time=str(row["claimed_time"]),
        actor=str(row["actor"]),
        body=str(row["body"]),
        guideline_type=row["guideline_type"],
        effective_from=row["effective_from"],
        imported=bool(row["imported"]),
    )


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class StepView(StepRecord):
    """One step of a guideline's history: the event, where it is, what it set.

    ``matter`` and ``seq`` are None when withheld from a reader who may not
    read that matter (``withhold_matters``)."""

    matter: str | None
    seq: int | None
    leaf_index: int


@dataclass(frozen=True)
class TerminationView:
    """Notice of termination: the day it was given, the day it takes effect, the event."""

    notice_given: str
    effective_from: str
    step: StepView


@dataclass(frozen=True)
class GuidelineView:
    guideline: str
    type: str
    body: str
    body_name: str
    status: Status
    in_force: bool
    effective_from: str
    made: StepView
    amendments: tuple[StepView, ...]
    termination: TerminationView | None
    imported: bool
    withheld: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuidelineRegisterReport:
    origin: str
    as_of: int
    on: str | None
    guidelines: list[GuidelineView]


def guideline_register(
    source: RowSource,
    origin: str,
    *,
    guideline: str | None = None,
    body: str | None = None,
    on: datetime | None = None,
) -> GuidelineRegisterReport:
    """Every guideline of the ledger (or one, or those of one body) and its state on ``on``.

    ``on`` defaults to the latest claimed time of the view.  Raises
    GuidelineNotFoundError for a ``guideline`` not in the register and
    BodyNotFoundError for an unknown ``body``.
    """
    names = body_names(source, origin)
    if body is not None and body not in names:
        raise BodyNotFoundError(f"no body {body!r} in {origin}", body=body)
    tracking = source.tracking(origin, ReadModel.GUIDELINES)
    rows = sorted(source.rows("rm_guideline_events", origin), key=lambda r: int(r["leaf_index"]))
    register = fold_steps(_step(r) for r in rows)
    if guideline is not None and guideline not in register:
        raise GuidelineNotFoundError(
            f"no guideline {guideline!r} in the register of {origin}", guideline=guideline
        )
    latest = tracking.latest_time
    if on is not None:
        day: date | None = on.astimezone(UTC).date()
    else:
        day = date.fromisoformat(latest[:10]) if latest else None
    shown = [
        _view(state, day, names)
        for key, state in sorted(register.items())
        if (guideline is None or key == guideline) and (body is None or state.body == body)
    ]
    return GuidelineRegisterReport(
        origin, tracking.position, None if day is None else day.isoformat(), shown
    )


def _step_view(step: GuidelineStep) -> StepView:
    return StepView(matter=step.matter, seq=step.seq, leaf_index=step.leaf, **step.recorded())


def _view(state: GuidelineState, day: date | None, names: dict[str, str]) -> GuidelineView:
    status: Status = "in_force" if day is None else state.status(day)
    ended = state.terminated
    return GuidelineView(
        guideline=state.guideline,
        type=state.type,
        body=state.body,
        body_name=names.get(state.body, state.body),
        status=status,
        in_force=status in ("in_force", "terminating"),
        effective_from=state.made.takes_effect.isoformat(),
        made=_step_view(state.made),
        amendments=tuple(_step_view(s) for s in state.amendments),
        termination=None
        if ended is None
        else TerminationView(
            ended.day.isoformat(), ended.takes_effect.isoformat(), _step_view(ended)
        ),
        imported=any(s.imported for s in state.steps()),
    )


def withhold_matters(
    report: GuidelineRegisterReport, may_read: Callable[[str], bool]
) -> GuidelineRegisterReport:
    """The register as a reader sees it: the matter and event number of each step in a
    matter they may not read are withheld (``withheld`` names them); the register's own
    facts (ids, types, bodies, dates, leaves) are routing fields every person reads."""

    def hidden(step: StepView) -> StepView:
        if step.matter is None or may_read(step.matter):
            return step
        return replace(step, matter=None, seq=None)

    shown: list[GuidelineView] = []
    for found in report.guidelines:
        made = hidden(found.made)
        amendments = tuple(hidden(s) for s in found.amendments)
        termination = found.termination
        if termination is not None:
            termination = replace(termination, step=hidden(termination.step))
        steps = [made, *amendments, termination.step if termination else None]
        withheld = (
            ("matter", "seq") if any(s is not None and s.matter is None for s in steps) else ()
        )
        shown.append(
            replace(
                found,
                made=made,
                amendments=amendments,
                termination=termination,
                withheld=withheld,
            )
        )
    return replace(report, guidelines=shown)
