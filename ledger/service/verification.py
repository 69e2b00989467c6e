"""Full verification of a stored ledger, from scratch.

Re-reads the whole log in leaf order and re-checks every byte: the event
store row behind each leaf, the entry's canonical form, the signature with
the key valid at that position, the per-stream hash chain, the payload
commitment, every write-time rule, the Merkle tree (stored nodes and every
stored checkpoint, signed by the log key) and that the event store holds
no event outside the log.  The first failure raises a VerificationError
naming the leaf index, stream and sequence number of the event.

On a long ledger the work that depends on nothing but an event's own
bytes (parsing the entry and checking its canonical form, parsing the
payload and opening its field commitments, the Ed25519 signature, the
entry's hashes) runs in a pool of worker processes, chunks of entries at a
time; they send back the parsed entry and payload, so this process only
keeps the walk in leaf order: state, chains, keys, rules, tree and
completeness.  Whatever a worker could not confirm is parsed and checked
again here, in place, so the first failure and its message are exactly
those of the walk in one process.
"""

from __future__ import annotations

import hmac
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.domain.state import Admitted, LedgerState, Prechecked
from ledger.errors import LedgerError, MalformedKeyError, VerificationError
from ledger.protocol import merkle
from ledger.protocol.b64 import b64decode
from ledger.protocol.canonical import parse_json
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.envelope import (
    REGISTRY_STREAM,
    Envelope,
    decode_salts,
    open_fields,
    parse_time,
)
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
    processes: int = 1
    """How many workers checked signatures (1: all in this process)."""


PARALLEL_FROM = 4096
"""Ledgers shorter than this are verified in one process: starting workers costs more."""
CHUNK = 1024
"""Entries handed to a worker at a time."""


def verify_ledger(
    store: Store,
    ledger: str,
    *,
    log_verifier: NoteVerifier | None = None,
    trusted_checkpoint: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    chunk: int = CHUNK,
    executor: Executor | None = None,
) -> VerificationReport:
    """Verify every stored event of ``ledger``; return a report or raise.

    ``log_verifier`` defaults to the key stored with the ledger; an auditor
    passes the key they obtained independently.  ``trusted_checkpoint`` is
    a signed note held from earlier: the log must still contain that tree.
    ``workers`` processes (default: every core this process may use) check
    signatures and commitments when the ledger has at least
    ``parallel_from`` events, ``chunk`` entries at a time; ``executor``
    replaces the pool of processes (a thread pool, say, on a Python without
    the global interpreter lock), and is left running.
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
    processes = _process_count(workers, total, parallel_from)
    for record, checked in _records(store, origin, processes, chunk, executor):
        _replay(store, walk, record, checked)
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
        processes=processes,
    )


def _process_count(workers: int | None, total: int, parallel_from: int) -> int:
    """How many processes check signatures: one for a short ledger or a single core."""
    processes = available_cores() if workers is None else max(1, workers)
    if processes < 2 or total < parallel_from:
        return 1
    return processes


@dataclass(frozen=True, slots=True)
class _Checked:
    """What a worker made of one stored event from its bytes alone."""

    envelope: Envelope
    """The entry, parsed and found canonical (its hashes computed)."""
    payload: dict[str, object] | None
    """The stored payload, parsed, when every disclosed field opened its commitment."""
    signed_by: bytes | None
    """The raw public key the signature verified under, or None."""

    def prechecked(self) -> Prechecked:
        return Prechecked(self.signed_by, self.payload is not None)


def _records(
    store: Store, origin: str, processes: int, chunk: int, executor: Executor | None
) -> Iterable[tuple[LogRecord, _Checked | None]]:
    """The log in order, prechecked by worker processes when there are several."""
    if processes == 1:
        return ((record, None) for record in store.log(origin))
    if executor is not None:
        return _prechecked(store, origin, processes, chunk, executor)
    return _on_own_pool(store, origin, processes, chunk)


def _on_own_pool(
    store: Store, origin: str, processes: int, chunk: int
) -> Iterator[tuple[LogRecord, _Checked | None]]:
    """``_prechecked`` on a pool of ``processes`` worker processes, shut down after."""
    pool = ProcessPoolExecutor(processes, mp_context=_pool_context())
    try:
        yield from _prechecked(store, origin, processes, chunk, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not every platform has affinity
        return os.cpu_count() or 1


# --- the checks spread over worker processes --------------------------------

_Row = tuple[bytes | None, bytes | None, bytes | None]
_loaded_keys: dict[bytes, Ed25519PublicKey] = {}


def _precheck_chunk(keys: dict[str, bytes], rows: list[_Row]) -> list[_Checked | None]:
    """In a worker: for each (entry, payload, salts), what holds by its own bytes alone.

    None where the entry is not a canonical entry (the walk parses it again
    and fails with its own message).  ``keys`` maps key ids to raw public
    keys as the registry stream announces them; the walk still decides
    whether that key was the one to sign with.
    """
    results: list[_Checked | None] = []
    for entry, payload, salts in rows:
        try:
            envelope = Envelope.from_entry(entry) if entry is not None else None
        except LedgerError:
            envelope = None
        if envelope is None:
            results.append(None)
            continue
        # Computed here, they travel with the envelope: the walk needs both.
        _ = envelope.hash, envelope.leaf_hash
        fields = _opened_fields(envelope, payload, salts)
        results.append(_Checked(envelope, fields, _signed_by(envelope, keys)))
    return results


def _opened_fields(
    envelope: Envelope, payload: bytes | None, salts: bytes | None
) -> dict[str, object] | None:
    """The parsed payload when every disclosed field opens its commitment, else None."""
    if payload is None or salts is None:
        return None
    try:
        fields = parse_json(payload)
        opened = decode_salts(parse_json(salts))
        if not isinstance(fields, dict):
            return None
        open_fields(envelope.body.fields, fields, opened, complete=False)
    except LedgerError:
        return None
    return fields


def _signed_by(envelope: Envelope, keys: dict[str, bytes]) -> bytes | None:
    raw = keys.get(envelope.body.key)
    if raw is None:
        return None
    public_key = _loaded_keys.get(raw)
    try:
        if public_key is None:
            public_key = _loaded_keys[raw] = Ed25519PublicKey.from_public_bytes(raw)
        public_key.verify(envelope.signature, envelope.body.signing_message())
    except (InvalidSignature, ValueError):
        return None
    return raw


def _announced_keys(store: Store, origin: str) -> dict[str, bytes]:
    """Key id -> raw public key, as the registry stream's payloads name them.

    Only a hint for the workers: the walk compares the key a worker used
    with the one the registry state requires, and checks again itself if
    they differ, so a damaged registry row cannot make a signature pass.
    """
    keys: dict[str, bytes] = {}
    for record in store.stream_log(origin, REGISTRY_STREAM):
        try:
            payload = parse_json(record.payload) if record.payload is not None else None
        except LedgerError:
            continue
        if not isinstance(payload, dict):
            continue
        for holder in (payload, payload.get("admin")):
            if not isinstance(holder, dict):
                continue
            key_id, public_key = holder.get("key_id"), holder.get("public_key")
            if isinstance(key_id, str) and isinstance(public_key, str):
                try:
                    keys[key_id] = b64decode(
                        public_key, length=32, what="public key", error=MalformedKeyError
                    )
                except LedgerError:
                    continue
    return keys


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers start from a clean server process, not a fork of this (threaded) one."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has imported this module once, instead of
    # each importing it again.
    context.set_forkserver_preload([__name__])
    return context


def _prechecked(
    store: Store, origin: str, processes: int, chunk: int, pool: Executor
) -> Iterator[tuple[LogRecord, _Checked | None]]:
    """The log in leaf order, each record with what a worker checked of it.

    Keeps two chunks per worker in flight, so memory stays flat.
    """
    keys = _announced_keys(store, origin)
    records = store.log(origin)
    in_flight: deque[tuple[list[LogRecord], Future[list[_Checked | None]]]] = deque()
    try:
        while True:
            while len(in_flight) < 2 * processes:
                batch = list(islice(records, max(1, chunk)))
                if not batch:
                    break
                rows = [(record.entry, record.payload, record.salts) for record in batch]
                in_flight.append((batch, pool.submit(_precheck_chunk, keys, rows)))
            if not in_flight:
                return
            batch, future = in_flight.popleft()
            yield from zip(batch, future.result(), strict=True)
    finally:
        for _, pending in in_flight:
            pending.cancel()


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
        self.state = LedgerState(self.origin, lean=True)


def _replay(store: Store, walk: _Walk, record: LogRecord, checked: _Checked | None = None) -> None:
    """Re-check one leaf and fold it into the state and the tree.

    ``checked`` (from a worker) is given only when the entry is canonical.
    """
    where = _where(record)
    if record.leaf_index != walk.state.size:
        raise VerificationError(
            f"leaf {walk.state.size} is missing from the log", leaf_index=walk.state.size
        )
    parsed = checked.envelope if checked is not None else None
    envelope = _check_record(record, walk.origin, walk.last_notification, where, parsed)
    walk.last_notification = record.notification_id
    salts: dict[str, bytes] = {}
    if checked is not None and checked.payload is not None:
        # The worker parsed the payload and opened every field's commitment.
        payload = checked.payload
    else:
        payload, salts = _payload_of(record, where)
    if set(payload) != set(envelope.body.fields):
        if record.redacted_by is None:
            raise _fail(
                f"{where}: payload fields are missing but no PayloadRedacted erased them", record
            )
        walk.redacted += 1
    prechecked = checked.prechecked() if checked is not None else None
    admitted = _admit(walk, record, envelope, payload, salts, prechecked)
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
    prechecked: Prechecked | None,
) -> Admitted:
    """Re-judge one event by every write-time rule, as of the time it was recorded.

    Erasure keeps every field a rule reads, so every rule is re-checked.
    """
    where = _where(record)
    state = walk.state
    try:
        return state.admit(envelope, payload, salts, parse_time(record.recorded_at), prechecked)
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
    stored = _stored_nodes(store, origin, computed)
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


def _stored_nodes(
    store: Store, origin: str, computed: list[tuple[int, int, bytes]]
) -> dict[tuple[int, int], bytes]:
    """The stored nodes at the places of ``computed``: by index range per level when each
    level's indexes are a run without gaps (as a walk over the log makes them), else by key."""
    spans: dict[int, list[int]] = {}
    for level, index, _ in computed:
        span = spans.setdefault(level, [index, index, 0])
        span[0], span[1], span[2] = min(span[0], index), max(span[1], index), span[2] + 1
    if all(hi - lo + 1 == n for lo, hi, n in spans.values()):
        return store.node_ranges(origin, {lv: (lo, hi) for lv, (lo, hi, _) in spans.items()})
    return store.nodes_for(origin, [(level, index) for level, index, _ in computed])


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


def _check_record(
    record: LogRecord,
    origin: str,
    last_notification: int,
    where: str,
    parsed: Envelope | None,
) -> Envelope:
    """The envelope behind a leaf (``parsed`` by a worker from the same bytes, if given)."""
    if record.entry is None:
        raise _fail(f"{where}: the event store has no event behind this leaf", record)
    if record.notification_id <= last_notification:
        raise _fail(f"{where}: leaves are out of commit order", record)
    try:
        envelope = parsed if parsed is not None else Envelope.from_entry(record.entry)
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
