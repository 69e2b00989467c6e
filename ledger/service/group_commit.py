"""Group commit: appends that queue behind a write are committed together.

Writes to one ledger are serialised under its lock.  Appends that arrive
while another is being written wait in the ledger's queue; whoever takes
the lock next writes everything queued (up to ``MAX_BATCH``) in one
transaction, each append judged against the state its predecessors in the
batch left.  One refused append fails alone; a failed transaction fails the
whole batch, and nothing of it is stored.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.errors import LedgerError, StorageError
from ledger.protocol.envelope import Submission

if TYPE_CHECKING:
    from ledger.service.application import AppendReceipt

MAX_BATCH = 256

WriteBatch = Callable[[list["Pending"]], None]
"""Writes a batch in one transaction, setting each append's receipt or error; raises if
the transaction fails."""


@dataclass
class Pending:
    """One append waiting for the ledger's lock; done once a writer has judged it."""

    submission: Submission
    receipt: AppendReceipt | None = None
    error: LedgerError | None = None
    done: bool = False


@dataclass(kw_only=True)
class GroupCommit:
    """One ledger's write lock and the appends queued for it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    queue: deque[Pending] = field(default_factory=deque)

    def submit(self, submission: Submission, write: WriteBatch) -> AppendReceipt:
        """Queue ``submission`` and wait its turn; return its receipt or raise its error.

        The thread that gets the lock while its own append is still queued
        writes the whole queue; the others find theirs already judged.
        """
        pending = Pending(submission)
        self.queue.append(pending)
        with self.lock:
            if not pending.done:
                self._write_next(write)
        if pending.error is not None:
            raise pending.error
        assert pending.receipt is not None
        return pending.receipt

    def _write_next(self, write: WriteBatch) -> None:
        """Write the next batch of the queue (under the lock)."""
        batch: list[Pending] = []
        while self.queue and len(batch) < MAX_BATCH:
            batch.append(self.queue.popleft())
        try:
            write(batch)
        except BaseException as exc:
            _fail(batch, exc)
            if not isinstance(exc, Exception):
                raise
            return
        for pending in batch:
            pending.done = True


def _fail(batch: list[Pending], exc: BaseException) -> None:
    """Nothing of the batch is stored: every append fails (a refused one keeps its reason)."""
    failure = (
        exc
        if isinstance(exc, LedgerError)
        else StorageError(f"the write failed and was rolled back: {exc}")
    )
    for pending in batch:
        if pending.receipt is not None or pending.error is None:
            pending.receipt, pending.error = None, failure
        pending.done = True
