"""The ledger application service: admit signed events, keep the log.

Thin by design: load the ledger's state (cached, caught up from the log
under the ledger's write lock), let the domain admit the event, store it
with its leaf, tree nodes and payload in one transaction, then apply it to
the cached state.  Appends that queue behind a write are committed together
(``group_commit``); checkpoints are signed as ``checkpoint_policy`` says.
Many ledgers can share one database.  The service writes through the
storage's ``LedgerTransaction`` and holds no database session.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ledger.domain import events as ev
from ledger.domain.state import Admitted, LedgerState, StreamHead
from ledger.errors import (
    LedgerError,
    LedgerExistsError,
    MalformedEnvelopeError,
    MalformedProofRequestError,
    NotYetCheckpointedError,
    ReplayedEnvelopeError,
    StaleSequenceError,
    StorageError,
    StreamNotStartedError,
    UnknownCheckpointError,
    UnknownLedgerError,
    WrongLedgerError,
)
from ledger.protocol import merkle
from ledger.protocol.canonical import JSONObject, parse_canonical
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.envelope import (
    MATTER_PREFIX,
    REGISTRY_STREAM,
    Body,
    Envelope,
    Submission,
    format_time,
    ledger_id_of,
    parse_time,
)
from ledger.protocol.heads import HeadsTree, StreamTip
from ledger.protocol.note import NoteVerifier, sign_note, split_note
from ledger.protocol.trust import TrustRoot
from ledger.service.checkpoint_policy import CheckpointPolicy
from ledger.service.group_commit import GroupCommit, Pending
from ledger.service.verification import Progress, VerificationReport, verify_ledger
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import LedgerRow, Store
from ledger.storage.store import LogRecord as LogRecord  # the record the service hands out
from ledger.storage.transaction import LedgerTransaction, NewLeaf

Clock = Callable[[], datetime]
NONCE_GRACE_SECONDS = 300
logger = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppendReceipt:
    """What the ledger answers for an admitted event."""

    origin: str
    stream: str
    seq: int
    envelope_hash: str
    leaf_index: int
    recorded_at: str

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


HOT_LEVEL = 8
"""Stored nodes at this level and above (each over 256 leaves or more) are kept in memory
once read: every proof needs a few of them, and there are few (under 1/128 of the leaves)."""
HOT_NODES = 1 << 17
"""At most this many hot nodes are kept per service; beyond, the memory starts again."""


class _StoreNodes:
    """The Merkle node reader over one ledger's stored nodes.

    Complete nodes never change once stored, so the upper ones (``HOT_LEVEL``
    and above) read from the store are kept in ``hot`` and later proofs ask
    the store only for the lower ones, in one indexed read.
    """

    def __init__(
        self, store: Store, origin: str, hot: dict[tuple[int, int], bytes] | None = None
    ) -> None:
        self.store = store
        self.origin = origin
        self.hot = {} if hot is None else hot

    def nodes(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        found: dict[tuple[int, int], bytes] = {}
        missing: list[tuple[int, int]] = []
        for key in keys:
            known = self.hot.get(key) if key[0] >= HOT_LEVEL else None
            if known is None:
                missing.append(key)
            else:
                found[key] = known
        if missing:
            read = self.store.nodes_for(self.origin, missing)
            found.update(read)
            if len(self.hot) > HOT_NODES:
                self.hot.clear()
            for key, hash_ in read.items():
                if key[0] >= HOT_LEVEL:
                    self.hot[key] = hash_
        return found


@dataclass(kw_only=True)
class _Cached(GroupCommit):
    """One ledger's state and tree frontier as of its last write here, and its write queue."""

    state: LedgerState
    frontier: merkle.Frontier
    last_checkpoint: datetime | None = None

    def forget(self) -> None:
        """Drop the cached state (a write failed after applying to it); the next load rebuilds it."""
        self.state = LedgerState(self.state.origin)
        self.frontier = merkle.Frontier.empty()


class LedgerService:
    """Admits signed events into ledgers and answers questions about the log."""

    def __init__(
        self,
        store: Store,
        log_keys: LogKeyring,
        *,
        clock: Clock = system_clock,
        checkpoints: CheckpointPolicy | None = None,
    ) -> None:
        self.store = store
        self.log_keys = log_keys
        self.clock = clock
        self.checkpoints = checkpoints or CheckpointPolicy()
        self._cache: dict[str, _Cached] = {}
        self._cache_lock = threading.Lock()
        self._hot_nodes: dict[str, dict[tuple[int, int], bytes]] = {}
        self._origins: dict[str, str] = {}
        self._sizes_seen: dict[str, int] = {}
        self._listeners: list[Callable[[AppendReceipt], None]] = []

    def subscribe(self, listener: Callable[[AppendReceipt], None]) -> None:
        """Call ``listener`` after each committed append, in the writing thread.

        This is how read models catch up in the writing process on SQLite
        (a writer reads its own writes) without the ledger knowing them.
        A listener's failure never undoes the committed event.
        """
        self._listeners.append(listener)

    def _notify(self, receipt: AppendReceipt) -> None:
        for listener in self._listeners:
            try:
                listener(receipt)
            except Exception:  # a read model must not break the write path
                logger.exception("listener failed after %s #%s", receipt.stream, receipt.seq)

    # --- writing ----------------------------------------------------------

    def create_ledger(self, submission: Submission | bytes) -> AppendReceipt:
        """Start a ledger with its signed LedgerCreated event.

        The log key for the origin must already be in the keyring (``medledger
        init`` makes it).  Raises LedgerExistsError if the origin or its id is
        taken, and the domain's errors if the genesis event is not valid.
        """
        if isinstance(submission, bytes):
            submission = Submission.from_wire(submission)
        body = submission.envelope.body
        if body.type != "LedgerCreated" or body.stream != REGISTRY_STREAM:
            raise StreamNotStartedError("a ledger starts with LedgerCreated in the registry stream")
        origin = body.origin
        signer = self.log_keys.signer(origin)
        created = ev.parse_payload(body.type, body.stream, submission.payload)
        assert isinstance(created, ev.LedgerCreated)
        if created.log_public_key != signer.verifier_key():
            raise WrongLedgerError(
                "LedgerCreated must name this ledger's log verifier key",
                expected=signer.verifier_key(),
            )
        ledger_id = ledger_id_of(origin)
        if self.store.ledger(origin) is not None or self.store.ledger(ledger_id) is not None:
            raise LedgerExistsError(f"ledger {origin} already exists", origin=origin)
        state = LedgerState(origin)
        frontier = merkle.Frontier.empty()
        now = self.clock()
        admitted = state.admit(submission.envelope, submission.payload, submission.salts, now)
        try:
            with self.store.transaction() as transaction:
                # The genesis event is leaf 0: the ledger starts at size 1.
                transaction.insert_ledger(
                    LedgerRow(origin, ledger_id, created.name, signer.verifier_key(), 1)
                )
                receipt = self._store(transaction, state, frontier, submission, now)
        except Exception as exc:
            if self.store.ledger(origin) is not None:
                raise LedgerExistsError(f"ledger {origin} already exists", origin=origin) from exc
            raise
        state.apply(admitted)
        with self._cache_lock:
            self._cache[origin] = _Cached(state=state, frontier=frontier, last_checkpoint=now)
        self.issue_checkpoint(origin)
        self._notify(receipt)
        return receipt

    def append(self, ledger: str, submission: Submission | bytes) -> AppendReceipt:
        """Admit one signed event into ``ledger`` (its origin or id).

        Raises the named LedgerError of the first check that fails; in that
        case nothing at all is written.  Appends that arrive while another
        is being written are committed together with it (group commit).
        """
        if isinstance(submission, bytes):
            submission = Submission.from_wire(submission)
        body = submission.envelope.body
        if body.type == "LedgerCreated" and body.stream == REGISTRY_STREAM and body.seq == 1:
            return self.create_ledger(submission)
        origin = self.origin_of(ledger)
        if body.origin != origin:
            raise WrongLedgerError(f"event is for ledger {body.origin!r}, not {origin!r}")
        cached = self._cached(origin)
        receipt = cached.submit(submission, lambda batch: self._write_batch(cached, batch))
        self._notify(receipt)
        if body.type == "PayloadRedacted":
            self._scrub_erased(receipt)
        return receipt

    def judge_unsigned(self, ledger: str, body: Body, payload: JSONObject) -> int:
        """Judge an event not yet signed as the next entry of ``ledger``: a dry run.

        Runs every check ``append`` runs except the signature and the payload
        commitment (``LedgerState.judge_unsigned``), under the ledger's lock
        against its state caught up with the log, and writes nothing.
        Returns the tree size it was judged at (the event would be leaf that
        size); raises the LedgerError ``append`` would raise.
        """
        origin = self.origin_of(ledger)
        if body.type == "LedgerCreated" and body.stream == REGISTRY_STREAM and body.seq == 1:
            raise LedgerExistsError(f"ledger {origin} already exists", origin=origin)
        cached = self._cached(origin)
        with cached.lock:
            size = self.store.tree_size(origin)
            if size is None:
                raise UnknownLedgerError(f"no ledger {origin}", ledger=origin)
            if size != cached.state.size:
                self._catch_up(cached, size)
            cached.state.judge_unsigned(body, payload, self.clock())
            return cached.state.size

    def _scrub_erased(self, receipt: AppendReceipt) -> None:
        """After an erasure committed (and the read models followed it): no copy left on disk.

        The erasure is committed whatever happens here, so a failure is
        logged, not raised: a scrub that could not be done is owed, and the
        server's timer does it later (``scrub_owed``).
        """
        try:
            if not self.store.scrub_erased():
                logger.warning("erasure at leaf %s: the database was busy", receipt.leaf_index)
        except LedgerError as error:
            logger.error("erasure at leaf %s not scrubbed: %s", receipt.leaf_index, error.message)

    def _write_batch(self, cached: _Cached, batch: list[Pending]) -> None:
        """Load, admit, store and apply a batch of appends in one transaction (under the lock).

        Each append is admitted against the state its predecessors in the
        batch left; a refused one gets its error and the rest go on.
        """
        state = cached.state
        written = 0
        try:
            with self.store.transaction() as transaction:
                self._load(transaction, cached, grow=len(batch))
                frontier = copy.deepcopy(cached.frontier)
                now = self.clock()
                for pending in batch:
                    admitted = self._admit(pending, state, now)
                    if admitted is None:
                        continue
                    pending.receipt = self._store(
                        transaction, state, frontier, pending.submission, now
                    )
                    state.apply(admitted)  # the next in the batch is judged after this one
                    written += 1
                if written != len(batch):  # some were refused: the size grows less
                    transaction.set_tree_size(state.origin, state.size)
                if written:
                    checkpointed = self._maybe_checkpoint(
                        transaction, cached, frontier, now, written
                    )
        except BaseException:
            if written:  # nothing of this batch is stored: forget what was applied for it
                cached.forget()
            raise
        if written:
            cached.frontier = frontier
            cached.last_checkpoint = checkpointed

    def _load(self, transaction: LedgerTransaction, cached: _Cached, *, grow: int) -> None:
        """Take the ledger's lock and catch its cached state up with other processes' writes."""
        origin = cached.state.origin
        size = transaction.lock_ledger(origin, grow=grow)
        if size is None:
            raise UnknownLedgerError(f"no ledger {origin}", ledger=origin)
        if size != cached.state.size:
            self._catch_up(cached, size)

    def _admit(self, pending: Pending, state: LedgerState, now: datetime) -> Admitted | None:
        """Judge one queued append; on refusal, record its error and return None."""
        submission = pending.submission
        try:
            return state.admit(submission.envelope, submission.payload, submission.salts, now)
        except StaleSequenceError as exc:
            try:
                self._raise_if_replayed(state.origin, submission.envelope)
            except ReplayedEnvelopeError as replayed:
                pending.error = replayed
                return None
            pending.error = exc
        except LedgerError as exc:
            pending.error = exc
        return None

    def _maybe_checkpoint(
        self,
        transaction: LedgerTransaction,
        cached: _Cached,
        frontier: merkle.Frontier,
        now: datetime,
        added: int,
    ) -> datetime | None:
        """Sign a checkpoint if the policy says one is due; return when the last was signed."""
        size = cached.state.size
        if self.checkpoints.due(size, added, now, cached.last_checkpoint):
            tips = cached.state.tips()
            self._checkpoint_in(transaction, cached.state.origin, frontier, size, tips)
            return now
        return cached.last_checkpoint

    def _store(
        self,
        transaction: LedgerTransaction,
        state: LedgerState,
        frontier: merkle.Frontier,
        submission: Submission,
        now: datetime,
    ) -> AppendReceipt:
        envelope = submission.envelope
        body = envelope.body
        leaf_index = state.size
        nodes = frontier.append(envelope.leaf_hash)
        recorded_at = format_time(now)
        transaction.append(
            NewLeaf(
                origin=state.origin,
                leaf_index=leaf_index,
                stream=body.stream,
                seq=body.seq,
                event_type=body.type,
                actor=body.actor,
                claimed_time=body.time,
                recorded_at=recorded_at,
                entry=envelope.entry,
                payload=submission.payload_bytes,
                salts=submission.salts_bytes,
                nodes=nodes,
            )
        )
        if body.type == "PayloadRedacted":
            redaction = submission.payload
            transaction.redact(
                state.origin,
                body.stream,
                int(redaction["event"]),
                [str(name) for name in redaction["fields"]],
                leaf_index,
            )
        return AppendReceipt(
            state.origin, body.stream, body.seq, envelope.hash_hex, leaf_index, recorded_at
        )

    def _raise_if_replayed(self, origin: str, envelope: Envelope) -> None:
        index = self.store.leaf_index_of(origin, envelope.body.stream, envelope.body.seq)
        if index is None:
            return
        record = self.store.record(origin, index)
        if record is not None and record.entry == envelope.entry:
            raise ReplayedEnvelopeError(
                f"this envelope is already in the log at leaf {index}", leaf_index=index
            )

    # --- state cache --------------------------------------------------------

    def origin_of(self, ledger: str) -> str:
        """Resolve a ledger id or origin; raise UnknownLedgerError."""
        with self._cache_lock:
            for origin in self._cache:
                if ledger in (origin, ledger_id_of(origin)):
                    return origin
        known = self._origins.get(ledger)
        if known is not None:
            return known
        row = self.store.ledger(ledger)
        if row is None:
            raise UnknownLedgerError(f"no ledger {ledger!r} in this store", ledger=ledger)
        # A ledger's id and origin never change once created: remember them.
        self._origins[ledger] = row.origin
        return row.origin

    def _cached(self, origin: str) -> _Cached:
        with self._cache_lock:
            cached = self._cache.get(origin)
            if cached is None:
                cached = _Cached(state=LedgerState(origin), frontier=merkle.Frontier.empty())
                self._cache[origin] = cached
        return cached

    def _catch_up(self, cached: _Cached, size: int) -> None:
        """Fold events other processes committed into the cached state."""
        state = cached.state
        for record in self.store.log(state.origin, state.size, size):
            if record.leaf_index != state.size or record.entry is None:
                raise StorageError(
                    f"log of {state.origin} has no entry at leaf {state.size}",
                    leaf_index=state.size,
                )
            envelope = Envelope.from_entry(record.entry)
            payload: ev.Payload | None = None
            if record.payload is not None:
                fields = parse_canonical(record.payload)
                assert isinstance(fields, dict)
                erased = frozenset(envelope.body.fields) - frozenset(fields)
                payload = ev.parse_payload(envelope.body.type, envelope.body.stream, fields, erased)
            state.apply(Admitted(envelope, payload))
        cached.frontier = merkle.Frontier.load(_StoreNodes(self.store, state.origin), size)

    def state(self, ledger: str) -> LedgerState:
        """The ledger's state as of its current size (read-only use)."""
        origin = self.origin_of(ledger)
        cached = self._cached(origin)
        size = self.store.tree_size(origin)
        if size == cached.state.size:
            # Up to date: no lock, so reads never queue behind a write in progress.
            return cached.state
        with cached.lock:
            size = self.store.tree_size(origin)
            if size is not None and size != cached.state.size:
                self._catch_up(cached, size)
            return cached.state

    def head(self, ledger: str, stream: str) -> StreamHead | None:
        """The last event of a stream: what the next signer must chain to."""
        return self.state(ledger).head(stream)

    # --- the tree, checkpoints and proofs -------------------------------------

    def tree_size(self, ledger: str) -> int:
        size = self.store.tree_size(self.origin_of(ledger))
        assert size is not None
        return size

    def _nodes(self, origin: str) -> _StoreNodes:
        """The ledger's stored nodes, through this service's memory of the upper ones."""
        return _StoreNodes(self.store, origin, self._hot_nodes.setdefault(origin, {}))

    def root(self, ledger: str, size: int | None = None) -> bytes:
        nodes, size = self._tree_at(ledger, size)
        return merkle.root(nodes, size)

    def inclusion_proof(self, ledger: str, index: int, size: int | None = None) -> list[bytes]:
        nodes, size = self._tree_at(ledger, size)
        return merkle.inclusion_proof(nodes, index, size)

    def consistency_proof(self, ledger: str, old: int, new: int | None = None) -> list[bytes]:
        nodes, new = self._tree_at(ledger, new)
        return merkle.consistency_proof(nodes, old, new)

    def _tree_at(self, ledger: str, size: int | None) -> tuple[_StoreNodes, int]:
        """The ledger's tree nodes and the asked size (the current one when None).

        Raises MalformedProofRequestError when the size lies outside 1..current, so
        every proof and root request refuses an impossible size the same way.
        """
        origin = self.origin_of(ledger)
        if size is not None and 1 <= size <= self._sizes_seen.get(origin, 0):
            # A log never shrinks: a size this process has seen is still inside it.
            return self._nodes(origin), size
        current = self.tree_size(origin)
        if current > self._sizes_seen.get(origin, 0):
            self._sizes_seen[origin] = current
        size = current if size is None else size
        if size < 1 or size > current:
            raise MalformedProofRequestError(
                f"tree size {size} is outside 1..{current}", size=size, tree_size=current
            )
        return self._nodes(origin), size

    def issue_checkpoint(self, ledger: str) -> str:
        """Sign and keep a checkpoint of the current tree now, unless the newest covers it.

        A write: it takes the ledger's lock.  Only the writer's policy, the
        server's timer (``refresh_checkpoints``) and the operator's
        ``medledger checkpoint`` call it; reads use ``latest_checkpoint``.
        """
        origin = self.origin_of(ledger)
        with self.store.transaction() as transaction:
            size = transaction.lock_ledger(origin)
            assert size is not None
            latest = transaction.latest_checkpoint(origin)
            if latest is not None and latest[0] == size:
                return latest[2]
            frontier = merkle.Frontier.load(self._nodes(origin), size)
            tips = self.heads_at(origin, size).tips
            return self._checkpoint_in(transaction, origin, frontier, size, tips)

    def scrub_owed(self, wait: float) -> bool | None:
        """Scrub the tables owed a scrub since an erasure's could not be done (the database
        was busy), waiting at most ``wait`` seconds: True when done, False when still
        owed, None when none was.  The server's timer calls it."""
        return self.store.scrub_owed(wait)

    def refresh_checkpoints(self) -> list[str]:
        """Sign a checkpoint for each ledger whose tree outgrew a checkpoint older than the policy's
        interval (the tail of a quiet ledger); return their origins.  The server's timer calls it.

        Ledgers whose log key this process does not hold are left to the
        process that holds it.
        """
        now = self.clock()
        signed: list[str] = []
        for origin, size, checkpointed, issued in self.store.checkpoint_lag():
            when = None if issued is None else parse_time(issued)
            if not self.checkpoints.overdue(size, checkpointed, now, when):
                continue
            try:
                self.log_keys.signer(origin)
            except LedgerError:
                continue
            self.issue_checkpoint(origin)
            signed.append(origin)
        return signed

    def _checkpoint_in(
        self,
        transaction: LedgerTransaction,
        origin: str,
        frontier: merkle.Frontier,
        size: int,
        tips: list[StreamTip],
    ) -> str:
        """Sign and keep a checkpoint of the tree and its stream heads at ``size``."""
        root = frontier.root()
        latest = transaction.latest_checkpoint(origin)
        if latest is not None:
            old_size, old_root, _ = latest
            if old_size >= size:
                raise StorageError("refusing to sign a checkpoint that does not grow the tree")
            # Never sign two inconsistent checkpoints: prove the new one extends the
            # last.  Reads inside this transaction see the nodes it has just written.
            proof = merkle.consistency_proof(self._nodes(origin), old_size, size)
            merkle.verify_consistency(old_size, size, proof, old_root, root)
        heads = HeadsTree(tips)
        checkpoint = Checkpoint(origin, size, root, (heads.line(),))
        note = sign_note(checkpoint.text(), [self.log_keys.signer(origin)])
        transaction.insert_checkpoint(origin, size, root, note, format_time(self.clock()))
        return note

    def heads_at(self, ledger: str, size: int) -> HeadsTree:
        """The stream heads a checkpoint of ``size`` commits to, read from the log."""
        origin = self.origin_of(ledger)
        tips = []
        for record in self.store.heads_at(origin, size):
            assert record.entry is not None
            tips.append(tip_of_record(record.stream, record.seq, record.entry, record.leaf_index))
        return HeadsTree(tips)

    def latest_checkpoint(self, ledger: str) -> str:
        """The newest signed checkpoint as stored: a read, which never signs one.

        Raises NotYetCheckpointedError when the ledger has none yet.
        """
        origin = self.origin_of(ledger)
        newest = self.store.newest_checkpoint(origin)
        if newest is None:
            raise NotYetCheckpointedError(
                f"{origin} has no signed checkpoint yet; ask again shortly",
                checkpoint_size=0,
                tree_size=self.tree_size(origin),
            )
        return newest[1]

    def records(
        self, ledger: str, stream: str, after_seq: int = 0, limit: int = 1000
    ) -> list[LogRecord]:
        origin = self.origin_of(ledger)
        if stream != REGISTRY_STREAM and not stream.startswith(MATTER_PREFIX):
            raise MalformedEnvelopeError(f"no stream {stream!r}")
        return self.store.stream_records(origin, stream, after_seq, limit)

    def record(self, ledger: str, leaf_index: int) -> LogRecord | None:
        """The stored event at ``leaf_index``, or None if the log has no such leaf."""
        return self.store.record(self.origin_of(ledger), leaf_index)

    # --- the ledgers and their directories ----------------------------------

    def trust_root(self, ledger: str, witnesses: Sequence[str] = (), quorum: int = 0) -> TrustRoot:
        """The ledger's trust root, with the witnesses and quorum its verifiers require."""
        origin = self.origin_of(ledger)
        genesis = self.record(origin, 0)
        if genesis is None or genesis.entry is None:
            raise UnknownLedgerError(f"ledger {origin} has no genesis yet", ledger=origin)
        return TrustRoot(
            origin,
            self.log_keys.signer(origin).verifier_key(),
            hashlib.sha256(genesis.entry).hexdigest(),
            tuple(witnesses),
            quorum,
        )

    def add_cosignatures(self, ledger: str, cosigned_note: str) -> str:
        """Keep a witness's cosignatures with the checkpoint they cosign; return the note.

        The note's text must be a checkpoint this ledger signed; signature lines it
        does not have yet are added (verifiers judge the witnesses they trust).
        Raises MalformedCheckpointError or UnknownCheckpointError.
        """
        origin = self.origin_of(ledger)
        text, lines = split_note(cosigned_note)
        size = Checkpoint.parse(text).size
        with self.store.transaction() as transaction:
            stored = transaction.checkpoint_note(origin, size)
            if stored is None or split_note(stored)[0] != text:
                raise UnknownCheckpointError(
                    f"{origin} signed no checkpoint with this text at size {size}", size=size
                )
            kept = [signature.line() for signature in split_note(stored)[1]]
            merged = kept + [s.line() for s in lines if s.line() not in kept]
            note = text + "\n" + "".join(merged)
            transaction.set_checkpoint_note(origin, size, note)
        return note

    def ledger_info(self, ledger: str) -> LedgerRow | None:
        """The ledger's row (origin, id, name, log key, size), or None if it is not created."""
        return self.store.ledger(ledger)

    def ledgers(self) -> list[LedgerRow]:
        """Every ledger in the store, by origin."""
        return self.store.ledgers_list()

    def directory_names(self, ledger: str) -> dict[str, str]:
        """Person -> name, from the directory kept outside the signed log."""
        return self.store.directory_names(self.origin_of(ledger))

    def set_directory(self, ledger: str, person: str, name: str | None, email: str | None) -> None:
        """Record a person's name and e-mail outside the signed log (so they stay erasable)."""
        self.store.set_directory(self.origin_of(ledger), person, name, email)

    def erase_directory(self, ledger: str, person: str) -> None:
        """Erase a person's name and e-mail (the right to erasure), leaving no copy in the
        database files: an entry there is emptied and marked erased, so no mail is planned
        for them.  The signed log never held either.  The erasure commits first; a scrub
        that fails or finds the database busy is logged, not raised; a busy one is owed,
        and the server's timer finishes it (``scrub_owed``)."""
        self.store.erase_directory(self.origin_of(ledger), person)
        try:
            if not self.store.scrub_directory():
                logger.warning("directory entry of %s erased; the database was busy", person)
        except LedgerError as error:
            logger.error("directory entry of %s erased, not scrubbed: %s", person, error.message)

    # --- single-use nonces ----------------------------------------------------

    def use_nonce(self, origin: str, nonce: str, expires_at: int) -> bool:
        """Mark a single-use nonce of ``origin`` (a login challenge's) used; False if it was.

        The mark is a row in the database, so every process over it refuses
        a second use.  Marks are forgotten ``NONCE_GRACE_SECONDS`` after they
        expire (a process whose clock runs a little behind still finds them).
        """
        now = int(self.clock().timestamp())
        return self.store.use_nonce(
            origin, nonce, expires_at, forget_before=now - NONCE_GRACE_SECONDS
        )

    # --- verification -------------------------------------------------------

    def verify(
        self,
        ledger: str,
        *,
        log_verifier: NoteVerifier | None = None,
        trusted_checkpoint: str | None = None,
        progress: Progress | None = None,
    ) -> VerificationReport:
        """Re-check every stored byte of ``ledger`` from scratch (see ``verify_ledger``).

        Reads the store directly, not this service's cached state, so that it
        checks what is on disk.  Raises VerificationError naming the first bad event.
        """
        return verify_ledger(
            self.store,
            ledger,
            log_verifier=log_verifier,
            trusted_checkpoint=trusted_checkpoint,
            progress=progress,
        )


def tip_of_record(stream: str, seq: int, entry: bytes, leaf_index: int) -> StreamTip:
    return StreamTip(stream, seq, hashlib.sha256(entry).hexdigest(), leaf_index)
