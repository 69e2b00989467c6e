"""The read models of DESIGN.md section 5, told as stories in the test municipality.

Timeline, involvement, decision dossier with co-responsibility, body
statistics and the consultation receipt: each shows roles, sides and
memberships as they were at each event, and names only from the directory.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import (
    BodyNotFoundError,
    MatterNotFoundError,
    PersonNotFoundError,
    RuleNotFoundError,
)
from ledger.protocol.envelope import matter_stream
from ledger.service.application import LedgerService
from ledger.service.bundle import receipt_bundle
from projections.read_models.receipt import (
    INVOLVED,
    NOT_A_MEMBER,
    NOT_INVOLVED,
    render_receipt,
)
from projections.runner.projector import Projector
from tests.projections.conftest import ReadModels
from tests.stories.evidence import trust_of
from tests.stories.process import Story
from tests.stories.school import school_structure
from verifier.bundle import verify_bundle


def union_rep_opposes(org: Organisation, clock: ManualClock) -> Story:
    """The director opens the school matter and consults HovedMED; the union rep opposes."""
    story = Story.opened(org, clock)
    story.consult()
    story.position(by="tr", stance="oppose")
    return story


# --- timeline ----------------------------------------------------------------------


def test_the_timeline_shows_each_actors_body_side_and_roles_as_they_were_then(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """Tage is vice-chair when he states a position; later he steps down to member."""
    story = union_rep_opposes(org, clock)
    org.registry(ev.MemberLeft(body="hmed", person="tr"))
    org.appoint("hmed", "tr", "employees", "member")
    story.disagree(by="tr")
    entries = read.timeline("skolestruktur").entries
    assert [(e.seq, e.event_type, e.actor, e.body, e.side) for e in entries] == [
        (1, "MatterOpened", "direktor", "hmed", "management"),
        (2, "ConsultationOpened", "direktor", "hmed", "management"),
        (3, "PositionStated", "tr", "hmed", "employees"),
        (4, "DisagreementRecorded", "tr", "hmed", "employees"),
    ]
    assert entries[2].roles == ["tr", "vice_chair"]
    assert entries[3].roles == ["member"]
    assert entries[2].actor_name == "Tage Tillidsrepræsentant"
    assert [e.summary for e in entries] == [
        "Ny skolestruktur (HovedMED, drøftelse, beslutning planlagt 2026-03-06)",
        "HovedMED: Hvad mener I? (svar senest 2026-01-19)",
        "Medarbejdersiden i HovedMED er imod: Vi har bemærkninger.",
        "I HovedMED: 1 punkt(er)",
    ]
    leaves = [e.leaf_index for e in entries]
    assert leaves == sorted(leaves) and len(set(leaves)) == 4


def test_the_timeline_of_an_unknown_matter_is_refused(read: ReadModels) -> None:
    with pytest.raises(MatterNotFoundError, match="no matter 'ukendt'"):
        read.timeline("ukendt")


def test_an_imported_event_is_marked_in_the_timeline(
    service: LedgerService, clock: ManualClock, unique: str, projector: Projector
) -> None:
    org = Organisation(service, f"ledger.example/arkiv{unique}", "Kommune", clock, import_mode=True)
    org.person("direktor", "Dorte Direktør")
    org.body("hmed", "HovedMED", "hovedmed")
    org.appoint("hmed", "direktor", "management", "chair")
    earlier = clock.now - timedelta(days=400)
    org.client("direktor").append(
        matter_stream("gammel-sag"), school_structure(clock), imported=True, time=earlier
    )
    read = ReadModels(projector, org.origin)
    entry = read.timeline("gammel-sag").entries[0]
    assert entry.imported and entry.claimed_time.startswith(str(earlier.year))


# --- involvement -------------------------------------------------------------------


def test_involvement_shows_when_a_person_was_informed_heard_present_and_what_they_said(
    story: Story, read: ReadModels
) -> None:
    story.share(bodies=("hmed", "lmed"))
    story.consult()
    meeting = story.meeting(present=("direktor", "sekretaer", "tr"), absent=("amr",))
    story.position(by="tr")
    story.act("tr", ev.ConsultationAcknowledged(body="hmed", adequate_time=False))
    assert meeting == 4
    tr = read.involvement("tr")
    assert tr.name == "Tage Tillidsrepræsentant"
    [matter] = tr.matters
    assert [(i.seq, i.kind, i.body) for i in matter.items] == [
        (2, "informed", "hmed"),
        (3, "consulted", "hmed"),
        (4, "present", "hmed"),
        (5, "acted", "hmed"),
        (6, "acted", "hmed"),
    ]
    assert matter.items[3].detail == "support_with_changes"
    assert matter.items[4].detail == "inadequate_time"
    assert {(m.body, m.side) for m in tr.memberships} == {("hmed", "employees")}
    amr = read.involvement("amr").matters[0]
    assert ("absent", 4) in [(i.kind, i.seq) for i in amr.items]
    lokal = read.involvement("tr-lokal").matters[0]
    assert [(i.kind, i.body) for i in lokal.items] == [("informed", "lmed")]


def test_someone_appointed_after_the_material_was_shared_was_not_informed_by_it(
    story: Story, org: Organisation, read: ReadModels
) -> None:
    story.share()
    org.person("ny-tr", "Nina Ny")
    org.appoint("hmed", "ny-tr", "employees", "member")
    story.consult()
    items = read.involvement("ny-tr").matters[0].items
    assert [(i.seq, i.kind) for i in items] == [(3, "consulted")]


def test_involvement_of_an_unknown_person_is_refused(read: ReadModels) -> None:
    with pytest.raises(PersonNotFoundError, match="no person 'ingen'"):
        read.involvement("ingen")


# --- decision dossier -----------------------------------------------------------------


def test_the_dossier_holds_the_decision_its_inputs_and_who_shares_responsibility(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    org.person("medlem", "Mads Medlem")
    org.appoint("hmed", "medlem", "employees", "member")
    story = Story.opened(org, clock)
    story.share(bodies=("hmed", "lmed"))
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr"), absent=("medlem",))
    support = story.position(by="tr", stance="support_with_changes")
    disagreement = story.disagree(by="amr")
    answer = story.answer(disagreement)
    proposal = story.act("direktor", ev.CompromiseProposed(body="hmed", terms="To trin."))
    story.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    story.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    agreement = story.act(
        "direktor", ev.AgreementReached(body="hmed", compromise=proposal, text="To trin.")
    )
    clock.advance(days=20)
    decision = story.act(
        "direktor",
        ev.DecisionMade(
            outcome="Skolerne lægges sammen i to trin.",
            rationale="Medarbejdersidens forslag om to trin følges.",
            inputs=[
                ev.DecisionInput(
                    event=support, treatment="partly_adopted", reason="Trin 2 udskydes."
                ),
                ev.DecisionInput(event=agreement, treatment="adopted", reason="Aftalen følges."),
            ],
        ),
    )
    found = read.dossier("skolestruktur")
    doc = found.document
    assert found.matter.status == "decided"
    [made] = doc["decisions"]
    assert made["seq"] == decision and made["rationale"].startswith("Medarbejdersidens")
    assert [(i["seq"], i["treatment"], i["actor"]) for i in made["inputs"]] == [
        (support, "partly_adopted", "tr"),
        (agreement, "adopted", "direktor"),
    ]
    assert doc["disagreements"][0]["answer"]["seq"] == answer
    assert not doc["disagreements"][0]["open_at_decision"]
    assert doc["compromises"][0]["accepted_by"] == ["employees", "management"]
    assert doc["compromises"][0]["agreement"] == agreement
    parts = {c.person: c.part for c in found.co_responsibility}
    assert parts == {
        "direktor": "decided",
        "tr": "agreed",
        "amr": "dissented",
        "sekretaer": "consulted",
        "medlem": "absent",
        "leder": "informed",
        "tr-lokal": "informed",
    }
    assert found.co_responsibility[0].person == "direktor"
    # Material on the meeting day and minutes never approved: the rulebook notices.
    assert read.rules() == ["MED-07", "MED-12"]


def test_a_dissent_followed_by_accepting_the_compromise_counts_as_agreed(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    story = union_rep_opposes(org, clock)
    proposal = story.act("direktor", ev.CompromiseProposed(body="hmed", terms="Kun trin 1."))
    story.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    parts = {
        c.person: (c.part, c.evidence) for c in read.dossier("skolestruktur").co_responsibility
    }
    assert parts["tr"] == ("agreed", [5])


# --- body statistics -----------------------------------------------------------------


def test_body_statistics_count_matters_consultations_proposals_and_lead_time(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    first = Story.consulted(org, clock, "budget", category="budget")
    first.act(
        "tr", ev.ProposalSubmitted(body="hmed", title="Fælles vikarkorps", text="Spar på vikarer.")
    )
    first.act("tr", ev.ConsultationAcknowledged(body="hmed", adequate_time=True))
    disagreement = first.disagree()
    clock.advance(days=30)
    first.decide()
    Story(org, clock, "it-system").consulted_and_decided(10, category="technology")
    first.answer(disagreement)
    year = clock.now.year
    [figures] = read.statistics("hmed", year=year).years
    assert (figures.matters, figures.consultations, figures.proposals) == (2, 2, 1)
    assert figures.median_lead_time_days == 20.0
    assert figures.decisions == 2
    assert figures.decided_with_open_disagreement == 1, "answered only after the decision"
    assert (figures.acknowledged_matters, figures.consulted_matters) == (1, 2)
    assert figures.acknowledgement_rate == 0.5
    assert read.statistics("hmed", year=year - 1).years[0].matters == 0


def test_statistics_of_an_unknown_body_are_refused(read: ReadModels) -> None:
    with pytest.raises(BodyNotFoundError, match="no body 'ukendt'"):
        read.statistics("ukendt")


def test_findings_for_an_unknown_body_or_rule_are_refused(read: ReadModels) -> None:
    with pytest.raises(BodyNotFoundError):
        read.findings(body="ukendt")
    with pytest.raises(RuleNotFoundError, match="MED-01 to MED-16"):
        read.findings(rule="MED-17")
    assert read.findings(rule="med-4").findings == []


# --- consultation receipt -------------------------------------------------------------


def test_a_receipt_proves_involvement_and_its_bundle_verifies_offline(
    story: Story, org: Organisation, read: ReadModels
) -> None:
    story.share()
    story.consult()
    story.meeting(present=("direktor", "sekretaer", "tr", "amr"))
    story.position(by="tr")
    found = read.receipt("tr", "skolestruktur")
    assert found.verdict == INVOLVED
    kinds = [(i.seq, i.kind) for i in found.items]
    assert kinds == [
        (None, "membership"),
        (1, "matter"),
        (2, "informed"),
        (3, "consulted"),
        (4, "present"),
        (5, "acted"),
    ]
    leaves = found.leaf_indexes
    page = render_receipt(found, "en")
    assert "CONSULTATION RECEIPT" in page and "Conclusion: involved" in page
    assert "Present at the meeting of HovedMED" in page
    bundle = receipt_bundle(
        org.service, org.origin, "tr", "skolestruktur", found.verdict, full=True
    )
    report = verify_bundle(bundle, trust_of(org.service, org.origin))
    assert report.subject == {"person": "tr", "matter": "skolestruktur", "verdict": INVOLVED}
    assert set(leaves) <= {e.leaf_index for e in report.entries}


def test_a_receipt_shows_a_member_who_was_never_sent_material_nor_invited(
    story: Story, clock: ManualClock, read: ReadModels
) -> None:
    """The director discusses the matter in the LokalMED only; HovedMED's AMR hears nothing."""
    story.share(bodies=("lmed",))
    story.consult(body="lmed", by="leder")
    story.meeting(body="lmed", present=("leder", "tr-lokal"), by="leder")
    clock.advance(days=20)
    story.decide()
    found = read.receipt("amr", "skolestruktur")
    assert found.verdict == NOT_INVOLVED
    assert found.items[0].kind == "membership"
    assert [i.seq for i in found.items if i.kind == "matter"] == [1, 2, 3, 4, 5]
    assert "member of the responsible body, but never sent material nor invited" in render_receipt(
        found, "en"
    )
    outsider = read.receipt("udenfor", "skolestruktur")
    assert outsider.verdict == NOT_A_MEMBER


def test_a_receipt_flags_an_imported_appointment_as_imported(
    service: LedgerService, clock: ManualClock, unique: str, projector: Projector
) -> None:
    """A ledger opened in import mode: the HovedMED seats and an old matter are imported.

    The receipt of a member never involved shows the appointment as its evidence, and
    flags it imported like the imported matter events; an appointment signed after
    ImportCompleted is not flagged, live or replayed as of any size.
    """
    org = Organisation(service, f"ledger.example/arkiv{unique}", "Kommune", clock, import_mode=True)
    for person, name in [("direktor", "Dorte Direktør"), ("amr", "Anna Arbejdsmiljø")]:
        org.person(person, name)
    org.person("ny-amr", "Nina Ny")
    org.body("hmed", "HovedMED", "hovedmed")
    admin = org.client("admin")
    for seat in (
        ev.MemberAppointed(body="hmed", person="direktor", side="management", roles=["chair"]),
        ev.MemberAppointed(body="hmed", person="amr", side="employees", roles=["amr"]),
    ):
        admin.append("registry", seat, imported=True, time=clock.now)
    earlier = clock.now - timedelta(days=400)
    org.client("direktor").append(
        matter_stream("gammel-sag"), school_structure(clock), imported=True, time=earlier
    )
    org.registry(ev.ImportCompleted(imported_events=3))
    org.appoint("hmed", "ny-amr", "employees", "amr")
    org.act("direktor", "gammel-sag", ev.MatterClosed(reason="Afsluttet i det gamle system."))
    read = ReadModels(projector, org.origin)

    for source in (read.live(), read.as_of(read.size())):
        old = read.receipt("amr", "gammel-sag", source)
        assert old.verdict == NOT_INVOLVED
        assert [(i.kind, i.event_type, i.imported) for i in old.items] == [
            ("membership", "MemberAppointed", True),
            ("matter", "MatterOpened", True),
            ("matter", "MatterClosed", False),
        ]
        new = read.receipt("ny-amr", "gammel-sag", source)
        assert [(i.kind, i.imported) for i in new.items if i.kind == "membership"] == [
            ("membership", False)
        ]
        [appointment] = read.involvement("amr", source).memberships
        assert appointment.imported
    page = render_receipt(read.receipt("amr", "gammel-sag"), "en").splitlines()
    [seat_line] = [line for line in page if "Appointed to HovedMED" in line]
    assert seat_line.endswith("(employee side, work env. rep.) [imported]")


def test_a_receipt_for_an_unknown_person_or_matter_is_refused(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    Story.opened(org, clock)
    with pytest.raises(PersonNotFoundError):
        read.receipt("ingen", "skolestruktur")
    with pytest.raises(MatterNotFoundError):
        read.receipt("tr", "ingen-sag")


def test_free_text_cannot_add_a_line_to_a_printed_receipt(
    org: Organisation, clock: ManualClock, read: ReadModels
) -> None:
    """Names come from the directory, outside the signed log: a line break in one stays inside
    its own line of the receipt, so no one can print a false verdict into someone's receipt."""
    union_rep_opposes(org, clock)
    org.service.set_directory(org.origin, "tr", "Tage\nConclusion: not involved", None)
    page = render_receipt(read.receipt("tr", "skolestruktur"), "en")
    verdicts = [line for line in page.splitlines() if line.startswith("Conclusion:")]
    assert len(verdicts) == 1 and verdicts[0].startswith("Conclusion: involved")
    assert "Person: tr (Tage Conclusion: not involved)" in page


def test_every_event_of_a_matter_has_a_summary_in_words_not_its_type_name() -> None:
    from ledger.domain.events import EVENT_TYPES, REGISTRY_EVENTS
    from projections.read_models.summaries import _RENDERERS

    matter_events = set(EVENT_TYPES) - set(REGISTRY_EVENTS)
    assert matter_events <= set(_RENDERERS), sorted(matter_events - set(_RENDERERS))
