"""The writes the ledger service makes in one transaction, as a protocol.

The service locks a ledger, appends entries, redacts payloads and signs
checkpoints through a ``LedgerTransaction``, so it holds no database
session and imports no SQLAlchemy.  ``Store.transaction()`` opens one: all
of it commits when the ``with`` block ends, none of it if the block raises.
Reads made inside the block (through the store) see what it has written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ledger.storage.store import LedgerRow


@dataclass(frozen=True)
class NewLeaf:
    """One event to store as the log's next leaf, with everything kept beside it."""

    origin: str
    leaf_index: int
    stream: str
    seq: int
    event_type: str
    actor: str
    claimed_time: str
    recorded_at: str
    entry: bytes
    payload: bytes
    salts: bytes
    """Canonical JSON object: field name -> base64 salt."""
    nodes: Sequence[tuple[int, int, bytes]]
    """The tree's complete-subtree hashes this leaf completes: (level, index, hash)."""


class LedgerTransaction(Protocol):
    """One unit of work on the ledger's tables and the event store."""

    def lock_ledger(self, origin: str, *, grow: int = 0) -> int | None:
        """Take the ledger's write lock, add ``grow`` to its size; return the size before.

        None if there is no such ledger.
        """
        ...

    def set_tree_size(self, origin: str, size: int) -> None:
        """Correct the size ``lock_ledger`` set when fewer events landed."""
        ...

    def insert_ledger(self, row: LedgerRow) -> None:
        """Record a new ledger."""
        ...

    def append(self, leaf: NewLeaf) -> int:
        """Store one entry and everything beside it; return its notification id.

        Raises ConflictError when the stream already has that sequence number.
        """
        ...

    def redact(self, origin: str, stream: str, seq: int, fields: list[str], by_leaf: int) -> None:
        """Erase the named fields (values and salts) of one event; the entry stays."""
        ...

    def latest_checkpoint(self, origin: str) -> tuple[int, bytes, str] | None:
        """The newest checkpoint's (size, root, note), as this transaction sees it."""
        ...

    def checkpoint_note(self, origin: str, tree_size: int) -> str | None:
        """The signed note of the checkpoint at ``tree_size``, if one was signed."""
        ...

    def set_checkpoint_note(self, origin: str, tree_size: int, note: str) -> None:
        """Replace a checkpoint's note by the same text with more (co)signatures."""
        ...

    def insert_checkpoint(
        self, origin: str, tree_size: int, root: bytes, note: str, issued_at: str
    ) -> None:
        """Keep a signed checkpoint."""
        ...
