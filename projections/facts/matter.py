"""One matter's events as the read models fold them: the per-matter accumulator.

``MatterFacts`` is the matter's stream as of a log position, with the few
indexes the read models need (which events correct which).  Every read
model row of a matter is a pure function of its ``MatterFacts`` and the
``RegistryView``, so a matter can always be rebuilt by replaying its
stream, and rows come out the same whichever way the events arrived.

Redaction: a ``PayloadRedacted`` erases the target's payload here too, so
that the live read models end where a rebuild (which never sees the
payload) starts.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from typing import TypeVar

from ledger.domain import events as ev
from ledger.domain.groupings import (
    DISPUTE_STEP_TYPES,
    ENDING_TYPES,
    INVOLVING_TYPES,
    dispute_moved,
    names,
)
from projections.facts.logged import Logged, LoggedEvent

Fact = Logged
"""One event of the matter (the decoded log event itself), of any type."""

P = TypeVar("P", bound=ev.Payload)

_INDEXED = names(ev.CorrectionIssued, ev.PayloadRedacted)
"""The events that change what the matter's other events read as."""


@dataclass
class Touched:
    """What applying events changed: which events' rows must be written again."""

    seqs: set[int] = field(default_factory=set)
    erasures: bool = False
    """A ``PayloadRedacted`` was folded in: the rows written now owe their old copies on
    disk a scrub (``Projector``)."""
    _facts: list[Fact] | None = field(default=None, init=False, repr=False, compare=False)

    def facts(self, matter: MatterFacts) -> list[Fact]:
        """The touched events of ``matter``, in sequence order: worked out once, when the
        batch is folded in and every read model asks."""
        if self._facts is None:
            self._facts = [f for s in sorted(self.seqs) if (f := matter.fact(s)) is not None]
        return self._facts


class _Opened:
    """A routing field of the matter's ``MatterOpened``, read as the attribute of the same
    name (``matter.category``): the fields the rules ask of every matter.

    Read once, then kept on the matter (as ``functools.cached_property`` keeps a value):
    no erasure reaches a routing field, only free text is erasable.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, matter: MatterFacts, owner: type | None = None) -> str:
        value = str(getattr(matter.opened, self.name))
        matter.__dict__[self.name] = value
        return value


class MatterFacts:
    """The events of one matter, in sequence order."""

    def __init__(self, matter: str) -> None:
        self.matter = matter
        self.events: list[Fact] = []
        self.corrections: dict[int, list[int]] = {}
        self._by_type: dict[str, list[Fact]] = {}

    # --- folding ----------------------------------------------------------

    def apply(self, event: Logged, touched: Touched) -> None:
        """Fold in the matter's next event; an event already folded in is ignored."""
        if event.seq <= len(self.events):
            return  # redelivered: already applied
        fact = event
        self.events.append(fact)
        self._by_type.setdefault(fact.type, []).append(fact)
        touched.seqs.add(fact.seq)
        if fact.type not in _INDEXED:
            return
        if (correction := fact.as_(ev.CorrectionIssued)) is not None:
            self.corrections.setdefault(correction.event, []).append(fact.seq)
            touched.seqs.add(correction.event)
        elif (redaction := fact.as_(ev.PayloadRedacted)) is not None:
            touched.erasures = True
            self._redact(redaction, fact.leaf, touched)

    def _redact(self, redaction: ev.PayloadRedacted, by_leaf: int, touched: Touched) -> None:
        """Erase the named (free text) fields of the event redacted; what rules read stays."""
        erased = self.fact(redaction.event)
        if erased is None:
            return
        erased.erase(redaction.fields, by_leaf)
        touched.seqs.add(redaction.event)

    # --- what the matter is -------------------------------------------------

    def fact(self, seq: int) -> Fact | None:
        return self.events[seq - 1] if 1 <= seq <= len(self.events) else None

    @property
    def opened(self) -> ev.MatterOpened:
        """The MatterOpened payload: never erased whole, but its free text may be (the
        title, the description), and then those fields read None.  Decoded once, on the
        fact itself (``LoggedEvent.data``), which an erasure clears."""
        opening: LoggedEvent[ev.MatterOpened] = self.events[0]
        return opening.data

    @property
    def title(self) -> str:
        """The matter's title; its id once the title is erased (an id is never erased)."""
        return self.opened.title or self.matter

    responsible_body = _Opened()
    category = _Opened()
    influence_level = _Opened()
    decision_maker = _Opened()

    def typed(self, *kinds: type[P]) -> list[LoggedEvent[P]]:
        """The events of the given types (erased ones too), in sequence order."""
        if len(kinds) == 1:
            return self._by_type.get(kinds[0].__name__, [])
        return self.among({kind.__name__ for kind in kinds})

    def first(self, *kinds: type[P]) -> LoggedEvent[P] | None:
        """The first event of the given types, if any."""
        found = self.typed(*kinds)
        return found[0] if found else None

    def among(self, types: Set[str]) -> list[Fact]:
        """The events whose type is in ``types`` (a grouping of ``ledger.domain.groupings``),
        in sequence order."""
        if len(types) == 1:
            return self._by_type.get(next(iter(types)), [])
        found = [f for t in types for f in self._by_type.get(t, ())]
        found.sort(key=lambda f: f.seq)
        return found

    def first_among(self, types: Set[str]) -> Fact | None:
        """The first event whose type is in ``types``, if any."""
        found = self.among(types)
        return found[0] if found else None

    def status(self) -> str:
        """``open``, ``decided``, ``closed`` or ``withdrawn``."""
        ended = self.first_among(ENDING_TYPES)
        if ended is not None:
            return "closed" if ended.is_(ev.MatterClosed) else "withdrawn"
        return "decided" if self.typed(ev.DecisionMade) else "open"

    def involves_responsible_body(self, fact: Fact) -> bool:
        """Does ``fact`` inform or consult the responsible body (material, consultation,
        meeting or hearing)?"""
        if fact.type not in INVOLVING_TYPES:
            return False
        return self.responsible_body in fact.bodies

    def first_involvement(self) -> Fact | None:
        """The first event that informed or consulted the responsible body."""
        for fact in self.among(INVOLVING_TYPES):
            if self.involves_responsible_body(fact):
                return fact
        return None

    def dispute_steps(self) -> dict[int, list[Fact]]:
        """The steps that moved each dispute on (management's remedy, escalations, the
        resolution), in sequence order, by the seq of the event that started it."""
        steps: dict[int, list[Fact]] = {}
        for fact in self.among(DISPUTE_STEP_TYPES):
            dispute = dispute_moved(fact.data)
            if dispute is not None:
                steps.setdefault(dispute, []).append(fact)
        return steps

    def answers_to(self, disagreement: int) -> list[LoggedEvent[ev.DisagreementAnswered]]:
        return [
            f for f in self.typed(ev.DisagreementAnswered) if f.data.disagreement == disagreement
        ]

    def treated_inputs(self, decision: LoggedEvent[ev.DecisionMade]) -> dict[int, ev.DecisionInput]:
        """The inputs a decision names, by event sequence number."""
        return {item.event: item for item in decision.data.inputs}
