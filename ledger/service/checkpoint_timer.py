"""The serving process's checkpoint timer: the tail of a quiet ledger gets its checkpoint.

The writer signs checkpoints by its policy (every N events or T seconds)
inside its write transactions; the events written less than T after the
last one wait for the next write, which may never come.  The timer wakes
every ``tick`` seconds and asks the service to sign one for each ledger
whose tree grew and whose newest checkpoint is older than T
(``LedgerService.refresh_checkpoints``).  Several processes may run it on
one database: signing takes the ledger's lock and skips a tree that the
newest checkpoint already covers.
"""

from __future__ import annotations

import logging
import threading

from ledger.errors import LedgerError
from ledger.service.application import LedgerService

logger = logging.getLogger(__name__)

MIN_TICK = 0.01


def default_tick(service: LedgerService) -> float:
    """A quarter of the policy's interval (at least ``MIN_TICK``), so a tail waits at most 1.25 T."""
    return max(service.checkpoints.interval.total_seconds() / 4, MIN_TICK)


class CheckpointTimer:
    """A daemon thread that calls ``service.refresh_checkpoints()`` every ``tick`` seconds."""

    def __init__(self, service: LedgerService, *, tick: float | None = None) -> None:
        self.service = service
        self.tick = default_tick(service) if tick is None else max(tick, MIN_TICK)
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start ticking (once)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="medledger-checkpoint-timer", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop ticking and wait for a tick in progress to end."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        failing = False
        while not self._stopped.wait(self.tick):
            try:
                self.service.refresh_checkpoints()
            except Exception as error:  # the database is away, say: try again next tick
                if not failing:
                    logger.warning(
                        "checkpoint timer: %s; retrying every %ss", _said(error), self.tick
                    )
                failing = True
                continue
            if failing:
                logger.info("checkpoint timer: signing again")
            failing = False


def _said(error: Exception) -> str:
    if isinstance(error, LedgerError):
        return f"{error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"
