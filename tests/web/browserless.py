"""Pages driven without a browser: a person's cookie jar on the site, logged in with their
key as a browser does, over the confidentiality story (tests/stories/confidential.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from demo.organisation import ManualClock, Organisation
from ledger.client.http import answer_challenge
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.store import Store
from tests.api.conftest import api_settings
from tests.stories.confidential import tell
from web.context import Site as PagesSite
from web.session import SESSION_COOKIE, csrf_token
from web.site import create_site


class Browserless:
    """One person's cookie jar on the site, logged in with their key as a browser would."""

    def __init__(self, http: TestClient, org: Organisation, person: str, secret: bytes) -> None:
        self.http, self.ledger = http, ledger_id_of(org.origin)
        key = org.keys[person]
        challenge = http.post(f"/v1/ledgers/{self.ledger}/auth/challenge").json()
        signed = answer_challenge(challenge, key)
        assert http.post(f"/l/{self.ledger}/session", json=signed).status_code == 200
        self.csrf = csrf_token(secret, http.cookies[SESSION_COOKIE])

    def upload(self, content: bytes, digest: str, *, csrf: str | None = None) -> httpx.Response:
        answer: httpx.Response = self.http.post(
            f"/l/{self.ledger}/dokumenter",
            params={"sha256": digest},
            content=content,
            headers={"X-CSRF-Token": self.csrf if csrf is None else csrf},
        )
        return answer

    def download(self, digest: str) -> httpx.Response:
        answer: httpx.Response = self.http.get(f"/l/{self.ledger}/dokument/{digest}")
        return answer


@dataclass(frozen=True)
class Site:
    """The web site over ``org``; a person's CSRF token comes from the site's own secret."""

    org: Organisation
    app: FastAPI

    def person(self, who: str) -> Browserless:
        http = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        pages: PagesSite = self.app.state.site
        return Browserless(http, self.org, who, pages.secret)


def told_site(
    service: LedgerService, store: Store, clock: ManualClock, tmp_path: Path, origin: str, name: str
) -> Site:
    """The web site over a municipality ``origin`` told the confidential story."""
    org = Organisation(service, origin, name, clock)
    tell(org)
    app = create_site(api_settings(tmp_path), ledger=OpenedLedger(store, service))
    return Site(org, app)


@pytest.fixture(name="site")
def site_fixture(
    service: LedgerService, store: Store, clock: ManualClock, unique: str, tmp_path: Path
) -> Site:
    return told_site(service, store, clock, tmp_path, f"ledger.example/side{unique}", "Sidekommune")
