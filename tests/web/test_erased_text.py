"""An erasure takes the erased text off every page at once, in the serving process and the
read models alike (no browser; both backends).

The administrator erases, under GDPR, all the free text of matter ``hemmelig`` that the
erasure may take: its title, description and case number, the position, the proposal,
the disagreement, the compromise and the decision's outcome and rationale.  Every page
its readers open afterwards still answers, shows the matter by its id where it showed its
title, and holds none of the erased words (tests/stories/confidential.py marks each).
"""

from __future__ import annotations

from ledger.domain import events as ev
from tests.stories.confidential import MARKERS, local_meeting
from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)

MATTER = "hemmelig"
ERASED = {
    "MatterOpened": ["title", "description", "case_number"],
    "PositionStated": ["text", "proposals"],
    "ProposalSubmitted": ["title", "text"],
    "DisagreementRecorded": ["points"],
    "CompromiseProposed": ["terms"],
    "DecisionMade": ["outcome", "rationale"],
}
WORDS = [
    f"{MARKERS[MATTER]} {what}"
    for what in (
        "title",
        "description",
        "case",
        "position",
        "proposal title",
        "proposal text",
        "disagreement",
        "terms",
        "outcome",
        "rationale",
    )
]
PAGES = {
    "tr": [
        "/sager",
        f"/sager/{MATTER}",
        f"/sager/{MATTER}/dossier",
        "/mig",
        f"/kvittering/{MATTER}",
        "/moeder",
        "/overblik",
        "/overblik/hmed",
        "/beskeder",
        f"/sager/{MATTER}/handling/accept",
    ],
    "direktor": [
        "/sager",
        f"/sager/{MATTER}",
        f"/sager/{MATTER}/handling/answer",
        f"/sager/{MATTER}/handling/agreement",
        f"/sager/{MATTER}/handling/decision",
        "/overblik/hmed",
    ],
    "revisor": ["/revision", f"/sager/{MATTER}", f"/sager/{MATTER}/dossier"],
}


def erase_the_matters_text(site: Site) -> None:
    matter = site.org.service.state(site.org.origin).matters[MATTER]
    targets = [
        (seq, ERASED[info.type]) for seq, info in matter.events.items() if info.type in ERASED
    ]
    assert len(targets) == len(ERASED)
    for seq, fields in targets:
        erasure = ev.PayloadRedacted(event=seq, fields=fields, legal_basis="GDPR art. 17")
        site.org.act("admin", MATTER, erasure)


def test_no_page_shows_erased_text_and_each_names_the_matter_by_its_id(site: Site) -> None:
    for who, paths in PAGES.items():  # every page once before: its caches hold the text
        person = site.person(who)
        for path in paths:
            assert person.http.get(f"/l/{person.ledger}{path}").status_code == 200, (who, path)
    erase_the_matters_text(site)
    for who, paths in PAGES.items():
        person = site.person(who)
        for path in paths:
            answer = person.http.get(f"/l/{person.ledger}{path}")
            assert answer.status_code == 200, (who, path)
            shown = [word for word in WORDS if word in answer.text]
            assert shown == [], (who, path, shown)
    listed = site.person("tr").http.get(f"/l/{site.person('tr').ledger}/sager").text
    assert f">{MATTER}<" in listed


def test_an_erased_agenda_item_reads_as_erased_on_the_meeting_pages(site: Site) -> None:
    seq = local_meeting(site.org, "punkt")
    erasure = ev.PayloadRedacted(event=seq, fields=["agenda_item"], legal_basis="GDPR art. 17")
    site.org.act("admin", "punkt", erasure)
    chair = site.person("leder")
    day = site.org.clock.date()
    for path in (f"/moeder/lmed/{day}", f"/sager/punkt/handling/approve?meeting={seq}"):
        answer = chair.http.get(f"/l/{chair.ledger}{path}")
        assert answer.status_code == 200, path
        assert "Punkt: punkt" not in answer.text and ">None<" not in answer.text, path
        assert "(slettet)" in answer.text, path
