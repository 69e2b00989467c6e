"""RFC 6962 trees kept in memory, built the way the appender builds the stored one."""

from __future__ import annotations

from collections.abc import Iterable

from ledger.protocol.merkle import Frontier, MemoryNodeStore, leaf_hash


def memory_tree(entries: Iterable[bytes]) -> tuple[MemoryNodeStore, Frontier]:
    """Append the entries through a Frontier, storing every node it creates."""
    store = MemoryNodeStore()
    frontier = Frontier.empty()
    for entry in entries:
        for level, index, hash_ in frontier.append(leaf_hash(entry)):
            store.put(level, index, hash_)
    return store, frontier
