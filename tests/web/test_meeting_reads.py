"""The meeting, dashboard and reach pages read like the API (no browser; both backends).

On the confidential municipality (``tests/stories/confidential.py``): each
page shows nothing of a matter its reader may not read, refuses a body its
reader does not sit in, reads a fixed number of queries however many matters
there are, and the notification hook says what is due from whom by when.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.access import Access, Reader
from api.reading import Read
from demo.organisation import ManualClock
from ledger.domain import events as ev
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from tests.stories.confidential import MARKERS, MINUTES, local_meeting
from tests.stories.databases import sent
from tests.stories.school import school_structure
from tests.web.browserless import Browserless, Site, told_site
from web.context import Site as PageSite
from web.due import by_person, due_in


@pytest.fixture
def town(
    service: LedgerService, store: Store, clock: ManualClock, unique: str, tmp_path: Path
) -> Site:
    return told_site(
        service, store, clock, tmp_path, f"ledger.example/moeder{unique}", "Mødekommune"
    )


def queries(person: Browserless, path: str) -> int:
    assert person.http.get(path).status_code == 200, path  # the read models catch up first
    with sent() as statements:
        answer = person.http.get(path)
    assert answer.status_code == 200, answer.text
    return len(statements)


def test_each_page_reads_a_fixed_number_of_queries_however_many_matters(town: Site) -> None:
    local_meeting(town.org, "lokal-1")
    chair = town.person("leder")
    director = town.person("direktor")
    led = chair.ledger
    paths = [
        (chair, f"/l/{led}/overblik/lmed"),
        (director, f"/l/{led}/overblik/hmed"),
        (chair, f"/l/{led}/moeder"),
        (director, f"/l/{led}/raekkevidde/hmed"),
    ]
    before = [queries(person, path) for person, path in paths]
    for n in range(2, 6):
        local_meeting(town.org, f"lokal-{n}")
    after = [queries(person, path) for person, path in paths]
    assert after == before, (before, after)
    assert all(n > 0 for n in before)


def test_pages_show_nothing_of_a_matter_the_reader_may_not_read(town: Site) -> None:
    seq = local_meeting(town.org, "lokal-1")
    led = town.org.origin.rsplit("/", 1)[1]
    director = town.person("direktor")
    for path in ("/overblik/hmed", "/moeder", "/raekkevidde/hmed"):
        page = director.http.get(f"/l/{led}{path}")
        assert page.status_code == 200
        assert MARKERS["lokal"] not in page.text and "Sag lokal-1" not in page.text
    assert director.http.get(f"/l/{led}/overblik/lmed").status_code == 403
    assert director.http.get(f"/l/{led}/raekkevidde/lmed").status_code == 403
    day = town.org.clock.date()
    assert director.http.get(f"/l/{led}/moeder/lmed/{day}").status_code == 404
    local = town.person("tr-lokal")
    for path in ("/overblik/lmed", "/moeder", f"/moeder/lmed/{day}"):
        page = local.http.get(f"/l/{led}{path}")
        assert page.status_code == 200
        assert MARKERS["hemmelig"] not in page.text
    approve = local.http.get(f"/l/{led}/sager/lokal-1/handling/approve?meeting={seq}")
    assert approve.status_code == 200 and MINUTES in approve.text
    bad = local.http.get(f"/l/{led}/sager/lokal-1/handling/approve?meeting=1")
    assert bad.status_code == 422 and "unknown_event_reference" in bad.text


def test_the_notification_hook_says_what_is_due_from_whom_by_when(town: Site) -> None:
    local_meeting(town.org, "lokal-1")
    site = town.app.state.site
    assert isinstance(site, PageSite)
    origin = town.org.origin
    state = site.context.service.state(origin.rsplit("/", 1)[1])
    # A notification worker reads as an auditor does: every matter.
    reader = Reader(origin, "revisor", "", frozenset({"auditor"}))
    due = due_in(Access(reader, state), Read(origin, site.context, None), "da", "lmed")
    mine = by_person(due.items)
    minutes = [i for i in mine["leder"] if i.rule == "MED-12"]
    assert minutes and minutes[0].matter == "lokal-1"
    assert minutes[0].by is not None and minutes[0].by > town.org.clock.date()
    assert any(i.kind == "disagreement" and i.matter == "lokal-1" for i in mine["leder"])
    assert "tr-lokal" not in mine or all(i.rule != "MED-12" for i in mine["tr-lokal"])


def test_the_meeting_deadlines_are_the_bodys_own_rules(town: Site) -> None:
    seq = local_meeting(town.org, "lokal-1")
    town.org.registry(
        ev.BodyRulesSet(
            body="lmed", rulebook={"med-07.material_days": 10, "med-12.approval_days": 5}
        ),
        by="leder",
    )
    chair = town.person("leder")
    day = town.org.clock.date()
    page = chair.http.get(
        f"/l/{chair.ledger}/sager/lokal-1/handling/meeting?body=lmed&date=2026-12-20"
    )
    assert "10. december 2026 (10 dage før mødet" in page.text
    assert "25. december 2026 (5 dage efter mødet" in page.text
    meeting = chair.http.get(f"/l/{chair.ledger}/moeder/lmed/{day}")
    assert (
        "5 dage efter mødet" in meeting.text and f"handling/approve?meeting={seq}" in meeting.text
    )
    other = chair.http.get(
        f"/l/{chair.ledger}/sager/aaben/handling/meeting?body=hmed&date=2026-12-20"
    )
    assert "7 dage før mødet" in other.text and "14 dage efter mødet" in other.text


def test_a_hovedmed_dashboard_shows_the_breach_claims_month_and_its_dispute_path(
    town: Site,
) -> None:
    director = town.person("direktor")
    page = director.http.get(f"/l/{director.ledger}/overblik/hmed")
    assert page.status_code == 200
    assert 'class="due-finding due-med-11"' in page.text
    assert "påtale af brud" in page.text and "hjemmearbejde" in page.text
    assert 'class="due-disagreement"' not in page.text  # hemmelig is decided


def test_a_meeting_recorded_without_minutes_has_nothing_to_approve(town: Site) -> None:
    org = town.org
    org.act(
        "leder",
        "uden",
        school_structure(
            org.clock, title="Uden referat", responsible_body="lmed", decision_maker="leder"
        ),
    )
    held = ev.MeetingHeld(
        body="lmed", date=org.clock.date(), agenda_item="Punkt 1", present=["leder"]
    )
    seq = int(org.act("leder", "uden", held)["seq"])
    chair = town.person("leder")
    form = chair.http.get(f"/l/{chair.ledger}/sager/uden/handling/approve?meeting={seq}")
    assert "Mødet blev registreret uden referat" in form.text
    meeting = chair.http.get(f"/l/{chair.ledger}/moeder/lmed/{org.clock.date()}")
    assert "intet referat" in meeting.text and "handling/approve" not in meeting.text
