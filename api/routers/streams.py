"""Streams: their heads (what a signer chains to next) and their events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.access import LedgerAccess, StreamAccess
from api.deps import ServiceDep, StreamId
from api.paging import Limit, SeqPage
from api.responses import READ_ERRORS
from api.schemas import EventOut, EventPageOut, HeadOut, StreamListOut, StreamOut
from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import parse_canonical
from ledger.protocol.envelope import (
    MATTER_PREFIX,
    REGISTRY_STREAM,
    ZERO_HASH,
    Envelope,
    format_time,
)
from ledger.service.application import LogRecord

router = APIRouter(prefix="/v1/ledgers/{ledger}/streams", tags=["streams"])


@router.get("", response_model=StreamListOut, responses=READ_ERRORS)
def list_streams(access: LedgerAccess) -> StreamListOut:
    """The streams the reader may read, each with its head."""
    heads = dict(access.state.heads)
    shown = [
        StreamOut(stream=stream, seq=head.seq, hash=head.hash, time=format_time(head.time))
        for stream, head in sorted(heads.items())
        if stream == REGISTRY_STREAM or access.may_read(stream.removeprefix(MATTER_PREFIX))
    ]
    return StreamListOut(streams=shown)


@router.get("/{stream:path}/head", response_model=HeadOut, responses=READ_ERRORS)
def stream_head(stream: StreamId, access: LedgerAccess) -> HeadOut:
    """The last sequence number and envelope hash of a stream: what the next signer needs.

    Any person of the ledger may read any head (it holds no content), since
    one may have to write to a stream one cannot read (a proposal to a
    matter of another body).  An empty stream has seq 0 and 64 zeros.
    """
    head = access.state.head(stream)
    if head is None:
        return HeadOut(stream=stream, seq=0, hash=ZERO_HASH, time=None, next_seq=1, prev=ZERO_HASH)
    return HeadOut(
        stream=stream,
        seq=head.seq,
        hash=head.hash,
        time=format_time(head.time),
        next_seq=head.seq + 1,
        prev=head.hash,
    )


@router.get("/{stream:path}/events", response_model=EventPageOut, responses=READ_ERRORS)
def stream_events(
    stream: StreamId,
    access: StreamAccess,
    service: ServiceDep,
    after_seq: Annotated[
        int, Query(ge=0, le=2**53 - 1, description="Events after this sequence.")
    ] = 0,
    limit: Limit = 100,
) -> EventPageOut:
    """The signed events of a stream in sequence order, with payloads unless redacted."""
    records = service.records(access.origin, stream, after_seq=after_seq, limit=limit + 1)
    page = SeqPage.of(records, limit)
    return EventPageOut(
        stream=stream,
        events=[_event(record) for record in page.items],
        next_after_seq=page.next_after_seq,
    )


def _event(record: LogRecord) -> EventOut:
    assert record.entry is not None
    envelope = Envelope.from_entry(record.entry)
    payload = None if record.payload is None else parse_canonical(record.payload)
    return EventOut(
        leaf_index=record.leaf_index,
        recorded_at=record.recorded_at,
        envelope_hash=envelope.hash_hex,
        body=envelope.body.to_json(),
        signature=b64encode(envelope.signature),
        payload=payload,
        salts=None if record.salts is None else parse_canonical(record.salts),
        redacted_by=record.redacted_by,
    )
