"""A newcomer's whole first day, in one story: a representative asks for access with a key
their browser makes, is approved by the administrator in another browser, logs in, finds
the matter their body is consulted on, states a position, and downloads a receipt whose
bundle verifies both with ``medledger verify --bundle`` and in the browser's own verifier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from ledger.domain import events as ev
from tests.web.ballerup import ORIGIN, client
from tests.web.conftest import DemoSite, Person, assert_accessible, log_in, signed_in
from tests.web.enrolment import approve, newcomer_asking
from tests.web.test_representative import (
    act,
    bundle_verifies,
    download_bundle,
    open_the_matter,
)

MATTER = "rengoering-2029"
TITLE = "Besparelse på 4 mio. kr. i 2028"  # open_the_matter's title


def appoint(site: DemoSite, person: str) -> None:
    """The administrator gives the newcomer their seat (a registry event from the SDK)."""
    client(site, "bal-admin").append(
        "registry",
        ev.MemberAppointed(body="bal-okonomi", person=person, side="employees", roles=["tr"]),
    )


@pytest.mark.slow
def test_a_newcomer_enrols_logs_in_states_a_position_and_verifies_their_receipt(
    browser: Browser, demo_site: DemoSite, people: list[Person], tmp_path: Path
) -> None:
    newcomer, request, asked = newcomer_asking(
        browser, demo_site, people, "ballerup", "ny-tr-okonomi"
    )
    page = newcomer.page
    assert asked["origin"] == ORIGIN
    assert_accessible(page)

    admin = signed_in(browser, demo_site, people, "ballerup", "bal-admin")
    admin_page = admin.page
    assert "ny-tr-okonomi" in approve(admin_page, "ballerup", request)
    appoint(demo_site, "ny-tr-okonomi")
    open_the_matter(demo_site, MATTER)

    page.goto("/l/ballerup/login")
    log_in(page, "ny-tr-okonomi")
    due = page.locator("section[aria-labelledby=due-h] table")
    assert TITLE in due.inner_text()
    assert page.locator(f"a[href='/l/ballerup/sager/{MATTER}']").count() >= 1
    position = act(
        page,
        "position",
        {"#f-stance-support_with_changes": "", "#f-text": "Ja, men ikke i hjemmeplejen."},
        "støtter med ændringer sagen",
        matter=MATTER,
    )

    page.goto(f"/l/ballerup/kvittering/{MATTER}")
    assert page.locator("#verdict").get_attribute("data-verdict") == "involved"
    assert page.locator(f"a[href='/l/ballerup/bevis/{position}']").count() == 1
    bundle = download_bundle(page, tmp_path)
    assert "ny-tr-okonomi" in bundle_verifies(demo_site, bundle, tmp_path)

    # The same bundle, in the browser's verifier, against the trust root the CLI printed.
    page.goto("/verify")
    page.set_input_files("#bundle-file", str(bundle))
    page.set_input_files("#trust-file", str(tmp_path / "trust.json"))
    page.get_by_role("button", name="Efterprøv").click()
    result = page.locator("#verify-result")
    result.wait_for(state="visible", timeout=30_000)
    assert result.get_attribute("data-ok") == "true", result.inner_text()
    assert "ny-tr-okonomi" in page.inner_text("#verify-result")
    assert json.loads(bundle.read_text())["format"].startswith("medledger-bundle")
    assert newcomer.problems == [] and admin.problems == []
