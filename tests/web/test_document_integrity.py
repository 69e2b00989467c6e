"""A shared document in the browser: served to the matter's readers, refused to others, and
refused to everyone once its stored bytes no longer match the digest that was signed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from sqlalchemy import update

from ledger.storage.store import Store
from tests.web.ballerup import client, okonomi_matter
from tests.web.conftest import DemoSite, Person, become, open_person
from tests.web.forms import review, sign, upload

MATTER = "kantine-2029"
PLAN = "Kantineplan 2029: ny leverandør fra 1. marts.\n".encode()


def open_the_matter(site: DemoSite) -> None:
    """The economy chief opens an information matter in Område-MED Økonomi (SDK)."""
    chief = client(site, "okonomichef")
    chief.append(
        f"matter/{MATTER}",
        okonomi_matter(
            "Ny kantineordning",
            "Kantinen i økonomiadministrationen får ny leverandør.",
            category="other",
            influence_level="information",
            days=40,
        ),
    )


def stored_bytes_changed(site: DemoSite, digest: str) -> None:
    """What only someone with the database could do: change the kept file's bytes."""
    env = site.server.env
    store = Store(env["MEDLEDGER_DATABASE_URL"], schema=env.get("MEDLEDGER_DATABASE_SCHEMA"))
    try:
        with store.write() as session:
            session.execute(
                update(store.documents)
                .where(store.documents.c.sha256 == digest)
                .values(content=b"Kantineplan 2029: samme leverandor som i dag.\n")
            )
    finally:
        store.dispose()


@pytest.mark.slow
def test_a_document_is_served_to_readers_and_refused_once_its_bytes_changed(
    browser: Browser, any_site: DemoSite, people: list[Person]
) -> None:
    site = any_site
    open_the_matter(site)
    chief, reader, outsider = (open_person(browser, site.url) for _ in range(3))
    people += [chief, reader, outsider]
    page = become(chief, "ballerup", "okonomichef")
    page.goto(f"/l/ballerup/sager/{MATTER}/handling/material")
    digest = upload(page, "kantineplan.txt", PLAN)
    assert digest in review(page)
    sign(page)

    href = f"/l/ballerup/dokument/{digest}"
    rep = become(reader, "ballerup", "tr-okonomi")
    rep.goto(f"/l/ballerup/sager/{MATTER}")
    assert rep.get_by_role("link", name="kantineplan").get_attribute("href") == href
    assert rep.request.get(site.url + href).body() == PLAN
    become(outsider, "ballerup", "tr-hjemmepleje")
    assert outsider.page.request.get(site.url + href).status == 404

    stored_bytes_changed(site, digest)
    refused = rep.request.get(site.url + href)
    assert refused.status == 500
    assert "document_corrupt" in refused.text()
    assert b"samme leverandor" not in refused.body()
    assert outsider.page.request.get(site.url + href).status == 404
