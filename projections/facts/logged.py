"""One log entry as the read models see it: decoded once, trusted, typed.

The log was verified when it was written (and ``medledger verify`` checks
it again from scratch), so the read models parse entries and payloads with
the plain JSON parser and do not re-validate them: rebuilds must be fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger.errors import StorageError
from ledger.protocol.envelope import MATTER_PREFIX
from ledger.storage.store import LogRecord

if TYPE_CHECKING:
    from projections.facts.registry import Tenure

Payload = dict[str, Any]


@dataclass(slots=True)
class LoggedEvent:
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
    payload: Payload
    """The disclosed fields: a field ``PayloadRedacted`` erased is missing (only free text
    ever is; the fields rules read stay, docs/PROTOCOL.md section 4)."""
    redacted_leaf: int | None
    acting: tuple[str | None, Tenure | None] | None = None

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

    def get(self, name: str, default: Any = None) -> Any:
        """A payload field, or ``default`` when absent or erased."""
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


def parse_moment(text: str) -> datetime:
    """A protocol time (RFC 3339 UTC with Z) as an aware datetime."""
    return datetime.fromisoformat(text)


def decode(record: LogRecord) -> LoggedEvent:
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
