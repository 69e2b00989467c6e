"""The ledger's Merkle tree against RFC 9162, its vectors and an independent library.

Three sources of truth are used: the transparency-dev/merkle proof vectors
(read in place from ../shared/vectors/rfc6962), a naive recursive
transcription of RFC 9162's MTH, PATH and PROOF written here, and pymerkle,
a separate implementation of the same tree.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import MalformedProofRequestError, ProofError, StorageError
from ledger.protocol.merkle import (
    EMPTY_ROOT,
    Frontier,
    MemoryNodeStore,
    NodeKey,
    NodeReader,
    consistency_proof,
    covering_nodes,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)
from tests.protocol.shared_vectors import (
    RFC6962_ENTRIES,
    SHARED_VECTORS,
    require_vector_file,
    unavailable,
    vector_files,
    vector_paths,
)
from tests.protocol.trees import memory_tree

ENTRIES = RFC6962_ENTRIES + [b"entry %d" % i for i in range(8, 70)]
"""70 distinct entries, starting with the RFC 6962 ones."""

RFC6962_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
"""Known roots of the first n RFC 6962 inputs (as in transparency-dev/merkle)."""


# --- a naive transcription of RFC 9162 section 2.1 --------------------------


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _split_point(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(entries: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 section 2.1.1."""
    if not entries:
        return _sha256(b"")
    if len(entries) == 1:
        return _sha256(b"\x00" + entries[0])
    k = _split_point(len(entries))
    return _sha256(b"\x01" + ref_mth(entries[:k]) + ref_mth(entries[k:]))


def ref_path(m: int, entries: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1."""
    if len(entries) == 1:
        return []
    k = _split_point(len(entries))
    if m < k:
        return [*ref_path(m, entries[:k]), ref_mth(entries[k:])]
    return [*ref_path(m - k, entries[k:]), ref_mth(entries[:k])]


def ref_subproof(m: int, entries: Sequence[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1."""
    if m == len(entries):
        return [] if whole else [ref_mth(entries)]
    k = _split_point(len(entries))
    if m <= k:
        return [*ref_subproof(m, entries[:k], whole), ref_mth(entries[k:])]
    return [*ref_subproof(m - k, entries[k:], False), ref_mth(entries[:k])]


def ref_proof(m: int, entries: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 section 2.1.4.1."""
    return ref_subproof(m, entries, True)


# --- helpers ---------------------------------------------------------------


class CountingReader:
    """A NodeReader that records each call, to check that proofs read once."""

    def __init__(self, inner: NodeReader) -> None:
        self.inner = inner
        self.calls: list[list[NodeKey]] = []

    def nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.calls.append(list(keys))
        return self.inner.nodes(keys)


@pytest.fixture(scope="module")
def tree70() -> MemoryNodeStore:
    store, _ = memory_tree(ENTRIES)
    return store


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _load(path: Path | None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(require_vector_file(path).read_text())
    return data


# --- the shared vectors ----------------------------------------------------


def _check(path: Path | None, check: Callable[[Mapping[str, Any], list[bytes]], object]) -> None:
    """Run ``check`` on the vector at ``path`` and its decoded proof.

    It must raise ``ProofError`` exactly when the vector wants an error.
    """
    vector = _load(path)
    proof = [_b64(node) for node in vector["proof"] or []]
    if vector["wantErr"]:
        with pytest.raises(ProofError):
            check(vector, proof)
    else:
        check(vector, proof)


@pytest.mark.parametrize("path", vector_files("rfc6962/inclusion"))
def test_inclusion_vector(path: Path | None) -> None:
    _check(
        path,
        lambda vector, proof: verify_inclusion(
            _b64(vector["leafHash"]),
            vector["leafIdx"],
            vector["treeSize"],
            proof,
            _b64(vector["root"]),
        ),
    )


@pytest.mark.parametrize("path", vector_files("rfc6962/consistency"))
def test_consistency_vector(path: Path | None) -> None:
    _check(
        path,
        lambda vector, proof: verify_consistency(
            vector["size1"],
            vector["size2"],
            proof,
            _b64(vector["root1"]),
            _b64(vector["root2"]),
        ),
    )


def test_the_vectors_happy_paths_are_proofs_over_the_rfc6962_inputs() -> None:
    """Our own proofs for the happy paths' (index, size) match the vector files."""
    store, _ = memory_tree(RFC6962_ENTRIES)
    happy = [path for path in vector_paths("rfc6962/inclusion") if path.name == "happy-path.json"]
    if not happy:
        unavailable(f"no inclusion happy paths under {SHARED_VECTORS}")
    checked = 0
    for path in happy:
        vector = _load(path)
        if vector["treeSize"] > len(RFC6962_ENTRIES) or len(_b64(vector["root"])) != 32:
            continue
        if _b64(vector["root"]) != ref_mth(RFC6962_ENTRIES[: vector["treeSize"]]):
            continue
        ours = inclusion_proof(store, vector["leafIdx"], vector["treeSize"])
        assert ours == [_b64(node) for node in vector["proof"] or []]
        checked += 1
    assert checked >= 4


# --- the stored tree against the naive RFC transcription ---------------------


def test_known_roots_of_the_rfc6962_inputs() -> None:
    store, frontier = memory_tree(RFC6962_ENTRIES)
    assert root(store, 0) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    for size, expected in RFC6962_ROOTS.items():
        assert root(store, size).hex() == expected
        assert ref_mth(RFC6962_ENTRIES[:size]).hex() == expected
    assert frontier.root().hex() == RFC6962_ROOTS[8]


def test_hash_functions_follow_rfc6962() -> None:
    assert leaf_hash(b"") == _sha256(b"\x00")
    assert node_hash(b"l" * 32, b"r" * 32) == _sha256(b"\x01" + b"l" * 32 + b"r" * 32)


def test_frontier_creates_every_complete_node_exactly_once() -> None:
    frontier = Frontier.empty()
    created: list[tuple[int, int, bytes]] = []
    for entry in ENTRIES:
        created.extend(frontier.append(leaf_hash(entry)))
    keys = [(level, index) for level, index, _ in created]
    assert len(keys) == len(set(keys))
    expected = {
        (level, index)
        for level in range(len(ENTRIES).bit_length())
        for index in range(len(ENTRIES) >> level)
    }
    assert set(keys) == expected
    for level, index, hash_ in created:
        width = 1 << level
        assert hash_ == ref_mth(ENTRIES[index * width : (index + 1) * width])


def test_append_returns_the_leaf_first_then_its_completed_parents() -> None:
    frontier = Frontier.empty()
    for entry in ENTRIES[:7]:
        frontier.append(leaf_hash(entry))
    created = frontier.append(leaf_hash(ENTRIES[7]))
    assert [(level, index) for level, index, _ in created] == [
        (0, 7),
        (1, 3),
        (2, 1),
        (3, 0),
    ]
    assert frontier.size == 8
    assert frontier.nodes == ((3, 0, ref_mth(ENTRIES[:8])),)


@pytest.mark.parametrize("size", range(0, 71))
def test_roots_and_frontiers_at_every_size(tree70: MemoryNodeStore, size: int) -> None:
    expected = ref_mth(ENTRIES[:size])
    reader = CountingReader(tree70)
    assert root(reader, size) == expected
    loaded = Frontier.load(reader, size)
    assert loaded.size == size
    assert loaded.root() == expected
    assert len(reader.calls) == (2 if size else 0)
    assert all(len(keys) <= size.bit_length() for keys in reader.calls)


def test_a_loaded_frontier_keeps_appending_where_it_left_off(
    tree70: MemoryNodeStore,
) -> None:
    frontier = Frontier.load(tree70, 37)
    store, _ = memory_tree(ENTRIES[:37])
    for entry in ENTRIES[37:]:
        for level, index, hash_ in frontier.append(leaf_hash(entry)):
            store.put(level, index, hash_)
    assert frontier.root() == ref_mth(ENTRIES)
    assert root(store, 70) == ref_mth(ENTRIES)


@pytest.mark.parametrize("size", range(1, 71))
def test_inclusion_proofs_at_every_index(tree70: MemoryNodeStore, size: int) -> None:
    tree_root = ref_mth(ENTRIES[:size])
    for index in range(size):
        reader = CountingReader(tree70)
        proof = inclusion_proof(reader, index, size)
        assert proof == ref_path(index, ENTRIES[:size])
        assert len(reader.calls) <= 1
        assert sum(len(keys) for keys in reader.calls) <= 2 * size.bit_length()
        leaf = leaf_hash(ENTRIES[index])
        verify_inclusion(leaf, index, size, proof, tree_root)
        assert root_from_inclusion(leaf, index, size, proof) == tree_root


@pytest.mark.parametrize("size2", range(1, 71))
def test_consistency_proofs_from_every_smaller_size(tree70: MemoryNodeStore, size2: int) -> None:
    root2 = ref_mth(ENTRIES[:size2])
    for size1 in range(1, size2 + 1):
        reader = CountingReader(tree70)
        proof = consistency_proof(reader, size1, size2)
        assert proof == ref_proof(size1, ENTRIES[:size2])
        assert len(reader.calls) <= 1
        assert sum(len(keys) for keys in reader.calls) <= 2 * size2.bit_length()
        verify_consistency(size1, size2, proof, ref_mth(ENTRIES[:size1]), root2)


def test_covering_nodes_are_maximal_aligned_ranges() -> None:
    assert covering_nodes(0, 0) == []
    assert covering_nodes(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert covering_nodes(5, 16) == [(0, 5), (1, 3), (3, 1)]
    assert covering_nodes(8, 11) == [(1, 4), (0, 10)]


# --- requests that have no proof ------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (3, 3), (4, 3), (-1, 3)], ids=str)
def test_inclusion_proof_outside_the_tree_is_refused(
    tree70: MemoryNodeStore, index: int, size: int
) -> None:
    with pytest.raises(MalformedProofRequestError):
        inclusion_proof(tree70, index, size)


@pytest.mark.parametrize(("size1", "size2"), [(0, 5), (0, 0), (6, 5), (-1, 5), (1, -1)], ids=str)
def test_consistency_proof_without_meaning_is_refused(
    tree70: MemoryNodeStore, size1: int, size2: int
) -> None:
    with pytest.raises(MalformedProofRequestError):
        consistency_proof(tree70, size1, size2)


def test_equal_sizes_have_an_empty_consistency_proof(tree70: MemoryNodeStore) -> None:
    reader = CountingReader(tree70)
    assert consistency_proof(reader, 9, 9) == []
    assert reader.calls == []


def test_a_store_missing_a_node_is_a_storage_error() -> None:
    store, _ = memory_tree(ENTRIES[:5])
    with pytest.raises(StorageError):
        root(store, 6)
    with pytest.raises(StorageError):
        inclusion_proof(store, 0, 8)
    with pytest.raises(StorageError):
        Frontier.load(store, 7)


def test_a_stored_node_cannot_be_rewritten() -> None:
    store = MemoryNodeStore()
    store.put(0, 0, leaf_hash(b"a"))
    store.put(0, 0, leaf_hash(b"a"))
    with pytest.raises(StorageError):
        store.put(0, 0, leaf_hash(b"b"))


def test_a_frontier_must_cover_its_size() -> None:
    with pytest.raises(ValueError, match="do not cover"):
        Frontier(3, [(1, 0, leaf_hash(b"x"))])
    with pytest.raises(ValueError, match="32 bytes"):
        Frontier.empty().append(b"short")


# --- verification refuses what is not a proof -------------------------------


def test_tampered_inclusion_proofs_fail(tree70: MemoryNodeStore) -> None:
    size, index = 45, 21
    proof = inclusion_proof(tree70, index, size)
    tree_root = root(tree70, size)
    leaf = leaf_hash(ENTRIES[index])
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([proof[position][0] ^ 1]) + proof[position][1:]
        with pytest.raises(ProofError):
            verify_inclusion(leaf, index, size, flipped, tree_root)
    for wrong_index in (index - 1, index + 1, index ^ 2):
        with pytest.raises(ProofError):
            verify_inclusion(leaf, wrong_index, size, proof, tree_root)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, proof[:-1], tree_root)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, [*proof, proof[0]], tree_root)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, [b"\x00" + p for p in proof], tree_root)


def test_tampered_consistency_proofs_fail(tree70: MemoryNodeStore) -> None:
    size1, size2 = 23, 61
    proof = consistency_proof(tree70, size1, size2)
    root1, root2 = root(tree70, size1), root(tree70, size2)
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = proof[position][:-1] + bytes([proof[position][-1] ^ 0x80])
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, flipped, root1, root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, proof, root2, root1)
    with pytest.raises(ProofError):
        verify_consistency(size1 + 1, size2, proof, root1, root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, proof[1:], root1, root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, [], root1, root2)


def test_inner_node_presented_as_a_leaf_never_verifies() -> None:
    """Second preimage: left || right of an inner node offered as a log entry.

    Without the 0x00 / 0x01 prefixes that entry would hash to the inner
    node itself and prove its "inclusion" in a shallower tree.
    """
    size = 32
    store, _ = memory_tree(ENTRIES[:size])
    tree_root = root(store, size)
    for level in range(1, 6):
        for index in range(size >> level):
            left = store.nodes([(level - 1, 2 * index)])[(level - 1, 2 * index)]
            right = store.nodes([(level - 1, 2 * index + 1)])[(level - 1, 2 * index + 1)]
            forged_leaf = leaf_hash(left + right)
            shallow_size = size >> level
            shallow_proof = inclusion_proof(store, index << level, size)[level:]
            verify_inclusion(node_hash(left, right), index, shallow_size, shallow_proof, tree_root)
            with pytest.raises(ProofError):
                verify_inclusion(forged_leaf, index, shallow_size, shallow_proof, tree_root)
            for leaf_index in range(size):
                with pytest.raises(ProofError):
                    verify_inclusion(
                        forged_leaf,
                        leaf_index,
                        size,
                        inclusion_proof(store, leaf_index, size),
                        tree_root,
                    )


# --- properties -------------------------------------------------------------


@st.composite
def trees_with_index(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    entries = draw(st.lists(st.binary(max_size=12), min_size=1, max_size=150))
    size = draw(st.integers(min_value=1, max_value=len(entries)))
    index = draw(st.integers(min_value=0, max_value=size - 1))
    return entries, index, size


@settings(max_examples=60, deadline=None)
@given(trees_with_index(), st.data())
def test_any_inclusion_proof_verifies_and_any_flip_breaks_it(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    entries, index, size = case
    store, _ = memory_tree(entries)
    proof = inclusion_proof(store, index, size)
    tree_root = root(store, size)
    assert tree_root == ref_mth(entries[:size])
    verify_inclusion(leaf_hash(entries[index]), index, size, proof, tree_root)
    if proof:
        position = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        flipped = list(proof)
        node = bytearray(proof[position])
        node[bit // 8] ^= 1 << (bit % 8)
        flipped[position] = bytes(node)
        with pytest.raises(ProofError):
            verify_inclusion(leaf_hash(entries[index]), index, size, flipped, tree_root)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.data())
def test_any_consistency_proof_verifies(size2: int, data: st.DataObject) -> None:
    size1 = data.draw(st.integers(1, size2))
    entries = [b"%d" % i for i in range(size2)]
    store, frontier = memory_tree(entries)
    proof = consistency_proof(store, size1, size2)
    root1, root2 = root(store, size1), frontier.root()
    verify_consistency(size1, size2, proof, root1, root2)
    if size1 < size2:
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, proof, root2, root1)


# --- an independent implementation: pymerkle --------------------------------


def _pymerkle() -> ModuleType:
    try:
        return importlib.import_module("pymerkle")
    except ImportError:
        unavailable("pymerkle is not installed; it is a test dependency")


def test_pymerkle_agrees_on_roots_and_checks_our_inclusion_proofs(
    tree70: MemoryNodeStore,
) -> None:
    """pymerkle (sha256, security mode) builds the same RFC 9162 tree.

    Its inclusion proofs are ``[leaf] + RFC 9162 PATH`` with direction bits,
    so each of ours is handed, leaf first, to pymerkle's own verifier.  Its
    consistency proofs split the tree differently from RFC 9162 PROOF, so
    for those only the roots are compared, through its consistency check.
    """
    pymerkle = _pymerkle()
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    for entry in ENTRIES[:40]:
        tree.append_entry(entry)
    for size in range(1, 41):
        our_root = root(tree70, size)
        assert tree.get_root(size) == our_root
        for index in range(size):
            ours = inclusion_proof(tree70, index, size)
            theirs = tree.prove_inclusion(index + 1, size)
            assert theirs.path[1:] == ours
            leaf = leaf_hash(ENTRIES[index])
            as_pymerkle = pymerkle.InclusionProof(
                "sha256", True, size, index + 1, theirs.rule, [leaf, *ours]
            )
            pymerkle.verify_inclusion(leaf, our_root, as_pymerkle)
        for size1 in range(1, size + 1):
            pymerkle.verify_consistency(
                root(tree70, size1), our_root, tree.prove_consistency(size1, size)
            )
