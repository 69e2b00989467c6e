"""The start page, the language, logging in and out, sessions and the page headers."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser

from tests.web.conftest import (
    DemoSite,
    Person,
    assert_accessible,
    become,
    log_in,
    open_person,
    signed_in,
)


def test_start_page_is_danish_first_and_offers_the_demo_people(
    demo_site: DemoSite, people: list[Person], browser: object
) -> None:
    person = open_person(browser, demo_site.url)  # type: ignore[arg-type]
    people.append(person)
    page = person.go("/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", level=1).inner_text() == "Velkommen til MED-loggen"
    assert page.get_by_role("link", name="Spring til indholdet").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    shown = page.locator("button.demo-person").count()
    assert shown == len(demo_site.people) > 0
    assert_accessible(page)
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome to the MED ledger"
    assert_accessible(page)
    assert person.problems == []


def test_pages_carry_a_strict_content_security_policy(demo_site: DemoSite) -> None:
    answer = httpx.get(demo_site.url + "/")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in answer.text and " style=" not in answer.text
    # The API's JSON keeps its own headers.
    api = httpx.get(demo_site.url + "/healthz")
    assert "content-security-policy" not in api.headers


def test_without_the_demo_setting_there_is_no_demo_door(demo_site: DemoSite) -> None:
    # The door's key route answers only for the demo's own people.
    assert httpx.get(demo_site.url + "/demo/ballerup/nobody.key").status_code == 404
    assert httpx.get(demo_site.url + "/demo/ballerup/..%2Fpeople.key").status_code == 404


def test_a_representative_logs_in_sees_their_matters_and_logs_out_keeping_the_key(
    demo_site: DemoSite, people: list[Person], browser: object
) -> None:
    person = open_person(browser, demo_site.url)  # type: ignore[arg-type]
    people.append(person)
    page = become(person, "ballerup", "tr-okonomi")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine sager"
    assert page.locator("table a[href='/l/ballerup/sager/okonomi-4mio']").count() >= 1
    assert_accessible(page)
    cookie = next(c for c in person.context.cookies() if c["name"] == "medledger_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["expires"] > 0  # the session expires with its token
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login?out=1")
    assert "Du er logget ud" in page.inner_text("main")
    assert not [c for c in person.context.cookies() if c["name"] == "medledger_session"]
    # The key is still in the browser: logging in again needs no import.
    log_in(page, "tr-okonomi")
    # Forgetting a key is asked for explicitly, and confirmed.
    page.goto("/l/ballerup/login")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Glem nøglen til tr-okonomi").click()
    page.locator("#login-none").wait_for(state="visible")
    assert page.locator("button.use-key").count() == 0
    assert person.problems == []


def test_pages_need_a_session_and_forms_need_their_csrf_token(
    demo_site: DemoSite, people: list[Person], browser: object
) -> None:
    anonymous = httpx.get(demo_site.url + "/l/ballerup/sager", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/l/ballerup/login?next=")
    person = open_person(browser, demo_site.url)  # type: ignore[arg-type]
    people.append(person)
    become(person, "ballerup", "tr-okonomi")
    session = next(c for c in person.context.cookies() if c["name"] == "medledger_session")
    jar = {"medledger_session": session["value"]}
    forged = httpx.post(demo_site.url + "/l/ballerup/logout", cookies=jar, data={"csrf": "x"})
    assert forged.status_code == 403 and "csrf_failed" in forged.text
    cross_site = httpx.post(
        demo_site.url + "/l/ballerup/logout",
        cookies=jar,
        data={"csrf": person.page.locator("input[name=csrf]").first.get_attribute("value")},
        headers={"Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    # A token for another ledger does not open this one's pages.
    other = httpx.get(demo_site.url + "/l/kk-buf/sager", cookies=jar, follow_redirects=False)
    assert other.status_code == 303


def test_every_choice_stands_beside_its_label(
    demo_site: DemoSite, people: list[Person], browser: Browser
) -> None:
    """Each radio button and checkbox sits on the line of its label, the label after it:
    a reader sees which words the box answers for."""
    forms = {
        "hmed-nfmd": [
            "/l/ballerup/beskeder",
            "/l/ballerup/sager/teknologi-dialog/handling/position",
        ],
        "kd": ["/l/ballerup/sager/teknologi-dialog/handling/decision"],
        "bal-admin": ["/l/ballerup/admin/handling/enrol"],
    }
    for who, paths in forms.items():
        person = signed_in(browser, demo_site, people, "ballerup", who)
        for path in paths:
            page = person.go(path)
            choices = page.locator("main input[type=radio], main input[type=checkbox]").all()
            assert choices, path
            for choice in choices:
                label = page.locator(f'label[for="{choice.get_attribute("id")}"]')
                box, words = choice.bounding_box(), label.bounding_box()
                assert box is not None and words is not None, path
                middle = box["y"] + box["height"] / 2
                assert words["y"] <= middle <= words["y"] + words["height"], (
                    path,
                    label.inner_text(),
                )
                assert words["x"] >= box["x"] + box["width"], (path, label.inner_text())
