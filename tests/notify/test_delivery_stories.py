"""Digests, unsubscribing, a refusing or silent SMTP server, erasure and confidentiality."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from benchmarks.matters import matter_opened
from demo.organisation import ManualClock
from ledger.domain import events as ev
from ledger.storage.store import Store
from notify.delivery import Backoff, ClaimLostError
from notify.planning import plan
from notify.preferences import Preferences, save_preferences, unsubscribe
from notify.schedule import Timing
from notify.tokens import read_token
from tests.notify.conftest import SECRET, Mail, address, make_notifier
from tests.notify.smtp_server import SmtpServer, text_of
from tests.notify.test_consultation_story import consult

NEXT_MORNING = datetime(2026, 1, 6, 6, 30, tzinfo=UTC)


def statuses(mail: Mail, store: Store) -> dict[str, str]:
    m = mail.notifier.tables.messages
    with store.read() as session:
        rows = session.execute(
            select(m.c.person, m.c.status).where(m.c.origin == mail.org.origin)
        ).all()
    return {str(p): str(s) for p, s in rows}


def consulted_overnight(mail: Mail, clock: ManualClock) -> None:
    """HovedMED is consulted on the school structure; then it is the next morning."""
    consult(mail, clock)
    clock.now = NEXT_MORNING


def refused_overnight(mail: Mail, clock: ManualClock, smtp: SmtpServer) -> None:
    """Consulted overnight, and the morning's run finds the server refusing every recipient
    for now (451): every message is left to be tried again."""
    smtp.mailbox.rcpt_reply = "451 4.3.0 Try again later"
    consulted_overnight(mail, clock)
    mail.run()


def test_a_daily_digest_groups_the_days_events_in_one_message(
    mail: Mail, clock: ManualClock
) -> None:
    matter = consult(mail, clock)
    clock.advance(hours=3)
    matter.act(
        "direktor",
        ev.MaterialShared(
            documents=[ev.Document(title="Notat", sha256="ab" * 32)], bodies=["hmed"]
        ),
    )
    clock.now = NEXT_MORNING
    mail.run()
    (message,) = mail.mailbox.to(address("tr"))
    text = text_of(message)
    assert "3 nyheder til dig" in str(message["Subject"])
    for line in ("Ny sag i HovedMED", "HovedMED høres i", "Materiale er delt med HovedMED"):
        assert line in text


def test_an_immediate_reader_is_told_at_once(mail: Mail, clock: ManualClock) -> None:
    save_preferences(mail.notifier.deliveries, mail.org.origin, "amr", Preferences("immediate"))
    consult(mail, clock)
    mail.run()
    assert len(mail.mailbox.to(address("amr"))) == 1
    assert mail.mailbox.to(address("tr")) == []  # daily, by default


def test_an_unsubscribed_kind_is_not_sent(mail: Mail, clock: ManualClock) -> None:
    consulted_overnight(mail, clock)
    mail.run()
    (first,) = mail.mailbox.to(address("tr"))
    link = str(first["List-Unsubscribe"]).strip("<>")
    request = read_token(SECRET, link.split("t=", 1)[1])
    assert (request.person, set(request.kinds)) == ("tr", {"matter_opened", "consultation"})
    unsubscribe(mail.notifier.deliveries, request.origin, request.person, ("matter_opened",))
    mail.org.act("direktor", "budget", _budget(clock))
    clock.advance(days=1)
    mail.run()
    assert len(mail.mailbox.to(address("tr"))) == 1  # nothing new for tr
    assert len(mail.mailbox.to(address("amr"))) == 2


def _budget(clock: ManualClock) -> ev.MatterOpened:
    return matter_opened(
        "Budget 2027",
        "Budgetforslaget.",
        "budget",
        clock.date(days=30),
        influence_level="information",
    )


def test_a_refusing_server_is_retried_with_backoff_then_shown_as_failed(
    mail: Mail, clock: ManualClock, store: Store, smtp: SmtpServer
) -> None:
    refused_overnight(mail, clock, smtp)
    assert set(statuses(mail, store).values()) == {"pending"}
    clock.advance(minutes=1)  # the first backoff: 60 s
    mail.run()
    clock.advance(minutes=1)
    mail.run()  # the second backoff is 120 s: not yet
    assert set(statuses(mail, store).values()) == {"pending"}
    clock.advance(minutes=1)
    mail.run()
    assert set(statuses(mail, store).values()) == {"failed"}
    a = mail.notifier.tables.attempts
    with store.read() as session:
        codes = session.execute(select(a.c.code, a.c.outcome)).all()
    assert {(451, "retry")} <= set(codes)
    smtp.mailbox.rcpt_reply = None
    clock.advance(days=1)
    mail.run()
    assert mail.mailbox.received == []  # failed stays failed: no late surprise


def test_a_permanent_refusal_fails_at_once(
    mail: Mail, clock: ManualClock, store: Store, smtp: SmtpServer
) -> None:
    smtp.mailbox.data_reply = "550 5.7.1 Not accepted"
    consulted_overnight(mail, clock)
    report = mail.run()
    assert report.outcomes == {"failed": 3}
    assert set(statuses(mail, store).values()) == {"failed"}


def test_a_silent_server_times_out_is_retried_and_the_worker_goes_on(
    mail: Mail, clock: ManualClock, store: Store, smtp: SmtpServer
) -> None:
    smtp.mailbox.rcpt_delay = 1.0
    mail.notifier = make_notifier(
        store,
        mail.org.service,
        clock,
        smtp.port,
        origin=mail.org.origin,
        timeout=0.3,
        backoff=Backoff(max_attempts=2, base_seconds=60, lease_seconds=60),
    )
    consulted_overnight(mail, clock)
    assert set(mail.run().outcomes) == {"pending"}
    clock.advance(minutes=1)
    assert set(mail.run().outcomes) == {"failed"}
    assert set(statuses(mail, store).values()) == {"failed"}


def test_erasing_the_directory_entry_stops_the_mail(
    mail: Mail, clock: ManualClock, store: Store
) -> None:
    consult(mail, clock)
    mail.org.service.erase_directory(mail.org.origin, "tr")
    clock.now = NEXT_MORNING
    mail.run()
    assert mail.mailbox.to(address("tr")) == []
    assert len(mail.mailbox.to(address("amr"))) == 1
    d = mail.notifier.tables.deliveries
    with store.read() as session:
        outcomes = session.execute(
            select(d.c.outcome).where(d.c.origin == mail.org.origin, d.c.person == "tr")
        ).scalars()
        assert set(outcomes) == {"no_address"}


def test_a_message_never_names_a_matter_its_reader_may_no_longer_read(
    mail: Mail, clock: ManualClock
) -> None:
    consult(mail, clock)
    mail.org.registry(ev.MemberLeft(body="hmed", person="amr"))
    clock.now = NEXT_MORNING
    mail.run()
    (message,) = mail.mailbox.to(address("amr"))
    whole = message.as_string()
    assert "skolestruktur" not in whole.lower()
    assert "en sag, du ikke kan læse" in text_of(message)
    assert "Ny skolestruktur" in text_of(mail.mailbox.to(address("tr"))[0])


def test_an_address_erased_after_planning_cancels_the_message(
    mail: Mail, clock: ManualClock, store: Store, smtp: SmtpServer
) -> None:
    refused_overnight(mail, clock, smtp)
    mail.org.service.erase_directory(mail.org.origin, "tr")
    smtp.mailbox.rcpt_reply = None
    clock.advance(minutes=1)
    mail.run()
    assert statuses(mail, store)["tr"] == "cancelled"
    assert mail.mailbox.to(address("tr")) == []
    assert statuses(mail, store)["amr"] == "sent"


def test_no_reply_after_the_content_is_uncertain_and_never_resent(
    mail: Mail, clock: ManualClock, store: Store, smtp: SmtpServer
) -> None:
    smtp.mailbox.data_delay = 1.0
    mail.notifier = make_notifier(
        store, mail.org.service, clock, smtp.port, origin=mail.org.origin, timeout=0.3
    )
    consulted_overnight(mail, clock)
    mail.run()
    assert set(statuses(mail, store).values()) == {"uncertain"}
    smtp.mailbox.data_delay = 0.0
    clock.advance(days=1)
    mail.run()
    assert set(statuses(mail, store).values()) == {"uncertain"}
    assert len(mail.mailbox.received) == 3  # the server had them; none went twice


def test_a_worker_whose_claim_ran_out_does_not_send(
    mail: Mail, clock: ManualClock, store: Store
) -> None:
    consulted_overnight(mail, clock)
    mail.projector.catch_up_ledger(mail.org.origin)
    deliveries = mail.notifier.deliveries
    origin = mail.org.origin
    relevance = mail.notifier.relevance_of(origin)
    plan(deliveries, origin, clock(), Timing(), timedelta(days=14), relevance)
    slow = deliveries.claim(clock(), "slow-worker", 1, origin)[0]
    clock.advance(minutes=2)  # past the 60 s lease
    deliveries.recover(clock(), origin)
    (taken,) = deliveries.claim(clock(), "other-worker", 1, origin)
    assert taken.id == slow.id
    with pytest.raises(ClaimLostError):
        deliveries.sending(slow, "slow-worker", clock())
    deliveries.sending(taken, "other-worker", clock())
