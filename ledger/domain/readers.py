"""Who may read a matter, as of the ledger state's position (docs/PROTOCOL.md section 9a).

One rule, over :class:`ledger.domain.state.LedgerState`:

- the bodies that read a matter are those its management side addressed
  (``MatterState.readers``: the responsible body, bodies sent material or a
  hearing, consulted or met in by the management side, and bodies a reading
  body escalated to); a body never becomes a reader by its own action;
- a person reads a matter when they sit in one of those bodies *now*, or are
  its decision maker; leaving a body ends reading its matters, those opened
  before as well as after (what a person did themselves stays in their own
  involvement record and receipts, which disclose no one else's text);
- an auditor reads every matter of their ledger.

Pure functions; no I/O.  The HTTP edge applies them in ``api/access.py``.
"""

from __future__ import annotations

from ledger.domain.state import LedgerState


def reading_bodies(state: LedgerState, matter_id: str) -> frozenset[str]:
    """The bodies whose members may read ``matter_id`` now (empty for an unknown matter)."""
    matter = state.matters.get(matter_id)
    # A snapshot (frozenset(...) copies in one step under the GIL): appends in other
    # threads fold events into this state while requests read it.
    return frozenset() if matter is None else frozenset(matter.readers)


def may_read_matter(state: LedgerState, person: str, matter_id: str) -> bool:
    """May ``person`` read ``matter_id`` (its events, payloads and read models) now?"""
    registry = state.registry
    if registry.is_auditor(person):
        return True
    matter = state.matters.get(matter_id)
    if matter is None:
        return False
    if person == matter.decision_maker:
        return True
    return any(
        person in registry.members.get(body, {}) for body in reading_bodies(state, matter_id)
    )
