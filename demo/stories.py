"""The demo ledgers: the stories of the two seed articles, signed event by event.

- Copenhagen, Children and Youth Administration (BUF): three MED layers
  (HovedMED, LokalMED, Trio) and a budget group told early about the
  economic frame; one decision proposal that went to politics around MED
  (MED-02) and drew a written breach claim, which management remedied by
  taking the proposal off the political agenda; a work environment matter
  in a LokalMED, escalated to HovedMED, whose common line went back down
  to the LokalMED: the one HovedMED matter of three that reached the local
  work (the body statistics' "reached local bodies", BUF's open problem).
- Ballerup: a procedure guideline on early involvement agreed in
  HovedMED; 4 million DKK savings in the economic administration, found by
  early involvement, with a declared legitimate difference of interest
  answered and a compromise (task communities across units), decided at
  the right level with no finding; budget proposals from MED (home care
  moving out of rented premises) and a budget sent to hearing before
  HovedMED discussed it and decided with an unanswered disagreement; a
  technology dialogue with the economy committee, whose minutes are still
  to be approved when the story ends (the forecast shows when they fall due).

Minutes are documents: each meeting commits to its minutes' digest, and
the chair's and vice-chair's approvals and the publication sign it.

People and names are invented; the processes are the articles'.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.service.application import LedgerService

BUF_ORIGIN = "ledger.example/kk-buf"
BALLERUP_ORIGIN = "ledger.example/ballerup"


def doc(title: str, text: str) -> ev.Document:
    """A shared document, identified by the SHA-256 of its content."""
    import hashlib

    return ev.Document(title=title, sha256=hashlib.sha256(text.encode()).hexdigest())


@dataclass
class Demo:
    buf: Organisation
    ballerup: Organisation


def build_demo(service: LedgerService, clock: ManualClock, *, suffix: str = "") -> Demo:
    """Build both organisations' ledgers in ``service``, signed and complete.

    ``suffix`` is appended to both origins, so that tests can build the demo
    many times in one database.
    """
    buf = build_buf(service, clock, origin=BUF_ORIGIN + suffix)
    ballerup = build_ballerup(service, clock, origin=BALLERUP_ORIGIN + suffix)
    return Demo(buf, ballerup)


# --- Copenhagen BUF ----------------------------------------------------------


def build_buf(
    service: LedgerService, clock: ManualClock, *, origin: str = BUF_ORIGIN
) -> Organisation:
    org = Organisation(
        service,
        origin,
        "Københavns Kommune, Børne- og Ungdomsforvaltningen",
        clock,
        admin="buf-admin",
        admin_name="MED-sekretariatet (administrator)",
    )
    people = {
        "dir-buf": "Mette Vinther (administrerende direktør)",
        "tr-laerer": "Lars Holm (formand, lærerforeningen)",
        "amr-hmed": "Sofie Krag (arbejdsmiljørepræsentant)",
        "chef-okonomi": "Henrik Dahl (økonomichef)",
        "sekr-med": "Nadia Ali (fælles sekretariat)",
        "tr-paed": "Peter Lund (tillidsrepræsentant, pædagoger)",
        "leder-valby": "Anne Bach (institutionsleder, Valby)",
        "tr-valby": "Jonas Friis (tillidsrepræsentant, Valby)",
        "amr-valby": "Emma Skov (arbejdsmiljørepræsentant, Valby)",
    }
    for person, name in people.items():
        org.person(person, name)
    org.person("revision", "Intern revision", roles=("auditor",))

    org.body("buf-hmed", "HovedMED BUF", "hovedmed")
    org.body("buf-budget", "Budgetgruppen under HovedMED", "budget_group", parent="buf-hmed")
    org.body("buf-lmed-valby", "LokalMED Valby dagtilbud", "lokalmed", parent="buf-hmed")
    org.body("buf-trio-valby", "Trio, Valby børnehus", "trio", parent="buf-lmed-valby")
    org.body("buf-bu", "Børne- og Ungdomsudvalget", "political_committee")

    org.appoint("buf-hmed", "dir-buf", "management", "chair")
    org.appoint("buf-hmed", "chef-okonomi", "management", "member")
    org.appoint("buf-hmed", "sekr-med", "management", "secretary")
    org.appoint("buf-hmed", "tr-laerer", "employees", "vice_chair", "tr")
    org.appoint("buf-hmed", "amr-hmed", "employees", "amr")
    org.appoint("buf-budget", "chef-okonomi", "management", "chair")
    org.appoint("buf-budget", "sekr-med", "management", "secretary")
    org.appoint("buf-budget", "tr-paed", "employees", "vice_chair", "tr")
    org.appoint("buf-budget", "tr-laerer", "employees", "tr")
    org.appoint("buf-lmed-valby", "leder-valby", "management", "chair")
    org.appoint("buf-lmed-valby", "tr-valby", "employees", "vice_chair", "tr")
    org.appoint("buf-lmed-valby", "amr-valby", "employees", "amr")
    org.appoint("buf-lmed-valby", "tr-paed", "employees", "member")
    org.appoint("buf-trio-valby", "leder-valby", "management", "chair")
    org.appoint("buf-trio-valby", "tr-valby", "employees", "tr")
    org.appoint("buf-trio-valby", "amr-valby", "employees", "amr")

    _buf_budget(org, clock)
    _buf_school_structure(org, clock)
    _buf_noise(org, clock)
    _buf_common_noise_line(org, clock)
    return org


def _buf_budget(org: Organisation, clock: ManualClock) -> None:
    """The budget group is told early about the economic frame and makes a proposal."""
    matter = "budget-2027"
    clock.advance(days=1)
    org.act(
        "dir-buf",
        matter,
        ev.MatterOpened(
            title="Budget 2027 for Børne- og Ungdomsforvaltningen",
            description="Direktionens overvejelser om den økonomiske ramme for 2027 "
            "og forslag til budgetforslaget til Børne- og Ungdomsudvalget.",
            category="budget",
            responsible_body="buf-hmed",
            influence_level="discussion",
            decision_maker="dir-buf",
            planned_decision_date=clock.date(days=70),
            political_deadline=clock.date(days=84),
            case_number="2026-0001234",
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.MaterialShared(
            documents=[doc("Økonomisk ramme 2027 (direktionens oplæg)", "ramme-2027-v1")],
            bodies=["buf-budget", "buf-hmed"],
        ),
    )
    org.act(
        "chef-okonomi",
        matter,
        ev.ConsultationOpened(
            body="buf-budget",
            question="Hvordan skal rammen udmøntes, og hvilke forslag har medarbejdersiden?",
            respond_by=clock.date(days=28),
        ),
    )
    clock.advance(days=21)
    org.act(
        "tr-paed",
        matter,
        ev.ProposalSubmitted(
            body="buf-budget",
            title="Fælles vikarkorps frem for grønthøstermodel",
            text="I stedet for en ens procentvis besparelse foreslår vi et fælles vikarkorps, "
            "som sparer på dyre vikarbureauer.",
        ),
    )
    org.act(
        "tr-paed",
        matter,
        ev.PositionStated(
            body="buf-budget",
            side="employees",
            stance="support_with_changes",
            text="Vi kan støtte rammen, hvis besparelsen ikke rammer normeringen.",
            proposals=["Skær i vikarbureauer, ikke i normering."],
        ),
    )
    clock.advance(days=7)
    meeting = org.act(
        "sekr-med",
        matter,
        ev.MeetingHeld(
            body="buf-hmed",
            date=clock.date(),
            agenda_item="Punkt 3: Budget 2027",
            present=["dir-buf", "chef-okonomi", "sekr-med", "tr-laerer", "amr-hmed"],
            minutes_sha256=doc("referat", "hmed-referat-2026-02").sha256,
        ),
    )
    org.act(
        "tr-laerer",
        matter,
        ev.PositionStated(
            body="buf-hmed",
            side="employees",
            stance="support_with_changes",
            text="Medarbejdersiden bakker op om hovedlinjerne med budgetgruppens forslag.",
        ),
    )
    clock.advance(days=3)
    minutes = doc("referat", "hmed-referat-2026-02").sha256
    org.act("dir-buf", matter, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=minutes))
    org.act("tr-laerer", matter, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=minutes))
    org.act(
        "sekr-med",
        matter,
        ev.MinutesPublished(
            meeting=meeting["seq"], minutes_sha256=minutes, channel="Intranettet, MED-siden"
        ),
    )
    clock.advance(days=14)
    org.act(
        "dir-buf",
        matter,
        ev.DecisionMade(
            outcome="Budgetforslaget indeholder et fælles vikarkorps; rammen udmøntes "
            "uden ens procentvis besparelse.",
            rationale="Budgetgruppens forslag sparer det samme uden at ramme normeringen.",
            inputs=[
                ev.DecisionInput(
                    event=4, treatment="adopted", reason="Indarbejdet i budgetforslaget."
                ),
                ev.DecisionInput(
                    event=5,
                    treatment="partly_adopted",
                    reason="Normeringen friholdes for 2027, ikke for overslagsårene.",
                ),
                ev.DecisionInput(event=7, treatment="adopted", reason="Hovedlinjerne fastholdes."),
            ],
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.ReferredToPolitics(
            committee="buf-bu", date=clock.date(days=7), proposal_reference="BUU dagsordenpunkt 5"
        ),
    )
    org.act("tr-laerer", matter, ev.ConsultationAcknowledged(body="buf-hmed", adequate_time=True))
    org.act(
        "tr-paed",
        matter,
        ev.ConsultationAcknowledged(
            body="buf-budget",
            adequate_time=True,
            comment="Vi fik ikke 100 procent, men vi blev hørt og kan forklare beslutningen.",
        ),
    )
    clock.advance(days=8)
    org.act(
        "sekr-med",
        matter,
        ev.PoliticalDecisionRecorded(
            committee="buf-bu", outcome="Budgetforslaget godkendt.", date=clock.date()
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.DecisionCommunicated(to="Alle medarbejdere i BUF", channel="Intranet og LokalMED"),
    )
    org.act("dir-buf", matter, ev.MatterClosed(reason="Budgettet er vedtaget."))


def _buf_school_structure(org: Organisation, clock: ManualClock) -> None:
    """A proposal that went into the political arena around MED, and a breach claim."""
    matter = "skolestruktur"
    clock.advance(days=2)
    org.act(
        "dir-buf",
        matter,
        ev.MatterOpened(
            title="Ny struktur for specialklasser",
            description="Samling af specialklasser på færre skoler.",
            category="reorganisation",
            responsible_body="buf-hmed",
            influence_level="discussion",
            decision_maker="dir-buf",
            planned_decision_date=clock.date(days=30),
        ),
    )
    clock.advance(days=1)
    referral = org.act(
        "dir-buf",
        matter,
        ev.ReferredToPolitics(
            committee="buf-bu", date=clock.date(days=6), proposal_reference="BUU punkt 8"
        ),
    )
    clock.advance(days=2)
    claim = org.act(
        "tr-laerer",
        matter,
        ev.BreachClaimed(
            body="buf-hmed",
            concerns=referral["seq"],
            text="Forslaget er sendt til politisk behandling uden at HovedMED er informeret "
            "og har drøftet det (rammeaftalen §21).",
        ),
    )
    clock.advance(days=1)
    org.act(
        "dir-buf",
        matter,
        ev.BreachRemedied(
            claim=claim["seq"],
            remedy="decision_withdrawn",
            text="Indstillingen er trukket tilbage fra Børne- og Ungdomsudvalgets dagsorden, "
            "indtil HovedMED har drøftet forslaget.",
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.MaterialShared(
            documents=[doc("Beslutningsoplæg: specialklasser", "specialklasser-v2")],
            bodies=["buf-hmed"],
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.ConsultationOpened(
            body="buf-hmed",
            question="Drøftelse af strukturforslaget",
            respond_by=clock.date(days=5),
        ),
    )
    clock.advance(days=4)
    position = org.act(
        "tr-laerer",
        matter,
        ev.PositionStated(
            body="buf-hmed",
            side="employees",
            stance="oppose",
            text="Sammenlægningen giver længere transport for de mest sårbare elever.",
        ),
    )
    org.act(
        "tr-laerer",
        matter,
        ev.BreachResolved(
            claim=claim["seq"],
            resolution="withdrawn",
            level="local",
            comment="Forslaget er taget af den politiske dagsorden og drøftes nu i HovedMED.",
        ),
    )
    clock.advance(days=3)
    org.act(
        "dir-buf",
        matter,
        ev.DecisionMade(
            outcome="Strukturen gennemføres i to faser.",
            rationale="Anden fase afventer evaluering af transporttider.",
            inputs=[
                ev.DecisionInput(
                    event=position["seq"],
                    treatment="partly_adopted",
                    reason="Transporttid evalueres før fase 2.",
                )
            ],
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.ReferredToPolitics(
            committee="buf-bu",
            date=clock.date(days=7),
            proposal_reference="BUU punkt 4, efter drøftelse i HovedMED",
        ),
    )


def _buf_noise(org: Organisation, clock: ManualClock) -> None:
    """A work environment matter in the LokalMED, escalated to HovedMED."""
    matter = "stoej-valby"
    clock.advance(days=1)
    org.act(
        "leder-valby",
        matter,
        ev.MatterOpened(
            title="Støj på stuerne i Valby børnehus",
            description="Målinger viser støj over 80 dB i spisesituationer.",
            category="work_environment",
            responsible_body="buf-lmed-valby",
            influence_level="discussion",
            decision_maker="leder-valby",
            planned_decision_date=clock.date(days=21),
        ),
    )
    clock.advance(days=5)
    org.act(
        "leder-valby",
        matter,
        ev.MaterialShared(
            documents=[doc("Støjmåling marts", "stoejmaaling-2026")],
            bodies=["buf-lmed-valby", "buf-trio-valby"],
        ),
    )
    clock.advance(days=2)
    org.act(
        "leder-valby",
        matter,
        ev.MeetingHeld(
            body="buf-lmed-valby",
            date=clock.date(),
            agenda_item="Punkt 2: Støj",
            present=["leder-valby", "tr-valby", "tr-paed"],
            absent=["amr-valby"],
            minutes_sha256=doc("referat", "lmed-valby-referat-stoej").sha256,
        ),
    )
    org.act(
        "tr-valby",
        matter,
        ev.PositionStated(
            body="buf-lmed-valby",
            side="employees",
            stance="support_with_changes",
            text="Lydabsorbenter i loftet og mindre grupper ved måltider.",
            proposals=["Lydabsorbenter", "Spisning i mindre grupper"],
        ),
    )
    org.act(
        "amr-valby",
        matter,
        ev.EscalatedToBody(
            from_body="buf-lmed-valby",
            to_body="buf-hmed",
            reason="Støj er et problem i mange institutioner; HovedMED bør fastlægge en fælles linje.",
        ),
    )
    clock.advance(days=12)
    org.act(
        "leder-valby",
        matter,
        ev.DecisionMade(
            outcome="Lydabsorbenter monteres; måltider i mindre grupper afprøves i tre måneder.",
            rationale="Begge forslag er billige og kan afprøves straks.",
            inputs=[
                ev.DecisionInput(event=4, treatment="adopted", reason="Begge forslag gennemføres.")
            ],
        ),
    )
    # The minutes of the LokalMED meeting are never approved: two weeks after the
    # meeting the rulebook flags it (MED-12) when the decision is passed on.  The
    # material came two days before the meeting (MED-07, a local rule); the AMR,
    # absent, had been given it, which is the AMR's involvement the agreement asks.
    clock.advance(days=3)
    org.act(
        "leder-valby",
        matter,
        ev.DecisionCommunicated(to="Personalet i Valby børnehus", channel="Personalemøde"),
    )


def _buf_common_noise_line(org: Organisation, clock: ManualClock) -> None:
    """HovedMED takes up the escalated noise problem, and its draft goes down to the LokalMED."""
    matter = "stoej-faelles-linje"
    clock.advance(days=1)
    org.act(
        "dir-buf",
        matter,
        ev.MatterOpened(
            title="Fælles linje for støj i dagtilbud",
            description="LokalMED Valby har bedt HovedMED fastlægge en fælles linje for "
            "støjdæmpning i dagtilbuddene.",
            category="work_environment",
            responsible_body="buf-hmed",
            influence_level="discussion",
            decision_maker="dir-buf",
            planned_decision_date=clock.date(days=30),
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.MaterialShared(
            documents=[doc("Udkast: fælles linje for støj", "stoej-linje-udkast")],
            bodies=["buf-hmed", "buf-lmed-valby"],
        ),
    )
    org.act(
        "leder-valby",
        matter,
        ev.ConsultationOpened(
            body="buf-lmed-valby",
            question="Hvad betyder den fælles linje for jeres institution?",
            respond_by=clock.date(days=9),
        ),
    )
    clock.advance(days=8)
    local = org.act(
        "tr-valby",
        matter,
        ev.PositionStated(
            body="buf-lmed-valby",
            side="employees",
            stance="support_with_changes",
            text="Linjen skal give tid til at afprøve mindre grupper, ikke kun lydabsorbenter.",
        ),
    )
    clock.advance(days=2)
    minutes = doc("referat", "hmed-referat-stoej").sha256
    meeting = org.act(
        "sekr-med",
        matter,
        ev.MeetingHeld(
            body="buf-hmed",
            date=clock.date(),
            agenda_item="Punkt 4: Fælles linje for støj",
            present=["dir-buf", "chef-okonomi", "sekr-med", "tr-laerer", "amr-hmed"],
            minutes_sha256=minutes,
        ),
    )
    clock.advance(days=2)
    for approver in ("dir-buf", "tr-laerer"):
        org.act(
            approver, matter, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=minutes)
        )
    org.act(
        "sekr-med",
        matter,
        ev.MinutesPublished(
            meeting=meeting["seq"], minutes_sha256=minutes, channel="Intranettet, MED-siden"
        ),
    )
    clock.advance(days=5)
    org.act(
        "dir-buf",
        matter,
        ev.DecisionMade(
            outcome="Fælles linje: støjmåling hvert år, lydabsorbenter efter behov og "
            "afprøvning af mindre grupper ved måltider.",
            rationale="LokalMED Valbys erfaringer gælder for alle dagtilbud.",
            inputs=[
                ev.DecisionInput(
                    event=local["seq"], treatment="adopted", reason="Indarbejdet i linjen."
                )
            ],
        ),
    )
    org.act(
        "dir-buf",
        matter,
        ev.DecisionCommunicated(to="Alle LokalMED i BUF", channel="LokalMED-møderne"),
    )
    org.act("dir-buf", matter, ev.MatterClosed(reason="Linjen er vedtaget og formidlet."))


# --- Ballerup --------------------------------------------------------------


def build_ballerup(
    service: LedgerService, clock: ManualClock, *, origin: str = BALLERUP_ORIGIN
) -> Organisation:
    org = Organisation(
        service,
        origin,
        "Ballerup Kommune",
        clock,
        admin="bal-admin",
        admin_name="HR og MED-sekretariat (administrator)",
    )
    people = {
        "kd": "Karin Winther (kommunaldirektør)",
        "hmed-nfmd": "Jens Toft (næstformand i HovedMED)",
        "okonomichef": "Birgitte Holm (økonomichef)",
        "tr-okonomi": "Ali Hassan (tillidsrepræsentant, økonomi)",
        "amr-okonomi": "Lene Bro (arbejdsmiljørepræsentant, økonomi)",
        "sekr-bal": "Ida Nørgaard (MED-sekretær)",
        "leder-hjemmepleje": "Rikke Dam (leder, hjemmeplejen)",
        "tr-hjemmepleje": "Mona Iversen (tillidsrepræsentant, hjemmeplejen)",
    }
    for person, name in people.items():
        org.person(person, name)
    org.body("bal-hmed", "HovedMED Ballerup", "hovedmed")
    org.body("bal-okonomi", "Område-MED Økonomi og administration", "omraademed", parent="bal-hmed")
    org.body("bal-hjemmepleje", "LokalMED Hjemmeplejen", "lokalmed", parent="bal-hmed")
    org.body("bal-oeu", "Økonomiudvalget", "political_committee")
    org.appoint("bal-hmed", "kd", "management", "chair")
    org.appoint("bal-hmed", "okonomichef", "management", "member")
    org.appoint("bal-hmed", "sekr-bal", "management", "secretary")
    org.appoint("bal-hmed", "hmed-nfmd", "employees", "vice_chair", "tr")
    org.appoint("bal-hmed", "tr-hjemmepleje", "employees", "tr")
    org.appoint("bal-okonomi", "okonomichef", "management", "chair")
    org.appoint("bal-okonomi", "sekr-bal", "management", "secretary")
    org.appoint("bal-okonomi", "tr-okonomi", "employees", "vice_chair", "tr")
    org.appoint("bal-okonomi", "amr-okonomi", "employees", "amr")
    org.appoint("bal-hjemmepleje", "leder-hjemmepleje", "management", "chair")
    org.appoint("bal-hjemmepleje", "tr-hjemmepleje", "employees", "vice_chair", "tr")

    _ballerup_guideline(org, clock)
    _ballerup_savings(org, clock)
    _ballerup_budget_proposals(org, clock)
    _ballerup_technology(org, clock)
    return org


def _ballerup_guideline(org: Organisation, clock: ManualClock) -> None:
    """HovedMED agrees a procedure guideline: early involvement in the budget process."""
    matter = "retningslinje-inddragelse"
    clock.advance(days=1)
    org.act(
        "kd",
        matter,
        ev.MatterOpened(
            title="Retningslinje for tidlig inddragelse i budgetprocessen",
            description="Den nye MED-aftale bygger på tillid, dialog og tidlig inddragelse: "
            "forslag skal drøftes i MED, før budgetforslaget sendes i høring.",
            category="guideline",
            responsible_body="bal-hmed",
            influence_level="codetermination",
            decision_maker="kd",
            planned_decision_date=clock.date(days=30),
            guideline_type="procedure",
        ),
    )
    org.act(
        "kd",
        matter,
        ev.MaterialShared(
            documents=[doc("Udkast til retningslinje for tidlig inddragelse", "retningslinje-v1")],
            bodies=["bal-hmed"],
        ),
    )
    clock.advance(days=10)
    minutes = doc("referat", "bal-hmed-referat-retningslinje").sha256
    meeting = org.act(
        "sekr-bal",
        matter,
        ev.MeetingHeld(
            body="bal-hmed",
            date=clock.date(),
            agenda_item="Punkt 2: Retningslinje for tidlig inddragelse",
            present=["kd", "okonomichef", "sekr-bal", "hmed-nfmd", "tr-hjemmepleje"],
            minutes_sha256=minutes,
        ),
    )
    proposal = org.act(
        "kd",
        matter,
        ev.CompromiseProposed(
            body="bal-hmed",
            terms="Budgetforslag fra MED drøftes i HovedMED, før budgetforslaget sendes i "
            "høring; MED-udvalgene får den økonomiske ramme, så snart direktionen har den.",
        ),
    )
    org.act("kd", matter, ev.CompromiseAccepted(proposal=proposal["seq"], side="management"))
    org.act("hmed-nfmd", matter, ev.CompromiseAccepted(proposal=proposal["seq"], side="employees"))
    agreement = org.act(
        "kd",
        matter,
        ev.AgreementReached(
            body="bal-hmed",
            compromise=proposal["seq"],
            text="Retningslinje for tidlig inddragelse i budgetprocessen.",
            guideline=True,
            guideline_type="procedure",
            guideline_id="tidlig-inddragelse",
            effective_from=clock.date(days=14),
        ),
    )
    clock.advance(days=2)
    for approver in ("kd", "hmed-nfmd"):
        org.act(
            approver, matter, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=minutes)
        )
    org.act(
        "sekr-bal",
        matter,
        ev.MinutesPublished(meeting=meeting["seq"], minutes_sha256=minutes, channel="Intranettet"),
    )
    clock.advance(days=7)
    org.act(
        "kd",
        matter,
        ev.DecisionMade(
            outcome="Retningslinjen for tidlig inddragelse gælder fra næste budgetår.",
            rationale="Aftalt i HovedMED.",
            inputs=[
                ev.DecisionInput(
                    event=agreement["seq"], treatment="adopted", reason="Aftalen følges."
                )
            ],
        ),
    )
    org.act("kd", matter, ev.MatterClosed(reason="Retningslinjen er aftalt."))


def _ballerup_savings(org: Organisation, clock: ManualClock) -> None:
    """4 million DKK in the economic administration: early involvement, a new solution.

    The head of finance decides it in the area's own MED body, the level where the
    decision is taken (MED-13)."""
    matter = "okonomi-4mio"
    clock.advance(days=1)
    org.act(
        "okonomichef",
        matter,
        ev.MatterOpened(
            title="Besparelse på 4 mio. kr. i økonomiadministrationen",
            description="Økonomiadministrationen skal spare 4 mio. kr. frem mod 2020. "
            "Ledelsen inddrager medarbejderne, før der træffes beslutning.",
            category="reorganisation",
            responsible_body="bal-okonomi",
            influence_level="discussion",
            decision_maker="okonomichef",
            planned_decision_date=clock.date(days=90),
        ),
    )
    org.act(
        "okonomichef",
        matter,
        ev.MaterialShared(
            documents=[doc("Besparelseskrav og nøgletal", "okonomi-4mio-notat")],
            bodies=["bal-okonomi"],
        ),
    )
    org.act(
        "okonomichef",
        matter,
        ev.ConsultationOpened(
            body="bal-okonomi",
            question="Hvordan finder vi 4 mio. kr. uden blot at centralisere eller skære ens?",
            respond_by=clock.date(days=42),
        ),
    )
    clock.advance(days=14)
    meeting = org.act(
        "sekr-bal",
        matter,
        ev.MeetingHeld(
            body="bal-okonomi",
            date=clock.date(),
            agenda_item="Punkt 1: Besparelse i økonomiadministrationen",
            present=["okonomichef", "sekr-bal", "tr-okonomi", "amr-okonomi"],
            minutes_sha256=doc("referat", "bal-okonomi-referat").sha256,
        ),
    )
    org.act(
        "tr-okonomi",
        matter,
        ev.PositionStated(
            body="bal-okonomi",
            side="employees",
            stance="oppose",
            text="En central samling af alle økonomiopgaver fjerner den lokale viden.",
        ),
    )
    disagreement = org.act(
        "tr-okonomi",
        matter,
        ev.DisagreementRecorded(
            body="bal-okonomi",
            points=[
                "Problemet er samarbejdsrelationen mellem decentrale og centrale "
                "økonomimedarbejdere, ikke hvor opgaven ligger.",
                "Ens procentvise besparelser rammer de mindste enheder hårdest.",
            ],
            legitimate_difference=True,
        ),
    )
    clock.advance(days=2)
    minutes = doc("referat", "bal-okonomi-referat").sha256
    for approver in ("okonomichef", "tr-okonomi"):
        org.act(
            approver, matter, ev.MinutesApproved(meeting=meeting["seq"], minutes_sha256=minutes)
        )
    org.act(
        "sekr-bal",
        matter,
        ev.MinutesPublished(
            meeting=meeting["seq"], minutes_sha256=minutes, channel="Personalemøde og intranet"
        ),
    )
    clock.advance(days=20)
    proposal = org.act(
        "okonomichef",
        matter,
        ev.CompromiseProposed(
            body="bal-okonomi",
            terms="Opgavefællesskaber på tværs af enheder afprøves i et år; besparelsen "
            "hentes ved naturlig afgang og færre systemer, ikke ved centralisering.",
        ),
    )
    org.act(
        "okonomichef",
        matter,
        ev.CompromiseAccepted(proposal=proposal["seq"], side="management"),
    )
    org.act(
        "tr-okonomi",
        matter,
        ev.CompromiseAccepted(proposal=proposal["seq"], side="employees"),
    )
    agreement = org.act(
        "okonomichef",
        matter,
        ev.AgreementReached(
            body="bal-okonomi",
            compromise=proposal["seq"],
            text="Opgavefællesskaber afprøves; evaluering i Område-MED efter et år.",
        ),
    )
    org.act(
        "okonomichef",
        matter,
        ev.DisagreementAnswered(
            disagreement=disagreement["seq"],
            response="Ledelsen anerkender den legitime interesseforskel og har ændret "
            "tilgangen: samarbejdsrelationen er nu det, der arbejdes med.",
        ),
    )
    clock.advance(days=10)
    org.act(
        "okonomichef",
        matter,
        ev.DecisionMade(
            outcome="Opgavefællesskaber indføres; 4 mio. kr. findes over to år.",
            rationale="Den inddragende proces fandt et andet problem end det antagne; "
            "længere procestid, bedre implementering.",
            inputs=[
                ev.DecisionInput(
                    event=5, treatment="partly_adopted", reason="Ingen central samling."
                ),
                ev.DecisionInput(
                    event=6, treatment="adopted", reason="Samarbejdsrelationen er kernen."
                ),
                ev.DecisionInput(
                    event=agreement["seq"], treatment="adopted", reason="Aftalen følges."
                ),
            ],
        ),
    )
    org.act(
        "tr-okonomi",
        matter,
        ev.ConsultationAcknowledged(
            body="bal-okonomi",
            adequate_time=True,
            comment="Vi blev inddraget tidligt og fik tid til at finde en ny løsning.",
        ),
    )
    org.act("okonomichef", matter, ev.MatterClosed(reason="Besluttet og under implementering."))


def _ballerup_budget_proposals(org: Organisation, clock: ManualClock) -> None:
    """The mayor asks MED for budget proposals; one comes from home care."""
    matter = "budget-forslag"
    clock.advance(days=3)
    org.act(
        "kd",
        matter,
        ev.MatterOpened(
            title="Budgetforslag fra råd, nævn og MED-udvalg",
            description="Borgmesteren beder ved årets begyndelse om forslag til "
            "budgetforhandlingerne.",
            category="budget",
            responsible_body="bal-hmed",
            influence_level="discussion",
            decision_maker="kd",
            planned_decision_date=clock.date(days=40),
        ),
    )
    org.act(
        "kd",
        matter,
        ev.MaterialShared(
            documents=[doc("Borgmesterens brev om budgetønsker", "borgmester-brev")],
            bodies=["bal-hmed", "bal-hjemmepleje", "bal-okonomi"],
        ),
    )
    clock.advance(days=10)
    org.act(
        "tr-hjemmepleje",
        matter,
        ev.ProposalSubmitted(
            body="bal-hjemmepleje",
            title="Hjemmeplejen flytter ud af lejede lokaler",
            text="Hjemmeplejen kan flytte ud af lejede lokaler og over i kommunale "
            "lokaler, der står tomme.",
        ),
    )
    org.act(
        "hmed-nfmd",
        matter,
        ev.DisagreementRecorded(
            body="bal-hmed",
            points=["Besparelsen på rengøring bør ikke indgå i budgetforslaget."],
        ),
    )
    clock.advance(days=5)
    org.act(
        "kd",
        matter,
        ev.HearingOpened(bodies=["bal-hmed", "bal-hjemmepleje"], respond_by=clock.date(days=14)),
    )
    clock.advance(days=10)
    org.act(
        "hmed-nfmd",
        matter,
        ev.HearingResponseSubmitted(
            body="bal-hmed",
            text="HovedMED støtter hjemmeplejens forslag og fraråder besparelsen på rengøring.",
        ),
    )
    clock.advance(days=5)
    org.act(
        "kd",
        matter,
        ev.DecisionMade(
            outcome="Budgetforslaget sendes til Økonomiudvalget med besparelsen på rengøring.",
            rationale="Rammen kræver besparelsen.",
            management_prerogative=True,
        ),
    )


def _ballerup_technology(org: Organisation, clock: ManualClock) -> None:
    """The economy committee meets HovedMED on technology and digitalisation."""
    matter = "teknologi-dialog"
    clock.advance(days=2)
    org.act(
        "kd",
        matter,
        ev.MatterOpened(
            title="Dialog om teknologi og digitalisering med Økonomiudvalget",
            description="Et dialogrum for den dag, en teknologi erstatter medarbejdere.",
            category="technology",
            responsible_body="bal-hmed",
            influence_level="information",
            decision_maker="kd",
            planned_decision_date=clock.date(days=60),
        ),
    )
    org.act(
        "kd",
        matter,
        ev.MaterialShared(
            documents=[doc("Digitaliseringsstrategi, udkast", "digi-strategi")],
            bodies=["bal-hmed"],
        ),
    )
    clock.advance(days=7)
    org.act(
        "sekr-bal",
        matter,
        ev.MeetingHeld(
            body="bal-hmed",
            date=clock.date(),
            agenda_item="Temadrøftelse med Økonomiudvalget",
            present=["kd", "okonomichef", "sekr-bal", "hmed-nfmd", "tr-hjemmepleje"],
            minutes_sha256=doc("referat", "bal-hmed-referat-teknologi").sha256,
        ),
    )
