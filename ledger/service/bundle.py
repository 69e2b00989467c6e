"""Build evidence bundles: events with proofs that anyone can verify offline.

A bundle (format ``medledger-bundle/v1``, docs/PROTOCOL.md) holds the
chosen envelopes with their payloads (unless redacted), the registry events
that authorise the signers' keys, a checkpoint signed by the log key, and
an RFC 6962 inclusion proof of every entry to that checkpoint.  It is
checked by ``verifier.bundle`` with nothing but the bundle and the
log's verifier key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
from ledger.protocol.note import split_note
from ledger.service.application import LedgerService
from ledger.storage.store import LogRecord

BUNDLE_FORMAT = "medledger-bundle/v1"
AUTHORITY_TYPES = frozenset({"LedgerCreated", "PersonEnrolled", "KeyAdded", "KeyRevoked"})


def build_bundle(
    service: LedgerService,
    ledger: str,
    leaf_indexes: Iterable[int] | None,
    *,
    kind: str = "events",
    subject: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A bundle of the given leaves (None: every leaf), proven to the newest stored checkpoint.

    A read: it never signs a checkpoint.  Raises UnknownLedgerError,
    UnknownLeafError for an index beyond the log, or NotYetCheckpointedError
    for a leaf the newest checkpoint does not cover yet.
    """
    origin = service.origin_of(ledger)
    note = service.latest_checkpoint(origin)
    checkpoint = Checkpoint.parse(split_note(note)[0])
    size = checkpoint.size
    wanted = range(size) if leaf_indexes is None else sorted(set(leaf_indexes))
    records = [_record(service, origin, index, size) for index in wanted]
    signers = {_signer(r) for r in records}
    registry = _authority(service, origin, signers, size)
    chosen = {r.leaf_index for r in records}
    return {
        "format": BUNDLE_FORMAT,
        "origin": origin,
        "kind": kind,
        "subject": subject or {},
        "log_verifier_key": service.log_keys.signer(origin).verifier_key(),
        "checkpoint": note,
        "tree_size": size,
        "registry": [
            _item(service, origin, r, size) for r in registry if r.leaf_index not in chosen
        ],
        "entries": [_item(service, origin, r, size) for r in records],
    }


def matter_bundle(service: LedgerService, ledger: str, matter: str) -> dict[str, Any]:
    """Every event of one matter."""
    origin = service.origin_of(ledger)
    records = service.records(origin, matter_stream(matter), limit=2**31)
    if not records:
        raise UnknownStreamError(f"no matter {matter} in {origin}", matter=matter)
    return build_bundle(
        service, origin, [r.leaf_index for r in records], kind="matter", subject={"matter": matter}
    )


def ledger_bundle(service: LedgerService, ledger: str) -> dict[str, Any]:
    """Every event of the ledger up to its newest checkpoint (an auditor's full offline copy)."""
    return build_bundle(service, ledger, None, kind="ledger")


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
        raise NotYetCheckpointedError(
            f"leaf {index} is beyond the newest checkpoint ({size} leaves); ask again shortly",
            leaf_index=index,
            checkpoint_size=size,
            tree_size=tree_size,
        )
    record = service.record(origin, index)
    if record is None or record.entry is None:
        raise UnknownLeafError(f"leaf {index} has no stored event", leaf_index=index)
    return record


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
    registry = [
        r for r in service.records(origin, REGISTRY_STREAM, limit=2**31) if r.leaf_index < size
    ]
    parsed: list[tuple[LogRecord, Envelope, dict[str, Any]]] = []
    for record in registry:
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
            key = _key_of(envelope, payload)
            if envelope.body.type == "LedgerCreated" or key in needed:
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


def _item(service: LedgerService, origin: str, record: LogRecord, size: int) -> dict[str, Any]:
    assert record.entry is not None
    proof = service.inclusion_proof(origin, record.leaf_index, size)
    return {
        "leaf_index": record.leaf_index,
        "recorded_at": record.recorded_at,
        "entry": parse_canonical(record.entry),
        "payload": None if record.payload is None else parse_canonical(record.payload),
        "salt": None if record.salt is None else b64encode(record.salt),
        "redacted": record.payload is None,
        "inclusion_proof": [b64encode(p) for p in proof],
    }
