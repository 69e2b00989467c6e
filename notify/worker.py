"""The notification worker (``medledger notify run``): plan, claim, compose, send, record.

One pass, for every ledger: take back expired claims, decide the notices
whose moment has come (``notify.planning``), claim due messages, and for
each compose it for what its recipient may read now and hand it to the
SMTP server (``notify.smtp``), recording the attempt.  Nothing a message
or the server does stops the worker: every failure is an outcome recorded
on its message, and a pass that cannot reach the database is logged and
tried again on the next poll.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy import and_, select

from ledger.service.application import Clock, LedgerService, system_clock
from ledger.storage.store import Store
from notify.compose import Notice, Reading, compose
from notify.delivery import Backoff, Claimed, ClaimLostError, Deliveries
from notify.planning import plan
from notify.preferences import preferences_of
from notify.relevance import Relevance
from notify.schedule import Timing
from notify.smtp import Result, SmtpSender
from notify.tables import NotifyTables
from notify.tokens import Unsubscribe, make_token
from projections.read_models.schema import ReadModelSchema

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    mail_from: str
    base_url: str
    secret: bytes
    timing: Timing = field(default_factory=Timing)
    backoff: Backoff = field(default_factory=Backoff)
    max_age: timedelta = timedelta(days=14)
    batch: int = 100


@dataclass
class PassReport:
    planned: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


class Notifier:
    """Delivers the outbox of one database by e-mail."""

    def __init__(
        self,
        store: Store,
        service: LedgerService,
        sender: SmtpSender,
        config: WorkerConfig,
        *,
        clock: Clock = system_clock,
        before_pass: Callable[[], object] | None = None,
        origin: str | None = None,
    ) -> None:
        self.store = store
        self.service = service
        self.sender = sender
        self.config = config
        self.clock = clock
        self.before_pass = before_pass
        self.origin = origin
        """Only this ledger (every ledger of the database when None)."""
        self.schema = ReadModelSchema(store)
        self.tables = NotifyTables(store.engine, store.schema)
        self.deliveries = Deliveries(store, self.tables, config.backoff)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def run_once(self) -> PassReport:
        """One pass over every ledger; returns what it planned and what became of each send."""
        report = PassReport()
        if self.before_pass is not None:
            self.before_pass()  # the read models (and so the outbox) caught up first
        self.deliveries.recover(self.clock(), self.origin)
        for row in self.store.ledgers_list():
            if self.origin is not None and row.origin != self.origin:
                continue
            relevance = self.relevance_of(row.origin)
            planned = plan(
                self.deliveries,
                row.origin,
                self.clock(),
                self.config.timing,
                self.config.max_age,
                relevance,
            )
            report.planned += planned.messages
        while True:
            claimed = self.deliveries.claim(
                self.clock(), self.worker, self.config.batch, self.origin
            )
            if not claimed:
                break
            for message in claimed:
                status = self._deliver(message)
                report.outcomes[status] = report.outcomes.get(status, 0) + 1
        self.sender.close()
        return report

    def run_forever(self, *, poll_seconds: float, stop: threading.Event) -> None:
        """Pass after pass until ``stop`` is set; a failed pass is logged and tried again."""
        while not stop.is_set():
            try:
                report = self.run_once()
                if report.planned or report.outcomes:
                    logger.info("planned %d, sent %s", report.planned, report.outcomes)
            except Exception:
                logger.exception("notification pass failed; retrying")
                self.sender.close()
            stop.wait(poll_seconds)

    def relevance_of(self, origin: str) -> Relevance:
        """What the read models, the directory and the registry of ``origin`` say now."""
        return Relevance(self.store, self.schema, origin, self.service.state, self.config.base_url)

    def _deliver(self, message: Claimed) -> str:
        """Compose and send one claimed message; return its new status."""
        built = self._build(message)
        if built is None:
            return self.deliveries.finish(
                message, self.worker, self.clock(), "cancelled", detail="no address"
            )
        handed: list[bool] = []

        def before_content() -> None:
            self.deliveries.sending(message, self.worker, self.clock())
            handed.append(True)

        try:
            result: Result = self.sender.send(built, before_content)
        except ClaimLostError:
            self.sender.close()  # the envelope is dropped with the connection; no content sent
            return "lost_claim"
        return self.deliveries.finish(
            message,
            self.worker,
            self.clock(),
            result.outcome,
            code=result.code,
            detail=result.detail,
            handed_over=bool(handed),
        )

    def _notices(self, message: Claimed) -> list[Notice]:
        o, d = self.tables.outbox, self.tables.deliveries
        with self.store.read() as session:
            rows = session.execute(
                select(o)
                .join(
                    d,
                    and_(
                        d.c.origin == o.c.origin, d.c.person == o.c.person, d.c.cause == o.c.cause
                    ),
                )
                .where(d.c.message_id == message.id)
                .order_by(o.c.due_at, o.c.cause)
            ).all()
        return [Notice.of_row(dict(row._mapping)) for row in rows]

    def _build(self, message: Claimed) -> EmailMessage | None:
        """The e-mail of a message, or None when its recipient has no address any more."""
        relevance = self.relevance_of(message.origin)
        address = relevance.addresses([message.person]).get(message.person)
        if address is None:
            return None
        name, email = address
        prefs = preferences_of(self.deliveries, message.origin, [message.person])[message.person]
        notices = self._notices(message)
        reading = relevance.reading(message.person, name, prefs.language, notices)
        kinds = tuple(dict.fromkeys(n.kind for n in notices))
        links = {k: self._unsubscribe_link(reading, message, (k,)) for k in kinds}
        composed = compose(notices, reading, links)
        mail = EmailMessage()
        mail["From"] = self.config.mail_from
        mail["To"] = formataddr((name, email))
        mail["Subject"] = composed.subject
        mail["Date"] = format_datetime(self.clock())
        mail["Message-ID"] = self._message_id(message)
        every = self._unsubscribe_link(reading, message, kinds)
        mail["List-Unsubscribe"] = f"<{every}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mail["Content-Language"] = prefs.language
        # Quoted-printable keeps every line within SMTP's limit, whatever the words.
        mail.set_content(composed.text, cte="quoted-printable")
        mail.add_alternative(composed.html, subtype="html", cte="quoted-printable")
        return mail

    def _unsubscribe_link(self, reading: Reading, message: Claimed, kinds: tuple[str, ...]) -> str:
        token = make_token(self.config.secret, Unsubscribe(message.origin, message.person, kinds))
        return reading.link(f"beskeder/afmeld?t={token}")

    def _message_id(self, message: Claimed) -> str:
        """Stable per message: a message handed over twice would carry the same id."""
        digest = hashlib.sha256(message.origin.encode()).hexdigest()[:16]
        domain = self.config.mail_from.rpartition("@")[2] or "medledger"
        return f"<notice-{message.id}.{digest}@{domain}>"
