"""The /verify page: anyone, without an account, verifies a bundle in the browser.

The verifier itself (web/static/js/verifier/) is tested on its own against
the vectors; here the page is driven as a person would: choose a receipt
bundle and the trust root, read the verdict; a tampered bundle is refused.
Runs once the verifier's module is in the package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.stories.live_server import ROOT
from tests.web.conftest import DemoSite, Person, assert_accessible, open_person

VERIFIER = ROOT / "web" / "static" / "js" / "verifier" / "bundle.js"

pytestmark = pytest.mark.skipif(
    not VERIFIER.exists(), reason="the browser's bundle verifier is not in this tree yet"
)


def exported(site: DemoSite, tmp_path: Path) -> tuple[Path, Path]:
    bundle, trust = tmp_path / "bundle.json", tmp_path / "trust.json"
    for args in (
        ["export", "bundle", "--matter", "okonomi-4mio", "--out", str(bundle)],
        ["trust", "--out", str(trust)],
    ):
        subprocess.run(
            [sys.executable, "-m", "cli", *args, "--ledger", "ballerup"],
            cwd=ROOT,
            env=site.server.env,
            check=True,
            capture_output=True,
        )
    return bundle, trust


def test_a_bundle_verifies_in_the_browser_and_a_tampered_one_is_refused(
    browser: Browser, demo_site: DemoSite, people: list[Person], tmp_path: Path
) -> None:
    bundle, trust = exported(demo_site, tmp_path)
    person = open_person(browser, demo_site.url)
    people.append(person)
    page = person.go("/verify")
    assert_accessible(page)
    page.set_input_files("#bundle-file", str(bundle))
    page.set_input_files("#trust-file", str(trust))
    page.get_by_role("button", name="Efterprøv").click()
    result = page.locator("#verify-result")
    result.wait_for(state="visible", timeout=30_000)
    assert result.get_attribute("data-ok") == "true"
    assert page.locator("#verify-headline").inner_text() == "Pakken er gyldig."
    assert page.locator("#verify-proves li").count() > 0
    assert_accessible(page)

    tampered = tmp_path / "tampered.json"
    data = json.loads(bundle.read_text())
    matter_entries = [e for e in data["entries"] if "title" in e["disclosed"]]
    matter_entries[0]["disclosed"]["title"]["value"] = "En anden titel"
    tampered.write_text(json.dumps(data))
    page.set_input_files("#bundle-file", str(tampered))
    page.get_by_role("button", name="Efterprøv").click()
    page.locator("#verify-result[data-ok=false]").wait_for(state="visible", timeout=30_000)
    assert page.locator("#verify-headline").inner_text().startswith("Pakken afvises")
    assert person.problems == []
    # Nothing of the bundle went to the server: the page only fetched its own files.
    assert all(r["method"] == "GET" for r in person.requests)
