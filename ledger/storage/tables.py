"""The ledger's own tables, kept beside the event store's in one database.

- ``ml_ledgers``: one row per ledger, with its tree size (the write lock);
- ``ml_leaves``: leaf index -> notification id, stream, sequence and times;
- ``ml_nodes``: the Merkle tree's complete-subtree hashes;
- ``ml_payloads``: payloads and their per-field salts, erasable field by field by
  ``PayloadRedacted``;
- ``ml_checkpoints``: every signed checkpoint ever issued;
- ``ml_directory``: names and e-mail addresses, outside the signed log;
- ``ml_documents``: documents shared as material or minutes, kept under their
  SHA-256 (the digest the signed events name), outside the signed log;
- ``ml_used_nonces``: login challenges already answered, until they expire.

Every table is keyed by the ledger's origin first, so many ledgers share
one database.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

BigInt = BigInteger().with_variant(Integer(), "sqlite")
"""BIGINT on PostgreSQL; on SQLite INTEGER, 64-bit there and the only type a key can
autoincrement with.  Every store's and read model's table uses this one."""


_TYPES: dict[str, Any] = {"BigInt": BigInt, "Integer": Integer, "Boolean": Boolean, "Text": Text}
_KIND = re.compile(
    r"(String\((?P<length>[0-9]+)\)|(?P<type>BigInt|Integer|Boolean|Text))(?P<null>\?)?"
)


def _kind(kind: str) -> tuple[Any, bool]:
    """A column's type and whether it may be NULL, from its kind in a table file."""
    found = _KIND.fullmatch(kind)
    if found is None:
        raise ValueError(f"unknown column kind {kind!r}")
    type_ = String(int(found["length"])) if found["length"] else _TYPES[found["type"]]
    return type_, found["null"] is not None


@functools.cache
def _layout(path: Path) -> dict[str, Any]:
    """A table file, read once (the tables are built anew for every MetaData)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def tables_from_file(metadata: MetaData, path: Path) -> dict[str, Table]:
    """The tables a TOML file lays out, by name, in the file's order.

    Each table is ``[name]`` with ``key`` (the primary key's columns, first to
    last), ``[name.columns]`` (every column in order, ``name = "kind"``: ``String(n)``,
    ``BigInt``, ``Integer``, ``Boolean`` or ``Text``, with ``?`` where NULL is allowed)
    and, if any, ``[name.indexes]`` (``index_name = [columns]``).  A key column is never
    NULL and is numbered by the database only in a table with ``autoincrement = true``.
    """
    tables: dict[str, Table] = {}
    for name, spec in _layout(path).items():
        key: list[str] = spec["key"]
        columns: list[Column[Any]] = []
        for column, kind in spec["columns"].items():
            type_, nullable = _kind(kind)
            if column in key:
                autoincrement = bool(spec.get("autoincrement", False))
                columns.append(Column(column, type_, primary_key=True, autoincrement=autoincrement))
            else:
                columns.append(Column(column, type_, nullable=nullable))
        table = tables[name] = Table(name, metadata, *columns)
        if [c.name for c in table.primary_key.columns] != key:
            raise ValueError(f"{name}: the key's columns must come first, in the key's order")
        for index, names in spec.get("indexes", {}).items():
            Index(index, *(table.c[n] for n in names))
    return tables


def _origin() -> Column[Any]:
    """The first part of every key: the ledger the row belongs to."""
    return Column("origin", String(255), primary_key=True)


def _position(name: str) -> Column[Any]:
    """A key part numbered by the ledger (a leaf index, a tree size), never by the database."""
    return Column(name, BigInt, primary_key=True, autoincrement=False)


def _required(name: str, kind: Any) -> Column[Any]:
    return Column(name, kind, nullable=False)


def ledgers_table(metadata: MetaData) -> Table:
    return Table(
        "ml_ledgers",
        metadata,
        _origin(),
        Column("ledger_id", String(64), nullable=False, unique=True),
        _required("name", String(500)),
        _required("log_verifier_key", String(500)),
        _required("tree_size", BigInt),
    )


def leaves_table(metadata: MetaData) -> Table:
    leaves = Table(
        "ml_leaves",
        metadata,
        _origin(),
        _position("leaf_index"),
        _required("notification_id", BigInt),
        _required("stream", String(80)),
        _required("seq", BigInt),
        _required("event_type", String(64)),
        _required("actor", String(64)),
        _required("claimed_time", String(40)),
        _required("recorded_at", String(40)),
    )
    Index("ml_leaves_stream_idx", leaves.c.origin, leaves.c.stream, leaves.c.seq, unique=True)
    return leaves


def nodes_table(metadata: MetaData) -> Table:
    return Table(
        "ml_nodes",
        metadata,
        _origin(),
        Column("level", Integer, primary_key=True, autoincrement=False),
        _position("idx"),
        _required("hash", LargeBinary(32)),
    )


def payloads_table(metadata: MetaData) -> Table:
    return Table(
        "ml_payloads",
        metadata,
        _origin(),
        _position("leaf_index"),
        Column("payload", LargeBinary, nullable=True),
        Column("salts", LargeBinary, nullable=True),
        Column("redacted_by", BigInt, nullable=True),
    )


def checkpoints_table(metadata: MetaData) -> Table:
    return Table(
        "ml_checkpoints",
        metadata,
        _origin(),
        _position("tree_size"),
        _required("root", LargeBinary(32)),
        _required("note", Text),
        _required("issued_at", String(40)),
    )


def directory_table(metadata: MetaData) -> Table:
    return Table(
        "ml_directory",
        metadata,
        _origin(),
        Column("person", String(64), primary_key=True),
        Column("name", String(500), nullable=True),
        Column("email", String(500), nullable=True),
        Column("erased", Boolean, nullable=False, default=False),
    )


def documents_table(metadata: MetaData) -> Table:
    return Table(
        "ml_documents",
        metadata,
        _origin(),
        Column("sha256", String(64), primary_key=True),
        _required("content", LargeBinary),
        _required("media_type", String(200)),
        _required("size", BigInt),
        _required("uploaded_by", String(64)),
        _required("uploaded_at", String(40)),
    )


def document_uploads_table(metadata: MetaData) -> Table:
    """One row per person who uploaded a document's bytes: each of them holds the bytes,
    so each may read them back and share them (``ml_documents.uploaded_by`` is the first)."""
    return Table(
        "ml_document_uploads",
        metadata,
        _origin(),
        Column("sha256", String(64), primary_key=True),
        Column("person", String(64), primary_key=True),
        _required("uploaded_at", String(40)),
    )


def used_nonces_table(metadata: MetaData) -> Table:
    """One row per answered login challenge: the key makes a second answer fail on insert."""
    used = Table(
        "ml_used_nonces",
        metadata,
        _origin(),
        Column("nonce", String(64), primary_key=True),
        _required("expires_at", BigInt),
    )
    Index("ml_used_nonces_expiry_idx", used.c.expires_at)
    return used
