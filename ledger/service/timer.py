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

When it starts and every ``scrub_every`` seconds after, it also asks the
service to scrub the tables owed a scrub (``LedgerService.scrub_owed``),
waiting at most ``scrub_wait`` seconds, so the checkpoints wait little
behind it.  Each job keeps its own clock, and one that fails does not stop
the other.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ledger.errors import LedgerError
from ledger.service.application import LedgerService

THREAD_NAME = "medledger-timer"
"""The name of the timer's thread, so that logs and tests can tell its work apart."""

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
        self.scrub_every = max(scrub_every, MIN_TICK)
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing: set[str] = set()

    def start(self) -> None:
        """Start ticking (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop ticking and wait for a tick in progress to end."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        """Each job on its own clock, and each one's failure its own: the owed scrubs run
        first when the timer starts, the checkpoints a tick later."""
        now = time.monotonic()
        due = {"checkpoints": now + self.tick, "owed scrubs": now}
        every = {"checkpoints": self.tick, "owed scrubs": self.scrub_every}
        jobs = {"checkpoints": self.service.refresh_checkpoints, "owed scrubs": self._scrub_owed}
        while not self._stopped.wait(max(0.0, min(due.values()) - time.monotonic())):
            for name, job in jobs.items():
                if time.monotonic() >= due[name]:
                    due[name] = time.monotonic() + every[name]
                    self._guarded(name, job, every[name])

    def _guarded(self, name: str, job: Callable[[], object], every: float) -> None:
        try:
            job()
        except Exception as error:  # the database is away, say: try again next time
            if name not in self._failing:
                logger.warning(
                    "serving timer, %s: %s; retrying every %ss", name, _said(error), every
                )
            self._failing.add(name)
            return
        if name in self._failing:
            logger.info("serving timer, %s: working again", name)
        self._failing.discard(name)

    def _scrub_owed(self) -> None:
        done = self.service.scrub_owed(self.scrub_wait)
        if done is not None:
            logger.info("owed scrub %s", "done" if done else "still owed: the database is busy")


def _said(error: Exception) -> str:
    if isinstance(error, LedgerError):
        return f"{error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"
