"""A matter's forecast: the findings that will fall due, and when, unless something happens.

The school-structure matter has a political deadline a month away and
nobody in HovedMED has heard of it: late information (MED-03) will fall
due two weeks before the deadline.  Sharing the material in time removes
it from the forecast.  A HovedMED meeting's minutes must then be approved
within two weeks (MED-12): the forecast shows the day, and the approvals
remove it.  At the day a forecast finding falls due it moves to the
findings, live and as of any past point.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import MatterNotFoundError
from projections.facts.logged import parse_moment
from projections.read_models.forecast import Forecast, forecast
from tests.projections.conftest import ReadModels
from tests.stories.matter import Matter
from tests.stories.school import hovedmed_meeting, school_structure

MINUTES = "a" * 64


def upcoming(found: Forecast) -> list[tuple[str, int]]:
    return [(u.finding.rule, u.days_left) for u in found.upcoming]


def test_late_information_is_foreseen_before_the_deadline_and_averted_by_material(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = Matter(org, "skolestruktur")
    matter.act("direktor", school_structure(clock, political_deadline=clock.date(days=30)))
    before = forecast(read.live(), org.origin, "skolestruktur")
    assert before.due == []
    # Due about two weeks before the deadline (the rule's lead days), counted from today.
    [(rule, days_left)] = upcoming(before)
    (due_at,) = [u.finding.due_at for u in before.upcoming]
    assert rule == "MED-03" and 14 <= days_left <= 17
    assert parse_moment(due_at).date().isoformat() == clock.date(days=days_left)
    # The day it falls due it is a finding, and the forecast shows it as due.
    on_the_day = parse_moment(due_at)
    assert read.rules("skolestruktur", now=on_the_day) == ["MED-03"]
    due = forecast(read.live(), org.origin, "skolestruktur", now=on_the_day)
    assert [f.rule for f in due.due] == ["MED-03"] and due.upcoming == []
    assert read.rules("skolestruktur", now=on_the_day - timedelta(microseconds=1)) == []

    clock.advance(days=2)
    matter.act(
        "direktor",
        ev.MaterialShared(documents=[ev.Document(title="Oplæg", sha256="b" * 64)], bodies=["hmed"]),
    )
    after = forecast(read.live(), org.origin, "skolestruktur")
    assert after.due == [] and after.upcoming == []


def test_minutes_to_approve_are_foreseen_and_the_approvals_remove_them(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = Matter(org, "skolestruktur")
    matter.act("direktor", school_structure(clock))
    meeting = matter.act(
        "sekretaer",
        hovedmed_meeting(clock, MINUTES),
    )
    found = forecast(read.live(), org.origin, "skolestruktur", lang="en")
    assert [rule for rule, _ in upcoming(found)] == ["MED-12"]
    (minutes,) = found.upcoming
    assert minutes.days_left >= 14
    assert minutes.finding.body == "hmed"
    assert minutes.finding.explanation  # in English, naming the meeting
    assert f"#{meeting['seq']}" in minutes.finding.explanation
    # As of the meeting (a replay), the forecast was the same.
    replayed = forecast(read.as_of(read.size()), org.origin, "skolestruktur", lang="en")
    assert replayed.upcoming == found.upcoming

    clock.advance(days=3)
    for approver in ("direktor", "tr"):
        matter.act(approver, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=MINUTES))
    assert forecast(read.live(), org.origin, "skolestruktur").upcoming == []


def test_the_forecast_of_an_unknown_matter_is_refused(org: Organisation, read: ReadModels) -> None:
    with pytest.raises(MatterNotFoundError):
        forecast(read.live(), org.origin, "findes-ikke")
