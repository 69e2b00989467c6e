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

from dataclasses import dataclass, field

from ledger.domain.groupings import ENDING_TYPES, INVOLVING_TYPES
from projections.facts.logged import LoggedEvent, Payload

Fact = LoggedEvent
"""One event of the matter (the decoded log event itself)."""


@dataclass
class Touched:
    """What applying events changed: which events' rows must be written again."""

    seqs: set[int] = field(default_factory=set)
    everything: bool = False


class _Opened:
    """A text field of a matter's ``MatterOpened`` payload, read as the attribute of
    the same name (``matter.category``): the fields the rules ask of every matter."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, matter: MatterFacts, owner: type | None = None) -> str:
        return str(matter.opened[self.name])


class MatterFacts:
    """The events of one matter, in sequence order."""

    def __init__(self, matter: str) -> None:
        self.matter = matter
        self.events: list[Fact] = []
        self.corrections: dict[int, list[int]] = {}
        self._by_type: dict[str, list[Fact]] = {}

    # --- folding ----------------------------------------------------------

    def apply(self, event: LoggedEvent, touched: Touched) -> None:
        """Fold in the matter's next event; an event already folded in is ignored."""
        if event.seq <= len(self.events):
            return  # redelivered: already applied
        fact = event
        self.events.append(fact)
        self._by_type.setdefault(fact.type, []).append(fact)
        touched.seqs.add(fact.seq)
        if fact.type == "CorrectionIssued":
            target = int(fact.payload["event"])
            self.corrections.setdefault(target, []).append(fact.seq)
            touched.seqs.add(target)
        elif fact.type == "PayloadRedacted":
            self._redact(int(fact.payload["event"]), fact.payload["fields"], fact.leaf, touched)

    def _redact(self, target: int, fields: list[str], by_leaf: int, touched: Touched) -> None:
        """Erase the named (free text) fields of event ``target``; what rules read stays."""
        if not 1 <= target <= len(self.events):
            return
        erased = self.events[target - 1]
        erased.payload = {k: v for k, v in erased.payload.items() if k not in fields}
        erased.redacted_leaf = by_leaf
        touched.seqs.add(target)

    # --- what the matter is -------------------------------------------------

    def fact(self, seq: int) -> Fact | None:
        return self.events[seq - 1] if 1 <= seq <= len(self.events) else None

    @property
    def opened(self) -> Payload:
        """The MatterOpened payload: never erased whole, but its free text may be (the
        title, the description), and then those keys are missing."""
        return self.events[0].payload

    @property
    def title(self) -> str:
        """The matter's title; its id once the title is erased (an id is never erased)."""
        return str(self.opened.get("title", self.matter))

    responsible_body = _Opened()
    category = _Opened()
    influence_level = _Opened()
    decision_maker = _Opened()

    def typed(self, *types: str) -> list[Fact]:
        """The events of the given types (erased ones too), in sequence order."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        found = [f for t in types for f in self._by_type.get(t, ())]
        found.sort(key=lambda f: f.seq)
        return found

    def first(self, *types: str) -> Fact | None:
        """The first event of the given types, if any."""
        found = self.typed(*types)
        return found[0] if found else None

    def of_type(self, *types: str) -> list[Fact]:
        """The events of the given types (an alias of ``typed``, kept for the rules' wording)."""
        return self.typed(*types)

    def status(self) -> str:
        """``open``, ``decided``, ``closed`` or ``withdrawn``."""
        ended = self.first(*ENDING_TYPES)
        if ended is not None:
            return "closed" if ended.type == "MatterClosed" else "withdrawn"
        return "decided" if self.typed("DecisionMade") else "open"

    def involves_responsible_body(self, fact: Fact) -> bool:
        """Does ``fact`` inform or consult the responsible body (material, consultation,
        meeting or hearing)?"""
        if fact.type not in INVOLVING_TYPES:
            return False
        return self.responsible_body in fact.bodies

    def first_involvement(self) -> Fact | None:
        """The first event that informed or consulted the responsible body."""
        for fact in self.typed(*INVOLVING_TYPES):
            if self.involves_responsible_body(fact):
                return fact
        return None

    def answers_to(self, disagreement: int) -> list[Fact]:
        return [
            f
            for f in self.of_type("DisagreementAnswered")
            if int(f.get("disagreement", 0)) == disagreement
        ]

    def treated_inputs(self, decision: Fact) -> dict[int, Payload]:
        """The inputs a decision names, by event sequence number."""
        return {int(item["event"]): item for item in decision.get("inputs", [])}
