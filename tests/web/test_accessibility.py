"""axe-core on every page, as the people who use them see them: no violations.

The stories check their own pages as they go; this walks every page kind
once, including those the stories pass quickly (each action's form, errors,
the verify page, English)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import DemoSite, Person, assert_accessible, open_person, signed_in

PUBLIC = ["/", "/verify", "/l/ballerup/login", "/l/ballerup/tilmelding", "/l/nowhere/login"]
REPRESENTATIVE = [
    "/l/ballerup/sager",
    "/l/ballerup/sager/budget-forslag",
    "/l/ballerup/sager/budget-forslag?as_of=40",
    *(
        f"/l/ballerup/sager/teknologi-dialog/handling/{action}"
        for action in (
            "position",
            "disagreement",
            "compromise",
            "accept",
            "proposal",
            "hearing",
            "acknowledge",
            "breach",
        )
    ),
    "/l/ballerup/mig",
    "/l/ballerup/beskeder",
    "/l/ballerup/kvittering/budget-forslag",
    "/l/ballerup/kvittering/okonomi-4mio",
    "/l/ballerup/bevis/3",
    "/l/ballerup/sager/no-such-matter",
    # Meetings, dashboards and the reach (the vice-chair of HovedMED).
    "/l/ballerup/moeder",
    "/l/ballerup/moeder/bal-hmed/2026-08-10",
    "/l/ballerup/moeder/bal-hmed/2020-01-01",
    "/l/ballerup/sager/teknologi-dialog/handling/meeting",
    "/l/ballerup/sager/teknologi-dialog/handling/approve?meeting=3",
    "/l/ballerup/sager/teknologi-dialog/handling/publish?meeting=3",
    "/l/ballerup/overblik",
    "/l/ballerup/overblik/bal-hmed",
    "/l/ballerup/raekkevidde/bal-hmed",
]
CHAIR = [
    "/l/ballerup/moeder?body=bal-hmed",
    "/l/ballerup/sager/teknologi-dialog/handling/meeting?body=bal-hmed&date=2026-08-10",
    "/l/ballerup/overblik/bal-okonomi",
]
MANAGER = [
    "/l/ballerup/ny-sag",
    "/l/ballerup/regler",
    "/l/ballerup/sager/teknologi-dialog/dossier",
    "/l/ballerup/sager/budget-forslag/dossier",
    *(
        f"/l/ballerup/sager/teknologi-dialog/handling/{action}"
        for action in (
            "material",
            "consultation",
            "hearing_open",
            "referral",
            "political",
            "answer",
            "agreement",
            "guideline_amend",
            "communicated",
            "close",
            "decision",
        )
    ),
]
ADMIN = [
    "/l/ballerup/admin",
    "/l/ballerup/admin/handling/enrol",
    "/l/ballerup/admin/handling/revoke",
]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_has_an_accessibility_violation(
    browser: Browser, demo_site: DemoSite, people: list[Person], lang: str
) -> None:
    visitor = open_person(browser, demo_site.url)
    people.append(visitor)
    visitor.go(f"/sprog/{lang}?next=/")
    for path in PUBLIC:
        assert_accessible(visitor.go(path))
    for who, paths in (("hmed-nfmd", REPRESENTATIVE), ("sekr-bal", CHAIR)):
        member = signed_in(browser, demo_site, people, "ballerup", who)
        member.go(f"/sprog/{lang}?next=/l/ballerup/sager")
        for path in paths:
            page = member.go(path)
            assert page.locator("html").get_attribute("lang") == lang, path
            assert_accessible(page)
    manager = signed_in(browser, demo_site, people, "ballerup", "kd")
    manager.go(f"/sprog/{lang}?next=/l/ballerup/sager")
    for path in MANAGER:
        response = manager.page.goto(manager.base + path)
        assert response is not None and response.status == 200, path
        page = manager.page
        assert page.locator("html").get_attribute("lang") == lang, path
        assert_accessible(page)
    admin = signed_in(browser, demo_site, people, "ballerup", "bal-admin")
    admin.go(f"/sprog/{lang}?next=/l/ballerup/admin")
    for path in ADMIN:
        assert_accessible(admin.go(path))
    admin.go("/l/ballerup/admin").locator("button[name=erase]").click()  # asks once more
    admin.page.locator("button[name=confirmed]").wait_for()
    assert_accessible(admin.page)
