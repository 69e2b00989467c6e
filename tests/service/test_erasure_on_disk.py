"""An erased payload leaves no copy in the database files (DESIGN.md section 10, "Secrets").

A union representative's statement names a colleague's illness; the
administrator erases it (``PayloadRedacted``).  Afterwards the statement's
bytes are searched for where the database keeps data: on SQLite every file
of the database (the file, its write-ahead log and the shared-memory index),
with the read models following every write as in the serving process; on
PostgreSQL every page of the payloads table, read raw with ``pageinspect``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, make_url, text

from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.storage.store import Store
from projections.runner.projector import Projector
from tests.conftest import PG_URL
from tests.stories.databases import only_on, store_of_its_own
from tests.stories.http import open_school_matter, position


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A database no other test shares (another session's snapshot would keep old rows alive)."""
    with store_of_its_own(backend, tmp_path, request, PG_URL) as opened:
        yield opened


def erased_statement(store: Store, org: Organisation, *, later: int) -> bytes:
    """State a position naming someone, write more after it, erase it; the name's bytes.

    The read models follow every commit, as in the serving process.  The
    name is first in the text, so every copy holds it: the payload, and the
    timeline's one-line summary (clipped to 60 characters).
    """
    follow_as_when_serving(store, org)
    name = uuid.uuid4().hex
    secret = f"{name} er sygemeldt med stress."
    open_school_matter(org)
    stated = org.act("tr", "skolestruktur", position("employees", secret))
    for n in range(later):  # events after it share (and on SQLite split) its pages
        org.act("amr", "skolestruktur", position("employees", f"Bemærkning {n}: " + "x" * 300))
    record = org.service.store.record(org.origin, stated["leaf_index"])
    assert record is not None and record.payload is not None
    assert secret.encode() in record.payload
    erasure = ev.PayloadRedacted(event=stated["seq"], fields=["text"], legal_basis="GDPR")
    org.act("admin", "skolestruktur", erasure)
    erased = org.service.store.record(org.origin, stated["leaf_index"])
    assert erased is not None and erased.payload is not None
    assert secret.encode() not in erased.payload
    return name.encode()


def database_files(store: Store) -> list[Path]:
    database = Path(str(make_url(store.url).database))
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def follow_as_when_serving(store: Store, org: Organisation) -> None:
    """The read models follow every commit (their summaries quote the text too)."""
    projector = Projector(store)
    projector.catch_up()
    org.service.subscribe(projector.after_commit)


def test_sqlite_keeps_no_copy_in_the_database_its_log_or_its_index(
    backend: str, store: Store, org: Organisation
) -> None:
    only_on("sqlite", backend, "the files of a SQLite database")
    name = erased_statement(store, org, later=30)
    files = database_files(store)
    assert {p.name.removeprefix("ledger.db") for p in files} >= {"", "-wal"}
    found = [p.name for p in files if name in p.read_bytes()]
    assert found == [], f"the erased text is still in {found}"


def test_postgresql_keeps_no_old_row_version_in_any_page(
    backend: str, store: Store, org: Organisation
) -> None:
    only_on("postgres", backend, "the pages of a PostgreSQL database")
    # Few events after the statement: its page keeps room, so no read prunes it by chance.
    name = erased_statement(store, org, later=3)
    engine = create_engine(store.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            tuples = [
                bytes(data)
                for n in range(pages_of(connection, "ml_payloads"))
                for (data,) in connection.execute(
                    text("SELECT t_data FROM heap_page_items(get_raw_page('ml_payloads', :n))"),
                    {"n": n},
                )
                if data is not None
            ]
            holding = pages_holding(connection, name)
    finally:
        engine.dispose()
    assert len(tuples) >= 10, "the payloads table was read"
    assert not [t for t in tuples if name in t], "a row version of a payload still holds the text"
    assert holding == [], f"pages still hold the text: {holding}"


def pages_of(connection: Connection, relation: str) -> int:
    return int(
        connection.execute(
            text(
                "SELECT pg_relation_size(CAST(:r AS regclass)) / current_setting('block_size')::int"
            ),
            {"r": relation},
        ).scalar_one()
    )


def pages_holding(connection: Connection, needle: bytes) -> list[str]:
    """Every page of every table, index and TOAST table of ours that holds ``needle``, raw."""
    relations = connection.execute(
        text(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'pg_toast')"
            " AND c.relkind IN ('r', 't', 'i', 'm') AND c.relpersistence = 'p'"
        )
    ).scalars()
    found = []
    for relation in relations:
        for n in range(pages_of(connection, relation)):
            page = connection.execute(
                text("SELECT get_raw_page(:r, :n)"), {"r": relation, "n": n}
            ).scalar_one()
            if needle in bytes(page):
                found.append(f"{relation} page {n}")
    return found
