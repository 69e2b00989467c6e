"""Shared fixtures: real ledgers on SQLite and on PostgreSQL, never mocks.

Every test that takes ``backend`` runs twice: on a fresh SQLite file and on
PostgreSQL (one fresh schema per test run, dropped afterwards; each test
uses its own ledger origins inside it).  With CI=true a missing PostgreSQL
is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from benchmarks.common import postgres_problem
from demo.organisation import ManualClock, Organisation
from demo.stories import Demo, build_demo
from ledger.service.application import LedgerService
from ledger.service.checkpoint_policy import CheckpointPolicy
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.stories.matter import Matter
from tests.stories.school import school_structure

PG_URL = os.environ.get(
    "MEDLEDGER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for this test run (and this xdist worker)."""
    problem = postgres_problem(PG_URL)
    if problem is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {problem}")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"mltest_{worker}_{uuid.uuid4().hex[:10]}"
    yield schema
    engine = create_engine(PG_URL)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_store(pg_schema: str) -> Iterator[Store]:
    store = Store(PG_URL, schema=pg_schema)
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    if backend == "postgres":
        yield request.getfixturevalue("pg_store")
        return
    sqlite_store = Store(f"sqlite:///{tmp_path}/ledger.db")
    yield sqlite_store
    sqlite_store.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


EVERY_COMMIT = CheckpointPolicy(every=1)
"""The tests' checkpoint policy: every commit is covered by a checkpoint at once, so proofs
and bundles of what a test just wrote need no timer (``medledger serve`` signs within a second)."""


@pytest.fixture
def service(store: Store, tmp_path: Path, clock: ManualClock) -> LedgerService:
    return LedgerService(
        store, LogKeyring(tmp_path / "log-keys"), clock=clock, checkpoints=EVERY_COMMIT
    )


@pytest.fixture
def unique() -> str:
    """A suffix that keeps this test's ledgers apart from every other test's."""
    return "-" + uuid.uuid4().hex[:8]


# The test municipality's seats (the ``org`` fixture's, and the rulebook tests' in memory):
# body, person, side, then the person's roles in the body.
APPOINTMENTS: tuple[tuple[str, ...], ...] = (
    ("hmed", "direktor", "management", "chair"),
    ("hmed", "sekretaer", "management", "secretary"),
    ("hmed", "tr", "employees", "vice_chair", "tr"),
    ("hmed", "amr", "employees", "amr"),
    ("lmed", "leder", "management", "chair"),
    ("lmed", "tr-lokal", "employees", "vice_chair", "tr"),
)


@pytest.fixture
def org(service: LedgerService, clock: ManualClock, unique: str) -> Organisation:
    """A small municipality: HovedMED over a LokalMED, with people on both sides.

    - ``direktor``: management, chair of HovedMED, the usual decision maker
    - ``tr``: union representative, employee side, vice-chair of HovedMED
    - ``amr``: work environment representative in HovedMED
    - ``sekretaer``: secretary of HovedMED (management side)
    - ``leder``: chair of the LokalMED; ``tr-lokal`` its vice-chair (employees)
    - ``revisor``: an auditor; ``udvalg``: a political committee
    """
    o = Organisation(service, f"ledger.example/test{unique}", "Testkommune", clock)
    for person, name in [
        ("direktor", "Dorte Direktør"),
        ("tr", "Tage Tillidsrepræsentant"),
        ("amr", "Anna Arbejdsmiljø"),
        ("sekretaer", "Svend Sekretær"),
        ("leder", "Lise Leder"),
        ("tr-lokal", "Lars Lokal"),
        ("udenfor", "Ulla Udenfor"),
    ]:
        o.person(person, name)
    o.person("revisor", "Rikke Revisor", roles=("auditor",))
    o.body("hmed", "HovedMED", "hovedmed")
    o.body("lmed", "LokalMED Skole", "lokalmed", parent="hmed")
    o.body("udvalg", "Børne- og Ungdomsudvalget", "political_committee")
    for body, person, side, *roles in APPOINTMENTS:
        o.appoint(body, person, side, *roles)
    return o


@pytest.fixture
def demo(service: LedgerService, clock: ManualClock, unique: str) -> Demo:
    """Both seed stories (Copenhagen BUF and Ballerup), signed and stored."""
    return build_demo(service, clock, suffix=unique)


@pytest.fixture
def matter(org: Organisation, clock: ManualClock) -> Matter:
    """The school-structure matter, opened in HovedMED by the director, its decision maker."""
    opened = Matter(org, "skolestruktur")
    opened.act("direktor", school_structure(clock))
    return opened
