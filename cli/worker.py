"""What the long-running workers (projections, notifications) share: logging and a clean stop."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType


def stop_on_signals() -> threading.Event:
    """Log at INFO with timestamps; return an event set by SIGTERM or SIGINT (Ctrl-C).

    A worker polls the event between passes, so a stop finishes the pass
    under way instead of breaking it.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    return stop
