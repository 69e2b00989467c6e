"""The served application without a browser: the demo door stays shut outside the demo,
pages and the API share one process, and the pages' headers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.settings import ApiSettings
from tests.api.conftest import TEST_SECRET
from web.site import create_site, create_site_from_env


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The served application over a fresh SQLite ledger, outside the demo."""
    settings = ApiSettings(
        database_url=f"sqlite:///{tmp_path}/ledger.db",
        log_keys=tmp_path / "log-keys",
        api_secret=TEST_SECRET,
    )
    with TestClient(create_site(settings)) as served:
        yield served


def test_outside_the_demo_there_is_no_demo_door(client: TestClient) -> None:
    start = client.get("/")
    assert start.status_code == 200
    assert "demo-person" not in start.text and "/static/js/demo.js" not in start.text
    assert client.get("/demo/ballerup/tr-okonomi.key").status_code == 404
    # The API is still the API, beside the pages.
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/v1/ledgers/nowhere").json()["error"]["code"] == "unknown_ledger"
    # An unknown ledger's page is an error page with the API's status and code.
    missing = client.get("/l/nowhere/login")
    assert missing.status_code == 404 and "unknown_ledger" in missing.text
    assert missing.headers["content-type"].startswith("text/html")


def test_the_language_switch_never_leads_off_the_site(client: TestClient) -> None:
    away = client.get("/sprog/en?next=//evil.example/", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/"
    assert "medledger_lang=en" in away.headers["set-cookie"]
    english = client.get("/")
    assert '<html lang="en">' in english.text


def test_the_served_site_settles_its_heap_once_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``medledger serve``'s factory freezes what building the site made, so that the
    collector's full passes during requests walk only what requests made."""
    monkeypatch.setenv("MEDLEDGER_DATABASE_URL", f"sqlite:///{tmp_path}/ledger.db")
    monkeypatch.setenv("MEDLEDGER_LOG_KEYS", str(tmp_path / "log-keys"))
    monkeypatch.setenv("MEDLEDGER_API_SECRET", TEST_SECRET)
    before = gc.get_freeze_count()
    try:
        site = create_site_from_env()
        frozen = gc.get_freeze_count()
        assert frozen > before
        assert gc.isenabled()  # the collector still runs: only what was built is set aside
        with TestClient(site) as served:
            assert served.get("/").status_code == 200
        assert gc.get_freeze_count() <= frozen  # requests freeze nothing more
    finally:
        gc.unfreeze()


def test_an_address_no_page_answers_is_an_error_page_to_a_browser_and_json_to_a_program(
    client: TestClient,
) -> None:
    page = client.get("/l/nowhere/ingen-side", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "unknown_route" in page.text and "Siden findes ikke" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    english = client.get("/ingen-side?lang=en", headers={"Accept": "text/html"})
    assert "There is no such page" in english.text
    # The API's addresses, programs that ask for no page and other methods keep the API's
    # error shape and stable code.
    for answer in (
        client.get("/v1/ledgers/nowhere/intet-her", headers={"Accept": "text/html"}),
        client.get("/ingen-side"),
        client.post("/ingen-side", headers={"Accept": "text/html"}),
    ):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "unknown_route"
