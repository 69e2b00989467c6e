"""An erased payload or directory entry leaves no copy in the database files (DESIGN.md
section 10, "Secrets").

A union representative's statement names a colleague's illness; the
administrator erases it (``PayloadRedacted``).  Afterwards the statement's
bytes are searched for where the database keeps data: on SQLite every file
of the database (the file, its write-ahead log and the shared-memory index),
with the read models following every write as in the serving process; on
PostgreSQL every page of every table, index and TOAST table, read raw with
``pageinspect``.  The same holds for a long description erased before
anything else is written, and for a name and an address erased from the
directory of names.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, insert, make_url, select, text

from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import matter_stream
from ledger.service.timer import ServingTimer
from ledger.storage.store import Store
from projections.runner.projector import Projector
from tests.conftest import PG_URL
from tests.stories.databases import only_on, sent, store_of_its_own
from tests.stories.http import open_school_matter, position
from tests.stories.school import school_structure


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A database no other test shares (another session's snapshot would keep old rows alive)."""
    with store_of_its_own(backend, tmp_path, request, PG_URL) as opened:
        yield opened


def erased_statement(store: Store, org: Organisation, later: int) -> bytes:
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


def erased_description(store: Store, org: Organisation, later: int) -> bytes:
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


Erase = Callable[[Store, Organisation, int], bytes]


def erased_entry(store: Store, org: Organisation, later: int) -> bytes:
    """Give the union representative a name and an address no other row holds, then erase
    them from the directory; the bytes both held."""
    unique = uuid.uuid4().hex
    org.service.set_directory(org.origin, "tr", f"{unique} Rasmussen", f"{unique}@example.dk")
    org.service.erase_directory(org.origin, "tr")
    assert "tr" not in org.service.directory_names(org.origin)
    return unique.encode()


ERASURES = [
    pytest.param(erased_statement, id="a position's text"),
    pytest.param(erased_description, id="a long description"),
    pytest.param(erased_entry, id="a name and an address"),
]
"""What is erased: a position's text with ``later`` events after it, a long description
erased at once (``later`` unused), and a person's name and address in the directory."""


def database_files(store: Store) -> list[Path]:
    database = Path(str(make_url(store.url).database))
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def follow_as_when_serving(store: Store, org: Organisation) -> None:
    """The read models follow every commit (their summaries quote the text too)."""
    projector = Projector(store)
    projector.catch_up()
    org.service.subscribe(projector.after_commit)


@pytest.mark.parametrize("erase", ERASURES)
def test_an_erasure_leaves_no_copy_in_the_database_files(
    backend: str, store: Store, org: Organisation, erase: Erase
) -> None:
    # On PostgreSQL few events follow the statement: its page keeps room, so no read
    # prunes it by chance.
    name = erase(store, org, 30 if backend == "sqlite" else 3)
    if backend == "sqlite":
        assert in_sqlite_files(store, name) == []
    else:
        assert in_postgresql_pages(store, name) == []
    assert owed(store) == [], "each scrub owed since its erasure committed is settled"


def in_sqlite_files(store: Store, needle: bytes) -> list[str]:
    """The files of the SQLite database (its log and index included) that hold ``needle``."""
    files = database_files(store)
    assert {p.name.removeprefix("ledger.db") for p in files} >= {"", "-wal"}
    return [p.name for p in files if needle in p.read_bytes()]


def in_postgresql_pages(store: Store, needle: bytes) -> list[str]:
    """The pages of the PostgreSQL database that hold ``needle``, read raw."""
    engine = create_engine(store.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            assert pages_of(connection, "ml_payloads") >= 1, "the payloads table was read"
            return pages_holding(connection, needle)
    finally:
        engine.dispose()


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


def test_a_scrub_gives_way_to_a_long_reader(backend: str, store: Store) -> None:
    """A dump or an export reading the directory must not queue every write behind an
    erasure's rewrite: the scrub waits only so long for its lock, says it was busy, and
    the next one does it."""
    only_on("postgres", backend, "PostgreSQL's table locks")
    store.scrub_wait = 0.2
    engine = create_engine(store.url)
    try:
        with engine.connect() as reader, reader.begin():
            reader.execute(text("SELECT count(*) FROM ml_directory"))
            started = time.monotonic()
            assert store.scrub_directory() is False
            assert time.monotonic() - started < 5
        store.scrub_wait = 30  # the other tests' transactions on the server may be older
        assert store.scrub_directory() is True
    finally:
        engine.dispose()


def test_a_scrub_waits_for_transactions_older_than_the_erasure(
    backend: str, store: Store, org: Organisation
) -> None:
    """A transaction that began before the erasure committed, on any database of the
    server, keeps the old row version alive: a rewrite under it would copy the erased
    name along.  The scrub waits for it, says it could not scrub when the wait ends,
    and owes the scrub; once the transaction ended, the serving timer does it."""
    only_on("postgres", backend, "PostgreSQL's transaction horizon")
    store.scrub_wait = 0.2
    unique = uuid.uuid4().hex
    org.service.set_directory(org.origin, "tr", f"{unique} Rasmussen", None)
    elsewhere = create_engine(PG_URL)
    try:
        with elsewhere.connect() as older, older.begin():
            older.execute(text("SELECT pg_current_xact_id()"))
            store.erase_directory(org.origin, "tr")
            started = time.monotonic()
            assert store.scrub_directory() is False
            assert time.monotonic() - started < 5
            assert in_postgresql_pages(store, unique.encode()) != []
            assert owed(store) == ["ml_directory"]
            assert store.scrub_owed(0.1) is False
        assert owed_while_running(ServingTimer(org.service, tick=0.01, scrub_every=0.05)) == []
        assert in_postgresql_pages(store, unique.encode()) == []
    finally:
        elsewhere.dispose()


def owed(store: Store) -> list[str]:
    """The tables owed a scrub, as the store records them."""
    with store.read() as session:
        return list(session.execute(select(store.scrubs_owed.c.table_name)).scalars())


def owed_while_running(timer: ServingTimer) -> list[str]:
    """Run the serving timer until its store owes no scrub (a minute at most); what is
    still owed then."""
    store = timer.service.store
    timer.start()
    try:
        deadline = time.monotonic() + 60
        while owed(store) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        timer.stop()
    return owed(store)


def test_a_scrub_cut_short_is_done_when_the_serving_timer_starts(
    store: Store, org: Organisation
) -> None:
    """A process that stopped during a scrub left its tables owed: the next serving
    process's timer scrubs them as it starts, long before its first checkpoint tick; a
    table that no longer exists is owed nothing."""
    with store.write() as session:
        session.execute(
            insert(store.scrubs_owed),
            [
                {"table_schema": store.schema or "", "table_name": name, "attempt": "cut-short"}
                for name in ("ml_payloads", "ml_gone")
            ],
        )
    assert owed_while_running(ServingTimer(org.service, tick=3600)) == []


def test_an_erasure_owes_its_scrub_in_the_transaction_that_erases(
    store: Store, org: Organisation
) -> None:
    """A process that stops right after an erasure committed, before its scrub, must not
    lose the scrub: the erasing transaction itself records the table as owed."""
    org.service.set_directory(org.origin, "tr", "Tage Rasmussen", "tage@example.dk")
    store.erase_directory(org.origin, "tr")
    assert owed(store) == ["ml_directory"]
    open_school_matter(org)
    stated = org.act("tr", "skolestruktur", position("employees", "Tage er sygemeldt."))
    with store.transaction() as transaction:
        transaction.redact(
            org.origin, matter_stream("skolestruktur"), stated["seq"], ["text"], by_leaf=0
        )
    assert sorted(owed(store)) == ["ml_directory", "ml_payloads"]
    assert store.scrub_owed(5) is True
    assert owed(store) == []


def test_a_scrub_owed_only_to_tables_that_are_gone_rewrites_nothing(
    backend: str, store: Store
) -> None:
    """Owed only to a table that no longer exists, the scrub has nothing to rewrite: it
    settles the debt without a ``VACUUM FULL``, which with no table named would rewrite
    every table of the database."""
    only_on("postgres", backend, "PostgreSQL's table rewrite")
    with store.write() as session:
        session.execute(
            insert(store.scrubs_owed),
            {"table_schema": store.schema or "", "table_name": "ml_gone", "attempt": "old"},
        )
    with sent(store.engine) as statements:
        assert store.scrub_owed(1) is True
    assert [s for s in statements if "VACUUM" in s.upper()] == []
    assert owed(store) == []
