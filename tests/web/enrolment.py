"""Enrolment as people do it in their browsers: the newcomer's request, the admin's approval."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Browser, Page

from tests.web.conftest import DemoSite, Person, open_person
from tests.web.forms import ready


def ask_for_access(page: Page, ledger: str, person: str) -> tuple[str, dict[str, Any]]:
    """Make a key in the newcomer's browser and show the request: its text and contents."""
    page.goto(f"/l/{ledger}/tilmelding")
    page.get_by_label("Dit person-id").fill(person)
    page.get_by_role("button", name="Lav min nøgle").click()
    page.locator("#enrol-request").wait_for(state="visible")
    request = page.locator("#enrol-text").input_value()
    return request, json.loads(request)


def newcomer_asking(
    browser: Browser, site: DemoSite, people: list[Person], ledger: str, person: str
) -> tuple[Person, str, dict[str, Any]]:
    """A fresh browser (closed with ``people``) where ``person`` asks for access to ``ledger``:
    the newcomer, and their request's text and contents."""
    newcomer = open_person(browser, site.url)
    people.append(newcomer)
    request, asked = ask_for_access(newcomer.page, ledger, person)
    return newcomer, request, asked


def approve(admin_page: Page, ledger: str, request: str) -> str:
    """The admin pastes the request and signs PersonEnrolled; the words they were shown."""
    admin_page.goto(f"/l/{ledger}/admin")
    admin_page.get_by_role("link", name="Godkend en anmodning om adgang").click()
    admin_page.get_by_label("Anmodningen").fill(request)
    ready(admin_page)
    admin_page.get_by_role("button", name="Se hvad du underskriver").click()
    words = admin_page.locator("#confirm-words")
    words.wait_for(state="visible")
    shown = words.inner_text()
    admin_page.get_by_role("button", name="Underskriv med min nøgle").click()
    admin_page.locator("#done").wait_for(state="visible", timeout=20_000)
    return shown
