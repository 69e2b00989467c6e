"""MED-13 to MED-16 in memory: the level of a decision, guidelines in force, the annual
work-environment discussion and imported terminations (the store-based stories are in
``tests/projections/test_rulebook_register.py``)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from projections.facts.logged import Logged
from projections.rulebook.book import RULEBOOK
from projections.rulebook.organisation import OrganisationRule
from projections.rulebook.rule import Finding
from tests.projections.rulebook.memory import Ledger, Matter


@dataclass
class Organisation(Ledger):
    """A ledger in memory whose organisation facts (guidelines, AMR appointments, annual
    discussions) are folded as the projector folds them; ``importing`` marks the next
    events imported."""

    importing: bool = False

    def logged(self, stream: str, seq: int, type_: str, actor: str, payload: Any) -> Logged:
        event = dataclasses.replace(
            super().logged(stream, seq, type_, actor, payload), imported=self.importing
        )
        self.registry.organisation.apply(event)
        return event

    def findings(self, rule_id: str | None = None) -> list[Finding]:
        """Every finding (of ``rule_id``) in every matter, each with its evidence in the
        matter, its events cited alike in Danish and English and its ground last."""
        found = [
            f
            for matter in self.matters.values()
            for f in RULEBOOK.evaluate(matter.facts, self.registry)
            if rule_id is None or f.rule == rule_id
        ]
        for finding in found:
            facts = self.matters[finding.matter].facts
            assert all(facts.fact(e.seq) is e for e in finding.evidence), "evidence of the matter"
            assert finding.body in self.registry.bodies, finding.body
            cited_da = re.findall(r"#([0-9]+)", finding.explanation_da)
            assert cited_da == re.findall(r"#([0-9]+)", finding.explanation_en)
            assert finding.explanation_da.endswith(f". Grundlag: {finding.ground}.")
            assert finding.explanation_en.endswith(f". Ground: {finding.ground}.")
        return found

    def organisation_findings(self) -> list[Finding]:
        rule = RULEBOOK["MED-15"]
        assert isinstance(rule, OrganisationRule)
        return rule.organisation_findings(self.registry, self.now)


def organisation(hmed_rulebook: dict[str, int] | None = None) -> Organisation:
    """HovedMED ``hmed`` (``direktor`` management, ``tr`` employees, ``amr`` its AMR),
    LokalMED ``lmed`` below it (``leder``), the political committee ``udvalg``."""
    ledger = Organisation()
    ledger.body("hmed", "hovedmed", rulebook=hmed_rulebook)
    ledger.body("lmed", "lokalmed", parent="hmed")
    ledger.body("udvalg", "political_committee")
    ledger.appoint("hmed", "direktor", "management", "chair")
    ledger.appoint("hmed", "tr", "employees", "vice_chair", "tr")
    ledger.appoint("hmed", "amr", "employees", "amr")
    ledger.appoint("lmed", "leder", "management", "chair")
    return ledger


def evidence(finding: Finding) -> list[tuple[str, int]]:
    return [(e.stream, e.seq) for e in finding.evidence]


# --- MED-13 wrong level ----------------------------------------------------------------


def test_med13_a_lokalmed_matter_decided_by_the_director_above_it() -> None:
    ledger = organisation()
    matter = ledger.matter(responsible_body="lmed")
    decision = matter.decide()
    [found] = ledger.findings("MED-13")
    assert (found.key, found.body, found.matter) == (f"act-{decision.seq}", "lmed", "sag")
    assert evidence(found) == [("matter/sag", 1), ("matter/sag", decision.seq)]
    assert found.due == decision.moment
    assert found.explanation_en.startswith(
        f"direktor made decision #{decision.seq} without sitting on the management side "
        "of LMED or of a body below it; the decision maker sat in HMED (management). A matter"
    )
    assert "the decision maker sat in HMED (management)" in found.explanation_en
    assert "beslutningstageren sad i HMED (management)" in found.explanation_da
    assert "traf beslutningen" in found.explanation_da
    assert f"#{decision.seq}" in found.explanation_da
    assert "of LMED or of a body below" in found.explanation_en


def test_med13_stays_quiet_in_the_body_itself_and_below_the_decision_maker_s_seat() -> None:
    ledger = organisation()
    ledger.matter("i-hmed").decide()
    ledger.matter("under", responsible_body="hmed", decision_maker="leder").decide()
    ledger.matter("lokal", responsible_body="lmed", decision_maker="leder").decide()
    ledger.matter("aaben")
    assert ledger.findings("MED-13") == []


def test_med13_an_employee_side_seat_in_the_responsible_body_is_not_the_management_side() -> None:
    ledger = organisation()
    matter = ledger.matter(decision_maker="tr")
    decision = matter.decide()
    [found] = ledger.findings("MED-13")
    assert (found.key, found.body) == (f"act-{decision.seq}", "hmed")
    assert "the decision maker sat in HMED (employees)" in found.explanation_en
    assert found.explanation_en.startswith("tr made decision")


def test_med13_a_decision_maker_outside_every_body_is_cited_with_no_seat() -> None:
    ledger = organisation()
    matter = ledger.matter(decision_maker="ekstern")
    decision = matter.decide()
    [found] = ledger.findings("MED-13")
    assert found.key == f"act-{decision.seq}"
    assert "below it. A matter" in found.explanation_en
    assert "sat in" not in found.explanation_en
    assert "under det. Sagen" in found.explanation_da


def test_med13_the_first_act_is_judged_and_a_referral_says_so() -> None:
    ledger = organisation()
    matter = ledger.matter(responsible_body="lmed")
    ledger.advance(days=1)
    referral = matter.refer()
    ledger.advance(days=1)
    matter.decide()
    [found] = ledger.findings("MED-13")
    assert found.key == f"act-{referral.seq}"
    assert evidence(found) == [("matter/sag", 1), ("matter/sag", referral.seq)]
    assert found.due == referral.moment
    assert "referred the matter to politics" in found.explanation_en
    assert "sendte sagen til politisk behandling" in found.explanation_da


def test_med13_seats_are_read_at_the_act() -> None:
    ledger = organisation()
    ledger.appoint("lmed", "chef", "management")
    matter = ledger.matter(responsible_body="lmed", decision_maker="chef")
    ledger.leave("lmed", "chef")
    matter.decide()
    ledger.appoint("lmed", "chef", "management")
    ledger.appoint("lmed", "direktor", "management")
    assert [f.key for f in ledger.findings("MED-13")] == ["act-2"]


def test_med13_the_body_chain_is_read_at_the_act() -> None:
    ledger = organisation()
    matter = ledger.matter(responsible_body="hmed", decision_maker="ny")
    ledger.appoint("ny", "ny", "management")  # a seat in a body not (yet) in the registry
    matter.decide()
    [found] = ledger.findings("MED-13")
    assert "the decision maker sat in ny (management)" in found.explanation_en


def test_med13_can_be_switched_off_in_the_body_s_local_rules_as_of_the_act() -> None:
    ledger = organisation()
    ledger.rules_set("lmed", {"med-13.enabled": 0})
    ledger.matter("stille", responsible_body="lmed").decide()
    assert ledger.findings("MED-13") == []
    ledger.rules_set("lmed", {"med-13.enabled": 1})
    ledger.matter("igen", responsible_body="lmed").decide()
    ledger.rules_set("lmed", {"med-13.enabled": 0})
    assert [f.matter for f in ledger.findings("MED-13")] == ["igen"]


# --- MED-14 decision against a guideline in force --------------------------------------


def make_guideline(
    ledger: Organisation, guideline: str = "trivsel", kind: str = "mandatory", **more: Any
) -> Matter:
    register = ledger.matter(f"retningslinje-{guideline}", title="Retningslinje")
    register.agree(guideline=True, guideline_id=guideline, guideline_type=kind, **more)
    return register


def test_med14_a_matter_touching_a_guideline_in_force_decided_without_agreement() -> None:
    ledger = organisation()
    made = make_guideline(ledger).facts.events[-1]
    ledger.advance(days=1)
    matter = ledger.matter("sag", touches_guidelines=["trivsel"])
    decision = matter.decide()
    [found] = [f for f in ledger.findings("MED-14") if f.matter == "sag"]
    assert (found.key, found.body) == (f"decision-{decision.seq}-trivsel", "hmed")
    assert evidence(found) == [("matter/sag", 1), ("matter/sag", decision.seq)]
    assert found.due == decision.moment
    assert found.explanation_en.startswith(
        "The matter touches guideline trivsel (mandatory, agreed in HMED, matter "
        f"retningslinje-trivsel #{made.seq}), in force on {decision.day}, but decision "
        f"#{decision.seq} was made"
    )
    assert (
        f"retningslinjen trivsel (mandatory, aftalt i HMED, sag retningslinje-trivsel "
        f"#{made.seq}), som var gældende {decision.day}"
    ) in found.explanation_da


def test_med14_every_decision_and_every_touched_guideline_is_judged() -> None:
    ledger = organisation()
    make_guideline(ledger, "trivsel")
    make_guideline(ledger, "sygefravaer", "procedure")
    matter = ledger.matter("sag", touches_guidelines=["ukendt", "trivsel", "sygefravaer"])
    first = matter.decide()
    second = matter.decide()
    keys = [f.key for f in ledger.findings("MED-14") if f.matter == "sag"]
    assert keys == sorted(
        f"decision-{d.seq}-{g}" for d in (first, second) for g in ("trivsel", "sygefravaer")
    )


def test_med14_stays_quiet_with_an_agreement_before_the_decision_only() -> None:
    ledger = organisation()
    make_guideline(ledger)
    matter = ledger.matter("sag", touches_guidelines=["trivsel"])
    before = matter.decide()
    matter.agree()
    matter.decide()
    keys = [f.key for f in ledger.findings("MED-14") if f.matter == "sag"]
    assert keys == [f"decision-{before.seq}-trivsel"]
    assert ledger.matter("urort").facts.opened.touches_guidelines == []
    ledger.matters["urort"].decide()
    assert [f.matter for f in ledger.findings("MED-14")] == ["sag"]


def test_med14_an_amendment_after_the_matter_opened_lifts_it_but_not_one_before() -> None:
    ledger = organisation()
    register = make_guideline(ledger)
    old = ledger.matter("gammel", touches_guidelines=["trivsel"])
    register.amend("trivsel", "Ny.", "Ændret.")
    new = ledger.matter("ny", touches_guidelines=["trivsel"])
    old.decide()
    decided = new.decide()
    assert [(f.matter, f.key) for f in ledger.findings("MED-14")] == [
        ("ny", f"decision-{decided.seq}-trivsel")
    ]


def test_med14_an_amended_guideline_does_not_hide_the_next_one_the_matter_touches() -> None:
    ledger = organisation()
    register = make_guideline(ledger, "aendret")
    make_guideline(ledger, "trivsel")
    matter = ledger.matter("sag", touches_guidelines=["aendret", "trivsel"])
    register.amend("aendret", "Ny.", "Ændret.")
    decided = matter.decide()
    assert [(f.matter, f.key) for f in ledger.findings("MED-14")] == [
        ("sag", f"decision-{decided.seq}-trivsel")
    ]


def test_med14_the_guideline_is_read_as_of_the_decision_and_on_its_day() -> None:
    ledger = organisation()
    early = ledger.matter("for-tidligt", touches_guidelines=["trivsel"])
    early.decide()  # before the guideline was made
    make_guideline(ledger, effective_from=ledger.date(10))
    pending = ledger.matter("ikke-endnu", touches_guidelines=["trivsel"])
    pending.decide()
    ledger.advance(days=10)
    on_the_day = ledger.matter("fra-i-dag", touches_guidelines=["trivsel"])
    decided = on_the_day.decide()
    assert [(f.matter, f.key) for f in ledger.findings("MED-14")] == [
        ("fra-i-dag", f"decision-{decided.seq}-trivsel")
    ]


def test_med14_an_optional_guideline_binds_until_its_termination_takes_effect() -> None:
    ledger = organisation()
    register = make_guideline(ledger, "kantine", "optional")
    register.terminate_guideline("kantine", ledger.date(1))
    today = ledger.matter("i-dag", touches_guidelines=["kantine"])
    decided = today.decide()
    ledger.advance(days=1)
    ledger.matter("i-morgen", touches_guidelines=["kantine"]).decide()
    assert [(f.matter, f.key) for f in ledger.findings("MED-14")] == [
        ("i-dag", f"decision-{decided.seq}-kantine")
    ]


def test_med14_can_be_switched_off_as_of_each_decision() -> None:
    ledger = organisation()
    make_guideline(ledger)
    matter = ledger.matter("sag", touches_guidelines=["trivsel"])
    ledger.rules_set("hmed", {"med-14.enabled": 0})
    matter.decide()
    ledger.rules_set("hmed", {"med-14.enabled": 1})
    second = matter.decide()
    assert [f.key for f in ledger.findings("MED-14")] == [f"decision-{second.seq}-trivsel"]


# --- MED-15 annual work-environment discussion -----------------------------------------


def test_med15_a_body_with_an_amr_and_no_annual_discussion_in_a_year() -> None:
    ledger = organisation()
    ledger.now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    found, later = ledger.organisation_findings()
    assert (later.key, later.due) == ("hmed-2027", datetime(2028, 1, 1, tzinfo=UTC))
    amr = ledger.registry.organisation.amr_appointments["hmed"][0]
    assert (found.rule, found.key, found.body, found.matter) == ("MED-15", "hmed-2026", "hmed", "")
    assert (found.severity, found.ground) == (
        "medium",
        "Arbejdsmiljøloven § 6 d; BEK nr. 1838 af 2023 kap. 2",
    )
    assert found.due == datetime(2027, 1, 1, tzinfo=UTC)
    assert [(e.stream, e.seq) for e in found.evidence] == [("registry", amr.seq)]
    assert found.explanation_en == (
        "HMED had work-environment representative(s) (amr) in 2026 but held no annual "
        "work-environment discussion that year (Working Environment Act § 6 d; Executive "
        "Order no. 1838 of 2023, chapter 2)."
    )
    assert found.explanation_da.startswith("HMED havde arbejdsmiljørepræsentant(er) (amr) i 2026")


def annual_discussion(matter: Matter, body: str, day: str, present: str) -> None:
    """``body`` meets on ``day`` (only ``present`` there, no minutes) for the annual
    work-environment discussion."""
    matter.act(
        "sekretaer",
        "MeetingHeld",
        body=body,
        date=day,
        agenda_item="AMD",
        present=[present],
        absent=[],
        minutes_sha256=None,
        annual_work_environment_discussion=True,
    )


def test_med15_nothing_before_any_event_is_folded() -> None:
    ledger = organisation()
    rule = RULEBOOK["MED-15"]
    assert isinstance(rule, OrganisationRule)
    assert rule.organisation_findings(ledger.registry, None) == []
    assert [f.key for f in rule.organisation_findings(ledger.registry, ledger.now)] == ["hmed-2026"]


def test_med15_each_year_of_each_body_with_an_amr_and_the_annual_discussion_clears_one() -> None:
    ledger = organisation()
    ledger.appoint("lmed", "amr-lokal", "employees", "amr")
    ledger.appoint("lmed", "amr-to", "employees", "amr", "tr")
    matter = ledger.matter()
    matter.meeting("hmed", held=datetime(2026, 12, 31, tzinfo=UTC).date())
    annual_discussion(matter, "lmed", "2027-06-01", "leder")
    ledger.now = datetime(2028, 2, 1, tzinfo=UTC)
    found = ledger.organisation_findings()
    assert [(f.key, f.body, f.due) for f in found] == [
        ("hmed-2026", "hmed", datetime(2027, 1, 1, tzinfo=UTC)),
        ("hmed-2027", "hmed", datetime(2028, 1, 1, tzinfo=UTC)),
        ("hmed-2028", "hmed", datetime(2029, 1, 1, tzinfo=UTC)),
        ("lmed-2026", "lmed", datetime(2027, 1, 1, tzinfo=UTC)),
        ("lmed-2028", "lmed", datetime(2029, 1, 1, tzinfo=UTC)),
    ]
    lmed = found[3]
    assert "(amr-lokal, amr-to) in 2026" in lmed.explanation_en
    assert len(lmed.evidence) == 2
    assert [e.leaf for e in lmed.evidence] == sorted(e.leaf for e in lmed.evidence)


def test_med15_the_annual_discussion_counts_in_its_own_body_and_year() -> None:
    ledger = organisation()
    matter = ledger.matter()
    annual_discussion(matter, "hmed", "2026-12-31", "direktor")
    ledger.appoint("lmed", "amr-lokal", "employees", "amr")
    ledger.now = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert [f.key for f in ledger.organisation_findings()] == ["lmed-2026"]


def test_med15_a_tenure_s_years_run_from_its_start_to_its_end() -> None:
    ledger = organisation()
    matter = ledger.matter()
    for year in (2025, 2026, 2027):
        annual_discussion(matter, "hmed", f"{year}-06-01", "direktor")
    ledger.record(
        "MemberAppointed",
        body="lmed",
        person="amr-l",
        side="employees",
        roles=["amr"],
        from_date="2024-05-01",
    )
    ledger.record("MemberLeft", body="lmed", person="amr-l", until="2025-02-01")
    ledger.now = datetime(2027, 1, 5, tzinfo=UTC)
    ledger.appoint("lmed", "amr-ny", "employees", "amr")
    ledger.leave("lmed", "amr-ny")
    found = ledger.organisation_findings()
    assert [f.key for f in found] == ["lmed-2024", "lmed-2025", "lmed-2027"]
    assert "(amr-l) in 2024" in found[0].explanation_en
    assert "(amr-ny) in 2027" in found[2].explanation_en
    ledger.now = datetime(2026, 1, 5, tzinfo=UTC)
    assert [f.key for f in ledger.organisation_findings()] == ["lmed-2024", "lmed-2025"]


def test_med15_can_be_switched_off_for_a_body() -> None:
    ledger = organisation(hmed_rulebook={"med-15.enabled": 0})
    ledger.appoint("lmed", "amr-lokal", "employees", "amr")
    assert [f.key for f in ledger.organisation_findings()] == ["lmed-2026"]


# --- MED-16 imported termination -------------------------------------------------------


def terminate(ledger: Organisation, imported: bool) -> Logged:
    register = make_guideline(ledger, "kantine", "optional")
    ledger.advance(days=5)
    ledger.importing = imported
    ended = register.terminate_guideline("kantine", "2026-07-01", body="lmed")
    ledger.importing = False
    return ended


def test_med16_an_imported_termination_is_reported_for_its_unwitnessed_notice() -> None:
    ledger = organisation(hmed_rulebook={"med-16.notice_months": 2})
    ended = terminate(ledger, imported=True)
    [found] = ledger.findings("MED-16")
    assert (found.key, found.body, found.matter) == (
        f"termination-{ended.seq}",
        "lmed",
        "retningslinje-kantine",
    )
    assert evidence(found) == [("matter/retningslinje-kantine", ended.seq)]
    assert found.due == ended.moment
    assert found.explanation_en.startswith(
        f"Termination #{ended.seq} of guideline kantine was imported: "
        "that notice was given on 2026-03-07 (earliest end 2026-06-07, 3 months) is the "
        "importer's word, not something the ledger witnessed; it ends 2026-07-01."
    )
    assert (
        "givet 2026-03-07 (tidligst ophør 2026-06-07, 3 måneder) er importens oplysning, "
        "ikke noget ledgeren har bevidnet; ophør 2026-07-01."
    ) in found.explanation_da


def test_med16_notice_months_are_the_termination_body_s_own() -> None:
    ledger = organisation()
    ledger.rules_set("lmed", {"med-16.notice_months": 4})
    terminate(ledger, imported=True)
    [found] = ledger.findings("MED-16")
    assert "(earliest end 2026-07-07, 4 months)" in found.explanation_en


def test_med16_stays_quiet_for_a_witnessed_termination_or_when_switched_off() -> None:
    ledger = organisation()
    terminate(ledger, imported=False)
    assert ledger.findings("MED-16") == []
    off = organisation()
    off.rules_set("lmed", {"med-16.enabled": 0})
    terminate(off, imported=True)
    assert off.findings("MED-16") == []


def test_med16_a_witnessed_termination_does_not_hide_an_imported_one_after_it() -> None:
    ledger = organisation()
    make_guideline(ledger, "frugt", "optional")
    register = make_guideline(ledger, "kantine", "optional")
    register.terminate_guideline("frugt", "2026-07-01")
    ledger.importing = True
    ended = register.terminate_guideline("kantine", "2026-07-01")
    assert [f.key for f in ledger.findings("MED-16")] == [f"termination-{ended.seq}"]


def test_med13_to_med16_are_registered_with_their_ground_severity_and_titles() -> None:
    found = {
        r.id: (r.ground, r.severity, r.title_da, r.title_en, r.parameters)
        for r in RULEBOOK
        if r.id >= "MED-13"
    }
    assert found == {
        "MED-13": ("Rammeaftalen § 5, § 7", "medium", "Forkert niveau", "Wrong level", {}),
        "MED-14": (
            "Rammeaftalen § 8",
            "high",
            "Beslutning mod gældende retningslinje",
            "Decision against a guideline in force",
            {},
        ),
        "MED-15": (
            "Arbejdsmiljøloven § 6 d; BEK nr. 1838 af 2023 kap. 2",
            "medium",
            "Ingen årlig arbejdsmiljødrøftelse",
            "No annual work-environment discussion",
            {},
        ),
        "MED-16": (
            "Rammeaftalen § 8",
            "high",
            "Opsigelse af retningslinje uden bevidnet varsel",
            "Guideline terminated without witnessed notice",
            {},
        ),
    }
    assert [r.id for r in RULEBOOK if isinstance(r, OrganisationRule)] == ["MED-15"]
    ledger = organisation()
    ledger.matter().decide()
    assert RULEBOOK["MED-15"].findings(ledger.matters["sag"].facts, ledger.registry) == []
