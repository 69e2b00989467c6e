"""Which matters name a document: the digests a matter's signed events reference.

A document is named by its SHA-256 in ``MaterialShared.documents`` and in a
meeting's minutes (``MeetingHeld.minutes_sha256``; approvals and the
publication sign the same digest).  Whoever may read one of those matters
may read the document (``api/access.py``).  Pure functions; no I/O.
"""

from __future__ import annotations

import re

from ledger.domain import events as ev
from ledger.domain.state import LedgerState

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def digests_of(payload: ev.Payload | None) -> list[str]:
    """The document digests one event's payload names."""
    if isinstance(payload, ev.MaterialShared):
        return [document.sha256 for document in payload.documents]
    if isinstance(payload, ev.MeetingHeld) and payload.minutes_sha256 is not None:
        return [payload.minutes_sha256]
    return []


def matters_naming(state: LedgerState, sha256: str) -> list[str]:
    """The matters whose events name the document ``sha256``, sorted."""
    found = []
    # Snapshots (list(...) copies in one step under the GIL): appends in other threads
    # fold events into this state while requests read it.
    for matter_id, matter in list(state.matters.items()):
        events = list(matter.events.values())
        if any(sha256 in digests_of(info.payload) for info in events):
            found.append(matter_id)
    return sorted(found)
