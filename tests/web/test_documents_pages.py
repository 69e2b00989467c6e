"""Documents under the session cookie: the browser's upload (CSRF header, the digest it
will sign) and the download link of a matter's material (no browser; both backends)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from demo.organisation import ManualClock, Organisation
from ledger.client.http import auth_message
from ledger.domain import events as ev
from ledger.protocol.b64 import b64encode
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.logkeys import ledger_id_of
from ledger.storage.store import Store
from tests.api.conftest import api_settings
from tests.stories.confidential import tell
from web.session import SESSION_COOKIE, csrf_token
from web.site import create_site

MINUTES = b"Referat fra HovedMED: XQ7SECRET"
DIGEST = hashlib.sha256(MINUTES).hexdigest()


class Browserless:
    """One person's cookie jar on the site, logged in with their key as a browser would."""

    def __init__(self, http: TestClient, org: Organisation, person: str, secret: bytes) -> None:
        self.http, self.ledger = http, ledger_id_of(org.origin)
        key = org.keys[person]
        challenge = http.post(f"/v1/ledgers/{self.ledger}/auth/challenge").json()
        message = auth_message(challenge["origin"], challenge["challenge"], person, key.key_id)
        signed = {
            "person": person,
            "key_id": key.key_id,
            "challenge": challenge["challenge"],
            "signature": b64encode(key.sign(message)),
        }
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
    org: Organisation
    app: FastAPI
    secret: bytes

    def person(self, who: str) -> Browserless:
        http = TestClient(self.app, raise_server_exceptions=False, follow_redirects=False)
        return Browserless(http, self.org, who, self.secret)


@pytest.fixture
def site(
    service: LedgerService, store: Store, clock: ManualClock, unique: str, tmp_path: Path
) -> Site:
    org = Organisation(service, f"ledger.example/side{unique}", "Sidekommune", clock)
    tell(org)
    settings = api_settings(tmp_path)
    app = create_site(settings, ledger=OpenedLedger(store, service))
    return Site(org, app, settings.secret_bytes())


def test_material_uploaded_in_the_browser_is_linked_and_served_to_the_matters_readers_only(
    site: Site,
) -> None:
    org = site.org
    manager = site.person("direktor")
    assert manager.upload(MINUTES, DIGEST).status_code == 201
    org.act(
        "direktor",
        "hemmelig",
        ev.MaterialShared(documents=[ev.Document(title="Referat", sha256=DIGEST)], bodies=["hmed"]),
    )
    reader = site.person("tr")
    page = reader.http.get(f"/l/{reader.ledger}/sager/hemmelig")
    assert f'href="/l/{reader.ledger}/dokument/{DIGEST}" download' in page.text
    served = reader.download(DIGEST)
    assert served.status_code == 200
    assert served.content == MINUTES
    assert served.headers["content-disposition"].startswith("attachment")
    outsider = site.person("tr-lokal")
    refused = outsider.download(DIGEST)
    assert refused.status_code == 404
    assert b"XQ7SECRET" not in refused.content
    assert "unknown_document" in refused.text


def test_an_upload_needs_the_sessions_csrf_token_and_the_digest_of_its_bytes(
    site: Site,
) -> None:
    manager = site.person("direktor")
    forged = manager.upload(MINUTES, DIGEST, csrf="0" * 64)
    assert forged.status_code == 403
    assert "csrf_failed" in forged.text
    wrong = manager.upload(b"andre bytes", DIGEST)
    assert wrong.status_code == 400
    assert "document_digest_mismatch" in wrong.text
    anonymous = TestClient(site.app, raise_server_exceptions=False, follow_redirects=False)
    answer = anonymous.post(
        f"/l/{manager.ledger}/dokumenter", params={"sha256": DIGEST}, content=MINUTES
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/l/{manager.ledger}/login")
    assert manager.upload(MINUTES, DIGEST).status_code == 201
    assert manager.upload(MINUTES, DIGEST).status_code == 200
