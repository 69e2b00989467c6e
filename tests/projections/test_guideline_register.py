"""The guideline register read model: made by agreement, amended, terminated with notice,
and its state on a day and as of any point of the log (SQLite and PostgreSQL).

The test municipality of ``org``: guidelines are agreed in HovedMED (``hmed``), where
``direktor`` chairs for management and ``tr`` is the employees' vice-chair.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.errors import BodyNotFoundError, GuidelineNotFoundError
from projections.read_models.guidelines import (
    GuidelineRegisterReport,
    guideline_register,
    withhold_matters,
)
from projections.read_models.source import RowSource
from tests.projections.conftest import ReadModels
from tests.stories.matter import Matter
from tests.stories.register import (
    amend_guideline,
    guideline_matter,
    make_guideline,
    register_with,
    terminate_guideline,
)


def register(
    read: ReadModels, source: RowSource | None = None, **options: object
) -> GuidelineRegisterReport:
    return guideline_register(source or read.live(), read.origin, **options)  # type: ignore[arg-type]


def test_a_guideline_made_by_agreement_is_in_the_register_with_its_agreement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = guideline_matter(Matter(org, "retningslinjer"), clock)
    made = make_guideline(matter, "trivsel", "mandatory")

    (found,) = register(read).guidelines
    assert (found.guideline, found.type, found.body, found.body_name) == (
        "trivsel",
        "mandatory",
        "hmed",
        "HovedMED",
    )
    assert (found.status, found.in_force, found.termination, found.amendments) == (
        "in_force",
        True,
        None,
        (),
    )
    assert (found.made.matter, found.made.seq, found.made.actor) == (
        "retningslinjer",
        made,
        "direktor",
    )
    assert found.effective_from == clock.date()
    assert not found.imported


def test_an_amendment_is_listed_and_may_change_the_type(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = register_with(org, clock, "seniorpolitik", "optional")
    clock.advance(days=10)
    amended = amend_guideline(matter, "seniorpolitik", "procedure")

    (found,) = register(read, guideline="seniorpolitik").guidelines
    assert found.type == "procedure"
    assert [(a.matter, a.seq, a.guideline_type) for a in found.amendments] == [
        ("retningslinjer", amended, "procedure")
    ]


def test_an_optional_guideline_under_notice_is_in_force_until_its_end_then_terminated(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = register_with(org, clock, "seniorpolitik", "optional")
    clock.advance(days=5)
    notice_day, end = clock.date(), "2026-06-01"
    ended = terminate_guideline(matter, "seniorpolitik", end)

    (found,) = register(read).guidelines
    assert found.termination is not None
    assert (found.termination.notice_given, found.termination.effective_from) == (notice_day, end)
    assert found.termination.step.seq == ended
    assert (found.status, found.in_force) == ("terminating", True)
    on_the_day = register(read, on=datetime(2026, 6, 1, tzinfo=UTC)).guidelines[0]
    the_day_before = register(read, on=datetime(2026, 5, 31, tzinfo=UTC)).guidelines[0]
    assert (on_the_day.status, on_the_day.in_force) == ("terminated", False)
    assert the_day_before.status == "terminating"


def test_a_guideline_agreed_to_take_effect_later_is_pending_until_then(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register_with(org, clock, "stress", "mandatory", effective_from="2026-03-01")

    assert register(read).guidelines[0].status == "pending"
    later = register(read, on=datetime(2026, 3, 1, tzinfo=UTC)).guidelines[0]
    assert (later.status, later.effective_from) == ("in_force", "2026-03-01")


def test_the_register_as_of_before_and_after_each_step(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = guideline_matter(Matter(org, "retningslinjer"), clock)
    before_made = read.size()
    make_guideline(matter, "seniorpolitik", "optional")
    made = read.size()
    amend_guideline(matter, "seniorpolitik")
    amended = read.size()
    terminate_guideline(matter, "seniorpolitik", "2026-12-01")

    assert register(read, read.as_of(before_made)).guidelines == []
    with pytest.raises(GuidelineNotFoundError, match="seniorpolitik"):
        register(read, read.as_of(before_made), guideline="seniorpolitik")
    at_made = register(read, read.as_of(made))
    assert at_made.as_of == made
    assert (at_made.guidelines[0].amendments, at_made.guidelines[0].termination) == ((), None)
    at_amended = register(read, read.as_of(amended)).guidelines[0]
    assert (len(at_amended.amendments), at_amended.termination) == (1, None)
    live = register(read)
    assert live.guidelines[0].termination is not None
    assert register(read, read.as_of(read.size())) == live


def test_only_the_guidelines_of_a_body_and_unknown_ones_are_refused(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register_with(org, clock, "trivsel", "procedure")
    assert register(read, body="lmed").guidelines == []
    assert [g.guideline for g in register(read, body="hmed").guidelines] == ["trivsel"]
    with pytest.raises(BodyNotFoundError):
        register(read, body="ukendt")
    with pytest.raises(GuidelineNotFoundError):
        register(read, guideline="ukendt")


def test_a_reader_who_may_not_read_the_agreeing_matter_sees_the_register_without_it(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    matter = register_with(org, clock, "trivsel", "procedure")
    amend_guideline(matter, "trivsel")
    report = register(read)

    hidden = withhold_matters(report, lambda matter_id: False).guidelines[0]
    assert (hidden.made.matter, hidden.made.seq, hidden.amendments[0].matter) == (None, None, None)
    assert hidden.withheld == ("matter", "seq")
    assert (hidden.guideline, hidden.type, hidden.made.leaf_index) == (
        "trivsel",
        "procedure",
        report.guidelines[0].made.leaf_index,
    )
    assert withhold_matters(report, lambda matter_id: True) == report
