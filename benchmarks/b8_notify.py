"""B8: the notification worker's throughput, against raw smtplib sends to the same server.

A body of ``B8_PEOPLE`` members (200 by default), each wanting their mail
at once, is consulted on a matter: the worker plans one message per member
(the matter opened and the consultation), composes each for what its
member may read, and hands it to a local SMTP server (aiosmtpd on
127.0.0.1), with its claim, "sending" and "sent" each committed.  The
reference sends the same number of comparable messages with
``smtplib.SMTP.sendmail`` over one connection and records nothing.  The
figure is messages per second; the ratio says what the outbox's guarantees
(decided once, never twice after a crash, every attempt recorded) cost.
"""

from __future__ import annotations

import os
import smtplib
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from benchmarks.common import backend_url, backends, free_port, line, rate
from benchmarks.matters import hovedmed, matter_opened
from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.application import LedgerService
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from notify.delivery import Backoff, Deliveries
from notify.preferences import Preferences, save_preferences
from notify.smtp import SmtpSender, SmtpServer
from notify.tables import NotifyTables
from notify.worker import Notifier, WorkerConfig
from projections.runner.projector import Projector


def _people() -> int:
    return int(os.environ.get("B8_PEOPLE", "200"))


class _Counter:
    """An aiosmtpd handler that only counts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def _reference(port: int, count: int) -> float:
    """Raw smtplib: ``count`` two-part messages over one connection."""
    mails = []
    for number in range(count):
        mail = EmailMessage()
        mail["From"], mail["To"] = "med@kommune.example", f"m{number}@kommune.example"
        mail["Subject"] = "Benchkommune: 2 nyheder til dig"
        mail.set_content("Ny sag i HovedMED: Budget 2027\n" * 4, cte="quoted-printable")
        mail.add_alternative("<p>Ny sag i HovedMED</p>" * 4, subtype="html")
        mails.append(mail)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for mail in mails:
            connection.send_message(mail)
    return rate(count, time.perf_counter() - started)


def _ledger(url: str, schema: str | None, keys: Path) -> tuple[Store, LedgerService, str]:
    clock = ManualClock(datetime.now(UTC) - timedelta(minutes=5))
    store = Store(url, schema=schema)
    service = LedgerService(store, LogKeyring(keys), clock=clock)
    org = Organisation(service, "ledger.example/b8", "Benchkommune", clock)
    hovedmed(org)
    owner = Deliveries(store, NotifyTables(store.engine, schema), Backoff())
    for number in range(_people()):
        person = f"m{number:04d}"
        org.person(person, f"Medlem {number}", email=f"{person}@kommune.example")
        org.appoint("hmed", person, "employees", "member")
        save_preferences(owner, org.origin, person, Preferences("immediate"))
    opened = matter_opened("Budget 2027", "Budgetforslaget.", "budget", clock.date(days=60))
    org.act("direktor", "budget", opened)
    org.act(
        "direktor",
        "budget",
        ev.ConsultationOpened(body="hmed", question="?", respond_by=clock.date(days=20)),
    )
    Projector(store).catch_up_ledger(org.origin)
    return store, service, org.origin


def _measure(backend: str, port: int, counter: _Counter) -> float:
    with backend_url(backend) as (url, schema), tempfile.TemporaryDirectory() as keys:
        store, service, origin = _ledger(url, schema, Path(keys))
        notifier = Notifier(
            store,
            service,
            SmtpSender(SmtpServer("127.0.0.1", port, "none")),
            WorkerConfig("med@kommune.example", "http://127.0.0.1:8000", b"b8" * 16),
            origin=origin,
        )
        before = counter.count
        started = time.perf_counter()
        report = notifier.run_once()
        seconds = time.perf_counter() - started
        assert report.outcomes == {"sent": _people()}, report
        assert counter.count - before == _people()
        store.dispose()
    return rate(_people(), seconds)


def main() -> None:
    print("B8  notification worker: plan, compose, send, record (ratio to raw smtplib sends)")
    counter = _Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        reference = _reference(port, _people())
        line(f"B8 raw smtplib, one connection ({_people()} messages)", f"{reference:,.0f} msg/s")
        for backend in backends():
            ours = _measure(backend, port, counter)
            line(f"B8 {backend}: medledger notify worker", f"{ours:,.0f} msg/s", ours / reference)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
