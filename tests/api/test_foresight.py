"""Foresight over HTTP: a matter's forecast, and the dry run of an event not yet signed.

The director opens the school structure with a political deadline a month
away and tells HovedMED nothing yet: the forecast shows late information
(MED-03) falling due two weeks before the deadline, to whoever may read
the matter, live, at a chosen time and as of a past point.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.api.conftest import Api, assert_error, ledger_path
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
    assert 14 <= item["days_left"] <= 17  # about two weeks before the deadline
    assert item["finding"]["rule"] == "MED-03"
    assert item["finding"]["due_at"][:10] == foreseen.clock.date(days=item["days_left"])
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


def dry_run(api: Api, org: Organisation, person: str, draft: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = api.http.post(
        f"{ledger_path(org)}/dry-run", json=draft, headers=api.headers(org, person)
    )
    return response


DECISION: dict[str, Any] = {
    "stream": f"matter/{MATTER}",
    "type": "DecisionMade",
    "payload": {"outcome": "Skolerne lægges sammen.", "rationale": "Elevtallet falder."},
}


def test_a_decision_before_any_discussion_is_foreseen_and_nothing_is_written(
    api: Api, foreseen: Organisation
) -> None:
    size = foreseen.service.tree_size(foreseen.origin)
    answer = dry_run(api, foreseen, "direktor", DECISION)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["admitted"] is True and found["refusal"] is None
    assert (found["actor"], found["event_type"], found["as_of"]) == (
        "direktor",
        "DecisionMade",
        size,
    )
    assert "MED-01" in {f["rule"] for f in found["raised"]}
    assert found["closed"] == []
    assert foreseen.service.tree_size(foreseen.origin) == size
    assert foreseen.service.head(foreseen.origin, f"matter/{MATTER}").seq == 1  # type: ignore[union-attr]


def test_a_refused_event_is_answered_with_the_refusal_a_real_append_gives(
    api: Api, foreseen: Organisation
) -> None:
    # The secretary may not decide: the decision maker is the director.
    found = dry_run(api, foreseen, "revisor", {**DECISION, "actor": "sekretaer"}).json()
    assert found["admitted"] is False
    assert found["refusal"]["code"] == "signer_not_decision_maker"
    assert (found["raised"], found["closed"]) == ([], [])
    wrong = dry_run(api, foreseen, "direktor", {**DECISION, "payload": {"outcome": "x"}}).json()
    assert wrong["refusal"]["code"] == "malformed_payload"
    unknown = dry_run(api, foreseen, "direktor", {**DECISION, "type": "DecisionTaken"}).json()
    assert unknown["refusal"]["code"] == "unknown_event_type"
    stale = dry_run(api, foreseen, "direktor", {**DECISION, "seq": 1}).json()
    assert stale["refusal"]["code"] == "stale_sequence"


def test_only_who_may_read_the_matter_may_dry_run_its_events(
    api: Api, foreseen: Organisation
) -> None:
    assert_error(dry_run(api, foreseen, "tr-lokal", DECISION), 403, "read_not_allowed")
    opening = {
        "stream": "matter/ny-sag",
        "type": "MatterOpened",
        "payload": ev.payload_json(
            school_structure(foreseen.clock, responsible_body="lmed", decision_maker="leder")
        ),
    }
    found = dry_run(api, foreseen, "leder", opening).json()
    assert found["admitted"] is True, found
    assert_error(
        dry_run(api, foreseen, "tr-lokal", {**DECISION, "stream": "bad stream"}),
        400,
        "malformed_request",
    )
    no_token = api.http.post(f"{ledger_path(foreseen)}/dry-run", json=DECISION)
    assert no_token.status_code == 401
