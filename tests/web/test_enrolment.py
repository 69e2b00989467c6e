"""Enrolment with a browser-made key, approved in the administrator's browser; a lost key
revoked, after which its session stops working."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import DemoSite, Person, assert_accessible, log_in, signed_in
from tests.web.enrolment import approve, newcomer_asking
from tests.web.forms import ready


@pytest.mark.slow
def test_a_new_representative_enrols_with_a_browser_made_key(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    newcomer, request, asked = newcomer_asking(browser, demo_site, people, "ballerup", "ny-tr")
    page = newcomer.page
    assert asked["person"] == "ny-tr" and asked["origin"] == "ledger.example/ballerup"
    fingerprint = page.locator("#enrol-fingerprint").inner_text()
    assert fingerprint.replace(" ", "") == asked["key_id"]
    qr = page.locator("#enrol-qr")
    for _ in range(50):  # the QR code (SVG made by the server) has loaded
        if page.evaluate("document.getElementById('enrol-qr').naturalWidth") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('enrol-qr').naturalWidth") > 0
    assert (qr.get_attribute("src") or "").startswith("/l/ballerup/tilmelding/qr.svg?")
    assert_accessible(page)

    # The administrator approves it in their own browser, signing PersonEnrolled there.
    admin = signed_in(browser, demo_site, people, "ballerup", "bal-admin")
    admin_page = admin.page
    admin_page.goto("/l/ballerup/admin")
    assert_accessible(admin_page)
    words = approve(admin_page, "ballerup", request)
    assert f"ny-tr optages i loggen med nøglen med fingeraftrykket {fingerprint}" in words

    # The newcomer logs in with the key their browser made.
    page.goto("/l/ballerup/login")
    log_in(page, "ny-tr")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine sager"

    # The administrator names them in the directory (a cookie form, with its CSRF token).
    admin_page.goto("/l/ballerup/admin")
    admin_page.get_by_label("Person", exact=True).select_option("ny-tr")
    admin_page.get_by_label("Navn", exact=True).fill("Nina Ny")
    admin_page.get_by_label("E-mail").fill("nina@example.org")
    admin_page.get_by_role("button", name="Gem").click()
    assert "Navnet for ny-tr er gemt." in admin_page.inner_text("main")
    assert "Nina Ny" in admin_page.inner_text("main")

    # The key is lost: the administrator revokes it; its session stops at once.
    admin_page.get_by_role("link", name=f"Spær nøgle {asked['key_id']} for ny-tr").click()
    admin_page.get_by_label("Begrundelse").fill("Mistet telefon")
    ready(admin_page)
    admin_page.get_by_role("button", name="Se hvad du underskriver").click()
    admin_page.locator("#confirm-words").wait_for(state="visible")
    admin_page.get_by_role("button", name="Underskriv med min nøgle").click()
    admin_page.locator("#done").wait_for(state="visible", timeout=20_000)
    page.goto("/l/ballerup/sager")
    assert "/l/ballerup/login?next=" in page.url, page.url
    assert newcomer.problems == [] and admin.problems == []
