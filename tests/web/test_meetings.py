"""A LokalMED work-environment matter with its AMR, run by the chair in the browser.

Everything in the browser, from opening the matter to the dossier. The
institution leader (chair of LokalMED Valby, management side) opens the
matter and shares the CO2 measurements (a file hashed in the browser); the
chair records the meeting: attendance ticked from the body's membership
(the AMR present, a member with apologies), the minutes written in the form
and only their SHA-256, computed by the browser, signed.  The body's
dashboard shows the minutes awaiting approval; chair and vice-chair approve
them in their own browsers (the vice-chair with the keyboard only), and the
dashboard no longer does; the chair publishes them.  The AMR states a
position on the measurements; the chair's decision treats it, and the
dossier shows both.  The reach page answers
Copenhagen BUF's question on the demo ledger.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import DemoSite, Person, assert_accessible, become, open_person
from tests.web.forms import act, confirmed_words, fill, required_inputs, review, sign, upload

LEDGER = "kk-buf"
ORIGIN = "ledger.example/kk-buf"
MATTER = "indeklima-valby"
BODY = "buf-lmed-valby"
MEASURED = "CO2-målinger, Valby børnehus: 1.150 ppm i grupperum 2.\n".encode()
MINUTES = "Referat, LokalMED Valby\nPunkt 3: Indeklima. AMR fremlagde målingerne.\n"


def open_the_matter(chair: Page) -> None:
    """The chair opens the matter and shares the measurements, hashed in the browser."""
    chair.goto(f"/l/{LEDGER}/ny-sag")
    fill(
        chair,
        {
            "#f-matter": MATTER,
            "#f-title": "Indeklima i Valby børnehus",
            "#f-description": "CO2-målinger over 1.000 ppm i grupperummene.",
            "#f-category": "work_environment",
            "#f-body": BODY,
            "#f-level-discussion": "",
            "#f-decision-maker": "leder-valby",
            "#f-planned": (datetime.now(UTC) + timedelta(days=30)).date().isoformat(),
        },
    )
    review(chair)
    sign(chair)
    chair.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/material")
    upload(chair, "co2-maalinger.txt", MEASURED)
    review(chair)
    sign(chair)


def the_amr_speaks_and_the_chair_decides(amr: Page, chair: Page) -> None:
    """The AMR's position on the measurements; the decision treats it; the dossier."""
    position = {
        "#f-body": BODY,
        "#f-side-employees": "",
        "#f-stance-support_with_changes": "",
        "#f-text": "Udluftning hver time, og ventilationen efterses før vinteren.",
    }
    act(amr, MATTER, "position", position, "støtter med ændringer sagen", ledger=LEDGER)
    chair.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/decision")
    [seq] = required_inputs(chair)
    fill(
        chair,
        {
            "#f-outcome": "Ventilationen efterses, og der luftes ud hver time.",
            "#f-rationale": "Målingerne og AMR's forslag.",
            f"#f-treatment-{seq}-adopted": "",
            f"#f-reason-{seq}": "AMR's forslag følges.",
        },
    )
    review(chair)
    sign(chair)
    chair.goto(f"/l/{LEDGER}/sager/{MATTER}/dossier")
    table = chair.locator("#co-responsibility")
    assert table.locator("tr[data-person=leder-valby]").get_attribute("data-part") == "decided"
    assert table.locator("tr[data-person=amr-valby]").count() == 1
    assert "AMR's forslag følges." in chair.inner_text("main")


def review_and_sign(page: Page, expect: list[str], *, asked: bool = False) -> int:
    """Ask for the words (unless the page did), check them, sign; the leaf index."""
    said = confirmed_words(page) if asked else review(page)
    for words in expect:
        assert words in said, said
    return sign(page)


def due_rows(page: Page, path: str, want: bool, rule: str = "med-12") -> str:
    """The dashboard's due rows of ``rule`` in the matter, once the read models show
    them (``want``) or no longer do."""
    text = ""
    for _ in range(40):
        page.goto(path)
        rows = page.locator(f"#due-table tr.due-{rule}").filter(has_text="Indeklima i Valby")
        text = " ".join(rows.all_inner_texts())
        if (rows.count() > 0) == want:
            return text
        time.sleep(0.25)
    raise AssertionError(f"{rule} rows {'missing' if want else 'still shown'}: {text}")


def record_the_meeting(chair: Page) -> str:
    """The chair records the meeting from the calendar; the minutes' digest."""
    chair.goto(f"/l/{LEDGER}/sager/{MATTER}")
    offered = chair.get_by_role("link", name="Registrér et møde")
    assert offered.get_attribute("href") == f"/l/{LEDGER}/sager/{MATTER}/handling/meeting"
    chair.goto(f"/l/{LEDGER}/moeder")
    assert_accessible(chair)
    chair.locator("#c-body").select_option(BODY)
    chair.get_by_role("button", name="Vælg udvalg").click()
    chair.locator("#r-matter").select_option(MATTER)
    chair.get_by_role("button", name="Videre til mødeformularen").click()
    chair.wait_for_url(f"**/sager/{MATTER}/handling/meeting?*")
    assert "Frist for dagsorden og materiale" in chair.inner_text("main")
    chair.locator("#f-agenda").fill("Punkt 3: Indeklima")
    chair.locator("#att-tr-paed-excused").check()
    assert chair.locator("#att-amr-valby-present").is_checked()
    chair.locator("#f-minutes-text").fill(MINUTES)
    digest = hashlib.sha256(MINUTES.encode()).hexdigest()
    chair.wait_for_function("d => document.getElementById('f-minutes-sha').value === d", arg=digest)
    assert_accessible(chair)
    review_and_sign(
        chair,
        [
            "Til stede: amr-valby, leder-valby, tr-valby.",
            "Fraværende (også med afbud): tr-paed.",
            f"Referatets SHA-256 er {digest}.",
        ],
    )
    return digest


def approve_with_the_keyboard(page: Page) -> None:
    """Tab to the approval and press Enter: the page opens on the words; tab to sign, Enter."""

    def tab_to(selector: str) -> None:
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("a.approve")
    page.keyboard.press("Enter")
    page.wait_for_url("**/handling/approve?meeting=*")
    page.locator("#confirm-words").wait_for(state="visible", timeout=15_000)
    assert page.evaluate("document.activeElement.id") == "confirm-h"
    assert "Jeg godkender referatet" in page.locator("#confirm-words").inner_text()
    assert_accessible(page)
    tab_to("#sign-button")
    page.keyboard.press("Enter")
    page.locator("#done").wait_for(state="visible", timeout=20_000)


@pytest.mark.slow
def test_a_lokalmed_meeting_from_attendance_to_published_minutes(
    browser: Browser, any_site: DemoSite, people: list[Person]
) -> None:
    site = any_site
    chair, vice = open_person(browser, site.url), open_person(browser, site.url)
    people += [chair, vice]
    page = become(chair, LEDGER, "leder-valby")
    open_the_matter(page)
    digest = record_the_meeting(page)

    dashboard = f"/l/{LEDGER}/overblik/{BODY}"
    awaiting = due_rows(page, dashboard, want=True)
    assert "leder-valby" in awaiting and "tr-valby" in awaiting
    assert_accessible(page)

    meeting = f"/l/{LEDGER}/moeder/{BODY}"
    page.goto(f"/l/{LEDGER}/moeder?body={BODY}")
    page.locator(f"a[href^='{meeting}/']").first.click()
    meeting_url = page.url
    assert digest in page.inner_text("main")
    assert "tr-paed" in page.locator(".agenda-item").filter(has_text="Indeklima").inner_text()
    assert_accessible(page)
    item = page.locator(".agenda-item").filter(has_text="Indeklima")
    item.locator("a.approve").click()
    review_and_sign(page, ["Jeg godkender referatet", digest], asked=True)
    awaiting = due_rows(page, dashboard, want=True)
    assert "tr-valby" in awaiting and "leder-valby" not in awaiting

    vice_page = become(vice, LEDGER, "tr-valby")
    vice_page.goto(f"/l/{LEDGER}/sager/{MATTER}")
    assert vice_page.get_by_role("link", name="Registrér et møde").count() == 0
    vice_page.goto(meeting_url)
    approve_with_the_keyboard(vice_page)

    due_rows(page, dashboard, want=False)
    page.goto(meeting_url)
    item = page.locator(".agenda-item").filter(has_text="Indeklima")
    assert "leder-valby, tr-valby" in item.locator(".approved").inner_text()
    item.locator("a.publish").click()
    review_and_sign(page, ["offentliggøres for medarbejderne via Intranettet", digest])
    page.goto(meeting_url)
    item = page.locator(".agenda-item").filter(has_text="Indeklima")
    assert "Intranettet" in item.locator(".published").inner_text()
    assert item.locator("a.approve, a.publish").count() == 0

    # The published minutes are read by the body's members, checked against their digest.
    href = item.locator("a.minutes-link").get_attribute("href") or ""
    assert href.endswith(digest)
    vice_page.goto(meeting_url)
    read = vice_page.request.get(site.url + href)
    assert read.status == 200 and read.body() == MINUTES.encode()
    outsider = open_person(browser, site.url)
    people.append(outsider)
    become(outsider, LEDGER, "tr-laerer")
    assert outsider.page.request.get(site.url + href).status == 404

    amr = open_person(browser, site.url)
    people.append(amr)
    the_amr_speaks_and_the_chair_decides(become(amr, LEDGER, "amr-valby"), page)
    assert chair.problems == [] and vice.problems == [] and amr.problems == []


@pytest.mark.slow
def test_the_reach_of_buf_hovedmed_beside_the_proposals_from_med(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    director = open_person(browser, demo_site.url)
    people.append(director)
    page = become(director, LEDGER, "dir-buf")
    page.goto(f"/l/{LEDGER}/overblik")
    page.get_by_role("link", name="Når sagerne ud lokalt?").first.click()
    # The demo's three HovedMED matters, one of which reached a LokalMED (other stories on
    # the same served demo may have opened more by now: they count in the same figures).
    shown = len(page.locator("#reach-matters tbody tr").all())
    assert shown >= 3
    assert page.locator("#reach-summary").inner_text() == (
        f"1 af {shown} sager nåede et lokalt MED-udvalg."
    )
    figures = page.locator(".reach-figures[data-body=buf-hmed]").inner_text()
    assert f"1 af {shown} (" in figures
    noise = page.locator("#reach-matters tr").filter(has_text="Fælles linje for støj")
    assert "LokalMED Valby dagtilbud" in noise.inner_text()
    assert_accessible(page)
    assert director.problems == []
