"""Each page reads the directory of names once (no browser; both backends).

The header names the reader; a page that also shows names (a matter's
timeline, the dashboards, the admin's people) takes them from the same read.
"""

from __future__ import annotations

import pytest

from tests.stories.databases import sent
from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)

PAGES = [
    ("tr", "/sager"),
    ("tr", "/sager/aaben"),
    ("tr", "/sager/aaben/dossier"),
    ("tr", "/mig"),
    ("tr", "/kvittering/aaben"),
    ("tr", "/moeder"),
    ("tr", "/overblik"),
    ("direktor", "/overblik/hmed"),
    ("direktor", "/raekkevidde/hmed"),
    ("direktor", "/ny-sag"),
    ("tr", "/beskeder"),
    ("revisor", "/revision"),
    ("admin", "/admin"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_a_page_reads_the_directory_once(site: Site, who: str, path: str) -> None:
    person = site.person(who)
    page = f"/l/{person.ledger}{path}"
    assert person.http.get(page).status_code == 200, page  # the read models catch up first
    with sent() as statements:
        answer = person.http.get(page)
    assert answer.status_code == 200, answer.text
    reads = [s for s in statements if "ml_directory" in s]
    assert len(reads) == 1, reads
