"""The ledger's Merkle tree: RFC 9162 section 2.1 (the hashing of RFC 6962).

Two halves live here.

*Verification* is pure: :func:`verify_inclusion` and
:func:`verify_consistency` follow the algorithms of RFC 9162 sections
2.1.3.2 and 2.1.4.2 step by step, so that an auditor can read them beside
the RFC.  They need only :mod:`hashlib` and :mod:`hmac`.

*Proof generation* reads a stored tree.  The tree is stored as complete
subtree nodes: node ``(level, index)`` is the root hash of the perfect
subtree over leaves ``[index * 2**level, (index + 1) * 2**level)``; level 0
holds the leaf hashes.  Every hash RFC 9162 asks for is either such a node
or the root of a subtree on the right edge of the tree, which is folded
from the complete nodes that cover it.  Each proof therefore names the
O(log n) nodes it needs and fetches them in one :class:`NodeReader` call.
A :class:`Frontier` (the complete nodes covering ``[0, size)``) lets the
appender add leaves and learn which complete nodes each one creates.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from ledger.errors import MalformedProofRequestError, ProofError, StorageError

HASH_SIZE = 32
"""Bytes in a SHA-256 hash, and so in every leaf, node and root hash."""

MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size accepted, as RFC 9162 sizes are 64-bit integers."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""MTH({}), the root hash of the empty tree: SHA-256 of no bytes."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

NodeKey = tuple[int, int]
"""``(level, index)`` of a complete subtree node."""


def leaf_hash(entry: bytes) -> bytes:
    """Return the RFC 6962 leaf hash of a log entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 6962 hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -----------------


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """Return the root hash that an inclusion proof leads to.

    Runs RFC 9162 section 2.1.3.2 up to the final comparison with the root.

    Raises:
        ProofError: the index is not inside the tree, a hash is not 32
            bytes long, or the proof has too many or too few hashes for
            this index and size.
    """
    if not 0 <= index < size <= MAX_TREE_SIZE:
        raise ProofError(
            f"leaf index {index} is not inside a tree of size {size}",
            index=index,
            size=size,
        )
    _check_hash(leaf, "leaf hash")
    for node in proof:
        _check_hash(node, "inclusion proof hash")
    r = leaf
    for p, left in _climb(index, size - 1, proof, "inclusion", index=index, size=size):
        r = node_hash(p, r) if left else node_hash(r, p)
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf`` is the leaf hash at ``index`` in the tree with ``root``.

    Implements RFC 9162 section 2.1.3.2 exactly; this is how a bundle's
    reader knows an envelope is in the ledger a checkpoint signs.

    Raises:
        ProofError: the proof does not lead from the leaf to the root, or
            the index, size or hashes are not well formed.
    """
    computed = root_from_inclusion(leaf, index, size, proof)
    if not hmac.compare_digest(computed, root):
        raise ProofError("inclusion proof does not lead to the root hash", index=index, size=size)


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree with ``root2`` extends the tree with ``root1``.

    Implements RFC 9162 section 2.1.4.2, which defines consistency for
    ``0 < size1 < size2``; for ``size1 == size2`` the proof must be empty
    and the two roots equal.  A consistency proof is what lets a witness or
    an auditor know that the log only ever appended.

    Raises:
        ProofError: the proof does not verify, or the sizes are outside
            ``0 < size1 <= size2`` (a consistency proof from the empty tree
            proves nothing, so it is refused rather than accepted blindly).
    """
    if not 0 < size1 <= size2 <= MAX_TREE_SIZE:
        raise ProofError(
            f"no consistency proof exists from size {size1} to size {size2}",
            size1=size1,
            size2=size2,
        )
    if size1 == size2:
        _verify_same_tree(size1, proof, root1, root2)
        return
    if not proof:
        raise ProofError("consistency proof is empty", size1=size1, size2=size2)
    for node in proof:
        _check_hash(node, "consistency proof hash")
    first, second = _consistency_roots(size1, size2, proof, root1)
    if not hmac.compare_digest(first, root1):
        raise ProofError(
            "consistency proof does not lead to the first root",
            size1=size1,
            size2=size2,
        )
    if not hmac.compare_digest(second, root2):
        raise ProofError(
            "consistency proof does not lead to the second root",
            size1=size1,
            size2=size2,
        )


def _verify_same_tree(size: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Between equal sizes the proof is empty and the roots are equal."""
    if proof:
        raise ProofError(
            "consistency proof between equal sizes must be empty", size1=size, size2=size
        )
    if not hmac.compare_digest(root1, root2):
        raise ProofError("trees of equal size have different roots", size1=size, size2=size)


def _consistency_roots(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes
) -> tuple[bytes, bytes]:
    """The two roots a consistency proof leads to (RFC 9162 section 2.1.4.2, steps 1-7).

    Raises ProofError when the proof has too many or too few hashes.
    """
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        # A first tree of a power-of-two size is itself a node of the second:
        # the proof leaves it out, the verifier starts from its root.
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c, left in _climb(fn, sn, path[1:], "consistency", size1=size1, size2=size2):
        if left:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    return fr, sr


def _climb(
    fn: int, sn: int, proof: Sequence[bytes], kind: str, **where: int
) -> Iterator[tuple[bytes, bool]]:
    """Walk RFC 9162's node numbers ``fn`` and ``sn`` up the tree, a level for each hash
    of ``proof``: yield the hash and whether it is the left sibling (hashed in first).

    Both verifications take this walk (sections 2.1.3.2 and 2.1.4.2).  Raises
    ProofError (``where`` as its details) when the proof has too many or too few
    hashes for it.
    """
    for node in proof:
        if sn == 0:
            raise ProofError(f"{kind} proof is too long", **where)
        left = bool(fn & 1) or fn == sn
        yield node, left
        if left:
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(f"{kind} proof is too short", **where)


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, not {HASH_SIZE}")


# --- the stored tree ------------------------------------------------------


class NodeReader(Protocol):
    """Reads complete subtree nodes from wherever the tree is stored."""

    def nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Return the hashes of the nodes ``(level, index)`` asked for, in one read.

        Nodes the store does not hold are left out of the mapping.
        """
        ...


class MemoryNodeStore:
    """A dict of complete subtree nodes: for tests and for trees built in memory."""

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, bytes] = {}

    def put(self, level: int, index: int, hash_: bytes) -> None:
        """Store node ``(level, index)``.

        Raises:
            StorageError: the node is stored with another hash; complete
                nodes never change.
        """
        key = (level, index)
        existing = self._nodes.get(key)
        if existing is not None and existing != hash_:
            raise StorageError(f"node {key} is already stored with another hash")
        self._nodes[key] = hash_

    def nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Return the stored nodes among ``keys``."""
        return {key: self._nodes[key] for key in keys if key in self._nodes}


def covering_nodes(begin: int, end: int) -> list[NodeKey]:
    """Split leaves ``[begin, end)`` into maximal aligned power-of-two ranges.

    Returns the complete subtree nodes covering the range, left to right.
    For a subtree of an RFC 9162 tree (and so for ``[0, size)``) their
    sizes strictly decrease, and folding them from the right gives the
    subtree's hash.
    """
    keys: list[NodeKey] = []
    while begin < end:
        level = (end - begin).bit_length() - 1
        if begin:
            level = min(level, (begin & -begin).bit_length() - 1)
        keys.append((level, begin >> level))
        begin += 1 << level
    return keys


def root(reader: NodeReader, size: int) -> bytes:
    """Return MTH of the first ``size`` leaves of the stored tree.

    Raises:
        MalformedProofRequestError: the size is negative or too large.
        StorageError: the store lacks a node the tree of this size must have.
    """
    _check_size(size)
    if size == 0:
        return EMPTY_ROOT
    ranges = [(0, size)]
    return _subtree_hashes(reader, ranges)[0]


def inclusion_proof(reader: NodeReader, index: int, size: int) -> list[bytes]:
    """Return PATH(index, D[size]) of RFC 9162 section 2.1.3.1 from the stored tree.

    Raises:
        MalformedProofRequestError: ``index`` is not in ``[0, size)``.
        StorageError: the store lacks a node the proof needs.
    """
    _check_size(size)
    if not 0 <= index < size:
        raise MalformedProofRequestError(
            f"leaf index {index} is not inside a tree of size {size}",
            index=index,
            size=size,
        )
    return _subtree_hashes(reader, _inclusion_ranges(index, size))


def consistency_proof(reader: NodeReader, size1: int, size2: int) -> list[bytes]:
    """Return PROOF(size1, D[size2]) of RFC 9162 section 2.1.4.1 from the stored tree.

    Raises:
        MalformedProofRequestError: not ``0 < size1 <= size2``; RFC 9162
            defines no proof from the empty tree.
        StorageError: the store lacks a node the proof needs.
    """
    _check_size(size2)
    if not 0 < size1 <= size2:
        raise MalformedProofRequestError(
            f"no consistency proof exists from size {size1} to size {size2}",
            size1=size1,
            size2=size2,
        )
    return _subtree_hashes(reader, _consistency_ranges(size1, size2))


def _check_size(size: int) -> None:
    if not 0 <= size <= MAX_TREE_SIZE:
        raise MalformedProofRequestError(f"tree size {size} is out of range", size=size)


def _split(width: int) -> int:
    """The k of RFC 9162: the largest power of two smaller than ``width`` (> 1)."""
    return 1 << ((width - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes make up PATH(index, D[size]), in proof order."""
    ranges: list[tuple[int, int]] = []
    begin, end = 0, size
    while end - begin > 1:
        k = _split(end - begin)
        if index < begin + k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
    ranges.reverse()
    return ranges


def _consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes make up PROOF(size1, D[size2]), in proof order."""
    ranges: list[tuple[int, int]] = []
    begin, end, m = 0, size2, size1
    whole_old_tree = True
    while m != end - begin:
        k = _split(end - begin)
        if m <= k:
            ranges.append((begin + k, end))
            end = begin + k
        else:
            ranges.append((begin, begin + k))
            begin += k
            m -= k
            whole_old_tree = False
    if not whole_old_tree:
        ranges.append((begin, end))
    ranges.reverse()
    return ranges


def _subtree_hashes(reader: NodeReader, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """Hash each RFC 9162 subtree in ``ranges``, reading all nodes in one call."""
    covers = [covering_nodes(begin, end) for begin, end in ranges]
    wanted = list(dict.fromkeys(key for cover in covers for key in cover))
    found = reader.nodes(wanted) if wanted else {}
    hashes: list[bytes] = []
    for cover in covers:
        folded = _stored(found, cover[-1])
        for key in reversed(cover[:-1]):
            folded = node_hash(_stored(found, key), folded)
        hashes.append(folded)
    return hashes


def _stored(found: Mapping[NodeKey, bytes], key: NodeKey) -> bytes:
    hash_ = found.get(key)
    if hash_ is None:
        raise StorageError(f"Merkle node {key} is missing from the store", node=key)
    if len(hash_) != HASH_SIZE:
        raise StorageError(f"Merkle node {key} is not a {HASH_SIZE}-byte hash", node=key)
    return hash_


class Frontier:
    """The right edge of the tree: the complete nodes covering ``[0, size)``.

    The appender keeps one so that appending a leaf needs no read: it
    returns every complete node the leaf creates, for the appender to store
    in the same transaction as the entry.
    """

    def __init__(self, size: int, nodes: Sequence[tuple[int, int, bytes]]) -> None:
        """Build a frontier from its nodes ``(level, index, hash)``, left to right.

        Raises:
            ValueError: the nodes are not exactly the covering nodes of
                ``[0, size)`` or a hash is not 32 bytes.
        """
        expected = covering_nodes(0, size)
        if [(level, index) for level, index, _ in nodes] != expected:
            raise ValueError(f"nodes do not cover a tree of size {size}")
        if any(len(hash_) != HASH_SIZE for _, _, hash_ in nodes):
            raise ValueError(f"frontier hashes must be {HASH_SIZE} bytes")
        self._size = size
        self._nodes = list(nodes)

    @classmethod
    def empty(cls) -> Frontier:
        """The frontier of the empty tree."""
        return cls(0, [])

    @classmethod
    def load(cls, reader: NodeReader, size: int) -> Frontier:
        """Read the frontier of the stored tree of ``size`` leaves in one call.

        Raises:
            MalformedProofRequestError: the size is negative or too large.
            StorageError: the store lacks one of the frontier's nodes.
        """
        _check_size(size)
        keys = covering_nodes(0, size)
        found = reader.nodes(keys) if keys else {}
        return cls(size, [(level, index, _stored(found, (level, index))) for level, index in keys])

    @property
    def size(self) -> int:
        """Number of leaves in the tree."""
        return self._size

    @property
    def nodes(self) -> tuple[tuple[int, int, bytes], ...]:
        """The covering nodes ``(level, index, hash)``, left to right."""
        return tuple(self._nodes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash and return every complete node it creates.

        The first node returned is the leaf itself at level 0; each further
        one is a parent completed by it, up to the highest.

        Raises:
            ValueError: the leaf hash is not 32 bytes.
        """
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"a leaf hash must be {HASH_SIZE} bytes")
        if self._size >= MAX_TREE_SIZE:
            raise ValueError("the tree is full")
        level, index, hash_ = 0, self._size, leaf
        created = [(level, index, hash_)]
        while self._nodes and self._nodes[-1][0] == level:
            _, _, left = self._nodes.pop()
            level, index, hash_ = level + 1, index >> 1, node_hash(left, hash_)
            created.append((level, index, hash_))
        self._nodes.append((level, index, hash_))
        self._size += 1
        return created

    def root(self) -> bytes:
        """Return the root hash of the tree the frontier covers."""
        if not self._nodes:
            return EMPTY_ROOT
        folded = self._nodes[-1][2]
        for _, _, hash_ in reversed(self._nodes[:-1]):
            folded = node_hash(hash_, folded)
        return folded
