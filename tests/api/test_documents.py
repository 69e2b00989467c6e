"""Documents behind signed digests: uploaded, kept under their SHA-256, served to readers
only, and never served under a digest their bytes no longer have (both backends)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.store import Store
from tests.api.conftest import Api, api_settings, assert_error, ledger_path, running
from tests.stories.confidential import tell

SECRET_MINUTES = b"Referat: XQ7SECRET - kun for HovedMED"
DIGEST = hashlib.sha256(SECRET_MINUTES).hexdigest()


@pytest.fixture
def told(service: LedgerService, clock: ManualClock, unique: str) -> Organisation:
    """The confidentiality story (tests/stories/confidential.py) in a fresh ledger."""
    org = Organisation(service, f"ledger.example/dokumenter{unique}", "Dokumentkommune", clock)
    tell(org)
    return org


def upload(
    api: Api, org: Organisation, person: str, content: bytes, **params: str
) -> httpx.Response:
    response: httpx.Response = api.http.post(
        f"{ledger_path(org)}/documents",
        content=content,
        params=params,
        headers={**api.headers(org, person), "Content-Type": "text/plain; charset=utf-8"},
    )
    return response


def name_in_matter(org: Organisation, matter: str, digest: str) -> None:
    document = ev.Document(title="Referat", sha256=digest)
    org.act("direktor", matter, ev.MaterialShared(documents=[document], bodies=["hmed"]))


def minutes_in_secret_matter(api: Api, org: Organisation) -> str:
    """The director uploads the secret minutes and shares them in ``hemmelig``; their path."""
    upload(api, org, "direktor", SECRET_MINUTES, sha256=DIGEST)
    name_in_matter(org, "hemmelig", DIGEST)
    return f"/documents/{DIGEST}"


def test_a_document_is_read_by_its_uploader_and_then_by_every_reader_of_the_matter_naming_it(
    api: Api, told: Organisation
) -> None:
    kept = upload(api, told, "direktor", SECRET_MINUTES, sha256=DIGEST)
    assert kept.status_code == 201, kept.text
    assert kept.json() == {
        "sha256": DIGEST,
        "size": len(SECRET_MINUTES),
        "media_type": "text/plain",
    }
    path = f"/documents/{DIGEST}"
    assert api.get(told, "direktor", path).content == SECRET_MINUTES
    # Before an event names it, nobody else reads it, auditors included.
    for person in ("tr", "revisor"):
        assert_error(api.get(told, person, path), 404, "unknown_document")
    name_in_matter(told, "hemmelig", DIGEST)
    for person in ("tr", "revisor", "direktor"):
        answer = api.get(told, person, path)
        assert answer.status_code == 200
        assert answer.content == SECRET_MINUTES
        assert answer.headers["content-disposition"] == f'attachment; filename="{DIGEST}"'
        assert answer.headers["content-security-policy"].startswith("sandbox")
        assert answer.headers["x-content-type-options"] == "nosniff"
    # Who may not read the matter is answered as for a digest never kept.
    for person in ("tr-lokal", "tr-anden", "tidligere", "admin"):
        refused = api.get(told, person, path)
        assert_error(refused, 404, "unknown_document")
        assert b"XQ7SECRET" not in refused.content
    assert_error(api.get(told, "tr", f"/documents/{'0' * 64}"), 404, "unknown_document")


def test_the_same_bytes_are_kept_once_and_bytes_of_another_digest_are_refused(
    api: Api, told: Organisation, store: Store
) -> None:
    assert upload(api, told, "tr", SECRET_MINUTES).status_code == 201
    # Another person's upload of the same bytes is theirs too: 201, as if nobody had
    # (the answer never tells that someone else holds those bytes); their second is 200.
    other = upload(api, told, "tr-lokal", SECRET_MINUTES, sha256=DIGEST)
    assert other.status_code == 201
    again = upload(api, told, "tr-lokal", SECRET_MINUTES, sha256=DIGEST)
    assert again.status_code == 200
    assert again.json() == other.json()
    assert again.json()["sha256"] == DIGEST
    with store.read() as session:
        kept = session.execute(
            select(store.documents.c.sha256).where(
                store.documents.c.origin == told.origin, store.documents.c.sha256 == DIGEST
            )
        ).all()
    assert len(kept) == 1  # the bytes once, whoever uploaded them
    wrong = upload(api, told, "tr", b"other bytes", sha256=DIGEST)
    assert_error(wrong, 400, "document_digest_mismatch")
    assert wrong.json()["error"]["expected"] == DIGEST
    assert_error(upload(api, told, "tr", b""), 400, "empty_document")
    assert_error(upload(api, told, "tr", b"x", sha256="ABC"), 400, "malformed_request")
    assert_error(api.get(told, "tr", "/documents/not-a-digest"), 400, "malformed_request")
    anonymous = api.http.post(f"{ledger_path(told)}/documents", content=b"x")
    assert_error(anonymous, 401, "token_required")


def test_a_document_whose_stored_bytes_changed_is_refused_not_served(
    api: Api, told: Organisation, store: Store
) -> None:
    upload(api, told, "direktor", SECRET_MINUTES, sha256=DIGEST)
    name_in_matter(told, "hemmelig", DIGEST)
    with store.write() as session:
        session.execute(
            update(store.documents)
            .where(store.documents.c.sha256 == DIGEST)
            .values(content=b"Referat: andet end det der blev underskrevet")
        )
    assert_error(api.get(told, "tr", f"/documents/{DIGEST}"), 500, "document_corrupt")
    # A non-reader learns nothing, not even that something is wrong.
    assert_error(api.get(told, "tr-lokal", f"/documents/{DIGEST}"), 404, "unknown_document")


def test_a_document_may_be_larger_than_an_event_but_not_than_the_document_limit(
    service: LedgerService, store: Store, told: Organisation, tmp_path: Path
) -> None:
    settings = api_settings(tmp_path, max_body_bytes=4096, max_document_bytes=64 * 1024)
    with running(settings, OpenedLedger(store, service)) as api:
        big = b"m" * (32 * 1024)
        assert upload(api, told, "tr", big).status_code == 201
        assert_error(upload(api, told, "tr", b"m" * (64 * 1024 + 1)), 413, "payload_too_large")
        too_big_event = api.http.post(
            f"{ledger_path(told)}/events", content=b"{" + b" " * 5000 + b"}"
        )
        assert_error(too_big_event, 413, "payload_too_large")


def test_naming_a_digest_learnt_elsewhere_in_a_matter_of_ones_own_reads_nothing(
    api: Api, told: Organisation
) -> None:
    path = minutes_in_secret_matter(api, told)
    # The LokalMED's chair may not read ``hemmelig``; naming its minutes' digest in a
    # matter of their own does not make them, or their matter's readers, its readers.
    document = ev.Document(title="Referat?", sha256=DIGEST)
    told.act("leder", "lokal", ev.MaterialShared(documents=[document], bodies=["lmed"]))
    for person in ("leder", "tr-lokal"):
        assert_error(api.get(told, person, path), 404, "unknown_document")
    # Its uploader shares it in a matter the LokalMED reads: now they read it.
    told.act("direktor", "aaben", ev.MaterialShared(documents=[document], bodies=["hmed"]))
    assert api.get(told, "tr-lokal", path).content == SECRET_MINUTES


def test_whoever_holds_the_same_bytes_uploads_and_shares_them_in_their_own_matter(
    api: Api, told: Organisation
) -> None:
    path = minutes_in_secret_matter(api, told)
    assert_error(api.get(told, "leder", path), 404, "unknown_document")
    # The LokalMED's chair holds a copy of the same file: uploading it is answered as
    # any first upload, and makes them one of its uploaders ...
    assert upload(api, told, "leder", SECRET_MINUTES, sha256=DIGEST).status_code == 201
    assert api.get(told, "leder", path).content == SECRET_MINUTES
    assert_error(api.get(told, "tr-lokal", path), 404, "unknown_document")
    # ... so that sharing it in their own matter lets that matter's readers read it.
    document = ev.Document(title="Referat", sha256=DIGEST)
    told.act("leder", "lokal", ev.MaterialShared(documents=[document], bodies=["lmed"]))
    assert api.get(told, "tr-lokal", path).content == SECRET_MINUTES
    # Who neither uploaded it nor reads a matter sharing it still reads nothing.
    for person in ("tr-anden", "admin"):
        assert_error(api.get(told, person, path), 404, "unknown_document")
