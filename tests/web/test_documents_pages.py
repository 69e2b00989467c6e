"""Documents under the session cookie: the browser's upload (CSRF header, the digest it
will sign) and the download link of a matter's material (no browser; both backends)."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from ledger.domain import events as ev
from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)

MINUTES = b"Referat fra HovedMED: XQ7SECRET"
DIGEST = hashlib.sha256(MINUTES).hexdigest()


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
