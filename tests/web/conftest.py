"""Browser tests: Debian's Chromium driven by Playwright, against a real ``medledger serve``.

One server per test session serves the demo ledgers (built by ``medledger
demo``, with its demo keys, as ``make run`` serves them).  Each person gets
their own browser context: their own IndexedDB, their own keys, their own
session cookie.  With CI=true a missing browser fails; elsewhere it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from sqlalchemy import create_engine, text

from benchmarks.common import free_port
from ledger.domain.state import LedgerState
from tests.api.conftest import TEST_SECRET
from tests.conftest import IN_CI, PG_URL
from tests.stories.live_server import ROOT, LiveServer, server_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no browser at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class DemoSite:
    """The served demo ledgers: the server, and who the demo's people are."""

    server: LiveServer
    directory: Path
    people: list[dict[str, str]]

    @property
    def url(self) -> str:
        return self.server.url

    def key_file(self, ledger: str, person: str) -> Path:
        return self.directory / "demo-keys" / ledger / f"{person}.key"


def build_demo(directory: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--dir", str(directory)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("MEDLEDGER_")},
    )


@contextmanager
def served(directory: Path, env: dict[str, str]) -> Iterator[DemoSite]:
    """The demo ledgers and demo keys built in ``directory``, served with ``env`` meanwhile."""
    env["MEDLEDGER_DEMO_KEYS"] = str(directory / "demo-keys")
    server = LiveServer(env, free_port(), directory / "server.log")
    server.start()
    try:
        people = json.loads((directory / "demo-keys" / "people.json").read_text("utf-8"))
        yield DemoSite(server, directory, people)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    directory = tmp_path_factory.mktemp("web-demo")
    shutil.rmtree(directory)
    build_demo(directory)
    with served(directory, server_env("sqlite", directory, None, TEST_SECRET)) as site:
        yield site


@pytest.fixture(scope="session")
def demo_site_pg(tmp_path_factory: pytest.TempPathFactory, pg_schema: str) -> Iterator[DemoSite]:
    """The demo ledgers on PostgreSQL (built here, in a schema of their own), served."""
    from cli.demo_cmd import write_demo_keys
    from demo.organisation import ManualClock
    from demo.stories import build_demo as build_stories
    from ledger.service.settings import Settings

    directory = tmp_path_factory.mktemp("web-demo-pg")
    schema = f"{pg_schema}_web"
    settings = Settings(
        database_url=PG_URL, database_schema=schema, log_keys=directory / "log-keys"
    )
    clock = ManualClock()
    opened = settings.open_ledger(clock=clock)
    try:
        built = build_stories(opened.service, clock)
        write_demo_keys(directory / "demo-keys", opened.service, (built.buf, built.ballerup))
    finally:
        opened.close()
    env = server_env("postgres", directory, schema, TEST_SECRET)
    env["MEDLEDGER_READ_MODELS_CATCH_UP"] = "true"
    try:
        with served(directory, env) as site:
            yield site
    finally:
        engine = create_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_site(request: pytest.FixtureRequest) -> DemoSite:
    """The served demo ledgers on each store, for the stories where the store matters."""
    name = "demo_site" if request.param == "sqlite" else "demo_site_pg"
    site = request.getfixturevalue(name)
    assert isinstance(site, DemoSite)
    return site


@dataclass
class Person:
    """One person at their own browser: a context of its own, and what it saw."""

    context: BrowserContext
    page: Page
    base: str
    problems: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page


def open_person(browser: Browser, base: str) -> Person:
    """A fresh browser context that records console errors (CSP included) and every request."""
    context = browser.new_context(base_url=base, locale="da-DK")
    page = context.new_page()
    person = Person(context, page, base)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            person.problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: person.problems.append(str(error)))
    context.on(
        "request",
        lambda request: person.requests.append(
            {
                "url": request.url,
                "method": request.method,
                "headers": request.headers,
                "body": request.post_data_buffer,
            }
        ),
    )
    return person


@pytest.fixture
def people(browser: Browser) -> Iterator[list[Person]]:
    """Open people with ``people.append(open_person(...))``; all are closed afterwards."""
    opened: list[Person] = []
    yield opened
    for person in opened:
        person.context.close()


def signed_in(
    browser: Browser, site: DemoSite, people: list[Person], ledger: str, who: str
) -> Person:
    """A fresh browser (closed with ``people``) where ``who`` has logged in to ``ledger``."""
    person = open_person(browser, site.url)
    people.append(person)
    become(person, ledger, who)
    return person


def become(person: Person, ledger: str, who: str) -> Page:
    """Through the demo door: put ``who``'s demo key into this browser and log in."""
    page = person.go("/")
    page.get_by_role("button", name=_demo_button_name(page, ledger, who)).click()
    page.wait_for_url(f"**/l/{ledger}/login")
    log_in(page, who)
    return page


def _demo_button_name(page: Page, ledger: str, who: str) -> str:
    button = page.locator(f'button.demo-person[data-ledger="{ledger}"][data-person="{who}"]')
    return button.inner_text().strip()


def log_in(page: Page, who: str) -> None:
    page.locator(f'button.use-key[data-person="{who}"]').click()
    page.wait_for_url("**/sager")


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="session")
def demo_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerState]:
    """The Ballerup demo ledger's state, built in this process (no server, no browser)."""
    from demo.organisation import ManualClock
    from demo.stories import build_demo as build_stories
    from ledger.service.settings import Settings

    directory = tmp_path_factory.mktemp("web-demo-state")
    settings = Settings(
        database_url=f"sqlite:///{directory}/ledger.db", log_keys=directory / "log-keys"
    )
    clock = ManualClock()
    opened = settings.open_ledger(clock=clock)
    build_stories(opened.service, clock)
    try:
        yield opened.service.state("ballerup")
    finally:
        opened.close()
