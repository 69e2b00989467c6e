"""MED-07 (material before the meeting), MED-08 (the AMR), MED-12 (minutes approved)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ledger.domain import events as ev
from projections.facts.matter import Fact
from tests.projections.rulebook.memory import (
    MINUTES,
    Ledger,
    Matter,
    consulted,
    municipality,
    opened,
)

# --- MED-07 material too late for the meeting --------------------------------------


@pytest.mark.parametrize(
    ("days", "flagged"), [(7, False), (8, False), (6, True), (1, True), (0, True)]
)
def test_med07_material_exactly_seven_days_before_is_in_time_on_the_day_is_not(
    days: int, flagged: bool
) -> None:
    ledger, matter = opened()
    shared = matter.share()
    ledger.advance(days=days)
    meeting = matter.meeting()
    found = ledger.findings("MED-07")
    assert [f.key for f in found] == ([f"material-{shared.seq}-meeting-{meeting.seq}"] * flagged)
    if flagged:
        assert f"came {days} days before" in found[0].explanation_en
        assert found[0].severity == "low"


def test_med07_counts_to_the_day_the_meeting_was_held_not_the_day_it_was_logged() -> None:
    ledger, matter = opened()
    matter.share()
    held = ledger.now.date() + timedelta(days=7)
    matter.meeting(held=held)
    ledger.advance(days=1)
    assert ledger.findings("MED-07") == []
    late = ledger.matter("sent")
    late.share()
    ledger.advance(days=10)
    late.meeting(held=ledger.now.date() - timedelta(days=11))
    assert ledger.findings("MED-07") == [], "held before the material was shared"


def test_med07_each_receiving_body_with_its_own_days_at_its_next_meeting() -> None:
    ledger = municipality()
    ledger.rules_set("lmed", {"med-07.material_days": 3})
    matter = ledger.matter()
    shared = matter.share("hmed", "lmed")
    ledger.advance(days=4)
    matter.meeting("lmed", present=("leder", "tr-lokal"))
    hmed = matter.meeting()
    ledger.advance(days=10)
    matter.meeting()
    found = ledger.findings("MED-07")
    assert [(f.body, f.key) for f in found] == [
        ("hmed", f"material-{shared.seq}-meeting-{hmed.seq}")
    ]
    assert "at least 7 days" in found[0].explanation_en


def test_med07_a_body_without_a_meeting_or_in_time_does_not_hide_the_next_body() -> None:
    ledger = municipality()
    unmet = ledger.matter("uden-moede")
    unmet.share("hmed", "lmed")
    unmet.meeting("lmed", held=ledger.now.date() + timedelta(days=2), present=("leder",))
    in_time = ledger.matter("i-tide")
    in_time.share("hmed", "lmed")
    in_time.meeting(held=ledger.now.date() + timedelta(days=8))
    in_time.meeting("lmed", held=ledger.now.date() + timedelta(days=2), present=("leder",))
    assert [(f.matter, f.body) for f in ledger.findings("MED-07")] == [
        ("uden-moede", "lmed"),
        ("i-tide", "lmed"),
    ]


def test_med07_reads_the_body_setting_in_force_at_the_meeting() -> None:
    ledger, matter = opened()
    matter.share()
    ledger.advance(days=5)
    before = matter.meeting()
    ledger.rules_set("hmed", {"med-07.material_days": 5})
    matter.share()
    ledger.advance(days=5)
    matter.meeting()
    assert ledger.keys("MED-07") == [f"material-2-meeting-{before.seq}"]


# --- MED-08 work environment without the AMR ----------------------------------------


def test_med08_the_amr_absent_and_given_no_material_before_the_meeting() -> None:
    ledger, matter = consulted(category="work_environment")
    meeting = matter.meeting(present=("direktor", "tr"), absent=("amr",))
    matter.share()
    [found] = ledger.findings("MED-08")
    assert (found.key, found.severity) == (f"meeting-{meeting.seq}", "medium")
    assert "neither present nor given the material" in found.explanation_en
    assert "Grundlag: arbejdsmiljøloven og den lokale MED-aftale" in found.explanation_da


def test_med08_quiet_when_the_amr_was_present_or_given_the_material() -> None:
    ledger = municipality()
    present = ledger.matter("til-stede", category="work_environment")
    present.meeting()
    given = ledger.matter("materiale", category="work_environment")
    given.share()
    ledger.advance(days=7)
    given.meeting(present=("direktor",))
    assert ledger.findings("MED-08") == []


def test_med08_material_shared_on_the_meeting_day_before_the_meeting_reached_the_amr() -> None:
    ledger, matter = opened(category="work_environment")
    matter.share()
    matter.meeting(present=("direktor",), absent=("amr",))
    assert ledger.findings("MED-08") == []
    late = ledger.matter("senere", category="work_environment")
    late.share()
    late.meeting(held=ledger.now.date() - timedelta(days=1), present=("direktor",))
    assert [f.matter for f in ledger.findings("MED-08")] == ["senere"]


def test_med08_judges_every_meeting_after_one_that_was_in_order() -> None:
    ledger = municipality()
    ledger.rules_set("lmed", {"med-08.requires_amr": 0})
    exempt = ledger.matter("fritaget", category="work_environment")
    exempt.meeting("lmed", present=("leder",))
    exempt.meeting(present=("direktor",))
    present = ledger.matter("til-stede", category="work_environment")
    present.meeting()
    present.meeting(present=("direktor",))
    ledger.appoint("lmed", "amr-lokal", "employees", "amr")
    given = ledger.matter("materiale", category="work_environment")
    given.share()
    given.meeting(present=("direktor",))
    given.meeting("lmed", present=("leder",))
    assert [(f.matter, f.body) for f in ledger.findings("MED-08")] == [
        ("fritaget", "hmed"),
        ("til-stede", "hmed"),
        ("materiale", "lmed"),
    ]


def test_med08_a_body_without_an_amr_does_not_hide_the_next_meeting() -> None:
    ledger, matter = opened(category="work_environment")
    matter.meeting("lmed", present=("leder",))
    matter.meeting(present=("direktor",))
    assert [f.body for f in ledger.findings("MED-08")] == ["lmed", "hmed"]


def test_med08_material_counts_only_if_it_reached_an_amr_sitting_then() -> None:
    ledger = municipality()
    ledger.leave("hmed", "amr")
    matter = ledger.matter(category="work_environment")
    matter.share()
    ledger.appoint("hmed", "ny-amr", "employees", "amr")
    ledger.advance(days=7)
    matter.meeting(present=("direktor",))
    assert len(ledger.findings("MED-08")) == 1


def test_med08_a_body_with_no_amr_and_only_work_environment_matters() -> None:
    ledger, matter = opened(category="work_environment", responsible_body="lmed")
    matter.meeting("lmed", present=("leder", "tr-lokal"))
    other = ledger.matter("andet", responsible_body="lmed")
    other.meeting("lmed", present=("leder",))
    [found] = ledger.findings("MED-08")
    assert (found.matter, found.body) == ("sag", "lmed")
    assert "ingen arbejdsmiljørepræsentant" in found.explanation_da


def test_med08_a_body_that_needs_no_amr_is_not_flagged_for_having_none() -> None:
    ledger = municipality()
    ledger.rules_set("lmed", {"med-08.requires_amr": 0})
    matter = ledger.matter(category="work_environment", responsible_body="lmed")
    matter.meeting("lmed", present=("leder", "tr-lokal"))
    assert ledger.findings("MED-08") == []
    ledger.appoint("lmed", "amr-lokal", "employees", "amr")
    matter.meeting("lmed", present=("leder",))
    assert len(ledger.findings("MED-08")) == 1, "an AMR it has must still take part"


# --- MED-12 minutes not approved ---------------------------------------------------------


def met_in_a_body_of_its_own(
    body: str, kind: str, parent: str, *members: tuple[str, str, str]
) -> tuple[Ledger, Matter, Fact]:
    """The test municipality with a body of its own, ``body`` (of ``kind``, below
    ``parent``), whose ``members`` (person, side, role) meet on a matter it is responsible
    for: the ledger, the matter and the meeting."""
    ledger = municipality()
    ledger.body(body, kind, parent=parent)
    for person, side, role in members:
        ledger.appoint(body, person, side, role)
    matter = ledger.matter(responsible_body=body)
    present = tuple(person for person, _, _ in members)
    return ledger, matter, matter.meeting(body, present=present)


def test_med12_the_chairs_approval_alone_is_not_enough() -> None:
    ledger, matter = opened()
    meeting = matter.meeting()
    matter.approve(meeting, by="direktor")
    [found] = ledger.findings("MED-12")
    due = ledger.now.date() + timedelta(days=15)
    assert found.due == datetime(due.year, due.month, due.day, tzinfo=UTC)
    assert "chair and vice-chair within 14 days" in found.explanation_en
    matter.approve(meeting, by="tr")
    assert ledger.findings("MED-12") == []


def test_med12_the_vice_chairs_approval_alone_is_not_enough_either() -> None:
    ledger, matter = opened()
    meeting = matter.meeting()
    matter.approve(meeting, by="tr")
    assert len(ledger.findings("MED-12")) == 1


def test_med12_a_second_meeting_after_an_approved_first_is_judged_on_its_own() -> None:
    ledger, matter = opened()
    first = matter.meeting()
    ledger.advance(days=10)
    second = matter.meeting()
    third = matter.meeting()
    for chair in ("direktor", "tr"):
        matter.approve(first, by=chair, at_meeting=second.seq)
        matter.approve(third, by=chair)
    assert ledger.keys("MED-12") == [f"meeting-{second.seq}"]


def test_med12_an_approval_must_sign_the_minutes_digest() -> None:
    ledger, matter = opened()
    meeting = matter.meeting()
    for chair in ("direktor", "tr"):
        matter.approve(meeting, by=chair, digest="0" * 64)
    assert ledger.keys("MED-12") == [f"meeting-{meeting.seq}"]
    assert matter.facts.typed(ev.MinutesApproved)[0].data.minutes_sha256 != MINUTES


def test_med12_an_approval_of_the_wrong_digest_does_not_hide_the_right_ones_after_it() -> None:
    ledger, matter = opened()
    meeting = matter.meeting()
    matter.approve(meeting, by="direktor", digest="0" * 64)
    matter.approve(meeting, by="direktor")
    matter.approve(meeting, by="tr")
    assert ledger.findings("MED-12") == []


def test_med12_chair_and_vice_chair_are_exactly_enough() -> None:
    ledger, matter, meeting = met_in_a_body_of_its_own(
        "trio",
        "trio",
        "lmed",
        ("leder", "management", "chair"),
        ("tr-lokal", "employees", "vice_chair"),
    )
    matter.approve(meeting, by="leder")
    matter.approve(meeting, by="tr-lokal")
    assert ledger.findings("MED-12") == []


def test_med12_a_body_without_chair_or_vice_chair_needs_one_approval() -> None:
    ledger, matter, meeting = met_in_a_body_of_its_own(
        "arbejdsgruppe", "working_group", "hmed", ("leder", "management", "member")
    )
    assert len(ledger.findings("MED-12")) == 1
    matter.approve(meeting, by="leder")
    assert ledger.findings("MED-12") == []


def test_med12_a_meeting_without_minutes_can_never_be_approved() -> None:
    ledger, matter = opened()
    matter.meeting(minutes=None)
    [found] = ledger.findings("MED-12")
    assert "without minutes" in found.explanation_en


def test_med12_falls_due_the_day_after_the_nth_and_counts_from_the_day_held() -> None:
    ledger = municipality(hmed_rulebook={"med-12.approval_days": 30})
    matter = ledger.matter()
    matter.meeting(held=date(2026, 2, 20))
    [found] = ledger.findings("MED-12")
    assert found.due.date() == date(2026, 2, 20) + timedelta(days=31)
    assert "within 30 days (due 2026-03-22)" in found.explanation_en


def test_med12_roles_are_judged_when_approving() -> None:
    ledger, matter = opened()
    meeting = matter.meeting()
    ledger.leave("hmed", "tr")
    ledger.appoint("hmed", "tr", "employees", "member")
    matter.approve(meeting, by="direktor")
    matter.approve(meeting, by="tr")
    assert len(ledger.findings("MED-12")) == 1
