"""Build evidence bundles: events with proofs that anyone can verify offline (protocol v2).

A bundle (format ``medledger-bundle/v2``, docs/PROTOCOL.md section 13) holds
the chosen entries, each with the payload fields it discloses (value and
salt, checked against the signed field commitments), the registry events
that authorise the signers' keys, a checkpoint signed by the log key (with
any witness cosignatures), an RFC 6962 inclusion proof of every entry, and
for each stream it proves complete, that stream's head in the checkpoint's
stream heads.  ``verifier.bundle`` checks it with nothing but the bundle
and the ledger's trust root.

Disclosure: a bundle discloses every field of every entry, except in an
absence receipt (``routing_only``), where the matter's entries disclose only
their routing fields (``ledger.domain.events.Routed``): event
types, times, bodies addressed, sides, references; never free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.domain import events as ev
from ledger.errors import (
    NotFoundError,
    NotYetCheckpointedError,
    UnknownLeafError,
    UnknownStreamError,
)
from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import parse_canonical
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.envelope import REGISTRY_STREAM, Envelope, matter_stream
from ledger.protocol.heads import HeadsTree
from ledger.protocol.note import split_note
from ledger.service.application import LedgerService
from ledger.storage.store import LogRecord

BUNDLE_FORMAT = "medledger-bundle/v2"
AUTHORITY_TYPES = frozenset({"LedgerCreated", "PersonEnrolled", "KeyAdded", "KeyRevoked"})


def build_bundle(
    service: LedgerService,
    ledger: str,
    leaf_indexes: Iterable[int],
    *,
    kind: str = "events",
    subject: dict[str, str] | None = None,
    complete: Iterable[str] | None = (),
    routing_only: bool = False,
) -> dict[str, Any]:
    """A bundle of the given leaves (and every event of the ``complete`` streams; None:
    of every stream), proven to the newest stored checkpoint.

    A read: it never signs a checkpoint.  Raises UnknownLedgerError,
    UnknownLeafError for an index beyond the log, or NotYetCheckpointedError
    for a leaf or stream the newest checkpoint does not cover yet.
    """
    origin = service.origin_of(ledger)
    note = service.latest_checkpoint(origin)
    size = Checkpoint.parse(split_note(note)[0]).size
    heads = service.heads_at(origin, size)
    streams = [tip.stream for tip in heads.tips] if complete is None else sorted(set(complete))
    wanted = set(leaf_indexes)
    for stream in streams:
        wanted.update(r.leaf_index for r in _stream(service, origin, stream, size))
    records = [_record(service, origin, index, size) for index in sorted(wanted)]
    if REGISTRY_STREAM in streams:
        registry: list[LogRecord] = []
    else:
        registry = _authority(service, origin, {_signer(r) for r in records}, size)
    chosen = {r.leaf_index for r in records}

    def item(record: LogRecord) -> dict[str, Any]:
        hide = routing_only and record.stream != REGISTRY_STREAM
        return _item(service, origin, record, size, routing_only=hide)

    return {
        "format": BUNDLE_FORMAT,
        "origin": origin,
        "kind": kind,
        "subject": subject or {},
        "checkpoint": note,
        "tree_size": size,
        "heads": _heads(heads, streams),
        "registry": [item(r) for r in registry if r.leaf_index not in chosen],
        "entries": [item(r) for r in records],
    }


def matter_bundle(service: LedgerService, ledger: str, matter: str) -> dict[str, Any]:
    """Every event of one matter, and the whole registry, both proven complete."""
    origin = service.origin_of(ledger)
    if not service.records(origin, matter_stream(matter), limit=1):
        raise UnknownStreamError(f"no matter {matter} in {origin}", matter=matter)
    _require_checkpointed(service, origin, matter_stream(matter))
    return build_bundle(
        service,
        origin,
        [],
        kind="matter",
        subject={"matter": matter},
        complete=[matter_stream(matter), REGISTRY_STREAM],
    )


def receipt_bundle(
    service: LedgerService, ledger: str, person: str, matter: str, verdict: str, *, full: bool
) -> dict[str, Any]:
    """A person's consultation receipt: the matter and the registry, proven complete.

    ``full``: the person may read the matter; otherwise this is an absence
    receipt that discloses only the matter's routing fields.
    """
    origin = service.origin_of(ledger)
    _require_checkpointed(service, origin, matter_stream(matter))
    return build_bundle(
        service,
        origin,
        [],
        kind="receipt",
        subject={"person": person, "matter": matter, "verdict": verdict},
        complete=[matter_stream(matter), REGISTRY_STREAM],
        routing_only=not full,
    )


def ledger_bundle(service: LedgerService, ledger: str) -> dict[str, Any]:
    """Every event of the ledger (for an auditor's full offline copy), every stream complete."""
    return build_bundle(service, ledger, [], kind="ledger", complete=None)


def _require_checkpointed(service: LedgerService, origin: str, stream: str) -> None:
    """A matter's bundle shows it as it is now: its newest event must be checkpointed."""
    head = service.head(origin, stream)
    size = Checkpoint.parse(split_note(service.latest_checkpoint(origin))[0]).size
    if head is not None and head.leaf_index >= size:
        raise _not_yet(head.leaf_index, size, service.tree_size(origin))


def _stream(service: LedgerService, origin: str, stream: str, size: int) -> list[LogRecord]:
    return [r for r in service.records(origin, stream, limit=2**31) if r.leaf_index < size]


def _record(service: LedgerService, origin: str, index: int, size: int) -> LogRecord:
    """The stored event at ``index``, which the checkpoint of ``size`` leaves must cover."""
    if index < 0:
        raise UnknownLeafError(f"leaf {index} is not in the log", leaf_index=index)
    if index >= size:
        tree_size = service.tree_size(origin)
        if index >= tree_size:
            raise UnknownLeafError(
                f"leaf {index} is not in the log of {tree_size} events", leaf_index=index
            )
        raise _not_yet(index, size, tree_size)
    record = service.record(origin, index)
    if record is None or record.entry is None:
        raise UnknownLeafError(f"leaf {index} has no stored event", leaf_index=index)
    return record


def _not_yet(index: int, size: int, tree_size: int) -> NotYetCheckpointedError:
    return NotYetCheckpointedError(
        f"leaf {index} is beyond the newest checkpoint ({size} leaves); ask again shortly",
        leaf_index=index,
        checkpoint_size=size,
        tree_size=tree_size,
    )


def _heads(heads: HeadsTree, streams: list[str]) -> dict[str, Any]:
    for stream in streams:
        if heads.tip(stream) is None:
            raise NotYetCheckpointedError(
                f"{stream} began after the newest checkpoint; ask again shortly", stream=stream
            )
    return heads.proven(streams)


def _signer(record: LogRecord) -> tuple[str, str]:
    assert record.entry is not None
    body = Envelope.from_entry(record.entry).body
    return body.actor, body.key


def _authority(
    service: LedgerService, origin: str, signers: set[tuple[str, str]], size: int
) -> list[LogRecord]:
    """The registry events that enrol (and revoke) the signers' keys, transitively.

    Walks the registry stream once: keeps LedgerCreated, and the enrolments
    and revocations of every key that signed a chosen event or a kept
    registry event, so the verifier can trace each key to the genesis admin.
    """
    parsed: list[tuple[LogRecord, Envelope, dict[str, Any]]] = []
    for record in _stream(service, origin, REGISTRY_STREAM, size):
        assert record.entry is not None and record.payload is not None
        envelope = Envelope.from_entry(record.entry)
        if envelope.body.type in AUTHORITY_TYPES:
            parsed.append((record, envelope, parse_canonical(record.payload)))
    needed = set(signers)
    kept: dict[int, LogRecord] = {}
    changed = True
    while changed:
        changed = False
        for record, envelope, payload in parsed:
            if record.leaf_index in kept:
                continue
            if envelope.body.type == "LedgerCreated" or _key_of(envelope, payload) in needed:
                kept[record.leaf_index] = record
                signer = (envelope.body.actor, envelope.body.key)
                if signer not in needed:
                    needed.add(signer)
                    changed = True
    if not kept:
        raise NotFoundError("the registry of this ledger is empty")
    return [kept[i] for i in sorted(kept)]


def _key_of(envelope: Envelope, payload: dict[str, Any]) -> tuple[str, str] | None:
    if envelope.body.type == "LedgerCreated":
        admin = payload["admin"]
        return admin["person"], admin["key_id"]
    if "person" in payload and "key_id" in payload:
        return payload["person"], payload["key_id"]
    return None


def _item(
    service: LedgerService, origin: str, record: LogRecord, size: int, *, routing_only: bool
) -> dict[str, Any]:
    assert record.entry is not None and record.payload is not None and record.salts is not None
    envelope = Envelope.from_entry(record.entry)
    payload = parse_canonical(record.payload)
    salts = parse_canonical(record.salts)
    assert isinstance(payload, dict) and isinstance(salts, dict)
    shown = set(payload)
    if routing_only:
        model = ev.payload_model(envelope.body.type, envelope.body.stream)
        shown &= model.routing_fields()
    return {
        "leaf_index": record.leaf_index,
        "recorded_at": record.recorded_at,
        "entry": parse_canonical(record.entry),
        "disclosed": {
            name: {"salt": salts[name], "value": payload[name]} for name in sorted(shown)
        },
        "inclusion_proof": [
            b64encode(p) for p in service.inclusion_proof(origin, record.leaf_index, size)
        ],
    }
