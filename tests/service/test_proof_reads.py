"""Proofs read the stored tree once: upper nodes come from memory after their first read.

A stored tree of 1,000 leaves (nodes only, as the appender stores them):
the proofs the service serves equal those of a tree built in memory, and
once the upper nodes have been read, a proof costs one statement that
asks only for nodes below ``HOT_LEVEL``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from sqlalchemy import insert

from ledger.errors import MalformedProofRequestError
from ledger.protocol import merkle
from ledger.service.application import HOT_LEVEL, LedgerService
from ledger.storage.store import LedgerRow, Store
from tests.stories.databases import sent

LEAVES = 1000


@pytest.fixture
def tree(service: LedgerService, store: Store, unique: str) -> tuple[str, merkle.MemoryNodeStore]:
    """A ledger row and its stored nodes for LEAVES leaves; the same tree in memory."""
    origin = f"ledger.example/proofs{unique}"
    memory = merkle.MemoryNodeStore()
    frontier = merkle.Frontier.empty()
    rows: list[dict[str, object]] = []
    for index in range(LEAVES):
        for level, position, digest in frontier.append(merkle.leaf_hash(index.to_bytes(8, "big"))):
            memory.put(level, position, digest)
            rows.append({"origin": origin, "level": level, "idx": position, "hash": digest})
    with store.transaction() as transaction:
        transaction.insert_ledger(LedgerRow(origin, origin.rsplit("/", 1)[-1], "P", "-", LEAVES))
    with store.write() as session:
        session.execute(insert(store.nodes), rows)
    return origin, memory


def test_proofs_from_the_stored_tree_equal_those_of_the_tree_in_memory(
    service: LedgerService, tree: tuple[str, merkle.MemoryNodeStore]
) -> None:
    origin, memory = tree
    rng = random.Random(9162)
    for _ in range(3):  # again and again: later proofs come partly from memory
        for _ in range(30):
            index, size = rng.randrange(LEAVES), LEAVES - rng.randrange(200)
            index %= size
            assert service.inclusion_proof(origin, index, size) == merkle.inclusion_proof(
                memory, index, size
            )
            old = rng.randrange(1, size + 1)
            assert service.consistency_proof(origin, old, size) == merkle.consistency_proof(
                memory, old, size
            )


def test_a_proof_after_the_first_is_one_read_of_the_lower_nodes(
    service: LedgerService,
    store: Store,
    tree: tuple[str, merkle.MemoryNodeStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    origin, memory = tree
    service.inclusion_proof(origin, 0, LEAVES)  # reads the tree size and the upper nodes
    asked: list[tuple[int, int]] = []
    read_nodes = store.nodes_for

    def spy(origin: str, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        asked.extend(keys)
        return read_nodes(origin, keys)

    monkeypatch.setattr(store, "nodes_for", spy)
    with sent(store.engine, parameters=True) as seen:
        proof = service.inclusion_proof(origin, 3, LEAVES)
    assert proof == merkle.inclusion_proof(memory, 3, LEAVES)
    assert len(seen) == 1 and "ml_nodes" in seen[0]
    assert asked and all(level < HOT_LEVEL for level, _ in asked)


def test_a_size_beyond_the_log_is_still_refused(
    service: LedgerService, tree: tuple[str, merkle.MemoryNodeStore]
) -> None:
    origin, _ = tree
    service.inclusion_proof(origin, 0, LEAVES)
    with pytest.raises(MalformedProofRequestError):
        service.inclusion_proof(origin, 0, LEAVES + 1)
