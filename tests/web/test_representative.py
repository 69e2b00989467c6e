"""A budget matter from the representative's side (like the H1 story), in the browser.

The management side (the economy chief, with the demo's key file and the
Python SDK over HTTP) opens a savings matter in Område-MED Økonomi, shares
the material and opens a consultation.  The union representative, in their
own browser, sees it due in "Mine sager", states a position, records a
disagreement as a legitimate difference of interest and accepts the
compromise for the employee side; the work-environment representative, in
another browser, acknowledges the consultation (not enough time).  The
representative's receipt bundle verifies with the Python verifier; a
representative of another body gets an absence receipt.  No request of any
browser carries private key material.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ledger.client.sdk import LedgerClient
from ledger.domain import events as ev
from tests.stories.live_server import ROOT
from tests.web.ballerup import client, day, okonomi_matter
from tests.web.conftest import (
    DemoSite,
    Person,
    assert_accessible,
    signed_in,
)
from tests.web.forms import fill, ready, review, sign

MATTER = "besparelse-2028"


def open_the_matter(site: DemoSite, matter: str = MATTER) -> LedgerClient:
    chief = client(site)
    chief.append(
        f"matter/{matter}",
        okonomi_matter(
            "Besparelse på 4 mio. kr. i 2028",
            "Forvaltningen skal finde 4 mio. kr. i budget 2028.",
            category="budget",
            days=44,
        ),
    )
    chief.append(
        f"matter/{matter}",
        ev.MaterialShared(
            documents=[
                ev.Document(
                    title="Økonomisk ramme 2028",
                    sha256=hashlib.sha256(b"ramme 2028").hexdigest(),
                )
            ],
            bodies=["bal-okonomi"],
        ),
    )
    chief.append(
        f"matter/{matter}",
        ev.ConsultationOpened(
            body="bal-okonomi",
            question="Hvor kan de 4 mio. kr. findes?",
            respond_by=day(14),
        ),
    )
    return chief


def act(
    page: Page, action: str, values: dict[str, str], expect_words: str, matter: str = MATTER
) -> int:
    """Fill in an action's form, check the words shown before signing (and that the page
    is accessible at each step), sign; the leaf index, as the page reports it."""
    page.goto(f"/l/ballerup/sager/{matter}/handling/{action}")
    fill(page, values)
    assert_accessible(page)
    assert expect_words in review(page)
    leaf = sign(page)
    assert f"blad nr. {leaf}" in page.locator("#done-text").inner_text()
    return leaf


def no_private_key_material(person: Person, key_files: list[Path]) -> None:
    """No request body, header or address carries a private key, in any encoding."""
    secrets: list[bytes] = []
    for path in key_files:
        seed = base64.b64decode(json.loads(path.read_text())["private_key"])
        secrets += [
            seed,
            base64.b64encode(seed),
            seed.hex().encode(),
            base64.urlsafe_b64encode(seed).rstrip(b"="),
        ]
        secrets.append(b'"private_key"')
    assert person.requests, "the story sent no request"
    for request in person.requests:
        if request["url"].endswith(".key") and "/demo/" in request["url"]:
            continue  # the demo door's download of the demo key, into the browser
        seen = (
            (request["body"] or b"")
            + request["url"].encode()
            + json.dumps(request["headers"]).encode()
        )
        for secret in secrets:
            assert secret not in seen, (
                f"private key material in {request['method']} {request['url']}"
            )


def bundle_verifies(site: DemoSite, bundle: Path, tmp_path: Path) -> str:
    env = dict(site.server.env)
    trust = tmp_path / "trust.json"
    subprocess.run(
        [sys.executable, "-m", "cli", "trust", "--ledger", "ballerup", "--out", str(trust)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    verified = subprocess.run(
        [sys.executable, "-m", "cli", "verify", "--bundle", str(bundle), "--trust", str(trust)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    return verified.stdout


def download_bundle(page: Page, tmp_path: Path) -> Path:
    """Download the receipt's bundle once the newest events are in a checkpoint (the
    server's timer signs one within about a second; until then the bundle is 409)."""
    link = page.get_by_role("link", name="Hent bevispakken")
    href = link.get_attribute("href") or ""
    for _ in range(40):
        if page.request.get(href).status == 200:
            break
        time.sleep(0.25)
    with page.expect_download() as waiting:
        link.click()
    target = tmp_path / "receipt.json"
    waiting.value.save_as(target)
    return target


def the_receipt_verifies(
    page: Page, demo_site: DemoSite, tmp_path: Path, leaves: tuple[int, ...]
) -> None:
    """The receipt names the representative's acts, prints without the site's header, and
    its bundle verifies with the Python verifier."""
    page.goto(f"/l/ballerup/kvittering/{MATTER}")
    assert page.locator("#verdict").get_attribute("data-verdict") == "involved"
    for leaf in leaves:
        assert page.locator(f"a[href='/l/ballerup/bevis/{leaf}']").count() == 1
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    page.emulate_media(media="screen")
    bundle = download_bundle(page, tmp_path)
    found: dict[str, Any] = json.loads(bundle.read_text())
    assert found["format"].startswith("medledger-bundle")
    bundle_verifies(demo_site, bundle, tmp_path)


def accept_a_compromise_raced_by_management(page: Page, chief: LedgerClient) -> int:
    """Management writes to the matter between the representative's reading and signing:
    the page re-reads the head and signs anew; then the representative accepts management's
    compromise for the employee side.  The leaf of the acceptance."""
    page.goto(f"/l/ballerup/sager/{MATTER}/handling/compromise")
    page.locator("#f-terms").fill("Spar 3 mio. nu og 1 mio. i 2029.")
    ready(page)
    page.get_by_role("button", name="Se hvad du underskriver").click()
    page.locator("#confirm-words").wait_for(state="visible")
    answered = chief.append(
        f"matter/{MATTER}",
        ev.CompromiseProposed(body="bal-okonomi", terms="Spar 2 mio. i 2028 og 2 mio. i 2029."),
    )
    page.get_by_role("button", name="Underskriv med min nøgle").click()
    page.locator("#done").wait_for(state="visible", timeout=20_000)
    assert int(page.locator("#done").get_attribute("data-leaf") or "0") > answered["leaf_index"]

    accepted = act(
        page,
        "accept",
        {"#f-proposal": str(answered["seq"]), "#f-side-employees": ""},
        f"accepterer kompromisforslaget (hændelse nr. {answered['seq']})",
    )
    page.goto(f"/l/ballerup/bevis/{accepted}")
    assert "CompromiseAccepted" in page.inner_text("main")
    assert_accessible(page)
    return accepted


@pytest.mark.slow
def test_a_budget_matter_from_the_representatives_side(
    browser: Browser, any_site: DemoSite, people: list[Person], tmp_path: Path
) -> None:
    demo_site = any_site
    chief = open_the_matter(demo_site)
    tr = signed_in(browser, demo_site, people, "ballerup", "tr-okonomi")
    page = tr.page

    # Mine sager: the consultation is due.
    due = page.locator("section[aria-labelledby=due-h] table")
    assert "Besparelse på 4 mio. kr. i 2028" in due.inner_text()
    page.get_by_role("link", name="Besparelse på 4 mio. kr. i 2028").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Besparelse på 4 mio. kr. i 2028"
    assert hashlib.sha256(b"ramme 2028").hexdigest() in page.inner_text("main")
    assert_accessible(page)

    position = act(
        page,
        "position",
        {"#f-stance-oppose": "", "#f-text": "Vi kan ikke spare på hjemmeplejen."},
        "Område-MED Økonomi og administration (medarbejdersiden) er imod sagen",
    )
    disagreement = act(
        page,
        "disagreement",
        {"#f-points": "Besparelsens størrelse\nTidsplanen", "#f-legit": ""},
        "Det er en legitim interesseforskel.",
    )
    assert disagreement > position

    accepted = accept_a_compromise_raced_by_management(page, chief)

    amr = signed_in(browser, demo_site, people, "ballerup", "amr-okonomi")
    act(
        amr.page,
        "acknowledge",
        {"#f-adequate-no": "", "#f-comment": "To dage var for lidt."},
        "I havde IKKE tid nok til at forberede jer.",
    )

    the_receipt_verifies(page, demo_site, tmp_path, (position, disagreement, accepted))

    page.goto("/l/ballerup/mig")
    assert "Besparelse på 4 mio. kr. i 2028" in page.inner_text("main")
    assert_accessible(page)

    no_private_key_material(tr, [demo_site.key_file("ballerup", "tr-okonomi")])
    no_private_key_material(amr, [demo_site.key_file("ballerup", "amr-okonomi")])
    assert tr.problems == [] and amr.problems == []


@pytest.mark.slow
def test_an_absence_receipt_for_a_representative_of_another_body(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    outsider = signed_in(browser, demo_site, people, "ballerup", "tr-hjemmepleje")
    page = outsider.page
    page.goto("/l/ballerup/kvittering/okonomi-4mio")
    assert page.locator("#verdict").get_attribute("data-verdict") == "not_a_member"
    assert "Du kan ikke læse denne sag" in page.inner_text("main")
    assert page.get_by_role("link", name="Hent bevispakken").count() == 0
    assert_accessible(page)
    page.goto("/l/ballerup/sager/okonomi-4mio")
    assert page.get_by_role("heading", level=1).inner_text() == "Det gik ikke"
    assert outsider.problems == [] or all("403" in p for p in outsider.problems)
