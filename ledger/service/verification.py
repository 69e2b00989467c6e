"""Full verification of a stored ledger, from scratch.

Re-reads the whole log in leaf order and re-checks every byte: the event
store row behind each leaf, the entry's canonical form, the signature with
the key valid at that position, the per-stream hash chain, the payload
commitment, every write-time rule, the Merkle tree (stored nodes and every
stored checkpoint, signed by the log key) and that the event store holds
no event outside the log.  The first failure raises a VerificationError
naming the leaf index, stream and sequence number of the event.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

from ledger.domain.state import Admitted, LedgerState
from ledger.errors import LedgerError, NotAllowedError, RuleViolationError, VerificationError
from ledger.protocol import merkle
from ledger.protocol.canonical import parse_json
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.envelope import Envelope, parse_time
from ledger.protocol.note import NoteVerifier
from ledger.storage.store import LogRecord, Store, stream_uuid

Progress = Callable[[int, int], None]


@dataclass
class VerificationReport:
    """What a successful verification checked."""

    origin: str
    tree_size: int
    root: bytes
    streams: int
    checkpoints: int
    redacted: int
    imported: int
    warnings: list[str] = field(default_factory=list)


def verify_ledger(
    store: Store,
    ledger: str,
    *,
    log_verifier: NoteVerifier | None = None,
    trusted_checkpoint: str | None = None,
    progress: Progress | None = None,
) -> VerificationReport:
    """Verify every stored event of ``ledger``; return a report or raise.

    ``log_verifier`` defaults to the key stored with the ledger; an auditor
    passes the key they obtained independently.  ``trusted_checkpoint`` is
    a signed note held from earlier: the log must still contain that tree.
    Raises VerificationError naming the first bad event.
    """
    row = store.ledger(ledger)
    if row is None:
        raise VerificationError(f"no ledger {ledger!r} in this store")
    origin = row.origin
    verifier = log_verifier or NoteVerifier.from_verifier_key(row.log_verifier_key)
    checkpoints = store.checkpoints_list(origin)
    wanted_roots = {size for size, _, _ in checkpoints}
    trusted: Checkpoint | None = None
    if trusted_checkpoint is not None:
        trusted = _open_checkpoint(trusted_checkpoint, verifier, origin)
        wanted_roots.add(trusted.size)

    state = LedgerState(origin)
    frontier = merkle.Frontier.empty()
    roots: dict[int, bytes] = {}
    redacted = imported = 0
    warnings: list[str] = []
    last_notification = 0
    total = row.tree_size
    pending_nodes: list[tuple[int, int, bytes]] = []
    node_count = 0
    for record in store.log(origin):
        where = _where(record)
        if record.leaf_index != state.size:
            raise VerificationError(
                f"leaf {state.size} is missing from the log", leaf_index=state.size
            )
        envelope = _check_record(record, origin, last_notification, where)
        last_notification = record.notification_id
        payload, salt = _payload_of(record, where)
        if payload is None:
            redacted += 1
        try:
            admitted = state.admit(
                envelope, payload, salt, parse_time(record.recorded_at), record.payload
            )
        except (RuleViolationError, NotAllowedError) as exc:
            matter = state.matters.get(envelope.body.stream.removeprefix("matter/"))
            if matter is None or not matter.incomplete:
                raise _fail(f"{where}: {exc.message}", record, cause=exc) from exc
            warnings.append(f"{where}: not re-checkable after a redaction: {exc.message}")
            admitted = Admitted(envelope, None)
        except LedgerError as exc:
            raise _fail(f"{where}: {exc.message}", record, cause=exc) from exc
        except ValueError as exc:
            raise _fail(f"{where}: {exc}", record) from exc
        if envelope.body.imported:
            imported += 1
        state.apply(admitted)
        pending_nodes.extend(frontier.append(envelope.leaf_hash))
        if len(pending_nodes) >= NODE_BATCH:
            node_count += _check_nodes(store, origin, pending_nodes)
        if frontier.size in wanted_roots:
            roots[frontier.size] = frontier.root()
        if progress is not None:
            progress(state.size, total)

    if state.size != total:
        raise VerificationError(
            f"the ledger says {total} events but the log holds {state.size}",
            tree_size=total,
            found=state.size,
        )
    if total == 0:
        raise VerificationError("the ledger has no events")
    root = frontier.root()
    node_count += _check_nodes(store, origin, pending_nodes)
    if store.node_count(origin) != node_count:
        raise VerificationError("the stored Merkle tree has nodes beyond the log's entries")
    _check_event_store(store, origin, state)
    for size, note, _ in checkpoints:
        checkpoint = _open_checkpoint(note, verifier, origin)
        if checkpoint.size != size or size > total:
            raise VerificationError(
                f"checkpoint at size {size} is for size {checkpoint.size} of a log of {total}",
                checkpoint_size=size,
            )
        if not hmac.compare_digest(checkpoint.root, roots[size]):
            raise VerificationError(
                f"signed checkpoint at size {size} does not match the log: history was rewritten",
                checkpoint_size=size,
            )
    if trusted is not None:
        if trusted.size > total:
            raise VerificationError(
                f"the log has {total} events but a trusted checkpoint shows {trusted.size}: "
                "events were removed",
                checkpoint_size=trusted.size,
            )
        if not hmac.compare_digest(trusted.root, roots[trusted.size]):
            raise VerificationError(
                f"the log is not consistent with the trusted checkpoint at size {trusted.size}",
                checkpoint_size=trusted.size,
            )
    return VerificationReport(
        origin=origin,
        tree_size=total,
        root=root,
        streams=len(state.heads),
        checkpoints=len(checkpoints),
        redacted=redacted,
        imported=imported,
        warnings=warnings,
    )


NODE_BATCH = 4096


def _check_nodes(store: Store, origin: str, computed: list[tuple[int, int, bytes]]) -> int:
    """Compare recomputed tree nodes with the stored ones (proofs are served from them)."""
    stored = store.nodes_for(origin, [(level, index) for level, index, _ in computed])
    for level, index, digest in computed:
        found = stored.get((level, index))
        if found is None or not hmac.compare_digest(found, digest):
            raise VerificationError(
                f"stored Merkle node (level {level}, index {index}) does not match the log's entries",
                node=[level, index],
            )
    count = len(computed)
    computed.clear()
    return count


def _where(record: LogRecord) -> str:
    return f"leaf {record.leaf_index} ({record.stream} #{record.seq})"


def _fail(message: str, record: LogRecord, cause: LedgerError | None = None) -> VerificationError:
    details: dict[str, object] = {
        "leaf_index": record.leaf_index,
        "stream": record.stream,
        "seq": record.seq,
    }
    if cause is not None:
        details["rule"] = cause.code
    return VerificationError(message, **details)


def _check_record(record: LogRecord, origin: str, last_notification: int, where: str) -> Envelope:
    if record.entry is None:
        raise _fail(f"{where}: the event store has no event behind this leaf", record)
    if record.notification_id <= last_notification:
        raise _fail(f"{where}: leaves are out of commit order", record)
    try:
        envelope = Envelope.from_entry(record.entry)
    except LedgerError as exc:
        raise _fail(f"{where}: stored entry is damaged: {exc.message}", record, exc) from exc
    body = envelope.body
    if (body.stream, body.seq) != (record.stream, record.seq):
        raise _fail(f"{where}: entry is {body.stream} #{body.seq}, not what the leaf says", record)
    if (
        record.originator_id != stream_uuid(origin, body.stream)
        or record.originator_version != body.seq
    ):
        raise _fail(f"{where}: event store row was moved to another stream or position", record)
    if record.topic != body.type:
        raise _fail(f"{where}: event store topic {record.topic} is not {body.type}", record)
    return envelope


def _payload_of(record: LogRecord, where: str) -> tuple[dict[str, object] | None, bytes | None]:
    if record.payload is None or record.salt is None:
        if record.redacted_by is None:
            raise _fail(f"{where}: payload is missing but no PayloadRedacted erased it", record)
        return None, None
    try:
        # The commitment is checked over these very bytes, so a plain parse is
        # enough here: changed bytes cannot open the signed commitment.
        payload = parse_json(record.payload)
    except LedgerError as exc:
        raise _fail(f"{where}: stored payload is damaged: {exc.message}", record, exc) from exc
    if not isinstance(payload, dict):
        raise _fail(f"{where}: stored payload is not an object", record)
    return payload, record.salt


def _open_checkpoint(note: str, verifier: NoteVerifier, origin: str) -> Checkpoint:
    try:
        checkpoint = verify_checkpoint(note, verifier)
    except LedgerError as exc:
        raise VerificationError(f"checkpoint does not verify: {exc.message}") from exc
    if checkpoint.origin != origin:
        raise VerificationError(f"checkpoint is for {checkpoint.origin}, not {origin}")
    return checkpoint


def _check_event_store(store: Store, origin: str, state: LedgerState) -> None:
    """The event store must hold exactly the log's events for this ledger's streams."""
    ids = {stream_uuid(origin, stream): stream for stream in state.heads}
    counts = store.event_store_counts(ids)
    for originator_id, stream in ids.items():
        head = state.heads[stream]
        count, highest = counts.get(originator_id, (0, 0))
        if count != head.seq or highest != head.seq:
            raise VerificationError(
                f"the event store holds {count} events for {stream} (up to #{highest}) "
                f"but the log has {head.seq}",
                stream=stream,
                seq=head.seq + 1 if highest > head.seq else head.seq,
            )
