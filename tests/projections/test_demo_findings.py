"""The demo's stories show the findings the seed articles are about.

Copenhagen BUF: a proposal on special classes went to the politicians
around MED (MED-02) and HovedMED was informed too late (MED-03); the
written breach claim was remedied within the month, so it never falls due
(MED-11).  A noise matter in a LokalMED had material two days before the
meeting (MED-07) and minutes never approved (MED-12); its AMR, absent from
the meeting, had been given the material, which is what the
work-environment rules ask (no MED-08).  Of HovedMED's three matters, one
reached the LokalMED (the statistics' share).  Ballerup: HovedMED heard
of the budget only through the hearing, which is no discussion, so the
budget was decided without one (MED-01) and the hearing came before any
discussion (MED-09); the decision left HovedMED's disagreement unanswered
(MED-04) and the hearing response and home care's proposal untreated
(MED-05, MED-10).  The early involvement in the savings matter, with its
legitimate difference of interest declared and answered, and the
procedure guideline agreed in HovedMED show none, now or ever.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo.organisation import ManualClock
from demo.stories import Demo
from projections.read_models.findings import findings
from projections.read_models.source import DatabaseSource
from projections.read_models.statistics import statistics
from projections.runner.projector import Projector


def shown(projector: Projector, origin: str, now: datetime | None = None) -> list[tuple[str, str]]:
    projector.catch_up(origin)
    report = findings(DatabaseSource(projector.schema), origin, now=now)
    return [(f.matter, f.rule) for f in report.findings]


def test_the_buf_proposal_that_went_around_med_and_the_noise_matter(
    demo: Demo, projector: Projector
) -> None:
    assert shown(projector, demo.buf.origin) == [
        ("skolestruktur", "MED-02"),
        ("skolestruktur", "MED-03"),
        ("stoej-valby", "MED-07"),
        ("stoej-valby", "MED-12"),
    ]


def test_ballerup_budget_decided_with_an_unanswered_disagreement(
    demo: Demo, projector: Projector
) -> None:
    assert shown(projector, demo.ballerup.origin) == [
        ("budget-forslag", "MED-01"),
        ("budget-forslag", "MED-04"),
        ("budget-forslag", "MED-05"),
        ("budget-forslag", "MED-05"),
        ("budget-forslag", "MED-09"),
        ("budget-forslag", "MED-10"),
    ]


def test_the_technology_dialogues_minutes_fall_due_two_weeks_later(
    demo: Demo, projector: Projector, clock: ManualClock
) -> None:
    later = clock.now + timedelta(days=20)
    assert ("teknologi-dialog", "MED-12") in shown(projector, demo.ballerup.origin, now=later)


@pytest.mark.parametrize("matter", ["okonomi-4mio", "retningslinje-inddragelse"])
def test_ballerups_early_involvement_comes_out_clean_now_and_later(
    demo: Demo, projector: Projector, clock: ManualClock, matter: str
) -> None:
    much_later = clock.now + timedelta(days=400)
    for now in (None, much_later):
        assert [m for m, _ in shown(projector, demo.ballerup.origin, now)].count(matter) == 0


def test_the_remedied_breach_claim_never_falls_due(
    demo: Demo, projector: Projector, clock: ManualClock
) -> None:
    later = shown(projector, demo.buf.origin, now=clock.now + timedelta(days=60))
    assert ("skolestruktur", "MED-11") not in later


def test_one_of_hovedmeds_three_matters_reached_the_lokalmed(
    demo: Demo, projector: Projector
) -> None:
    projector.catch_up(demo.buf.origin)
    (year,) = statistics(DatabaseSource(projector.schema), demo.buf.origin, "buf-hmed").years
    assert (year.matters, year.reached_local_matters) == (3, 1)
    assert year.reached_local_share == pytest.approx(1 / 3)


def test_no_body_with_amr_members_held_its_annual_work_environment_discussion_in_2026(
    demo: Demo, projector: Projector
) -> None:
    new_year = datetime(2027, 1, 1, tzinfo=UTC)
    for origin, bodies in (
        (demo.buf.origin, ["buf-hmed", "buf-lmed-valby", "buf-trio-valby"]),
        (demo.ballerup.origin, ["bal-okonomi"]),
    ):
        projector.catch_up(origin)
        found = findings(DatabaseSource(projector.schema), origin, rule="MED-15", now=new_year)
        assert sorted((f.matter, f.body) for f in found.findings) == [("", b) for b in bodies]
        before = findings(
            DatabaseSource(projector.schema),
            origin,
            rule="MED-15",
            now=new_year - timedelta(microseconds=1),
        )
        assert before.findings == []
