"""Copenhagen BUF's budget process, played through the browser from opening the matter to
the dossier, each person in their own browser with their own key (issue 13's first story;
the demo tells the same story with the SDK, demo/stories.py ``_buf_budget``).

The director opens the budget matter in HovedMED and shares the economic frame (a file
hashed in the browser) with the budget group and HovedMED; the economy chief asks the
budget group; the union representative of the pedagogues proposes a common substitute
pool and states a position; the MED secretary records the HovedMED meeting with its
minutes signed as a digest, chair and vice-chair approve them, the secretary publishes
them; the teachers' representative states HovedMED's position; the director decides
with every input treated and management prerogative declared, refers the budget to the
committee; both representatives acknowledge the consultation; the secretary records the
political decision; the director communicates it and closes the matter. The dossier
shows who decided and whose inputs were adopted.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page

from tests.web.conftest import DemoSite, Person, assert_accessible, become, open_person
from tests.web.forms import act, fill, fill_decision, required_inputs, review, seq_of, sign, upload

LEDGER = "kk-buf"
MATTER = "budget-2028"
FRAME = "Økonomisk ramme 2028: direktionens oplæg.\n".encode()
MINUTES = "Referat, HovedMED BUF\nPunkt 3: Budget 2028. Hovedlinjerne drøftet.\n"


def day(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def buf_act(page: Page, action: str, values: dict[str, str], expect: str) -> int:
    return act(page, MATTER, action, values, expect, ledger=LEDGER)


def director_opens_and_shares(page: Page) -> str:
    page.goto(f"/l/{LEDGER}/ny-sag")
    fill(
        page,
        {
            "#f-matter": MATTER,
            "#f-title": "Budget 2028 for Børne- og Ungdomsforvaltningen",
            "#f-description": "Den økonomiske ramme for 2028 og forslag til budgetforslaget.",
            "#f-category": "budget",
            "#f-body": "buf-hmed",
            "#f-level-discussion": "",
            "#f-decision-maker": "dir-buf",
            "#f-planned": day(70),
            "#f-deadline": day(84),
            "#f-case": "2027-0004321",
        },
    )
    assert "«Budget 2028 for Børne- og Ungdomsforvaltningen» åbnes" in review(page)
    sign(page)
    page.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/material")
    digest = upload(page, "ramme-2028.txt", FRAME)
    fill(page, {"#f-bodies-buf-budget": "", "#f-bodies-buf-hmed": ""})
    assert digest in review(page)
    sign(page)
    return digest


def the_budget_group_is_asked_and_answers(chief: Page, paed: Page) -> None:
    question = "Hvordan skal rammen udmøntes, og hvilke forslag har medarbejdersiden?"
    values = {"#f-body": "buf-budget", "#f-question": question, "#f-respond-by": day(28)}
    buf_act(chief, "consultation", values, "bedes drøfte sagen")
    paed.goto(f"/l/{LEDGER}/sager")
    assert "Budget 2028" in paed.locator("section[aria-labelledby=due-h]").inner_text()
    proposal = {
        "#f-body": "buf-budget",
        "#f-title": "Fælles vikarkorps frem for grønthøstermodel",
        "#f-text": "Et fælles vikarkorps sparer på dyre vikarbureauer.",
    }
    buf_act(paed, "proposal", proposal, "Fælles vikarkorps")
    position = {
        "#f-body": "buf-budget",
        "#f-side-employees": "",
        "#f-stance-support_with_changes": "",
        "#f-text": "Vi kan støtte rammen, hvis besparelsen ikke rammer normeringen.",
        "#f-proposals": "Skær i vikarbureauer, ikke i normering.",
    }
    buf_act(paed, "position", position, "støtter med ændringer sagen")


def hovedmed_meets(secretary: Page, director: Page, teacher: Page) -> None:
    """The meeting with its minutes' digest; HovedMED's position; approval; publication."""
    secretary.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/meeting?body=buf-hmed&date={day(0)}")
    fill(secretary, {"#f-agenda": "Punkt 3: Budget 2028", "#f-minutes-text": MINUTES})
    digest = hashlib.sha256(MINUTES.encode()).hexdigest()
    secretary.wait_for_function(
        "d => document.getElementById('f-minutes-sha').value === d", arg=digest
    )
    assert f"Referatets SHA-256 er {digest}." in review(secretary)
    sign(secretary)
    position = {
        "#f-body": "buf-hmed",
        "#f-side-employees": "",
        "#f-stance-support_with_changes": "",
        "#f-text": "Medarbejdersiden bakker op om hovedlinjerne med budgetgruppens forslag.",
    }
    buf_act(teacher, "position", position, "støtter med ændringer sagen")
    meeting = seq_of(director, MATTER, "MeetingHeld", ledger=LEDGER)
    for approver in (director, teacher):
        approver.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/approve?meeting={meeting}")
        approver.locator("#confirm-words").wait_for(state="visible", timeout=30_000)
        assert digest in approver.locator("#confirm-words").inner_text()
        sign(approver)
    secretary.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/publish?meeting={meeting}")
    assert "offentliggøres for medarbejderne" in review(secretary)
    sign(secretary)


def the_director_decides(page: Page) -> None:
    page.goto(f"/l/{LEDGER}/sager/{MATTER}/handling/decision")
    assert_accessible(page)
    seqs = required_inputs(page)
    assert len(seqs) == 3, seqs  # the proposal and the two positions
    assert page.locator("#f-prerogative").is_checked()  # no agreement in this matter
    fill_decision(
        page,
        "Budgetforslaget indeholder et fælles vikarkorps.",
        "Budgetgruppens forslag sparer det samme uden at ramme normeringen.",
        seqs,
        "adopted",
        "Indarbejdet.",
    )
    words = review(page)
    assert "Budgetforslaget indeholder et fælles vikarkorps." in words
    assert page.locator("#dry-run").get_attribute("data-admitted") == "true"
    sign(page)


def politics_and_the_end(director: Page, secretary: Page, teacher: Page, paed: Page) -> None:
    referral = {"#f-committee": "buf-bu", "#f-date": day(7), "#f-reference": "BUU punkt 5"}
    buf_act(director, "referral", referral, "Børne- og Ungdomsudvalget")
    for person, body in ((teacher, "buf-hmed"), (paed, "buf-budget")):
        acknowledged = {"#f-body": body, "#f-adequate-yes": ""}
        buf_act(person, "acknowledge", acknowledged, "havde tid nok")
    political = {"#f-committee": "buf-bu", "#f-date": day(7), "#f-outcome": "Godkendt."}
    buf_act(secretary, "political", political, "Godkendt.")
    told = {"#f-to": "Alle medarbejdere i BUF", "#f-channel": "Intranettet"}
    buf_act(director, "communicated", told, "Alle medarbejdere i BUF")
    buf_act(director, "close", {"#f-reason": "Budgettet er vedtaget."}, "Budgettet er vedtaget.")


@pytest.mark.slow
def test_bufs_budget_process_from_opening_the_matter_to_the_dossier(
    browser: Browser, any_site: DemoSite, people: list[Person]
) -> None:
    site = any_site
    who = ("dir-buf", "chef-okonomi", "tr-paed", "sekr-med", "tr-laerer")
    persons = [open_person(browser, site.url) for _ in who]
    people += persons
    director, chief, paed, secretary, teacher = (
        become(person, LEDGER, name) for person, name in zip(persons, who, strict=True)
    )
    digest = director_opens_and_shares(director)
    the_budget_group_is_asked_and_answers(chief, paed)
    paed.goto(f"/l/{LEDGER}/sager/{MATTER}")
    assert digest in paed.inner_text("main")  # the budget group was sent the frame
    hovedmed_meets(secretary, director, teacher)
    the_director_decides(director)
    politics_and_the_end(director, secretary, teacher, paed)

    director.goto(f"/l/{LEDGER}/sager/{MATTER}/dossier")
    table = director.locator("#co-responsibility")
    assert table.locator("tr[data-person=dir-buf]").get_attribute("data-part") == "decided"
    assert table.locator("tr[data-person=tr-paed]").count() == 1
    assert table.locator("tr[data-person=tr-laerer]").count() == 1
    assert "Indarbejdet." in director.inner_text("main")
    assert_accessible(director)
    assert all(person.problems == [] for person in persons)
