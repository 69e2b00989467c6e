"""When the ledger signs a checkpoint of its tree: every N events or T seconds.

A checkpoint is signed in the same transaction as the events that made it
due, so a reader never sees a tree that grew past N events without one.
The events written less than T after the last checkpoint (the tail of a
burst, or one write of a quiet ledger) are signed by the server's timer
once T has passed (``overdue``).  Reads never sign.

The default T of one second covers a single person's append at once (its
own write signs when the last checkpoint is older than a second) and a
burst's tail within about a second; at most one checkpoint per ledger per
second is one Ed25519 signature, negligible beside the writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_EVERY = 256
DEFAULT_INTERVAL = timedelta(seconds=1)


@dataclass(frozen=True)
class CheckpointPolicy:
    """Sign a checkpoint when the tree crosses a multiple of ``every`` or ``interval`` has passed."""

    every: int = DEFAULT_EVERY
    interval: timedelta = DEFAULT_INTERVAL

    def due(self, size: int, added: int, now: datetime, last: datetime | None) -> bool:
        """Whether a write that grew the tree by ``added`` to ``size`` at ``now`` needs one.

        ``last`` is when this process last signed one (None: not yet).
        """
        crossed = size // self.every != (size - added) // self.every
        return crossed or last is None or now - last >= self.interval

    def overdue(self, size: int, checkpointed: int, now: datetime, issued: datetime | None) -> bool:
        """Whether a tree of ``size`` needs one now, its newest covering ``checkpointed`` leaves.

        ``issued`` is when that newest one was signed (None: there is none).
        """
        if size <= checkpointed:
            return False
        return issued is None or now - issued >= self.interval
