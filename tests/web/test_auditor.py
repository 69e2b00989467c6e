"""An auditor in the browser: the ledger at a glance, findings with their grounds, a
matter replayed as of an earlier tree size, the whole-ledger bundle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from tests.stories.live_server import ROOT
from tests.web.conftest import DemoSite, Person, assert_accessible, become, open_person


@pytest.mark.slow
def test_an_auditor_replays_a_matter_as_of_an_earlier_size(
    browser: Browser, demo_site: DemoSite, people: list[Person], tmp_path: Path
) -> None:
    auditor = open_person(browser, demo_site.url)
    people.append(auditor)
    page = become(auditor, "kk-buf", "revision")
    page.get_by_role("link", name="Revision").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Revision"
    size = int(page.locator("#tree-size").inner_text().replace(".", ""))
    assert size > 0
    assert "ledger.example/kk-buf" in page.inner_text("main")  # the checkpoint's signer
    findings = page.locator("section[aria-labelledby=findings-h] li")
    assert findings.count() > 0
    assert findings.first.locator("a[href*='/bevis/']").count() > 0  # each with its grounds
    assert_accessible(page)

    # The matter now: decided, with its decision's leaf.
    page.goto("/l/kk-buf/sager/skolestruktur")
    decision = page.locator("ol.timeline li[data-type=DecisionMade]").last
    leaf = int(decision.get_attribute("data-leaf") or "0")
    assert f"blad nr. {leaf}" in decision.inner_text()
    assert "Der er endnu ikke truffet en beslutning." not in page.inner_text("main")

    # Replayed as of the tree before the decision: no decision yet.
    page.goto("/l/kk-buf/revision")
    page.get_by_label("Sag", exact=True).select_option("skolestruktur")
    page.get_by_label("Logstørrelse eller dato").fill(str(leaf))
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url(lambda url: url.endswith(f"/sager/skolestruktur?as_of={leaf}"))
    main = page.inner_text("main")
    assert f"logstørrelse {leaf}" in main
    assert "Der er endnu ikke truffet en beslutning." in main
    assert_accessible(page)

    # The whole ledger as one bundle, which the Python verifier accepts.
    with page.expect_download() as waiting:
        page.goto("/l/kk-buf/revision")
        page.get_by_role("link", name="Hent hele loggen som bevispakke").click()
    bundle = tmp_path / "ledger.json"
    waiting.value.save_as(bundle)
    trust = tmp_path / "trust.json"
    subprocess.run(
        [sys.executable, "-m", "cli", "trust", "--ledger", "kk-buf", "--out", str(trust)],
        cwd=ROOT,
        env=demo_site.server.env,
        check=True,
        capture_output=True,
    )
    verified = subprocess.run(
        [sys.executable, "-m", "cli", "verify", "--bundle", str(bundle), "--trust", str(trust)],
        cwd=ROOT,
        env=demo_site.server.env,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert auditor.problems == []


def test_only_auditors_see_the_audit_pages(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    person = open_person(browser, demo_site.url)
    people.append(person)
    page = become(person, "kk-buf", "tr-laerer")
    assert page.get_by_role("link", name="Revision").count() == 0
    page.goto("/l/kk-buf/revision")
    assert page.get_by_role("heading", level=1).inner_text() == "Det gik ikke"
    session = next(c for c in person.context.cookies() if c["name"] == "medledger_session")
    answer = httpx.get(
        demo_site.url + "/l/kk-buf/revision/bundle.json",
        cookies={"medledger_session": session["value"]},
    )
    assert answer.status_code == 403
