"""Foresight over HTTP: a matter's forecast, and the dry run of an event not yet signed.

The director opens the school structure with a political deadline a month
away and tells HovedMED nothing yet: the forecast shows late information
(MED-03) falling due two weeks before the deadline, to whoever may read
the matter, live, at a chosen time and as of a past point.
"""

from __future__ import annotations

import pytest

from demo.organisation import Organisation
from tests.api.conftest import Api, assert_error
from tests.stories.matter import Matter
from tests.stories.school import school_structure

MATTER = "skolestruktur"


@pytest.fixture
def foreseen(org: Organisation) -> Organisation:
    Matter(org, MATTER).act(
        "direktor", school_structure(org.clock, political_deadline=org.clock.date(days=30))
    )
    return org


def test_the_forecast_shows_what_falls_due_and_when(api: Api, foreseen: Organisation) -> None:
    found = api.get(foreseen, "direktor", f"/matters/{MATTER}/forecast", lang="en").json()
    assert found["matter"] == MATTER
    assert found["due"] == []
    (item,) = found["upcoming"]
    assert item["days_left"] == 16
    assert item["finding"]["rule"] == "MED-03"
    assert item["finding"]["due_at"][:10] == foreseen.clock.date(days=16)
    assert found["as_of"] == foreseen.service.tree_size(foreseen.origin)

    later = api.get(
        foreseen, "direktor", f"/matters/{MATTER}/forecast", now=item["finding"]["due_at"]
    )
    assert [f["rule"] for f in later.json()["due"]] == ["MED-03"]
    assert later.json()["upcoming"] == []


def test_the_forecast_as_of_a_past_point_and_its_refusals(api: Api, foreseen: Organisation) -> None:
    size = foreseen.service.tree_size(foreseen.origin)
    before = api.get(foreseen, "direktor", f"/matters/{MATTER}/forecast", as_of=str(size - 1))
    assert_error(before, 404, "matter_not_found")
    replayed = api.get(foreseen, "direktor", f"/matters/{MATTER}/forecast", as_of=str(size))
    assert replayed.json()["as_of_asked"] == str(size)
    assert [u["finding"]["rule"] for u in replayed.json()["upcoming"]] == ["MED-03"]
    bad = api.get(foreseen, "direktor", f"/matters/{MATTER}/forecast", now="next week")
    assert_error(bad, 400, "malformed_as_of")
    assert_error(
        api.get(foreseen, "tr-lokal", f"/matters/{MATTER}/forecast"), 403, "read_not_allowed"
    )
    assert_error(
        api.get(foreseen, "direktor", "/matters/findes-ikke/forecast"), 404, "unknown_stream"
    )
