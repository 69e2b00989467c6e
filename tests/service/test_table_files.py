"""Table layouts read from TOML files (ledger.storage.tables.tables_from_file), and the
classes that name them (``NamedTables``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Boolean, Integer, MetaData, String, Table, Text

from ledger.storage.store import Store
from ledger.storage.tables import NamedTables, tables_from_file
from notify.tables import NotifyTables
from projections.read_models.schema import ReadModelSchema

LAYOUT = """
[t_notes]
key = ["origin", "leaf"]
autoincrement = false
[t_notes.columns]
origin = "String(255)"
leaf = "BigInt"
title = "String(40)?"
count = "Integer"
kept = "Boolean"
body = "Text?"
[t_notes.indexes]
t_notes_title_idx = ["origin", "title"]
"""


def _load(tmp_path: Path, text: str) -> MetaData:
    path = tmp_path / "layout.toml"
    path.write_text(text, encoding="utf-8")
    metadata = MetaData()
    tables_from_file(metadata, path)
    return metadata


def test_each_kind_of_column_and_its_nullness(tmp_path: Path) -> None:
    table = _load(tmp_path, LAYOUT).tables["t_notes"]
    assert [c.name for c in table.primary_key.columns] == ["origin", "leaf"]
    kinds = {c.name: (type(c.type), c.nullable) for c in table.columns}
    assert kinds == {
        "origin": (String, False),
        "leaf": (BigInteger, False),
        "title": (String, True),
        "count": (Integer, False),
        "kept": (Boolean, False),
        "body": (Text, True),
    }
    assert isinstance(table.c.title.type, String) and table.c.title.type.length == 40
    assert table.c.leaf.autoincrement is False
    [index] = table.indexes
    assert (index.name, [c.name for c in index.columns]) == (
        "t_notes_title_idx",
        ["origin", "title"],
    )


@pytest.mark.parametrize("kind", ["String", "String(x)", "Float", "bigint", "Text??", ""])
def test_an_unknown_kind_of_column_is_refused(tmp_path: Path, kind: str) -> None:
    with pytest.raises(ValueError, match="unknown column kind"):
        _load(tmp_path, LAYOUT.replace('"Integer"', f'"{kind}"'))


def test_a_key_whose_columns_do_not_come_first_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="the key's columns must come first"):
        _load(tmp_path, LAYOUT.replace('key = ["origin", "leaf"]', 'key = ["leaf", "origin"]'))


class Notes(NamedTables):
    prefix = "t_"
    notes: Table


def _named(layout: Path) -> type[Notes]:
    return type("LaidOutNotes", (Notes,), {"layout": layout})


def test_named_tables_fill_the_attributes_the_class_declares(tmp_path: Path) -> None:
    path = tmp_path / "layout.toml"
    path.write_text(LAYOUT, encoding="utf-8")
    named = _named(path)()
    named.load_tables(MetaData())
    assert named.notes.name == "t_notes"


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(LAYOUT.replace("t_notes", "t_memos"), id="a table no attribute declares"),
        pytest.param(LAYOUT + LAYOUT.replace("t_notes", "t_more"), id="one table too many"),
    ],
)
def test_a_layout_that_differs_from_the_declared_tables_is_refused(
    tmp_path: Path, layout: str
) -> None:
    path = tmp_path / "layout.toml"
    path.write_text(layout, encoding="utf-8")
    with pytest.raises(ValueError, match="does not declare"):
        _named(path)().load_tables(MetaData())


def test_every_table_file_matches_the_class_that_reads_it() -> None:
    """The ledger's, the read models' and the notifier's tables load as declared."""
    for named in (Store, ReadModelSchema, NotifyTables):
        assert set(_declared(named)) == {
            name.removeprefix(named.prefix) for name in tables_from_file(MetaData(), named.layout)
        }


def _declared(cls: type[NamedTables]) -> list[str]:
    return [name for name, kind in cls.__annotations__.items() if kind in ("Table", Table)]
