"""Stream heads: what a checkpoint commits to beside the Merkle root (completeness).

The Merkle tree proves that an event is in the log; it cannot prove that a
bundle holds *every* event of a stream.  So each checkpoint also commits to
the head of every stream at its size: the sequence number, envelope hash
and leaf index of the stream's last event.  The heads form their own
RFC 6962 tree, one leaf per stream in byte order of the stream name::

    head leaf = canonical({"hash": hex, "leaf_index": n, "seq": n, "stream": s})

and the checkpoint carries its size and root in one extension line::

    medledger/heads/v2 <number of streams> <base64 root>

A bundle proves a stream complete with the stream's head, its inclusion
proof in the heads tree, and every event of the stream from 1 to the head's
sequence number, each chained to the one before: leaving an event out
breaks the chain or misses the head.  The log key signs the line with the
checkpoint and witnesses cosign it; full verification (``medledger verify``)
recomputes it from the log, so an operator who commits to a false head is
caught by anyone who holds the log.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.errors import MalformedCheckpointError, ProofError
from ledger.protocol import merkle
from ledger.protocol.b64 import b64decode, b64encode
from ledger.protocol.canonical import canonical

HEADS_LINE = "medledger/heads/v2"
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True, order=True)
class StreamTip:
    """The last event of one stream at a checkpoint's size."""

    stream: str
    seq: int
    hash: str
    leaf_index: int

    def leaf(self) -> bytes:
        return canonical(
            {
                "hash": self.hash,
                "leaf_index": self.leaf_index,
                "seq": self.seq,
                "stream": self.stream,
            }
        )

    def leaf_hash(self) -> bytes:
        return merkle.leaf_hash(self.leaf())


class HeadsTree:
    """The heads of every stream at one tree size, as an RFC 6962 tree."""

    def __init__(self, tips: Iterable[StreamTip]) -> None:
        self.tips = sorted(tips, key=lambda tip: tip.stream.encode())
        self._index = {tip.stream: i for i, tip in enumerate(self.tips)}
        if len(self._index) != len(self.tips):
            raise ProofError("a stream has two heads")
        self._nodes = merkle.MemoryNodeStore()
        frontier = merkle.Frontier.empty()
        for tip in self.tips:
            for level, index, hash_ in frontier.append(tip.leaf_hash()):
                self._nodes.put(level, index, hash_)
        self.root = frontier.root()

    @property
    def count(self) -> int:
        return len(self.tips)

    def line(self) -> str:
        """The checkpoint's extension line."""
        return f"{HEADS_LINE} {self.count} {b64encode(self.root)}"

    def tip(self, stream: str) -> StreamTip | None:
        index = self._index.get(stream)
        return None if index is None else self.tips[index]

    def proof(self, stream: str) -> tuple[StreamTip, int, list[bytes]]:
        """The stream's head, its index in the heads tree and its inclusion proof."""
        index = self._index[stream]
        return self.tips[index], index, merkle.inclusion_proof(self._nodes, index, self.count)

    def proven(self, streams: Iterable[str]) -> dict[str, Any]:
        """A bundle's ``heads`` member: each stream's head with its index and inclusion proof
        (docs/PROTOCOL.md section 13).  Raises KeyError for a stream with no head here."""
        proofs: dict[str, Any] = {}
        for stream in streams:
            tip, index, proof = self.proof(stream)
            proofs[stream] = {
                "seq": tip.seq,
                "hash": tip.hash,
                "leaf_index": tip.leaf_index,
                "index": index,
                "proof": [b64encode(p) for p in proof],
            }
        return {"count": self.count, "streams": proofs}


def parse_heads_line(extensions: Sequence[str]) -> tuple[int, bytes]:
    """The (stream count, heads root) a checkpoint's extension lines commit to.

    Raises MalformedCheckpointError when there is not exactly one heads line or it is
    malformed (count a decimal without leading zeros, root canonical base64 of 32 bytes).
    """
    found = [line for line in extensions if line.startswith(HEADS_LINE + " ")]
    if len(found) != 1:
        raise MalformedCheckpointError("a checkpoint carries exactly one stream-heads line")
    parts = found[0].split(" ")
    if len(parts) != 3 or _DECIMAL.fullmatch(parts[1]) is None:
        raise MalformedCheckpointError("the stream-heads line is malformed")
    root = b64decode(parts[2], what="heads root", error=MalformedCheckpointError, length=32)
    return int(parts[1]), root


def verify_tip(tip: StreamTip, index: int, count: int, proof: Sequence[bytes], root: bytes) -> None:
    """Return None if ``tip`` is leaf ``index`` of the heads tree with ``root``; raise ProofError."""
    if not 0 <= index < count:
        raise ProofError(f"head index {index} is outside the {count} streams")
    found = merkle.root_from_inclusion(tip.leaf_hash(), index, count, proof)
    if not hmac.compare_digest(found, root):
        raise ProofError(f"the head of {tip.stream} is not in the checkpoint's stream heads")
