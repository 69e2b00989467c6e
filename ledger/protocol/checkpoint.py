"""A tlog-checkpoint body: the log's statement of its tree size and root hash.

A checkpoint (https://c2sp.org/tlog-checkpoint) says "the tree of this
ledger has ``size`` leaves and this root hash".  Its text is the note
text of a signed note (``ledger.protocol.note``) that the log signs and
witnesses cosign (``ledger.protocol.cosignature``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.errors import MalformedCheckpointError
from ledger.protocol.b64 import b64decode, b64encode
from ledger.protocol.note import check_note_characters, check_note_text

HASH_SIZE = 32
"""Bytes in a checkpoint's root hash (SHA-256)."""

MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size a checkpoint may state."""

MAX_EXTENSION_LINES = 16
"""Most extension lines read from one checkpoint (C2SP advises none at all)."""

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: origin, tree size, root hash and extension lines.

    Raises MalformedCheckpointError on construction if a field cannot be
    written as a checkpoint line.
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin:
            raise MalformedCheckpointError("checkpoint origin is empty")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise MalformedCheckpointError(f"tree size {self.size} is out of range")
        if len(self.root) != HASH_SIZE:
            raise MalformedCheckpointError(f"root hash is {len(self.root)} bytes, not {HASH_SIZE}")
        if len(self.extensions) > MAX_EXTENSION_LINES:
            raise MalformedCheckpointError("checkpoint has too many extension lines")
        for line in (self.origin, *self.extensions):
            if not line or "\n" in line:
                raise MalformedCheckpointError("checkpoint lines must be non-empty single lines")
            check_note_characters(line)

    def text(self) -> str:
        """The checkpoint as note text: one line per field, each ending in a newline."""
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint's note text.

        The size must be ASCII decimal without leading zeros and the root
        the canonical base64 of 32 bytes, so that each checkpoint has
        exactly one text.

        Raises:
            MalformedCheckpointError: the text is not a tlog-checkpoint.
        """
        check_note_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpointError("a checkpoint has at least three lines")
        origin, size_line, root_line, *extensions = lines
        if not _DECIMAL.fullmatch(size_line):
            raise MalformedCheckpointError("tree size must be decimal digits without leading zeros")
        root_hash = b64decode(root_line, what="root hash", error=MalformedCheckpointError)
        return cls(origin, int(size_line), root_hash, tuple(extensions))
