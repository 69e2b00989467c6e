"""MED-13 to MED-16: the right level, guidelines in force, the annual work-environment
discussion and imported terminations; each fires, and each stays quiet (SQLite and PostgreSQL).

The test municipality of ``org``: ``direktor`` chairs HovedMED (``hmed``, management),
``amr`` is its work-environment representative; ``leder`` chairs the LokalMED below it
(``lmed``); ``udenfor`` sits in no body.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import REGISTRY_STREAM
from ledger.service.application import LedgerService
from ledger.storage.store import Store
from projections.rulebook.book import RULEBOOK
from projections.rulebook.organisation import OrganisationRule
from projections.runner.projector import Projector
from tests.projections.conftest import ReadModels, dump
from tests.stories.matter import Matter
from tests.stories.process import Story
from tests.stories.register import (
    amend_guideline,
    guideline_matter,
    make_guideline,
    register_with,
    terminate_guideline,
)
from tests.stories.school import school_structure


def decided(org: Organisation, clock: ManualClock, matter: str, by: str, **opening: object) -> None:
    """``by`` opens ``matter`` (``opening`` changes the school-structure opening), HovedMED or
    the body opened in is consulted, and the decision maker decides three weeks later."""
    story = Story(org, clock, matter)
    story.act(by, school_structure(clock, **opening))
    body = str(opening.get("responsible_body", "hmed"))
    story.consult(body=body, by=by)
    clock.advance(days=21)
    story.decide(by=str(opening.get("decision_maker", "direktor")))


def test_the_register_rules_have_grounds_and_severities() -> None:
    found = {r.id: (r.severity, r.ground) for r in RULEBOOK if r.id >= "MED-13"}
    assert found == {
        "MED-13": ("medium", "Rammeaftalen § 5, § 7"),
        "MED-14": ("high", "Rammeaftalen § 8"),
        "MED-15": ("medium", "Arbejdsmiljøloven § 6 d; BEK nr. 1838 af 2023 kap. 2"),
        "MED-16": ("high", "Rammeaftalen § 8"),
    }
    assert [r.id for r in RULEBOOK if isinstance(r, OrganisationRule)] == ["MED-15"]


# --- MED-13 wrong level ---------------------------------------------------------------


def test_med13_a_lokalmed_matter_decided_by_the_director_above_it(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    decided(org, clock, "lokal", "leder", responsible_body="lmed", decision_maker="direktor")
    assert "MED-13" in read.rules("lokal")
    (finding,) = [f for f in read.findings(lang="en").findings if f.rule == "MED-13"]
    assert (finding.body, finding.severity) == ("lmed", "medium")
    assert "direktor made decision #3 without sitting on the management side of" in (
        finding.explanation
    )
    assert "§ 5 and § 7" in finding.explanation


@pytest.mark.parametrize(
    ("matter", "maker"),
    [
        pytest.param("udenfor", "udenfor", id="outside every body"),
        pytest.param("tr-beslutter", "tr", id="an employee-side seat in the responsible body"),
    ],
)
def test_med13_a_decision_maker_without_a_management_seat_in_or_above_the_body(
    org: Organisation, clock: ManualClock, read: ReadModels, matter: str, maker: str
) -> None:
    decided(org, clock, matter, "direktor", decision_maker=maker)
    assert "MED-13" in read.rules(matter)


def test_med13_stays_quiet_in_the_body_itself_or_above_the_decision_maker_s_seat(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    decided(org, clock, "egen", "leder", responsible_body="lmed", decision_maker="leder")
    decided(org, clock, "under", "direktor", decision_maker="leder")
    decided(org, clock, "hmed-sag", "direktor")
    assert "MED-13" not in read.rules()


def test_med13_can_be_switched_off_in_a_body_s_local_rules(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    org.client("admin").append(
        REGISTRY_STREAM, ev.BodyRulesSet(body="lmed", rulebook={"med-13.enabled": 0})
    )
    decided(org, clock, "lokal", "leder", responsible_body="lmed", decision_maker="direktor")
    assert "MED-13" not in read.rules("lokal")


# --- MED-14 decision against a guideline in force ------------------------------------


def touching(org: Organisation, clock: ManualClock, matter: str, guideline: str) -> Story:
    story = Story(org, clock, matter)
    story.open(touches_guidelines=[guideline])
    story.consult()
    return story


def test_med14_a_matter_touching_a_guideline_in_force_decided_without_agreement(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register_with(org, clock, "trivsel", "mandatory")
    story = touching(org, clock, "omlaegning", "trivsel")
    decision = story.decide_after(21)
    assert "MED-14" in read.rules("omlaegning")
    (finding,) = [f for f in read.findings(lang="en").findings if f.rule == "MED-14"]
    assert finding.severity == "high"
    assert [e.seq for e in finding.evidence] == [1, decision]
    assert "guideline trivsel (mandatory" in finding.explanation
    assert "§ 8" in finding.explanation


def test_med14_stays_quiet_with_an_agreement_or_an_amendment_before_the_decision(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register = register_with(org, clock, "trivsel", "mandatory")
    agreed = touching(org, clock, "aftalt", "trivsel")
    agreed.agree()
    agreed.decide_after(21)
    amended = touching(org, clock, "aendret", "trivsel")
    amend_guideline(register, "trivsel")
    amended.decide_after(21)
    assert "MED-14" not in read.rules()


def test_med14_stays_quiet_before_the_guideline_takes_effect_and_after_it_ended(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register = register_with(org, clock, "senere", "procedure", effective_from="2026-12-01")
    make_guideline(register, "valgfri", "optional")
    terminate_guideline(register, "valgfri", "2026-04-10")
    early = touching(org, clock, "for-tidligt", "senere")
    early.decide_after(21)
    clock.advance(days=100)  # 2026-05-06: the optional guideline has ended
    ended = touching(org, clock, "efter-ophoer", "valgfri")
    ended.decide_after(21)
    assert "MED-14" not in read.rules()


# --- MED-15 annual work-environment discussion ---------------------------------------


def year_ends(org: Organisation, clock: ManualClock) -> None:
    """The calendar year ends: the ledger's time moves into the next one."""
    clock.now = datetime(clock.now.year + 1, 1, 10, 9, 0, tzinfo=UTC)
    org.person("nyansat", "Nyansat medarbejder")


def test_med15_hovedmed_with_an_amr_and_no_annual_discussion_in_the_year(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    Story.consulted(org, clock, "stoej").meeting()
    assert "MED-15" not in read.rules(), "not due before the year ends"
    year_ends(org, clock)

    (finding,) = [f for f in read.findings(lang="en").findings if f.rule == "MED-15"]
    assert (finding.matter, finding.body, finding.severity) == ("", "hmed", "medium")
    assert finding.due_at == "2027-01-01T00:00:00.000000Z"
    assert "HovedMED had work-environment representative(s) (amr) in 2026" in finding.explanation
    assert "§ 6 d" in finding.explanation
    assert [e.seq for e in finding.evidence] != []
    assert read.findings(body="lmed").findings == [], "the LokalMED has no AMR"


def test_med15_stays_quiet_when_the_annual_discussion_was_held(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.consulted(org, clock, "arbejdsmiljoe", category="work_environment")
    story.act(
        "sekretaer",
        ev.MeetingHeld(
            body="hmed",
            date=clock.date(),
            agenda_item="Årlig arbejdsmiljødrøftelse",
            present=["direktor", "tr", "amr"],
            annual_work_environment_discussion=True,
        ),
    )
    year_ends(org, clock)
    assert "MED-15" not in read.rules()


def test_med15_is_the_same_live_rebuilt_and_replayed(
    org: Organisation, clock: ManualClock, read: ReadModels, projector: Projector
) -> None:
    Story.consulted(org, clock, "stoej")
    year_ends(org, clock)
    live = read.findings()
    assert read.findings(read.as_of(read.size())) == live
    projector.rebuild(origin=org.origin)
    assert read.findings() == live
    assert "MED-15" in [f.rule for f in live.findings]


def test_med15_can_be_switched_off_for_a_body(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    org.client("admin").append(
        REGISTRY_STREAM, ev.BodyRulesSet(body="hmed", rulebook={"med-15.enabled": 0})
    )
    year_ends(org, clock)
    assert "MED-15" not in read.rules()


# --- MED-16 imported termination -----------------------------------------------------


def an_importing_municipality(
    service: LedgerService, projector: Projector, clock: ManualClock, unique: str
) -> tuple[Organisation, ReadModels]:
    org = Organisation(
        service, f"ledger.example/import{unique}", "Kommune", clock, import_mode=True
    )
    for person in ("direktor", "tr"):
        org.person(person, person)
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    org.appoint("hmed", "tr", "employees", "vice_chair", "tr")
    return org, ReadModels(projector, org.origin)


def test_med16_an_imported_termination_is_reported_for_its_unwitnessed_notice(
    service: LedgerService, projector: Projector, clock: ManualClock, unique: str
) -> None:
    org, read = an_importing_municipality(service, projector, clock, unique)
    register = register_with(org, clock, "seniorpolitik", "optional")
    ended = org.client("tr").append(
        register.stream,
        ev.GuidelineTerminated(
            guideline="seniorpolitik", body="hmed", effective_from="2026-05-01", reason="Ophørt."
        ),
        imported=True,
    )
    (finding,) = [f for f in read.findings(lang="en").findings if f.rule == "MED-16"]
    assert (finding.severity, finding.imported) == ("high", True)
    assert [e.seq for e in finding.evidence] == [ended["seq"]]
    assert "notice was given on 2026-01-05 (earliest end 2026-04-05, 3 months)" in (
        finding.explanation
    )


def test_med16_stays_quiet_for_a_termination_the_ledger_witnessed(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register = register_with(org, clock, "seniorpolitik", "optional")
    terminate_guideline(register, "seniorpolitik", "2026-05-01")
    assert "MED-16" not in read.rules()


# --- a worker that starts afresh -------------------------------------------------------


def test_a_fresh_worker_resumes_the_organisation_s_facts_from_the_log(
    org: Organisation, clock: ManualClock, store: Store
) -> None:
    """A worker that starts mid-log (a restart) reloads the guideline register and the AMR
    appointments with the log, so MED-14 and MED-15 come out as a rebuild gives them."""
    register_with(org, clock, "trivsel", "mandatory")
    Projector(store).catch_up_ledger(org.origin)
    touching(org, clock, "omlaegning", "trivsel").decide_after(21)
    year_ends(org, clock)

    restarted = Projector(store)
    restarted.catch_up_ledger(org.origin)
    resumed = dump(restarted, [org.origin])
    shown = ReadModels(restarted, org.origin).rules()
    assert {"MED-14", "MED-15"} <= set(shown)
    restarted.rebuild(origin=org.origin)
    assert dump(restarted, [org.origin]) == resumed


# --- boundaries -------------------------------------------------------------------------


def test_med14_judges_in_force_on_the_decision_s_own_day(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """A guideline taking effect on the decision's day binds it; one ending that day does not."""
    register = guideline_matter(Matter(org, "retningslinjer"), clock)
    decision_day = clock.date(days=21)
    make_guideline(register, "fra-i-dag", "procedure", effective_from=decision_day)
    make_guideline(register, "fra-i-morgen", "procedure", effective_from=clock.date(days=22))
    stories = {g: touching(org, clock, f"sag-{g}", g) for g in ("fra-i-dag", "fra-i-morgen")}
    clock.advance(days=21)
    for story in stories.values():
        story.decide()
    assert "MED-14" in read.rules("sag-fra-i-dag")
    assert "MED-14" not in read.rules("sag-fra-i-morgen")


def test_med14_an_optional_guideline_binds_until_the_day_its_termination_takes_effect(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    register = guideline_matter(Matter(org, "retningslinjer"), clock)
    for guideline in ("slutter-i-dag", "slutter-i-morgen"):
        make_guideline(register, guideline, "optional")
    terminate_guideline(register, "slutter-i-dag", "2026-05-01")
    terminate_guideline(register, "slutter-i-morgen", "2026-05-02")
    stories = {
        g: touching(org, clock, f"sag-{g}", g) for g in ("slutter-i-dag", "slutter-i-morgen")
    }
    clock.now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    for story in stories.values():
        story.decide()
    assert "MED-14" not in read.rules("sag-slutter-i-dag")
    assert "MED-14" in read.rules("sag-slutter-i-morgen")


def annual_discussion(story: Story, held: str) -> None:
    story.act(
        "sekretaer",
        ev.MeetingHeld(
            body="hmed",
            date=held,
            agenda_item="Årlig arbejdsmiljødrøftelse",
            present=["direktor", "tr", "amr"],
            annual_work_environment_discussion=True,
        ),
    )


def test_med15_counts_a_discussion_by_its_meeting_date_to_the_last_day_of_the_year(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.consulted(org, clock, "arbejdsmiljoe", category="work_environment")
    annual_discussion(story, "2026-12-31")
    year_ends(org, clock)
    assert "MED-15" not in read.rules()


def test_med15_a_discussion_dated_in_the_new_year_does_not_count_for_the_old_one(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = Story.consulted(org, clock, "arbejdsmiljoe", category="work_environment")
    year_ends(org, clock)
    annual_discussion(story, "2027-01-01")
    (finding,) = [f for f in read.findings().findings if f.rule == "MED-15"]
    assert "(amr) i 2026" in finding.explanation


def test_med15_falls_due_at_the_first_moment_of_the_next_year(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    Story.consulted(org, clock, "stoej")
    year_ends(org, clock)
    last_second = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert "MED-15" not in read.rules(now=last_second)
    assert "MED-15" in read.rules(now=datetime(2027, 1, 1, tzinfo=UTC))
