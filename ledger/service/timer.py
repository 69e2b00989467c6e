"""The serving process's timer: the tail of a quiet ledger gets its checkpoint, and an
erasure's scrub that found the database busy is done later.

The writer signs checkpoints by its policy (every N events or T seconds)
inside its write transactions; the events written less than T after the
last one wait for the next write, which may never come.  The timer wakes
every ``tick`` seconds and asks the service to sign one for each ledger
whose tree grew and whose newest checkpoint is older than T
(``LedgerService.refresh_checkpoints``).  Several processes may run it on
one database: signing takes the ledger's lock and skips a tree that the
newest checkpoint already covers.

Every ``scrub_every`` seconds it also asks the service to scrub the tables
owed a scrub (``LedgerService.scrub_owed``), waiting at most ``scrub_wait``
seconds, so the checkpoints wait little behind it.
"""

from __future__ import annotations

import logging
import threading
import time

from ledger.errors import LedgerError
from ledger.service.application import LedgerService

logger = logging.getLogger(__name__)

MIN_TICK = 0.01


def default_tick(service: LedgerService) -> float:
    """A quarter of the policy's interval (at least ``MIN_TICK``), so a tail waits at most 1.25 T."""
    return max(service.checkpoints.interval.total_seconds() / 4, MIN_TICK)


class ServingTimer:
    """A daemon thread that calls ``service.refresh_checkpoints()`` every ``tick`` seconds,
    and ``service.scrub_owed()`` every ``scrub_every`` seconds."""

    scrub_wait = 1.0

    def __init__(
        self, service: LedgerService, *, tick: float | None = None, scrub_every: float = 60.0
    ) -> None:
        self.service = service
        self.tick = default_tick(service) if tick is None else max(tick, MIN_TICK)
        self.scrub_every = scrub_every
        self._next_scrub = time.monotonic()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start ticking (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="medledger-timer", daemon=True)
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
                self._scrub_when_due()
            except Exception as error:  # the database is away, say: try again next tick
                if not failing:
                    logger.warning("serving timer: %s; retrying every %ss", _said(error), self.tick)
                failing = True
                continue
            if failing:
                logger.info("serving timer: working again")
            failing = False

    def _scrub_when_due(self) -> None:
        if time.monotonic() < self._next_scrub:
            return
        self._next_scrub = time.monotonic() + self.scrub_every
        done = self.service.scrub_owed(self.scrub_wait)
        if done is not None:
            logger.info("owed scrub %s", "done" if done else "still owed: the database is busy")


def _said(error: Exception) -> str:
    if isinstance(error, LedgerError):
        return f"{error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"
