"""A witness: cosigns a ledger's checkpoints once it has seen the log only grow.

Anyone may run one (DESIGN.md section 4).  For each log it knows, the
witness keeps the last checkpoint it cosigned.  It trusts the first
checkpoint of a log on first use; afterwards it cosigns a checkpoint only
if a consistency proof shows that the tree grew from the one it keeps
(or is the same tree again).  A log that shows two different trees of one
size has forked, and a smaller tree is a rollback: both are refused, so a
log cannot show different histories to different readers and still
collect the cosignatures that verifiers require.

The state is one JSON file in the directory given to the witness, replaced
atomically (temporary file, fsync, rename, fsync of the directory) under
an exclusive file lock, so a crash leaves either the old or the new state.
"""

from __future__ import annotations

import contextlib
import fcntl
import hmac
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ledger.errors import (
    InconsistentCheckpointError,
    MalformedCheckpointError,
    ProofError,
    StorageError,
    UnknownLedgerError,
)
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import cosign
from ledger.protocol.merkle import verify_consistency
from ledger.protocol.note import (
    CosignatureVerifier,
    NoteSigner,
    NoteVerifier,
    format_note,
    open_note,
    split_note,
)

STATE_FILE = "witness-state.json"
LOCK_FILE = "witness-state.lock"
STATE_VERSION = 1

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware; injectable for tests and demos."""


def utc_now() -> datetime:
    """The system clock in UTC: the default clock of a witness."""
    return datetime.now(UTC)


class Witness:
    """Cosigns checkpoints of known logs after checking their consistency."""

    def __init__(
        self,
        state_dir: str | os.PathLike[str],
        signer: NoteSigner,
        known_logs: Mapping[str, NoteVerifier],
        clock: Clock = utc_now,
    ) -> None:
        """Create a witness keeping its state in ``state_dir`` (made if missing).

        ``known_logs`` maps each log origin to the verifier of the log's key.
        """
        self._dir = Path(state_dir)
        self._dir.mkdir(parents=True, exist_ok=True)
        self._signer = signer
        self._known_logs = dict(known_logs)
        self._clock = clock

    @property
    def cosignature_verifier(self) -> CosignatureVerifier:
        """The verifier of this witness's cosignatures, for clients to configure."""
        return self._signer.cosignature_verifier()

    def latest(self, origin: str) -> Checkpoint | None:
        """The last checkpoint of ``origin`` this witness cosigned, if any.

        Raises:
            StorageError: the state file is unreadable.
        """
        with self._locked():
            return self._load().get(origin)

    def cosign(self, signed_note: str, consistency_proof: Sequence[bytes]) -> str:
        """Check a signed checkpoint against the last one kept and cosign it.

        ``consistency_proof`` runs from the size of the checkpoint this
        witness keeps for the log to the size of the new one (empty for the
        first checkpoint of a log, and for the same size again).  The new
        checkpoint is stored before it is cosigned.

        Returns the note with this witness's cosignature line added (and
        any earlier cosignature line of this witness dropped).

        Raises:
            MalformedCheckpointError: the note is not a signed checkpoint,
                or its tree is empty.
            UnknownLedgerError: the checkpoint's origin is not a known log.
            CheckpointSignatureError: the log's signature does not verify.
            InconsistentCheckpointError: the checkpoint has the size of the
                kept one but another root (a fork), or is smaller than the
                kept one (a rollback).
            ProofError: the consistency proof does not verify, or a proof
                was sent for a log with no kept checkpoint.
            StorageError: the state cannot be read or written.
        """
        text, signatures = split_note(signed_note)
        checkpoint = Checkpoint.parse(text)
        log_verifier = self._known_logs.get(checkpoint.origin)
        if log_verifier is None:
            raise UnknownLedgerError(
                f"this witness does not know the log {checkpoint.origin}",
                origin=checkpoint.origin,
            )
        open_note(signed_note, [log_verifier])
        if checkpoint.size == 0:
            raise MalformedCheckpointError("a witness does not cosign an empty tree")
        with self._locked():
            state = self._load()
            _check_growth(state.get(checkpoint.origin), checkpoint, consistency_proof)
            state[checkpoint.origin] = checkpoint
            self._save(state)
        line = cosign(text, self._signer, self._timestamp())
        own = (self._signer.name, self._signer.cosignature_key_hash)
        kept = [s for s in signatures if (s.name, s.key_hash) != own]
        return format_note(text, kept) + line

    def _timestamp(self) -> int:
        moment = self._clock()
        if moment.tzinfo is None:
            raise ValueError("the witness clock must return timezone-aware times")
        return int(moment.timestamp())

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self._dir / LOCK_FILE, "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _load(self) -> dict[str, Checkpoint]:
        path = self._dir / STATE_FILE
        try:
            raw = path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise StorageError(f"cannot read witness state {path}: {error}") from error
        try:
            data: Any = json.loads(raw)
            if data.get("version") != STATE_VERSION:
                raise StorageError(f"witness state {path} has an unknown version")
            state = {origin: Checkpoint.parse(text) for origin, text in data["checkpoints"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise StorageError(f"witness state {path} is corrupt") from error
        except MalformedCheckpointError as error:
            raise StorageError(f"witness state {path} holds a bad checkpoint") from error
        if any(origin != checkpoint.origin for origin, checkpoint in state.items()):
            raise StorageError(f"witness state {path} files a checkpoint under another origin")
        return state

    def _save(self, state: Mapping[str, Checkpoint]) -> None:
        document = {
            "version": STATE_VERSION,
            "checkpoints": {origin: state[origin].text() for origin in sorted(state)},
        }
        encoded = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        try:
            handle, temporary = tempfile.mkstemp(
                dir=self._dir, prefix=f".{STATE_FILE}.", suffix=".tmp"
            )
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    file.write(encoded)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temporary, self._dir / STATE_FILE)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise
            directory = os.open(self._dir, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError as error:
            raise StorageError(f"cannot write witness state: {error}") from error


def _check_growth(kept: Checkpoint | None, new: Checkpoint, proof: Sequence[bytes]) -> None:
    """Refuse ``new`` unless it is the kept tree or provably grew from it."""
    if kept is None:
        if proof:
            raise ProofError(
                f"no checkpoint of {new.origin} is kept yet, so no proof can apply",
                origin=new.origin,
            )
        return
    if new.size < kept.size:
        raise InconsistentCheckpointError(
            f"rollback: {new.origin} is at size {kept.size}, not {new.size}",
            origin=new.origin,
            kept_size=kept.size,
            size=new.size,
        )
    if new.size == kept.size and not hmac.compare_digest(new.root, kept.root):
        raise InconsistentCheckpointError(
            f"fork: {new.origin} has two different trees of size {new.size}",
            origin=new.origin,
            size=new.size,
        )
    verify_consistency(kept.size, new.size, proof, kept.root, new.root)
