"""The Merkle tree at its limits, and what each refusal says.

RFC 9162 sizes are 64-bit: a tree may hold 2**64 - 1 leaves and no more.
Proofs in such a tree are not built here (no store holds it) but written
out by hand from the RFC's shape of the right and left edges, so the
largest size is checked to verify, and the next one to be refused.  Every
refusal is a ProofError (or, for a proof request, a
MalformedProofRequestError or StorageError) whose details name the index,
sizes or node it is about, since clients read those details.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from ledger.errors import LedgerError, MalformedProofRequestError, ProofError, StorageError
from ledger.protocol import merkle
from tests.protocol.trees import memory_tree

LEAF = merkle.leaf_hash(b"the last entry")
NODES = [merkle.leaf_hash(b"node %d" % i) for i in range(64)]


def _fold_left_siblings(leaf: bytes, siblings: list[bytes]) -> bytes:
    """The root above ``leaf`` when every sibling on its way up lies to its left."""
    result = leaf
    for sibling in siblings:
        result = merkle.node_hash(sibling, result)
    return result


def _fold_right_siblings(leaf: bytes, siblings: list[bytes]) -> bytes:
    """The root above ``leaf`` when every sibling on its way up lies to its right."""
    result = leaf
    for sibling in siblings:
        result = merkle.node_hash(result, sibling)
    return result


def test_the_last_leaf_of_the_largest_tree_has_a_proof_of_63_hashes() -> None:
    # 2**64 - 1 leaves: the last leaf's siblings are the complete subtrees of
    # 2, 4, ..., 2**63 leaves to its left, lowest first.
    proof = NODES[:63]
    merkle.verify_inclusion(
        LEAF,
        merkle.MAX_TREE_SIZE - 1,
        merkle.MAX_TREE_SIZE,
        proof,
        _fold_left_siblings(LEAF, proof),
    )


def test_the_first_leaf_of_the_largest_tree_has_a_proof_of_64_hashes() -> None:
    proof = NODES[:64]
    merkle.verify_inclusion(LEAF, 0, merkle.MAX_TREE_SIZE, proof, _fold_right_siblings(LEAF, proof))


def test_a_tree_one_leaf_larger_than_64_bits_is_refused() -> None:
    proof = NODES[:64]
    with pytest.raises(ProofError) as raised:
        merkle.verify_inclusion(
            LEAF, 0, merkle.MAX_TREE_SIZE + 1, proof, _fold_right_siblings(LEAF, proof)
        )
    assert raised.value.details == {"index": 0, "size": merkle.MAX_TREE_SIZE + 1}


def test_the_largest_tree_is_consistent_with_its_left_half() -> None:
    # PROOF(2**63, D[2**64 - 1]) is the root of the right subtree alone.
    old_root, right = NODES[0], NODES[1]
    merkle.verify_consistency(
        2**63, merkle.MAX_TREE_SIZE, [right], old_root, merkle.node_hash(old_root, right)
    )
    merkle.verify_consistency(merkle.MAX_TREE_SIZE, merkle.MAX_TREE_SIZE, [], old_root, old_root)
    with pytest.raises(ProofError):
        merkle.verify_consistency(
            2**63, merkle.MAX_TREE_SIZE + 1, [right], old_root, merkle.node_hash(old_root, right)
        )


@pytest.mark.parametrize(
    "ask",
    [
        lambda store: merkle.root(store, merkle.MAX_TREE_SIZE),
        lambda store: merkle.inclusion_proof(store, merkle.MAX_TREE_SIZE - 1, merkle.MAX_TREE_SIZE),
        lambda store: merkle.consistency_proof(store, 1, merkle.MAX_TREE_SIZE),
        lambda store: merkle.Frontier.load(store, merkle.MAX_TREE_SIZE),
    ],
    ids=["root", "inclusion", "consistency", "frontier"],
)
def test_the_largest_size_is_a_request_the_store_must_answer(
    ask: Callable[[merkle.MemoryNodeStore], object],
) -> None:
    # The size is valid: only the empty store stands in the way.
    with pytest.raises(StorageError):
        ask(merkle.MemoryNodeStore())


@pytest.mark.parametrize(
    "ask",
    [
        lambda store: merkle.root(store, merkle.MAX_TREE_SIZE + 1),
        lambda store: merkle.inclusion_proof(store, 0, merkle.MAX_TREE_SIZE + 1),
        lambda store: merkle.consistency_proof(store, 1, merkle.MAX_TREE_SIZE + 1),
        lambda store: merkle.Frontier.load(store, merkle.MAX_TREE_SIZE + 1),
    ],
    ids=["root", "inclusion", "consistency", "frontier"],
)
def test_a_size_beyond_64_bits_is_a_malformed_request(
    ask: Callable[[merkle.MemoryNodeStore], object],
) -> None:
    with pytest.raises(MalformedProofRequestError) as raised:
        ask(merkle.MemoryNodeStore())
    assert raised.value.details == {"size": merkle.MAX_TREE_SIZE + 1}


def test_a_full_frontier_takes_no_further_leaf() -> None:
    nodes = [
        (level, index, NODES[level])
        for level, index in merkle.covering_nodes(0, merkle.MAX_TREE_SIZE)
    ]
    frontier = merkle.Frontier(merkle.MAX_TREE_SIZE, nodes)
    assert len(frontier.nodes) == 64
    with pytest.raises(ValueError, match="full"):
        frontier.append(LEAF)
    assert frontier.size == merkle.MAX_TREE_SIZE


# --- what each refusal names ---------------------------------------------------


STORE, _ = memory_tree(b"entry %d" % i for i in range(10))
ROOT10 = merkle.root(STORE, 10)
ROOT6 = merkle.root(STORE, 6)
ROOT8 = merkle.root(STORE, 8)
LEAF3 = merkle.leaf_hash(b"entry 3")
PATH3 = merkle.inclusion_proof(STORE, 3, 10)
PROOF6 = merkle.consistency_proof(STORE, 6, 10)
OTHER = merkle.leaf_hash(b"no entry")


Refusal = tuple[str, Callable[[], object], type[LedgerError], dict[str, Any]]

INCLUSION_REFUSALS: list[tuple[str, int, list[bytes], bytes]] = [
    ("index outside", 10, PATH3, ROOT10),
    ("inclusion too long", 3, [*PATH3, OTHER], ROOT10),
    ("inclusion too short", 3, PATH3[:-1], ROOT10),
    ("inclusion to another root", 3, PATH3, OTHER),
]
"""LEAF3 at an index of the tree of 10, with a proof to a root: name, index, proof, root."""

CONSISTENCY_REFUSALS: list[tuple[str, int, int, list[bytes], bytes, bytes]] = [
    ("consistency sizes reversed", 10, 6, PROOF6, ROOT10, ROOT6),
    ("consistency from nothing", 0, 6, [], ROOT6, ROOT6),
    ("equal sizes, a proof", 6, 6, [OTHER], ROOT6, ROOT6),
    ("equal sizes, other roots", 6, 6, [], ROOT6, OTHER),
    ("consistency empty", 6, 10, [], ROOT6, ROOT10),
    ("consistency too long", 6, 10, [*PROOF6, OTHER], ROOT6, ROOT10),
    ("consistency too short", 6, 10, PROOF6[:-1], ROOT6, ROOT10),
    ("consistency to another first root", 6, 10, PROOF6, OTHER, ROOT10),
    ("consistency to another second root", 6, 10, PROOF6, ROOT6, OTHER),
    (
        "power-of-two first tree, another second root",
        8,
        10,
        merkle.consistency_proof(STORE, 8, 10),
        ROOT8,
        OTHER,
    ),
]
"""Two trees, a proof and their roots: name, size1, size2, proof, root1, root2."""

REFUSALS: list[Refusal] = [
    *(
        (
            name,
            partial(merkle.verify_inclusion, LEAF3, index, 10, proof, to),
            ProofError,
            {"index": index, "size": 10},
        )
        for name, index, proof, to in INCLUSION_REFUSALS
    ),
    *(
        (
            name,
            partial(merkle.verify_consistency, size1, size2, proof, root1, root2),
            ProofError,
            {"size1": size1, "size2": size2},
        )
        for name, size1, size2, proof, root1, root2 in CONSISTENCY_REFUSALS
    ),
    (
        "inclusion proof request outside",
        lambda: merkle.inclusion_proof(STORE, 10, 10),
        MalformedProofRequestError,
        {"index": 10, "size": 10},
    ),
    (
        "consistency proof request reversed",
        lambda: merkle.consistency_proof(STORE, 10, 6),
        MalformedProofRequestError,
        {"size1": 10, "size2": 6},
    ),
    (
        "negative size request",
        lambda: merkle.root(STORE, -1),
        MalformedProofRequestError,
        {"size": -1},
    ),
    (
        "node missing",
        lambda: merkle.root(STORE, 11),
        StorageError,
        {"node": (0, 10)},
    ),
]


@pytest.mark.parametrize(
    ("refuse", "error", "details"),
    [pytest.param(*rest, id=name) for name, *rest in REFUSALS],
)
def test_each_refusal_names_what_it_is_about(
    refuse: Callable[[], object], error: type[LedgerError], details: dict[str, Any]
) -> None:
    with pytest.raises(error) as raised:
        refuse()
    assert type(raised.value) is error
    assert raised.value.details == details
    assert raised.value.message


def test_a_stored_node_of_the_wrong_length_is_named() -> None:
    store = merkle.MemoryNodeStore()
    store.put(0, 0, b"short")
    with pytest.raises(StorageError) as raised:
        merkle.root(store, 1)
    assert raised.value.details == {"node": (0, 0)}
