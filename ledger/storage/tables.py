"""Tables laid out in TOML files: the ledger's own (``tables.toml`` beside this module:
leaves, tree nodes, payloads, checkpoints, directory, documents, nonces), the read models'
and the notifier's.  ``tables_from_file`` is the one way tables are declared, and
``NamedTables`` the one way code names them.
"""

from __future__ import annotations

import functools
import re
import sys
import tomllib
from pathlib import Path
from typing import Any, ClassVar

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


_TYPES: dict[str, Any] = {
    "BigInt": BigInt,
    "Integer": Integer,
    "Boolean": Boolean,
    "Text": Text,
    "Binary": LargeBinary,
}
_KIND = re.compile(
    r"((?P<sized>String|Binary)\((?P<length>[0-9]+)\)|(?P<type>BigInt|Integer|Boolean|Text|Binary))"
    r"(?P<null>\?)?"
)
_SIZED: dict[str, Any] = {"String": String, "Binary": LargeBinary}


def _kind(kind: str) -> tuple[Any, bool]:
    """A column's type and whether it may be NULL, from its kind in a table file."""
    found = _KIND.fullmatch(kind)
    if found is None:
        raise ValueError(f"unknown column kind {kind!r}")
    if found["sized"]:
        return _SIZED[found["sized"]](int(found["length"])), found["null"] is not None
    type_ = _TYPES[found["type"]]
    return type_, found["null"] is not None


@functools.cache
def _layout(path: Path) -> dict[str, Any]:
    """A table file, read once (the tables are built anew for every MetaData)."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


def tables_from_file(metadata: MetaData, path: Path) -> dict[str, Table]:
    """The tables a TOML file lays out, by name, in the file's order.

    Each table is ``[name]`` with ``key`` (the primary key's columns, first to
    last), ``[name.columns]`` (every column in order, ``name = "kind"``: ``String(n)``,
    ``BigInt``, ``Integer``, ``Boolean``, ``Text``, ``Binary`` or ``Binary(n)``, with ``?``
    where NULL is allowed) and, if any, ``[name.indexes]`` and ``[name.unique]``
    (``index_name = [columns]``, the second kind unique).  A key column is never
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
        for index, names in spec.get("unique", {}).items():
            Index(index, *(table.c[n] for n in names), unique=True)
    return tables


class NamedTables:
    """Tables a TOML file lays out (``tables_from_file``), as typed attributes: a class
    names its tables' common prefix (``class Store(NamedTables, prefix="ml_")``) and
    declares one ``name: Table`` attribute per table, the table's name without the
    prefix.  The file is ``tables.toml`` beside the module that defines the class.

    ``load_tables`` sets them; a table of the file that no attribute declares, or an
    attribute no table of the file fills, is an error there, so a table added to the
    file cannot go unnoticed by the code that reads it.
    """

    layout: ClassVar[Path]
    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix:
            cls.prefix = prefix
            cls.layout = Path(str(sys.modules[cls.__module__].__file__)).with_name("tables.toml")

    def load_tables(self, metadata: MetaData) -> None:
        tables = tables_from_file(metadata, self.layout)
        declared = {self.prefix + name for name in _declared_tables(type(self))}
        if set(tables) != declared:
            raise ValueError(
                f"{self.layout} lays out {sorted(set(tables) - declared)} that"
                f" {type(self).__name__} does not declare, and lacks {sorted(declared - set(tables))}"
            )
        for name, table in tables.items():
            setattr(self, name.removeprefix(self.prefix), table)


def _declared_tables(cls: type) -> list[str]:
    """The attributes ``cls`` and its bases declare as ``Table``."""
    return [
        name
        for klass in cls.__mro__
        for name, annotation in vars(klass).get("__annotations__", {}).items()
        if annotation in ("Table", Table)
    ]
