"""kill -9 of the worker (a real process) during a send burst: nothing lost, nothing twice.

The worker marks a message ``sending`` just before its content goes out and
``sent`` once the server accepted it.  Killed between the two, it cannot
know whether the server took the message, so the message becomes
``uncertain`` and is never sent again (at most once); killed at any other
point, the message is sent exactly once after the restart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.organisation import ManualClock, Organisation
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from notify.delivery import Backoff, Deliveries
from notify.preferences import Preferences, save_preferences
from notify.tables import NotifyTables
from projections.runner.projector import Projector
from tests.conftest import PG_URL
from tests.notify.smtp_server import SmtpServer
from tests.stories.school import school_structure

MEMBERS = 40


@pytest.fixture
def crowd(service: LedgerService, clock: ManualClock, unique: str, store: Store) -> Organisation:
    """A body of 40 members who all want their mail at once, and a consultation for them."""
    org = Organisation(service, f"ledger.example/crash{unique}", "Crashkommune", clock)
    org.person("direktor", "Dorte Direktør")
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    owner = Deliveries(store, NotifyTables(store.engine, store.schema), Backoff())
    for n in range(MEMBERS):
        person = f"m{n:02d}"
        org.person(person, f"Medlem {n}", email=f"{person}@kommune.example")
        org.appoint("hmed", person, "employees", "member")
        save_preferences(owner, org.origin, person, Preferences("immediate"))
    org.act("direktor", "skole", school_structure(clock))
    Projector(store).catch_up_ledger(org.origin)
    return org


@pytest.fixture
def worker_env(
    store: Store, tmp_path: Path, smtp: SmtpServer, backend: str, request: pytest.FixtureRequest
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MEDLEDGER_LOG_KEYS=str(tmp_path / "log-keys"),
        MEDLEDGER_API_SECRET="x" * 8 + "a secret for the crash tests only",
        MEDLEDGER_SMTP_HOST="127.0.0.1",
        MEDLEDGER_SMTP_PORT=str(smtp.port),
        MEDLEDGER_SMTP_TLS="none",
        MEDLEDGER_NOTIFY_POLL_SECONDS="0.1",
        MEDLEDGER_NOTIFY_LEASE_SECONDS="1",
        MEDLEDGER_NOTIFY_MAX_AGE_DAYS="3650",
        MEDLEDGER_MAIL_FROM="med@kommune.example",
        PYTHONPATH=str(Path.cwd()),
    )
    if backend == "postgres":
        env.update(
            MEDLEDGER_DATABASE_URL=PG_URL,
            MEDLEDGER_DATABASE_SCHEMA=request.getfixturevalue("pg_schema"),
        )
    else:
        env["MEDLEDGER_DATABASE_URL"] = store.url
    return env


def start_worker(env: dict[str, str], origin: str) -> subprocess.Popen[bytes]:
    command = "from cli.main import app; app()"
    return subprocess.Popen(
        [sys.executable, "-c", command, "notify", "run", "--ledger", origin],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def kill(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


def statuses(store: Store, origin: str) -> Counter[str]:
    m = NotifyTables(store.engine, store.schema).messages
    with store.read() as session:
        found = session.execute(select(m.c.status).where(m.c.origin == origin)).scalars()
        return Counter(str(s) for s in found)


def settle(env: dict[str, str], store: Store, origin: str) -> Counter[str]:
    """Run a fresh worker until no message is waiting or in flight; stop it politely."""
    worker = start_worker(env, origin)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            found = statuses(store, origin)
            if found and not {"pending", "claimed", "sending"} & set(found):
                return found
            time.sleep(0.2)
        raise AssertionError(f"the worker did not finish: {statuses(store, origin)}")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)


def message_ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in smtp.mailbox.received)


def test_kill_9_during_a_burst_loses_nothing_and_sends_nothing_twice(
    crowd: Organisation, worker_env: dict[str, str], smtp: SmtpServer, store: Store
) -> None:
    smtp.mailbox.data_delay = 0.03
    for killed_after in (5, 20):
        worker = start_worker(worker_env, crowd.origin)
        smtp.mailbox.wait_for(killed_after)
        kill(worker)
    found = settle(worker_env, store, crowd.origin)
    assert found["sent"] + found["uncertain"] == MEMBERS
    assert found["uncertain"] <= 2  # at most the one in flight at each kill
    ids = message_ids(smtp)
    assert max(ids.values()) == 1, "a message was sent twice"
    assert len(ids) >= found["sent"]
    recipients = Counter(str(m["To"]) for m in smtp.mailbox.received)
    assert max(recipients.values()) == 1


def test_killed_while_handing_over_the_message_is_uncertain_and_never_resent(
    crowd: Organisation, worker_env: dict[str, str], smtp: SmtpServer, store: Store
) -> None:
    smtp.mailbox.hold = threading.Event()
    worker = start_worker(worker_env, crowd.origin)
    assert smtp.mailbox.holding.wait(30)  # the server has the content, the worker no reply
    kill(worker)
    smtp.mailbox.hold.set()
    found = settle(worker_env, store, crowd.origin)
    assert found == Counter({"sent": MEMBERS - 1, "uncertain": 1})
    assert len(smtp.mailbox.received) == MEMBERS
    assert max(message_ids(smtp).values()) == 1


def test_killed_before_the_content_went_out_the_message_is_sent_after_the_restart(
    crowd: Organisation, worker_env: dict[str, str], smtp: SmtpServer, store: Store
) -> None:
    smtp.mailbox.hold = threading.Event()
    smtp.mailbox.hold_at = "rcpt"
    worker = start_worker(worker_env, crowd.origin)
    assert smtp.mailbox.holding.wait(30)
    kill(worker)
    smtp.mailbox.hold.set()
    found = settle(worker_env, store, crowd.origin)
    assert found == Counter({"sent": MEMBERS})
    assert len(smtp.mailbox.received) == MEMBERS
    assert max(message_ids(smtp).values()) == 1
