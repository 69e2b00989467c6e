"""Databases a test may break on purpose: a PostgreSQL database of its own, cut off at will.

Other tests (and other test runs) share the PostgreSQL test database, so a
test that terminates connections or refuses new ones does it to a fresh
database made for it alone, dropped afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine

from ledger.service.timer import THREAD_NAME as TIMER_THREAD
from ledger.storage.store import Store


def _admin(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT")


@contextmanager
def private_postgres(server_url: str) -> Iterator[str]:
    """The URL of a fresh database on the server of ``server_url``, dropped when the block ends."""
    name = f"mlfaults_{uuid.uuid4().hex[:12]}"
    admin = _admin(server_url)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def store_of_its_own(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, server_url: str
) -> Iterator[Store]:
    """A store no other test shares: a fresh SQLite file, or a PostgreSQL database of its own.

    Without PostgreSQL the test is skipped (failed in CI) as the suite's own fixtures do.
    """
    if backend == "sqlite":
        opened = Store(f"sqlite:///{tmp_path}/ledger.db")
        try:
            yield opened
        finally:
            opened.dispose()
        return
    request.getfixturevalue("pg_schema")
    with private_postgres(server_url) as url:
        opened = Store(url)
        try:
            yield opened
        finally:
            opened.dispose()


def only_on(wanted: str, backend: str, what: str) -> None:
    """Skip the test unless it runs on the ``wanted`` backend, the only one that has ``what``."""
    if backend != wanted:
        pytest.skip(what)


@contextmanager
def sent(target: Any = Engine, *, parameters: bool = False) -> Iterator[list[str]]:
    """The text of every SQL statement ``target`` (an engine; by default every engine)
    sends meanwhile, in order, each followed by its parameters if ``parameters``.

    Statements of the serving process's timer thread are left out: it may wake
    meanwhile, and what it sends is never the code under test's.
    """
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, values: Any, *args: Any) -> None:
        if threading.current_thread().name != TIMER_THREAD:
            statements.append(f"{statement} {values}" if parameters else statement)

    event.listen(target, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", record)


def cut_connections(url: str) -> int:
    """Terminate every other backend of the database at ``url``, as a restarted server would.

    Returns how many were terminated (the pooled connections of the application).
    """
    engine = _admin(url)
    try:
        with engine.connect() as connection:
            return len(
                connection.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).all()
            )
    finally:
        engine.dispose()


@contextmanager
def unreachable(server_url: str, url: str) -> Iterator[None]:
    """While the block runs, the database at ``url`` refuses every connection, old and new."""
    name = make_url(url).database
    admin = _admin(server_url)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %(name)s",
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.dispose()
