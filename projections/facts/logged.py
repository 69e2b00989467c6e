"""One log entry as the read models see it: decoded once, trusted, typed.

The log was verified when it was written (and ``medledger verify`` checks
it again from scratch), so the read models parse entries and payloads with
the plain JSON parser and check no signature or commitment again: rebuilds
must be fast.  A payload becomes its event model (``ledger.domain.events``) only when a
rule or read model asks for it (``LoggedEvent.data``, ``LoggedEvent.as_``),
once per event, so the read side names events and fields as the write side
declares them and the type checker holds it to that.  Decoding runs the
model's validator: in pydantic-core that costs no more than building the
model unchecked would (about 2 µs a payload), and it builds the nested
models (a decision's inputs, material's documents) that an unchecked build
leaves as dicts.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from ledger.domain.events import EVENT_TYPES, parse_payload
from ledger.domain.events import Payload as EventPayload
from ledger.errors import StorageError
from ledger.protocol.envelope import MATTER_PREFIX
from ledger.storage.store import LogRecord

if TYPE_CHECKING:
    from projections.facts.registry import Tenure

JSONPayload = dict[str, Any]

P = TypeVar("P", bound=EventPayload)
Q = TypeVar("Q", bound=EventPayload)


@dataclass(slots=True)
class LoggedEvent(Generic[P]):
    """A stored event: where it is in the log, who signed what and when.

    The same object is a matter's fact once folded in (``MatterFacts``):
    its payload is erased there when a ``PayloadRedacted`` names it, and
    ``acting`` caches for whom its actor acted (``projections.facts.actors``).
    """

    leaf: int
    stream: str
    seq: int
    type: str
    actor: str
    time: str
    moment: datetime
    recorded_at: str
    imported: bool
    payload: JSONPayload
    """The disclosed fields: a field ``PayloadRedacted`` erased is missing (only free text
    ever is; the fields rules read stay, docs/PROTOCOL.md section 4)."""
    redacted_leaf: int | None
    acting: tuple[str | None, Tenure | None] | None = None
    decoded: P | None = field(default=None, repr=False, compare=False)
    """The payload as its event model, once ``data`` was asked for (cleared by an erasure)."""

    @property
    def matter(self) -> str | None:
        """The matter id of a matter event, None for the registry."""
        if self.stream.startswith(MATTER_PREFIX):
            return self.stream[len(MATTER_PREFIX) :]
        return None

    @property
    def day(self) -> date:
        """The UTC calendar day of the claimed time."""
        return self.moment.date()

    @property
    def erased(self) -> bool:
        """Did a ``PayloadRedacted`` erase fields of this event?"""
        return self.redacted_leaf is not None

    @property
    def data(self) -> P:
        """The payload as its event model, decoded on first use; an erased field reads None.

        The log's payloads were validated when they were written, so this cannot fail for
        an event the ledger admitted.
        """
        decoded = self.decoded
        if decoded is None:
            erased: frozenset[str] = frozenset()
            if self.erased:
                erased = frozenset(self.kind.erasable_fields() - self.payload.keys())
            decoded = cast(P, parse_payload(self.type, self.stream, self.payload, erased))
            self.decoded = decoded
        return decoded

    @property
    def kind(self) -> builtins.type[EventPayload]:
        """The event's payload model."""
        return EVENT_TYPES[self.type]

    def is_(self, *kinds: builtins.type[EventPayload]) -> bool:
        """Is this an event of one of the given types?"""
        if len(kinds) == 1:  # most asks, and twice an event in a rebuild: no generator
            return self.type == kinds[0].__name__
        return any(self.type == kind.__name__ for kind in kinds)

    def as_(self, kind: builtins.type[Q]) -> Q | None:
        """The payload as ``kind``'s model if this is such an event, else None."""
        return cast(Q, self.data) if self.type == kind.__name__ else None

    def erase(self, fields: list[str], by_leaf: int) -> None:
        """Erase the named (free text) fields, as ``PayloadRedacted`` at ``by_leaf`` did."""
        self.payload = {k: v for k, v in self.payload.items() if k not in fields}
        self.redacted_leaf = by_leaf
        self.decoded = None
        self.acting = None

    def get(self, name: str, default: Any = None) -> Any:
        """A payload field as JSON, or ``default`` when absent or erased: for reading
        events whose type is not known here (a display of every field, a grouping)."""
        return self.payload.get(name, default)

    @property
    def bodies(self) -> list[str]:
        """The bodies this event names (``body``, ``bodies``, ``from_body``, ``to_body``)."""
        found: list[str] = []
        for name in ("body", "from_body", "to_body"):
            value = self.payload.get(name)
            if isinstance(value, str):
                found.append(value)
        found.extend(self.payload.get("bodies", []))
        return found


Logged = LoggedEvent[Any]
"""A logged event of any type."""


def parse_moment(text: str) -> datetime:
    """A protocol time (RFC 3339 UTC with Z) as an aware datetime."""
    return datetime.fromisoformat(text)


def decode(record: LogRecord) -> Logged:
    """Decode a stored record; raise StorageError when its entry is missing.

    A missing entry means the database was changed outside the ledger;
    ``medledger verify`` names the event.
    """
    if record.entry is None:
        raise StorageError(
            f"leaf {record.leaf_index} has no entry in the event store",
            leaf_index=record.leaf_index,
        )
    body = json.loads(record.entry.decode())["body"]
    if record.payload is None:
        raise StorageError(
            f"leaf {record.leaf_index} has no payload row", leaf_index=record.leaf_index
        )
    payload = json.loads(record.payload.decode())
    return LoggedEvent(
        leaf=record.leaf_index,
        stream=record.stream,
        seq=record.seq,
        type=body["type"],
        actor=body["actor"],
        time=body["time"],
        moment=parse_moment(body["time"]),
        recorded_at=record.recorded_at,
        imported=bool(body.get("imported", False)),
        payload=payload,
        redacted_leaf=record.redacted_by,
    )
