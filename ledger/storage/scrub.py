"""Removing the old copies of rows that the database files keep after an erasure committed.

SQLite zeroes freed content on every connection (``secure_delete``), but the
write-ahead log still holds the pages as they were before the erasure: a
``TRUNCATE`` checkpoint copies the current pages into the database file and
empties the log.

On PostgreSQL the old row version stays in the table's pages, and a plain
``VACUUM`` only marks its space free: the bytes stay in the page until something
overwrites them.  So the tables are rewritten (``VACUUM FULL``, outside any
transaction), which holds each table's exclusive lock while it copies the live
rows.  A rewrite copies an old row version too while any transaction that began
before the erasure committed still runs, on any database of the server, since
that transaction may still read it: so the scrub first waits for every such
transaction to end.  It waits at most ``wait`` seconds for them and as long for
its locks: behind a long reader (a dump, an export) every append would otherwise
queue behind it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import sqlalchemy.exc
from sqlalchemy import Connection, Table, text
from sqlalchemy.engine import Engine

LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's SQLSTATE for a lock wait that ``lock_timeout`` ended."""

POLL = 0.02
"""Seconds between two looks for transactions older than the scrub."""

_NEXT_XID = text("SELECT pg_snapshot_xmax(pg_current_snapshot())")

_OLDER = text(
    """
    WITH scrub AS (SELECT age(CAST(CAST(:next AS text) AS xid)) AS age)
    SELECT 'session ' || pid FROM pg_stat_activity, scrub
     WHERE pid <> pg_backend_pid()
       AND greatest(age(backend_xmin), age(backend_xid)) > scrub.age
    UNION ALL
    SELECT 'prepared transaction ' || gid FROM pg_prepared_xacts, scrub
     WHERE age(transaction) > scrub.age
    UNION ALL
    SELECT 'replication slot ' || slot_name FROM pg_replication_slots, scrub
     WHERE age(xmin) > scrub.age
    """
)
"""What may still read a row version older than transaction ``:next``: a session's
snapshot or transaction, a prepared transaction, a replication slot."""

log = logging.getLogger(__name__)


def scrub_sqlite(engine: Engine) -> bool:
    """Checkpoint the write-ahead log into the database file; False if a reader kept it."""
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return busy is None or int(busy[0]) == 0


def scrub_postgresql(engine: Engine, tables: Sequence[Table], wait: float) -> bool:
    """Rewrite ``tables`` once no transaction older than the call may still read an old
    row version; False if one still runs after ``wait`` seconds, or a lock was not had
    within them.  With no table there is nothing to rewrite (a bare ``VACUUM FULL``
    would rewrite every table of the database)."""
    if not tables:
        return True
    quote = engine.dialect.identifier_preparer.format_table
    names = ", ".join(quote(table) for table in tables)
    with engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        if not _older_transactions_ended(autocommit, wait):
            return False
        # 0 would mean no timeout at all: wait at least a millisecond's worth.
        autocommit.exec_driver_sql(f"SET lock_timeout = '{max(1, round(wait * 1000))}ms'")
        try:
            autocommit.exec_driver_sql(f"VACUUM FULL {names}")
        except sqlalchemy.exc.OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                log.warning(
                    "scrub of %s waited %s s for its locks; the next one does it", names, wait
                )
                return False
            raise
        finally:
            autocommit.exec_driver_sql("RESET lock_timeout")
    return True


def _older_transactions_ended(connection: Connection, wait: float) -> bool:
    """Wait until nothing that began before now may read an old row version."""
    # The next transaction id, wrapped to the 32 bits the catalog's xid columns hold;
    # 0 to 2 are special ids that ``age`` does not count from.
    upto = max(int(connection.execute(_NEXT_XID).scalar_one()) % 2**32, 3)
    deadline = time.monotonic() + wait
    while True:
        older = list(connection.execute(_OLDER, {"next": upto}).scalars())
        if not older:
            return True
        if time.monotonic() >= deadline:
            log.warning(
                "scrub waited %s s for older transactions (%s); the next one does it",
                wait,
                ", ".join(older),
            )
            return False
        time.sleep(POLL)
