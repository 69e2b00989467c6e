"""The guideline register (retningslinjer) as the read models fold it: every step, by leaf.

A guideline is made by an ``AgreementReached`` with ``guideline`` set,
changed by a ``GuidelineAmended`` and, if optional, ended by a
``GuidelineTerminated`` with notice (docs/PROTOCOL.md section 9; the
write-time rules are ``ledger.domain.guidelines``).  The three events live
in matter streams, but the register belongs to the organisation, so the
read models keep its history whole (``GuidelineHistory``: it is small)
and ask it "as of" a leaf and "on" a day:

- *as of a leaf*: only the steps logged before it, so that a row built
  for an event never depends on what was logged after it;
- *on a day*: whether the guideline had taken effect by then, and whether
  a termination had (``status``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

from ledger.domain import events as ev
from ledger.domain.groupings import GUIDELINE_TYPES
from projections.facts.logged import Logged

Act = Literal["made", "amended", "terminated"]
Status = Literal["pending", "in_force", "terminating", "terminated"]
"""A guideline on a day: not yet in effect, in force, in force under notice, ended."""


@dataclass(frozen=True)
class StepRecord:
    """What one step of a guideline's history records: who signed it when, in which
    body, and what it set; the register's views show these beside where the step is."""

    claimed_time: str
    actor: str
    body: str
    guideline_type: str | None
    effective_from: str | None
    imported: bool

    def recorded(self) -> dict[str, Any]:
        """The record's own fields, to build another ``StepRecord`` from this one."""
        return {name: getattr(self, name) for name in _RECORD_FIELDS}


@dataclass(frozen=True)
class GuidelineStep(StepRecord):
    """One event in a guideline's history, and where it stands in the log."""

    guideline: str
    act: Act
    matter: str
    seq: int
    leaf: int

    @property
    def day(self) -> date:
        """The (UTC) day the event claims: for a termination, the day notice was given."""
        return date.fromisoformat(self.claimed_time[:10])

    @property
    def takes_effect(self) -> date:
        """The day the step takes effect: ``effective_from``, else the day it was signed."""
        return date.fromisoformat(self.effective_from) if self.effective_from else self.day


_RECORD_FIELDS = tuple(f.name for f in fields(StepRecord))


def step_of(event: Logged) -> GuidelineStep | None:
    """The register step ``event`` is, or None (an agreement that makes no guideline, any
    other event)."""
    if event.type not in GUIDELINE_TYPES:  # first: most events are of another type
        return None
    matter = event.matter
    if matter is None:
        return None
    act: Act
    match event.data:
        case ev.AgreementReached(guideline=True, guideline_id=str() as guideline) as made:
            act, kind, effective_from = "made", made.guideline_type, made.effective_from
        case ev.GuidelineAmended() as amended:
            act, guideline = "amended", amended.guideline
            kind, effective_from = amended.guideline_type, amended.effective_from
        case ev.GuidelineTerminated() as ended:
            act, guideline, kind, effective_from = (
                "terminated",
                ended.guideline,
                None,
                ended.effective_from,
            )
        case _:
            return None
    return GuidelineStep(
        guideline=guideline,
        act=act,
        matter=matter,
        seq=event.seq,
        leaf=event.leaf,
        claimed_time=event.time,
        actor=event.actor,
        body=event.data.body,
        guideline_type=kind,
        effective_from=effective_from,
        imported=event.imported,
    )


@dataclass
class GuidelineState:
    """One guideline as of a leaf: its type now, the agreement that made it, its
    amendments and its termination."""

    guideline: str
    made: GuidelineStep
    type: str
    amendments: list[GuidelineStep] = field(default_factory=list)
    terminated: GuidelineStep | None = None

    @property
    def body(self) -> str:
        """The body whose two sides agreed the guideline."""
        return self.made.body

    def status(self, day: date) -> Status:
        """The guideline on ``day``: pending, in force, in force under notice, or ended."""
        if self.made.takes_effect > day:
            return "pending"
        if self.terminated is None:
            return "in_force"
        return "terminated" if self.terminated.takes_effect <= day else "terminating"

    def in_force(self, day: date) -> bool:
        return self.status(day) in ("in_force", "terminating")

    def steps(self) -> list[GuidelineStep]:
        """Every step, in log order."""
        ended = [self.terminated] if self.terminated is not None else []
        return [self.made, *self.amendments, *ended]


class GuidelineHistory:
    """Every register step of one ledger, in log order."""

    def __init__(self) -> None:
        self.steps: list[GuidelineStep] = []

    def add(self, step: GuidelineStep) -> None:
        """Add the next step; one already added (an event folded twice) is ignored."""
        if self.steps and step.leaf <= self.steps[-1].leaf:
            return
        self.steps.append(step)

    def as_of(self, leaf: int | None = None) -> dict[str, GuidelineState]:
        """Every guideline made before leaf ``leaf`` (all when None), folded, by id."""
        return fold_steps(s for s in self.steps if leaf is None or s.leaf < leaf)

    def state(self, guideline: str, leaf: int) -> GuidelineState | None:
        """One guideline as of leaf ``leaf``; None when it was not made before it."""
        return fold_steps(s for s in self.steps if s.guideline == guideline and s.leaf < leaf).get(
            guideline
        )


def fold_steps(steps: Iterable[GuidelineStep]) -> dict[str, GuidelineState]:
    """Fold register steps, in log order, into each guideline's state by id.

    A step of a guideline not (yet) made is skipped: the write-time rules
    refuse one, so it only occurs in a view limited to part of the log.
    """
    register: dict[str, GuidelineState] = {}
    for step in steps:
        if step.act == "made":
            register[step.guideline] = GuidelineState(
                step.guideline, step, step.guideline_type or "optional"
            )
            continue
        found = register.get(step.guideline)
        if found is None:
            continue
        if step.act == "amended":
            found.amendments.append(step)
            if step.guideline_type is not None:
                found.type = step.guideline_type
        else:
            found.terminated = step
    return register
