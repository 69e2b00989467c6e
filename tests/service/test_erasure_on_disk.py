"""An erased payload or directory entry leaves no copy in the database files (DESIGN.md
section 10, "Secrets").

A union representative's statement names a colleague's illness; the
administrator erases it (``PayloadRedacted``).  Afterwards the statement's
bytes are searched for where the database keeps data: on SQLite every file
of the database (the file, its write-ahead log and the shared-memory index),
with the read models following every write as in the serving process; on
PostgreSQL every page of the payloads table, read raw with ``pageinspect``.
The same holds for a name and an address erased from the directory of names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
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
from tests.stories.school import school_structure


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


def erased_description(store: Store, org: Organisation) -> bytes:
    """Open a matter whose long description names someone, and erase it before anything else
    is written: no later row moves over the old version's place in its page, and the name
    stands early in the row.  The name's bytes."""
    follow_as_when_serving(store, org)
    name = uuid.uuid4().hex
    secret = f"Sagen angår {name}. " + "Baggrund og forløb. " * 30
    opened = org.act("direktor", "skolestruktur", school_structure(org.clock, description=secret))
    erasure = ev.PayloadRedacted(event=opened["seq"], fields=["description"], legal_basis="GDPR")
    org.act("admin", "skolestruktur", erasure)
    return name.encode()


Erase = Callable[[Store, Organisation], bytes]


def database_files(store: Store) -> list[Path]:
    database = Path(str(make_url(store.url).database))
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def follow_as_when_serving(store: Store, org: Organisation) -> None:
    """The read models follow every commit (their summaries quote the text too)."""
    projector = Projector(store)
    projector.catch_up()
    org.service.subscribe(projector.after_commit)


@pytest.mark.parametrize(
    "erase",
    [
        pytest.param(lambda s, o: erased_statement(s, o, later=30), id="a position's text"),
        pytest.param(erased_description, id="a long description"),
    ],
)
def test_sqlite_keeps_no_copy_in_the_database_its_log_or_its_index(
    backend: str, store: Store, org: Organisation, erase: Erase
) -> None:
    only_on("sqlite", backend, "the files of a SQLite database")
    name = erase(store, org)
    files = database_files(store)
    assert {p.name.removeprefix("ledger.db") for p in files} >= {"", "-wal"}
    found = [p.name for p in files if name in p.read_bytes()]
    assert found == [], f"the erased text is still in {found}"


@pytest.mark.parametrize(
    "erase",
    [
        # Few events after the statement: its page keeps room, so no read prunes it by chance.
        pytest.param(lambda s, o: erased_statement(s, o, later=3), id="a position's text"),
        pytest.param(erased_description, id="a long description"),
    ],
)
def test_postgresql_keeps_no_old_row_version_in_any_page(
    backend: str, store: Store, org: Organisation, erase: Erase
) -> None:
    only_on("postgres", backend, "the pages of a PostgreSQL database")
    name = erase(store, org)
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


def erased_entry(org: Organisation) -> bytes:
    """Give the union representative a name and an address no other row holds, then erase
    them; the bytes both held."""
    unique = uuid.uuid4().hex
    org.service.set_directory(org.origin, "tr", f"{unique} Rasmussen", f"{unique}@example.dk")
    org.service.erase_directory(org.origin, "tr")
    assert "tr" not in org.service.directory_names(org.origin)
    return unique.encode()


def test_an_erased_directory_entry_leaves_no_copy_in_sqlites_files(
    backend: str, store: Store, org: Organisation
) -> None:
    only_on("sqlite", backend, "the files of a SQLite database")
    unique = erased_entry(org)
    found = [p.name for p in database_files(store) if unique in p.read_bytes()]
    assert found == [], f"the erased name is still in {found}"


def test_an_erased_directory_entry_leaves_no_copy_in_postgresqls_pages(
    backend: str, store: Store, org: Organisation
) -> None:
    only_on("postgres", backend, "the pages of a PostgreSQL database")
    unique = erased_entry(org)
    engine = create_engine(store.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            assert pages_of(connection, "ml_directory") >= 1, "the directory was read"
            holding = pages_holding(connection, unique)
    finally:
        engine.dispose()
    assert holding == [], f"pages still hold the erased name: {holding}"
