"""What the log must show after a write: the event is in it, or nothing at all changed.

``signed_and_logged`` signs one event as a person and checks everything a
reader of the log would see: the receipt's leaf index, the stream head, the
tree size and the stored record.  ``refused`` checks the opposite: the exact
error class and its stable code, and that the tree, the stream head, the
event store and the ledger's own tables are exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from demo.organisation import Organisation
from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.domain.state import StreamHead
from ledger.errors import LedgerError
from ledger.protocol.canonical import parse_canonical
from ledger.protocol.envelope import REGISTRY_STREAM, ZERO_HASH, Envelope, Submission
from ledger.protocol.keys import PersonKey
from ledger.storage.store import stream_uuid


@dataclass(frozen=True)
class LogSnapshot:
    """Everything a refused write must leave untouched."""

    tree_size: int
    head: StreamHead | None
    event_store_rows: int
    leaf_rows: int
    payload_rows: int

    @classmethod
    def of(cls, org: Organisation, stream: str) -> LogSnapshot:
        store = org.service.store
        originator = stream_uuid(org.origin, stream)
        count, _ = store.event_store_counts({originator: stream}).get(originator, (0, 0))
        with store.read() as session:
            leaves = session.execute(
                select(func.count()).where(store.leaves.c.origin == org.origin)
            ).scalar_one()
            payloads = session.execute(
                select(func.count()).where(store.payloads.c.origin == org.origin)
            ).scalar_one()
        return cls(
            tree_size=org.service.tree_size(org.origin),
            head=org.service.head(org.origin, stream),
            event_store_rows=count,
            leaf_rows=int(leaves),
            payload_rows=int(payloads),
        )


@contextmanager
def refused(
    org: Organisation, error: type[LedgerError], code: str, *, stream: str = "registry"
) -> Iterator[pytest.ExceptionInfo[LedgerError]]:
    """Expect exactly ``error`` with ``code``, and nothing stored in ``org``'s ledger."""
    before = LogSnapshot.of(org, stream)
    with pytest.raises(LedgerError) as caught:
        yield caught
    assert type(caught.value) is error, f"expected {error.__name__}, got {caught.value!r}"
    assert caught.value.code == code
    assert caught.value.message, "every refusal explains itself"
    assert LogSnapshot.of(org, stream) == before, "a refused event left a trace in the log"


def signed_and_logged(
    org: Organisation, person: str, stream: str, payload: ev.Payload
) -> dict[str, Any]:
    """``person`` signs ``payload`` as the next event of ``stream``; check it is in the log."""
    before = LogSnapshot.of(org, stream)
    receipt = org.client(person).append(stream, payload)
    expected_seq = 1 if before.head is None else before.head.seq + 1

    assert receipt["stream"] == stream
    assert receipt["seq"] == expected_seq
    assert receipt["leaf_index"] == before.tree_size
    assert org.service.tree_size(org.origin) == before.tree_size + 1
    head = org.service.head(org.origin, stream)
    assert head is not None
    assert (head.seq, head.hash) == (expected_seq, receipt["envelope_hash"])

    [record] = org.service.records(org.origin, stream, after_seq=expected_seq - 1)
    assert record.leaf_index == receipt["leaf_index"]
    assert record.entry is not None
    body = Envelope.from_entry(record.entry).body
    assert (body.type, body.actor, body.seq) == (type(payload).__name__, person, expected_seq)
    assert body.prev == (ZERO_HASH if before.head is None else before.head.hash)
    assert record.payload is not None
    assert parse_canonical(record.payload) == ev.payload_json(payload)
    return receipt


def next_submission(
    org: Organisation,
    person: str,
    stream: str,
    event_type: str,
    payload: dict[str, Any] | ev.Payload,
    *,
    time: datetime | None = None,
    imported: bool = False,
    **overrides: Any,
) -> Submission:
    """A submission signed by ``person`` as the next event of ``stream``, nothing sent.

    ``overrides`` replace any signed body field (``seq``, ``prev``, ``origin``,
    ``salt``) so that a test can build exactly the wrong submission it needs.
    """
    head = org.service.head(org.origin, stream)
    fields: dict[str, Any] = {
        "origin": org.origin,
        "stream": stream,
        "seq": 1 if head is None else head.seq + 1,
        "prev": ZERO_HASH if head is None else head.hash,
        "event_type": event_type,
        "payload": payload,
        "time": time or org.clock(),
        "imported": imported,
    }
    fields.update(overrides)
    key = fields.pop("key", org.keys[person])
    return sign_submission(key, **fields)


def first_registry_submission(
    key: PersonKey,
    origin: str,
    event_type: str,
    payload: dict[str, Any] | ev.Payload,
    *,
    time: datetime,
    imported: bool = False,
) -> Submission:
    """``key`` signs ``payload`` as the first event of ``origin``'s registry, nothing sent."""
    return sign_submission(
        key,
        origin=origin,
        stream=REGISTRY_STREAM,
        seq=1,
        prev=ZERO_HASH,
        event_type=event_type,
        payload=payload,
        time=time,
        imported=imported,
    )


def stored_entries(org: Organisation, stream: str) -> list[Envelope]:
    """The stream's envelopes as the log holds them, in sequence order."""
    return [
        Envelope.from_entry(record.entry)
        for record in org.service.records(org.origin, stream)
        if record.entry is not None
    ]
