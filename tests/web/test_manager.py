"""The management side in the browser: Ballerup's 4 million savings from opening the matter
to the dossier, the decision form, and the dry run before every signature.

The economy chief opens the matter, shares the material (a file hashed in the
browser), and opens a consultation; the union representative, in their own
browser, states a position and records a disagreement declared a legitimate
difference of interest; a compromise is proposed and accepted by both sides,
the agreement recorded and the disagreement answered; the decision form
treats every input; the dossier shows who shares responsibility.  Elsewhere:
a decision form with an input left untreated cannot be signed, the dry run's
MED-04 warning agrees with the rulebook once signed anyway, and the decision
form can be completed with the keyboard alone.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from cli.key_files import load_person_key
from ledger.client.http import HttpTransport
from ledger.domain import events as ev
from tests.web.ballerup import client, day, okonomi_matter
from tests.web.conftest import (
    DemoSite,
    Person,
    assert_accessible,
    become,
    open_person,
    signed_in,
)
from tests.web.forms import (
    REVIEW,
    SIGN,
    act,
    fill,
    fill_decision,
    raised_rules,
    ready,
    required_inputs,
    review,
    seq_of,
    sign,
    upload,
)

MATERIAL = "Økonomisk ramme 2029: 4 mio. kr. skal findes i økonomiadministrationen.\n".encode()


def open_matter_in_browser(page: Page, matter: str) -> None:
    page.goto("/l/ballerup/sager")
    page.get_by_role("link", name="Åbn en ny sag").click()
    assert_accessible(page)
    fill(
        page,
        {
            "#f-matter": matter,
            "#f-title": "Besparelse på 4 mio. kr. i 2029",
            "#f-description": "Økonomiadministrationen skal finde 4 mio. kr. i budget 2029.",
            "#f-category": "budget",
            "#f-body": "bal-okonomi",
            "#f-level-discussion": "",
            "#f-decision-maker": "okonomichef",
            "#f-planned": day(60),
            "#f-case": "24.00.00-Ø00-7-29",
        },
    )
    words = review(page)
    assert f"Sagen {matter} «Besparelse på 4 mio. kr. i 2029» åbnes" in words
    assert "Sagsnummer 24.00.00-Ø00-7-29." in words
    assert_accessible(page)
    sign(page)


def share_material(page: Page) -> str:
    """Share a file: the browser hashes it; that digest is what is signed."""
    page.get_by_role("link", name="Del materiale i sagen").click()
    digest = upload(page, "ramme-2029.txt", MATERIAL)
    assert "1 fil(er) klar" in page.locator("#upload-status").inner_text()
    assert page.locator("#f-bodies-bal-okonomi").is_checked()
    assert_accessible(page)
    words = review(page)
    assert f"«ramme-2029» (SHA-256 {digest})" in words
    sign(page)
    return digest


@pytest.mark.slow
def test_ballerup_savings_from_opening_the_matter_to_the_dossier(
    browser: Browser, any_site: DemoSite, people: list[Person]
) -> None:
    matter = "spar-4mio-2029"
    chief = open_person(browser, any_site.url)
    tr = open_person(browser, any_site.url)
    people += [chief, tr]
    page = become(chief, "ballerup", "okonomichef")
    digest = management_opens(page, matter)
    rep = become(tr, "ballerup", "tr-okonomi")
    rep.goto(f"/l/ballerup/sager/{matter}")
    assert digest in rep.inner_text("main")
    document = rep.get_by_role("link", name="ramme-2029").get_attribute("href") or ""
    assert document == f"/l/ballerup/dokument/{digest}"
    assert rep.request.get(any_site.url + document).body() == MATERIAL
    outsider = signed_in(browser, any_site, people, "ballerup", "tr-hjemmepleje")
    assert outsider.page.request.get(any_site.url + document).status == 404
    representative_disagrees(rep, matter)
    both_sides_agree(page, rep, matter)
    answer_and_decide(page, matter)

    page.get_by_role("link", name="Se beslutningsgrundlaget og medansvaret").click()
    page.wait_for_url(f"**/l/ballerup/sager/{matter}/dossier")
    table = page.locator("#co-responsibility")
    assert table.locator("tr[data-person=okonomichef]").get_attribute("data-part") == "decided"
    assert table.locator("tr[data-person=tr-okonomi]").get_attribute("data-part") == "agreed"
    assert "Vi har ændret tilgangen." in page.inner_text("main")
    assert_accessible(page)
    assert chief.problems == [] and tr.problems == []


def management_opens(page: Page, matter: str) -> str:
    """The economy chief opens the matter, shares the material, opens a consultation."""
    open_matter_in_browser(page, matter)
    digest = share_material(page)
    act(
        page,
        matter,
        "consultation",
        {
            "#f-body": "bal-okonomi",
            "#f-question": "Hvor kan de 4 mio. kr. findes?",
            "#f-respond-by": day(21),
        },
        "bedes drøfte sagen",
    )
    return digest


def representative_disagrees(rep: Page, matter: str) -> None:
    """A position against, and a disagreement declared a legitimate difference of interest."""
    act(
        rep,
        matter,
        "position",
        {"#f-stance-oppose": "", "#f-text": "Centralisering fjerner den lokale viden."},
        "er imod sagen",
    )
    act(
        rep,
        matter,
        "disagreement",
        {"#f-points": "Ens besparelser rammer de små enheder\nTidsplanen", "#f-legit": ""},
        "Det er en legitim interesseforskel.",
    )


def both_sides_agree(page: Page, rep: Page, matter: str) -> None:
    """A compromise proposed by management, accepted for both sides, and the agreement."""
    page.goto(f"/l/ballerup/sager/{matter}")
    offered = [a.inner_text() for a in page.locator("ul.actions a").all()]
    assert "Træf beslutningen" in offered and "Besvar en uenighed" in offered
    terms = {"#f-body": "bal-okonomi", "#f-terms": "Opgavefællesskaber afprøves i et år."}
    act(page, matter, "compromise", terms, "foreslår et kompromis")
    proposal = seq_of(page, matter, "CompromiseProposed")
    for person, side in ((page, "management"), (rep, "employees")):
        chosen = {"#f-proposal": str(proposal), f"#f-side-{side}": ""}
        act(person, matter, "accept", chosen, "accepterer kompromisforslaget")
    agreed = {"#f-compromise": str(proposal), "#f-body": "bal-okonomi", "#f-text": "Vi afprøver."}
    act(page, matter, "agreement", agreed, "er der aftale i sagen")


def answer_and_decide(page: Page, matter: str) -> None:
    """The disagreement answered; the decision form with every input treated (no MED-04)."""
    disagreement = seq_of(page, matter, "DisagreementRecorded")
    position = seq_of(page, matter, "PositionStated")
    page.goto(f"/l/ballerup/sager/{matter}/handling/answer")
    assert_accessible(page)
    fill(page, {"#f-disagreement": str(disagreement), "#f-response": "Vi har ændret tilgangen."})
    review(page)
    assert page.locator("#dry-run").get_attribute("data-admitted") == "true"
    sign(page)

    page.goto(f"/l/ballerup/sager/{matter}/handling/decision")
    assert_accessible(page)
    seqs = required_inputs(page)
    assert position in seqs and disagreement in seqs
    assert not page.locator("#f-prerogative").is_checked()  # there is an agreement
    fill_decision(
        page,
        "Opgavefællesskaber indføres; 4 mio. kr. findes over to år.",
        "Processen fandt et andet problem end det antagne.",
        seqs,
        "partly_adopted",
        "Delvist.",
    )
    words = review(page)
    assert "Opgavefællesskaber indføres" in words
    assert "MED-04" not in raised_rules(page)
    assert_accessible(page)
    sign(page)


def _matter_with_a_disagreement(site: DemoSite, matter: str) -> dict[str, Any]:
    """A matter opened by the economy chief with a position and a disagreement (SDK)."""
    chief = client(site, "okonomichef")
    stream = f"matter/{matter}"
    chief.append(
        stream,
        okonomi_matter(
            f"Ny arbejdstidsplan ({matter})", "Arbejdstiden i økonomiadministrationen lægges om."
        ),
    )
    chief.append(
        stream,
        ev.MaterialShared(
            documents=[
                ev.Document(title="Plan", sha256=hashlib.sha256(matter.encode()).hexdigest())
            ],
            bodies=["bal-okonomi"],
        ),
    )
    chief.append(
        stream,
        ev.ConsultationOpened(body="bal-okonomi", question="Hvad siger I?", respond_by=day(10)),
    )
    rep = client(site, "tr-okonomi")
    position = rep.append(
        stream,
        ev.PositionStated(body="bal-okonomi", side="employees", stance="oppose", text="Nej tak."),
    )
    disagreement = rep.append(
        stream, ev.DisagreementRecorded(body="bal-okonomi", points=["Planen"])
    )
    return {"position": position["seq"], "disagreement": disagreement["seq"]}


def _decision_form(
    browser: Browser, site: DemoSite, people: list[Person], matter: str
) -> tuple[Page, dict[str, Any]]:
    """The economy chief at the decision form of a matter with a position and a disagreement."""
    seqs = _matter_with_a_disagreement(site, matter)
    page = signed_in(browser, site, people, "ballerup", "okonomichef").page
    page.goto(f"/l/ballerup/sager/{matter}/handling/decision")
    return page, seqs


@pytest.mark.slow
def test_a_decision_with_an_input_left_untreated_cannot_be_signed(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    page, seqs = _decision_form(browser, demo_site, people, "arbejdstid-uden-svar")
    fill(
        page,
        {
            "#f-outcome": "Planen indføres.",
            "#f-rationale": "Driften kræver det.",
            f"#f-treatment-{seqs['position']}-not_adopted": "",
            f"#f-reason-{seqs['position']}": "Planen er nødvendig.",
        },
    )
    # The browser blocks the form: the disagreement has no treatment.
    ready(page)
    page.get_by_role("button", name=REVIEW).click()
    assert page.locator("#confirm").is_hidden()
    untreated = page.locator(f"#f-reason-{seqs['disagreement']}")
    assert untreated.evaluate("e => !e.validity.valid")
    # A browser that does not block it is refused by the server, which names the input.
    page.evaluate("for (const e of document.querySelectorAll('[required]')) e.required = false")
    page.get_by_role("button", name=REVIEW).click()
    status = page.locator("#action-status")
    status.wait_for(state="visible")
    page.wait_for_function("document.getElementById('action-status').textContent.length > 0")
    assert "decision_input_untreated" in status.inner_text()
    missing = page.locator("#decision-missing")
    assert f"#{seqs['disagreement']}" in missing.inner_text()
    assert f"#{seqs['position']}" not in missing.inner_text()
    assert page.locator("#confirm").is_hidden()
    assert page.evaluate("document.activeElement.id") == f"f-reason-{seqs['disagreement']}"


@pytest.mark.slow
def test_the_dry_run_warns_of_med_04_and_agrees_with_the_rulebook_once_signed(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    matter = "arbejdstid-med-04"
    page, seqs = _decision_form(browser, demo_site, people, matter)
    fill_decision(
        page, "Planen indføres.", "Driften kræver det.", seqs.values(), "not_adopted", "Nødvendigt."
    )
    review(page)
    warning = page.locator("#dry-run-raised li[data-rule='MED-04']")
    text = warning.inner_text()
    assert text.startswith("Beslutningen vil udløse MED-04: Uenigheden"), text
    assert f"#{seqs['disagreement']}" in text
    assert warning.get_by_role("link").get_attribute("href") == "/l/ballerup/regler#MED-04"
    assert page.locator("#dry-run-anyway").is_visible()
    assert page.get_by_role("button", name=SIGN).is_enabled()
    assert_accessible(page)
    sign(page)  # anyway

    key = load_person_key(demo_site.key_file("ballerup", "okonomichef"))
    found = HttpTransport(demo_site.url, key=key).get("ballerup", "/findings", {"matter": matter})
    rules = {(f["rule"], f["key"]) for f in found["findings"]}
    assert ("MED-04", f"disagreement-{seqs['disagreement']}") in rules
    # ... and the matter page shows it as usual.
    page.goto(f"/l/ballerup/sager/{matter}")
    shown = page.locator(f"#findings li[data-key='disagreement-{seqs['disagreement']}']")
    assert shown.get_attribute("data-rule") == "MED-04"
    assert_accessible(page)
    page.goto("/l/ballerup/regler")
    assert page.locator("#MED-04").inner_text().startswith("MED-04")


@pytest.mark.slow
def test_a_refused_event_cannot_be_signed(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    """The representative tries to close a matter: the dry run says why not, by code."""
    matter = "arbejdstid-afvist"
    _matter_with_a_disagreement(demo_site, matter)
    page = signed_in(browser, demo_site, people, "ballerup", "tr-okonomi").page
    page.goto(f"/l/ballerup/sager/{matter}")
    offered = [a.inner_text() for a in page.locator("ul.actions a").all()]
    assert "Luk sagen" not in offered and "Træf beslutningen" not in offered
    page.goto(f"/l/ballerup/sager/{matter}/handling/close")
    fill(page, {"#f-reason": "Ikke min sag at lukke."})
    review(page)
    assert page.locator("#dry-run").get_attribute("data-refusal") == "signer_not_decision_maker"
    assert "signer_not_decision_maker" in page.locator("#dry-run-text").inner_text()
    assert page.get_by_role("button", name=SIGN).is_disabled()


@pytest.mark.slow
def test_the_decision_form_with_the_keyboard_alone(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    matter = "arbejdstid-tastatur"
    seqs = _matter_with_a_disagreement(demo_site, matter)
    chief = signed_in(browser, demo_site, people, "ballerup", "okonomichef")
    page = chief.page
    page.goto(f"/l/ballerup/sager/{matter}/handling/decision")
    keys = page.keyboard
    ready(page)
    tab_to(page, "f-outcome")
    keys.type("Planen indføres.")
    tab_to(page, "f-rationale")
    keys.type("Driften kræver det.")
    for seq in sorted(seqs.values()):
        tab_to(page, f"f-treatment-{seq}-adopted")
        keys.press("Space")
        tab_to(page, f"f-reason-{seq}")
        keys.type("Taget med.")
    tab_to(page, "review-button")
    keys.press("Enter")
    page.locator("#confirm-words").wait_for(state="visible", timeout=30_000)
    tab_to(page, "sign-button")
    keys.press("Enter")
    page.locator("#done").wait_for(state="visible", timeout=30_000)
    assert chief.problems == []


def tab_to(page: Page, element_id: str, most: int = 80) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


@pytest.mark.slow
def test_a_hearing_politics_and_the_end_of_a_matter(
    browser: Browser, demo_site: DemoSite, people: list[Person]
) -> None:
    """The rest of the management side's forms, each signed in the browser: a hearing, a
    referral to politics and the political decision, a guideline agreed, the decision
    communicated, the matter closed (after which nothing but its record is offered)."""
    matter = "arbejdstid-politik"
    _matter_with_a_disagreement(demo_site, matter)
    chief = signed_in(browser, demo_site, people, "ballerup", "okonomichef")
    page = chief.page
    hearing = {"#f-bodies-bal-hjemmepleje": "", "#f-respond-by": day(14)}
    act(page, matter, "hearing_open", hearing, "sendes i høring hos LokalMED Hjemmeplejen")
    referral = {"#f-committee": "bal-oeu", "#f-date": day(20), "#f-reference": "Punkt 7"}
    act(page, matter, "referral", referral, "sendes til Økonomiudvalget")
    political = {"#f-committee": "bal-oeu", "#f-date": day(20), "#f-outcome": "Godkendt."}
    act(page, matter, "political", political, "Økonomiudvalget besluttede")
    terms = {"#f-body": "bal-okonomi", "#f-terms": "Fælles retningslinje for arbejdstid."}
    act(page, matter, "compromise", terms, "foreslår et kompromis")
    proposal = seq_of(page, matter, "CompromiseProposed")
    accepted = {"#f-proposal": str(proposal), "#f-side-management": ""}
    act(page, matter, "accept", accepted, "accepterer")
    client(demo_site, "tr-okonomi").append(
        f"matter/{matter}", ev.CompromiseAccepted(proposal=proposal, side="employees")
    )
    agreement = {
        "#f-compromise": str(proposal),
        "#f-body": "bal-okonomi",
        "#f-text": "Arbejdstiden planlægges fælles.",
        "#f-guideline": "",
        "#f-guideline-type": "procedure",
        "#f-guideline-id": "rl-arbejdstid-web",
    }
    act(page, matter, "agreement", agreement, "retningslinje (procedure-retningslinje)")
    told = {"#f-to": "Alle i økonomiadministrationen", "#f-channel": "Personalemøde"}
    act(page, matter, "communicated", told, "er meddelt Alle i økonomiadministrationen")
    act(page, matter, "close", {"#f-reason": "Afsluttet politisk."}, "lukkes")
    page.goto(f"/l/ballerup/sager/{matter}")
    assert page.locator("ul.actions").count() == 0
    assert chief.problems == []
