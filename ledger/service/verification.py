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
from ledger.errors import LedgerError, VerificationError
from ledger.protocol import merkle
from ledger.protocol.canonical import parse_json
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.envelope import Envelope, decode_salts, parse_time
from ledger.protocol.heads import HeadsTree, parse_heads_line
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
    origin, total = row.origin, row.tree_size
    verifier = log_verifier or NoteVerifier.from_verifier_key(row.log_verifier_key)
    checkpoints = store.checkpoints_list(origin)
    trusted: Checkpoint | None = None
    if trusted_checkpoint is not None:
        trusted = _open_checkpoint(trusted_checkpoint, verifier, origin)
    walk = _Walk(origin, {size for size, _, _ in checkpoints})
    if trusted is not None:
        walk.wanted_roots.add(trusted.size)
    for record in store.log(origin):
        _replay(store, walk, record)
        if progress is not None:
            progress(walk.state.size, total)
    root = _check_complete(store, walk, total)
    _check_event_store(store, origin, walk.state)
    _check_checkpoints(checkpoints, verifier, walk, total)
    if trusted is not None:
        _check_trusted(trusted, walk, total)
    return VerificationReport(
        origin=origin,
        tree_size=total,
        root=root,
        streams=len(walk.state.heads),
        checkpoints=len(checkpoints),
        redacted=walk.redacted,
        imported=walk.imported,
        warnings=walk.warnings,
    )


@dataclass
class _Walk:
    """What re-reading the log, leaf by leaf, has rebuilt so far."""

    origin: str
    wanted_roots: set[int]
    state: LedgerState = field(init=False)
    frontier: merkle.Frontier = field(default_factory=merkle.Frontier.empty)
    roots: dict[int, bytes] = field(default_factory=dict)
    heads: dict[int, HeadsTree] = field(default_factory=dict)
    redacted: int = 0
    imported: int = 0
    warnings: list[str] = field(default_factory=list)
    last_notification: int = 0
    pending_nodes: list[tuple[int, int, bytes]] = field(default_factory=list)
    node_count: int = 0

    def __post_init__(self) -> None:
        self.state = LedgerState(self.origin)


def _replay(store: Store, walk: _Walk, record: LogRecord) -> None:
    """Re-check one leaf and fold it into the state and the tree."""
    where = _where(record)
    if record.leaf_index != walk.state.size:
        raise VerificationError(
            f"leaf {walk.state.size} is missing from the log", leaf_index=walk.state.size
        )
    envelope = _check_record(record, walk.origin, walk.last_notification, where)
    walk.last_notification = record.notification_id
    payload, salts = _payload_of(record, where)
    if set(payload) != set(envelope.body.fields):
        if record.redacted_by is None:
            raise _fail(
                f"{where}: payload fields are missing but no PayloadRedacted erased them", record
            )
        walk.redacted += 1
    admitted = _admit(walk, record, envelope, payload, salts)
    if envelope.body.imported:
        walk.imported += 1
    walk.state.apply(admitted)
    walk.pending_nodes.extend(walk.frontier.append(envelope.leaf_hash))
    if len(walk.pending_nodes) >= NODE_BATCH:
        walk.node_count += _check_nodes(store, walk.origin, walk.pending_nodes)
    if walk.frontier.size in walk.wanted_roots:
        walk.roots[walk.frontier.size] = walk.frontier.root()
        walk.heads[walk.frontier.size] = HeadsTree(walk.state.tips())


def _admit(
    walk: _Walk,
    record: LogRecord,
    envelope: Envelope,
    payload: dict[str, object],
    salts: dict[str, bytes],
) -> Admitted:
    """Re-judge one event by every write-time rule, as of the time it was recorded.

    Erasure keeps every field a rule reads, so every rule is re-checked.
    """
    where = _where(record)
    state = walk.state
    try:
        return state.admit(envelope, payload, salts, parse_time(record.recorded_at))
    except LedgerError as exc:
        raise _fail(f"{where}: {exc.message}", record, cause=exc) from exc
    except ValueError as exc:
        raise _fail(f"{where}: {exc}", record) from exc


def _check_complete(store: Store, walk: _Walk, total: int) -> bytes:
    """The log holds exactly the ledger's size, and the stored tree nothing more; return its root."""
    if walk.state.size != total:
        raise VerificationError(
            f"the ledger says {total} events but the log holds {walk.state.size}",
            tree_size=total,
            found=walk.state.size,
        )
    if total == 0:
        raise VerificationError("the ledger has no events")
    root = walk.frontier.root()
    walk.node_count += _check_nodes(store, walk.origin, walk.pending_nodes)
    if store.node_count(walk.origin) != walk.node_count:
        raise VerificationError("the stored Merkle tree has nodes beyond the log's entries")
    return root


def _check_checkpoints(
    checkpoints: list[tuple[int, str, str]], verifier: NoteVerifier, walk: _Walk, total: int
) -> None:
    """Every stored checkpoint is signed by the log key and matches the rebuilt tree."""
    for size, note, _ in checkpoints:
        checkpoint = _open_checkpoint(note, verifier, walk.origin)
        if checkpoint.size != size or size > total:
            raise VerificationError(
                f"checkpoint at size {size} is for size {checkpoint.size} of a log of {total}",
                checkpoint_size=size,
            )
        if not hmac.compare_digest(checkpoint.root, walk.roots[size]):
            raise VerificationError(
                f"signed checkpoint at size {size} does not match the log: history was rewritten",
                checkpoint_size=size,
            )
        _check_heads(checkpoint, walk.heads[size])


def _check_heads(checkpoint: Checkpoint, heads: HeadsTree) -> None:
    """The checkpoint's stream-heads line is the one the log gives at its size."""
    try:
        count, root = parse_heads_line(checkpoint.extensions)
    except LedgerError as exc:
        raise VerificationError(
            f"checkpoint at size {checkpoint.size}: {exc.message}", checkpoint_size=checkpoint.size
        ) from exc
    if count != heads.count or not hmac.compare_digest(root, heads.root):
        raise VerificationError(
            f"checkpoint at size {checkpoint.size} commits to stream heads the log does not "
            "have: a stream was shortened or padded",
            checkpoint_size=checkpoint.size,
        )


def _check_trusted(trusted: Checkpoint, walk: _Walk, total: int) -> None:
    """The log still contains the tree of a checkpoint the auditor held from earlier."""
    if trusted.size > total:
        raise VerificationError(
            f"the log has {total} events but a trusted checkpoint shows {trusted.size}: "
            "events were removed",
            checkpoint_size=trusted.size,
        )
    if not hmac.compare_digest(trusted.root, walk.roots[trusted.size]):
        raise VerificationError(
            f"the log is not consistent with the trusted checkpoint at size {trusted.size}",
            checkpoint_size=trusted.size,
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


def _payload_of(record: LogRecord, where: str) -> tuple[dict[str, object], dict[str, bytes]]:
    """The stored payload fields and their salts (erased fields are missing from both)."""
    if record.payload is None or record.salts is None:
        raise _fail(f"{where}: the payload row is missing", record)
    try:
        # Each field is checked against its signed commitment, so a plain parse is
        # enough here: changed bytes cannot open a commitment.
        payload = parse_json(record.payload)
        salts = decode_salts(parse_json(record.salts))
    except LedgerError as exc:
        raise _fail(f"{where}: stored payload is damaged: {exc.message}", record, exc) from exc
    if not isinstance(payload, dict):
        raise _fail(f"{where}: stored payload is not an object", record)
    return payload, salts


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
