"""When the ledger signs a checkpoint of its tree: every N events or T seconds.

A checkpoint is signed in the same transaction as the events that made it
due, so a reader never sees a tree that grew past N events without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class CheckpointPolicy:
    """Sign a checkpoint when the tree crosses a multiple of ``every`` or ``interval`` has passed."""

    every: int = 256
    interval: timedelta = timedelta(seconds=60)

    def due(self, size: int, added: int, now: datetime, last: datetime | None) -> bool:
        """Whether a write that grew the tree by ``added`` to ``size`` at ``now`` needs one.

        ``last`` is when this process last signed one (None: not yet).
        """
        crossed = size // self.every != (size - added) // self.every
        return crossed or last is None or now - last >= self.interval
