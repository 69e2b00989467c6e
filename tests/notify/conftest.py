"""Fixtures of the notification stories: the ``org`` ledger, its outbox, a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from demo.organisation import ManualClock, Organisation
from ledger.client.http import HttpTransport
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.store import Store
from notify.delivery import Backoff
from notify.smtp import SmtpSender
from notify.smtp import SmtpServer as SmtpAddress
from notify.worker import Notifier, PassReport, WorkerConfig
from projections.runner.projector import Projector
from tests.api.conftest import api_settings
from tests.notify.smtp_server import Mailbox, SmtpServer
from web.session import SESSION_COOKIE, csrf_token
from web.site import create_site

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


@dataclass
class Browser:
    http: TestClient
    mail: Mail
    secret: bytes

    @property
    def base(self) -> str:
        return f"/l/{ledger_id_of(self.mail.org.origin)}"

    def log_in(self, person: str) -> str:
        """Log ``person`` in; their CSRF token."""
        transport = HttpTransport(client=self.http, key=self.mail.org.keys[person])
        token = transport.token(ledger_id_of(self.mail.org.origin))
        self.http.cookies.set(SESSION_COOKIE, token)
        return csrf_token(self.secret, token)


@pytest.fixture
def browser(mail: Mail, store: Store, service: LedgerService, tmp_path: Path) -> Iterator[Browser]:
    settings = api_settings(tmp_path)
    site = create_site(settings, ledger=OpenedLedger(store, service))
    with TestClient(site, raise_server_exceptions=False) as http:
        yield Browser(http, mail, settings.secret_bytes())
