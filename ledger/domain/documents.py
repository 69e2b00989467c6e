"""Which matters name a document: the digests a matter's signed events reference.

A document is named by its SHA-256 in ``MaterialShared.documents`` and in a
meeting's minutes (``MeetingHeld.minutes_sha256``; approvals and the
publication sign the same digest).  Whoever may read one of those matters
may read the document (``api/access.py``).  Pure functions and the kept document's
value (``StoredDocument``, which storage keeps and the service hands out); no I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ledger.domain.readers import may_read_matter
from ledger.domain.state import LedgerState


@dataclass(frozen=True)
class StoredDocument:
    """One kept document: its bytes as read back, and what was said of it on its first
    upload (storage keeps who else uploaded the same bytes)."""

    sha256: str
    content: bytes
    media_type: str
    uploaded_by: str
    uploaded_at: str


def matters_naming(state: LedgerState, sha256: str) -> list[tuple[str, str]]:
    """``(matter, actor)`` for each event that names the document ``sha256``, sorted
    (each matter keeps the digests its events name: ``MatterState.named``)."""
    # Snapshots (list(...) copies in one step under the GIL): appends in other threads
    # fold events into this state while requests read it.
    return sorted(
        (matter_id, actor)
        for matter_id, matter in list(state.matters.items())
        for actor in list(matter.named.get(sha256, ()))
    )


def matters_sharing(state: LedgerState, sha256: str, uploaders: Collection[str]) -> set[str]:
    """The matters whose readers may read the document ``sha256``.

    Naming a digest in a matter is not enough to read its document: anyone
    who may share material could otherwise name a digest they learnt
    elsewhere (from a receipt's routing fields, say) in a matter of their
    own and read the bytes through it. A naming counts when its signer
    uploaded the document (anyone who uploaded those bytes holds them), or
    could read it already through a matter an uploader named it in.
    """
    named = matters_naming(state, sha256)
    by_uploader = {m for m, actor in named if actor in uploaders}
    return by_uploader | {
        m
        for m, actor in named
        if actor not in uploaders and any(may_read_matter(state, actor, t) for t in by_uploader)
    }
