"""The list in the web application, the reader's choices, and the one-click unsubscribe link."""

from __future__ import annotations

from datetime import UTC, datetime

from demo.organisation import ManualClock
from ledger.domain import events as ev
from ledger.storage.store import Store
from notify.preferences import preferences_of
from notify.tables import NotifyDatabase
from notify.tokens import Unsubscribe, make_token
from tests.notify.conftest import Browser, address
from tests.notify.smtp_server import text_of
from tests.notify.test_consultation_story import consult

NEXT_MORNING = datetime(2026, 1, 6, 6, 30, tzinfo=UTC)


def test_the_list_shows_the_news_and_remembers_what_was_read(
    browser: Browser, clock: ManualClock
) -> None:
    consult(browser.mail, clock)
    browser.mail.run()
    csrf = browser.log_in("tr")
    page = browser.http.get(f"{browser.base}/beskeder").text
    assert "Ny sag i HovedMED: Ny skolestruktur" in page
    assert "Ulæste: 2" in page
    assert f'href="{browser.base}/beskeder"' in page  # the header's link
    browser.http.post(
        f"{browser.base}/beskeder/laest", data={"csrf": csrf, "all": "1"}, follow_redirects=False
    )
    assert "Ulæste: 0" in browser.http.get(f"{browser.base}/beskeder").text
    refused = browser.http.post(f"{browser.base}/beskeder/laest", data={"all": "1"})
    assert refused.status_code == 403


def test_the_list_never_names_a_matter_its_reader_may_not_read(
    browser: Browser, clock: ManualClock
) -> None:
    consult(browser.mail, clock)
    browser.mail.org.registry(ev.MemberLeft(body="hmed", person="amr"))
    browser.mail.run()
    browser.log_in("amr")
    page = browser.http.get(f"{browser.base}/beskeder").text
    assert "Ny skolestruktur" not in page
    assert "en sag, du ikke kan læse" in page


def test_the_choices_are_kept_and_a_weekly_reader_waits_for_monday(
    browser: Browser, clock: ManualClock
) -> None:
    csrf = browser.log_in("tr")
    browser.http.post(
        f"{browser.base}/beskeder/indstillinger",
        data={"csrf": csrf, "digest": "weekly", "language": "en", "kind": ["consultation"]},
    )
    db = browser.mail.notifier.deliveries
    prefs = preferences_of(db, browser.mail.org.origin, ["tr"])["tr"]
    assert (prefs.digest, prefs.language) == ("weekly", "en")
    assert "consultation" not in prefs.unsubscribed and "matter_opened" in prefs.unsubscribed
    consult(browser.mail, clock)
    clock.now = NEXT_MORNING
    browser.mail.run()
    assert browser.mail.mailbox.to(address("tr")) == []
    clock.now = datetime(2026, 1, 12, 6, 0, tzinfo=UTC)  # Monday, 07:00 in Copenhagen
    browser.mail.run()
    (weekly,) = browser.mail.mailbox.to(address("tr"))
    assert "HovedMED is consulted on Ny skolestruktur" in text_of(weekly)
    assert "New matter" not in text_of(weekly)


def test_one_click_unsubscribes_without_a_session(browser: Browser, store: Store) -> None:
    origin = browser.mail.org.origin
    token = make_token(browser.secret, Unsubscribe(origin, "amr", ("meeting",)))
    shown = browser.http.get(f"{browser.base}/beskeder/afmeld", params={"t": token})
    assert shown.status_code == 200 and "Møder i mine organer" in shown.text
    done = browser.http.post(
        f"{browser.base}/beskeder/afmeld",
        params={"t": token},
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200
    db = NotifyDatabase.of(store)
    assert preferences_of(db, origin, ["amr"])["amr"].unsubscribed == {"meeting"}
    forged = make_token(b"another deployment's secret, 32+ bytes", Unsubscribe(origin, "tr", ()))
    refused = browser.http.post(f"{browser.base}/beskeder/afmeld", params={"t": forged})
    assert refused.status_code == 400 and "unsubscribe_token_invalid" in refused.text
