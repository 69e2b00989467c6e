"""Keep the garbage collector's full collections off the heap a pass did not make.

A pass over the log allocates hundreds of thousands of small containers
(decoded entries, payload models, rows), so CPython's cyclic collector
runs its full collection two or three times in a rebuild of 20,000
events, and each full collection walks every object in the process: the
SQLAlchemy metadata, pydantic's schemas, the modules, the web
application, about 115,000 objects before the pass has made one.  None
of them can become garbage because of the pass.  ``old_objects_frozen``
moves them to CPython's permanent generation (``gc.freeze``) for the
pass and back (``gc.unfreeze``) after it, so a full collection walks
only what the pass made.  Both calls splice lists: they cost the same
for one event as for a million.

Collection is only deferred, never skipped: a cycle that was garbage
before the pass is collected by a full collection after it.  Small passes
(a writer's catch-up after each commit is one event) are left alone:
freezing also restarts the count of young objects that triggers a
collection, so freezing around every small pass would leave a server's
cyclic garbage uncollected.  A process that froze its own heap (a
pre-forking server does) keeps it frozen: a pass then neither freezes
nor unfreezes (one that freezes its heap while a pass runs has it released
with the pass's).  Passes may overlap in threads; the heap is released
when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LARGE_PASS = 1000
"""The events from which a pass freezes the heap (a rebuild, a catch-up after a pause)."""

_lock = threading.Lock()
_passes = 0
_ours = False


@contextmanager
def old_objects_frozen(events: int) -> Iterator[None]:
    """For a pass of ``events`` events (``LARGE_PASS`` or more), freeze the objects that
    exist now until the outermost such block ends."""
    global _passes, _ours
    if events < LARGE_PASS:
        yield
        return
    counted = False
    try:  # counted inside the try: an interrupt after the count still releases the heap
        with _lock:
            if _passes == 0:
                _ours = gc.get_freeze_count() == 0
                if _ours:
                    gc.freeze()
            _passes += 1
            counted = True
        yield
    finally:
        if counted:
            with _lock:
                _passes -= 1
                if _passes == 0 and _ours:
                    gc.unfreeze()
                    _ours = False
