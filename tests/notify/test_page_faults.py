"""An unreachable database is a 503 with its stable code on the notification pages, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.organisation import ManualClock
from ledger.storage.store import Store
from tests.conftest import PG_URL
from tests.notify.conftest import Browser
from tests.notify.test_consultation_story import consult
from tests.stories.databases import only_on, store_of_its_own, unreachable


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A database of this test's own, so that it can be made unreachable."""
    with store_of_its_own(backend, tmp_path, request, PG_URL) as opened:
        yield opened


def test_the_notification_pages_say_503_when_the_database_is_gone(
    backend: str, browser: Browser, clock: ManualClock, store: Store
) -> None:
    only_on("postgres", backend, "a fault of PostgreSQL")
    consult(browser.mail, clock)
    browser.mail.run()
    csrf = browser.log_in("tr")
    assert browser.http.get(f"{browser.base}/beskeder").status_code == 200
    with unreachable(PG_URL, store.url):
        for response in (
            browser.http.get(f"{browser.base}/beskeder"),
            browser.http.post(f"{browser.base}/beskeder/laest", data={"csrf": csrf, "all": "1"}),
        ):
            assert response.status_code == 503, response.text
            assert "storage_unavailable" in response.text
