"""An auditor pastes a checkpoint held from earlier; the browser checks, against the trust
root, that the log today extends it, and refuses one whose root was changed."""

from __future__ import annotations

import base64
import sqlite3

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import DemoSite, Person, assert_accessible, become, open_person


def _check(page: Page, note: str) -> tuple[str, str, str]:
    page.get_by_label("Dit tidligere kontrolpunkt").fill(note)
    page.get_by_role("button", name="Tjek mod dagens log").click()
    result = page.locator("#consistency-result[role=status]")
    page.locator("#consistency-result[data-ok=true], #consistency-result[data-ok=false]").wait_for()
    return (
        result.get_attribute("data-ok") or "",
        result.get_attribute("data-code") or "",
        result.inner_text(),
    )


@pytest.mark.slow
def test_an_earlier_checkpoint_is_extended_and_a_tampered_one_refused(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    with sqlite3.connect(demo_site.directory / "ledger.db") as db:
        held = db.execute(
            "SELECT tree_size, note FROM ml_checkpoints WHERE origin = ? ORDER BY tree_size",
            ("ledger.example/kk-buf",),
        ).fetchall()
    (old_size, note), (newest_size, _) = held[1], held[-1]
    assert 1 < old_size < newest_size
    auditor = open_person(browser, demo_site.url)
    people.append(auditor)
    page = become(auditor, "kk-buf", "revision")
    page.goto("/l/kk-buf/revision")

    ok, code, words = _check(page, note)
    assert (ok, code) == ("true", ""), words
    assert f"de {old_size} hændelser, du havde" in words
    assert words.startswith("Loggen i dag udvider den, du havde")

    lines = note.split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()  # another root, the old signature
    ok, code, words = _check(page, "\n".join(lines))
    assert (ok, code) == ("false", "checkpoint_signature_invalid")
    assert "godtages ikke: underskriften passer ikke med loggens nøgle" in words
    assert_accessible(page)
    assert auditor.problems == []
