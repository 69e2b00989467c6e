"""Fixtures of the notification stories: the ``org`` ledger, its outbox, a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from notify.delivery import Backoff
from notify.smtp import SmtpSender
from notify.smtp import SmtpServer as SmtpAddress
from notify.worker import Notifier, PassReport, WorkerConfig
from projections.runner.projector import Projector
from tests.notify.smtp_server import Mailbox, SmtpServer

SECRET = b"a test secret for unsubscribe links, 32+ bytes long"
EVERYONE = ("direktor", "tr", "amr", "sekretaer", "leder", "tr-lokal", "udenfor", "revisor")


def address(person: str) -> str:
    return f"{person}@kommune.example"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@dataclass
class Mail:
    """The ``org`` ledger's notifications: its projector, its worker, the SMTP server's box."""

    org: Organisation
    projector: Projector
    notifier: Notifier
    mailbox: Mailbox

    def run(self) -> PassReport:
        self.projector.catch_up_ledger(self.org.origin)
        return self.notifier.run_once()


def make_notifier(
    store: Store,
    service: LedgerService,
    clock: ManualClock,
    port: int,
    *,
    origin: str,
    timeout: float = 5.0,
    backoff: Backoff | None = None,
) -> Notifier:
    return Notifier(
        store,
        service,
        SmtpSender(SmtpAddress("127.0.0.1", port, "none", timeout=timeout)),
        WorkerConfig(
            mail_from="med@kommune.example",
            base_url="https://med.kommune.example",
            secret=SECRET,
            backoff=backoff or Backoff(max_attempts=3, base_seconds=60, lease_seconds=60),
            max_age=timedelta(days=14),
        ),
        clock=clock,
        origin=origin,
    )


@pytest.fixture
def mail(
    org: Organisation, store: Store, service: LedgerService, clock: ManualClock, smtp: SmtpServer
) -> Mail:
    """Everyone in ``org`` has an address; the worker runs on the story's clock."""
    for person in EVERYONE:
        service.set_directory(org.origin, person, person.title(), address(person))
    return Mail(
        org,
        Projector(store),
        make_notifier(store, service, clock, smtp.port, origin=org.origin),
        smtp.mailbox,
    )
