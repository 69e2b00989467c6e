"""A ledger in memory for the rules: a registry view and matters, with no store.

The rules are pure functions of a matter's facts and the registry view, so
their boundaries are pinned here, fast, by building both by hand.  The
write-time rules are not applied: a test builds only what a real ledger
could hold (the story tests in ``tests/projections/test_rulebook.py`` run
the same rules through the real store on SQLite and PostgreSQL).

The test municipality: HovedMED ``hmed`` chaired by ``direktor`` (who
decides), ``tr`` its vice-chair and union representative, ``amr`` its work
environment representative, ``sekretaer`` its secretary; LokalMED ``lmed``
below it with ``leder`` and ``tr-lokal``; the political committee ``udvalg``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ledger.domain.events import parse_payload, payload_json
from projections.facts.logged import Logged, LoggedEvent
from projections.facts.matter import Fact, MatterFacts, Touched
from projections.facts.registry import RegistryChanges, RegistryView
from projections.rulebook.book import RULEBOOK
from projections.rulebook.rule import Finding
from tests.conftest import APPOINTMENTS

MINUTES = hashlib.sha256(b"Referat").hexdigest()
DOCUMENT = {"title": "Notat", "sha256": hashlib.sha256(b"Notat").hexdigest()}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PUBLIC_KEY = "A" * 43 + "="
"""A key in the registry's form: the rules never check a signature, so any will do."""


@dataclass
class Ledger:
    """One organisation's registry view and its matters, at a clock of its own."""

    rulebook: dict[str, int] = field(default_factory=dict)
    now: datetime = START
    registry: RegistryView = field(default_factory=lambda: RegistryView("memory.example/org"))
    leaf: int = -1
    registry_seq: int = 0
    matters: dict[str, Matter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.record(
            "LedgerCreated",
            origin=self.registry.origin,
            name="Testkommune",
            rulebook=dict(self.rulebook),
            log_public_key=f"{self.registry.origin}+00000000+{PUBLIC_KEY}",
            admin={"person": "admin", "key_id": "0" * 16, "public_key": PUBLIC_KEY},
        )

    # --- time and the log -----------------------------------------------------

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += timedelta(days=days, hours=hours)

    def date(self, days: int = 0) -> str:
        return (self.now + timedelta(days=days)).date().isoformat()

    def logged(self, stream: str, seq: int, type_: str, actor: str, payload: Any) -> Logged:
        """The next event of the log; its payload must be one the ledger could hold."""
        payload = payload_json(parse_payload(type_, stream, payload))
        self.leaf += 1
        return LoggedEvent(
            leaf=self.leaf,
            stream=stream,
            seq=seq,
            type=type_,
            actor=actor,
            time=self.now.isoformat().replace("+00:00", "Z"),
            moment=self.now,
            recorded_at=self.now.isoformat(),
            imported=False,
            payload=payload,
            redacted_leaf=None,
        )

    # --- the registry ---------------------------------------------------------

    def record(self, type_: str, *, by: str = "admin", **payload: Any) -> None:
        self.registry_seq += 1
        event = self.logged("registry", self.registry_seq, type_, by, payload)
        self.registry.apply(event, RegistryChanges())

    def body(
        self,
        body: str,
        kind: str = "lokalmed",
        parent: str | None = None,
        rulebook: dict[str, int] | None = None,
    ) -> None:
        self.record(
            "BodyEstablished",
            body=body,
            name=body.upper(),
            kind=kind,
            parent=parent,
            rulebook=dict(rulebook or {}),
        )

    def rules_set(self, body: str, rulebook: dict[str, int]) -> None:
        self.record("BodyRulesSet", body=body, rulebook=rulebook)

    def appoint(self, body: str, person: str, side: str, *roles: str) -> None:
        self.record(
            "MemberAppointed", body=body, person=person, side=side, roles=list(roles or ("member",))
        )

    def leave(self, body: str, person: str) -> None:
        self.record("MemberLeft", body=body, person=person)

    # --- matters and findings ---------------------------------------------------

    def matter(self, matter: str = "sag", **opened: Any) -> Matter:
        """Open ``matter`` in HovedMED (``opened`` changes to the opening's fields)."""
        found = Matter(self, MatterFacts(matter))
        self.matters[matter] = found
        payload: dict[str, Any] = {
            "title": "Ny skolestruktur",
            "description": "Skolerne lægges sammen.",
            "category": "reorganisation",
            "responsible_body": "hmed",
            "influence_level": "discussion",
            "decision_maker": "direktor",
            "planned_decision_date": self.date(60),
        }
        payload.update(opened)
        found.act("direktor", "MatterOpened", **payload)
        return found

    def guideline(self, kind: str | None = None, matter: str = "sag") -> Matter:
        """Open ``matter``: a guideline (of type ``kind``, if given) HovedMED codetermines."""
        typed = {} if kind is None else {"guideline_type": kind}
        return self.matter(matter, category="guideline", influence_level="codetermination", **typed)

    def findings(self, rule_id: str | None = None) -> list[Finding]:
        """Every finding (of ``rule_id``) in every matter, whether due yet or not, each
        checked for what every finding must be (``well_formed``)."""
        found = [
            f
            for matter in self.matters.values()
            for f in RULEBOOK.evaluate(matter.facts, self.registry)
            if rule_id is None or f.rule == rule_id
        ]
        for finding in found:
            well_formed(finding, self)
        return found

    def rules(self) -> list[str]:
        return sorted(f.rule for f in self.findings())

    def keys(self, rule_id: str) -> list[str]:
        return [f.key for f in self.findings(rule_id)]


KEY = re.compile(
    r"^(decision|referral|lead-time|disagreement|input|proposal|hearing|material|meeting|claim)(-[0-9]+)*(-meeting-[0-9]+)?$"
)


def well_formed(finding: Finding, ledger: Ledger) -> None:
    """What every finding must be: a key naming its events, a body of the registry, the
    same events cited in Danish and English and each one part of the evidence, the
    ground cited last, nothing left unset."""
    assert KEY.match(finding.key), finding.key
    assert finding.body in ledger.registry.bodies, finding.body
    facts = ledger.matters[finding.matter].facts
    assert all(facts.fact(e.seq) is e for e in finding.evidence), "evidence of the matter"
    assert [e.seq for e in finding.evidence] == sorted({e.seq for e in finding.evidence})
    for number in re.findall(r"-([0-9]+)", finding.key):
        assert int(number) in {e.seq for e in finding.evidence}, (finding.key, finding.evidence)
    cited_da = re.findall(r"#([0-9]+)", finding.explanation_da)
    cited_en = re.findall(r"#([0-9]+)", finding.explanation_en)
    assert sorted(cited_da) == sorted(cited_en), (finding.explanation_da, finding.explanation_en)
    assert {int(n) for n in cited_da} <= {e.seq for e in finding.evidence}, finding.explanation_da
    for text, word in ((finding.explanation_da, "Grundlag"), (finding.explanation_en, "Ground")):
        assert "None" not in text and "?" not in text, text
        assert text.endswith(f". {word}: {finding.ground}."), text
    assert finding.due.tzinfo is not None


def municipality(
    rulebook: dict[str, int] | None = None, hmed_rulebook: dict[str, int] | None = None
) -> Ledger:
    """The test municipality; ``rulebook`` the ledger's settings (``med-07.material_days``),
    ``hmed_rulebook`` HovedMED's own (its forretningsorden)."""
    ledger = Ledger(dict(rulebook or {}))
    ledger.body("hmed", "hovedmed", rulebook=hmed_rulebook)
    ledger.body("lmed", "lokalmed", parent="hmed")
    ledger.body("udvalg", "political_committee")
    for body, person, side, *roles in APPOINTMENTS:
        ledger.appoint(body, person, side, *roles)
    return ledger


def opened(**changes: Any) -> tuple[Ledger, Matter]:
    """The test municipality, and a matter the director has opened in HovedMED
    (``changes`` to the opening's fields)."""
    ledger = municipality()
    return ledger, ledger.matter(**changes)


def consulted(**changes: Any) -> tuple[Ledger, Matter]:
    """The test municipality, and a matter HovedMED is consulted on (``changes`` to the
    opening's fields)."""
    ledger, matter = opened(**changes)
    matter.consult()
    return ledger, matter


@dataclass
class Matter:
    """One matter's facts and the usual steps of the MED process."""

    ledger: Ledger
    facts: MatterFacts

    def act(self, actor: str, type_: str, **payload: Any) -> Fact:
        seq = len(self.facts.events) + 1
        event = self.ledger.logged(f"matter/{self.facts.matter}", seq, type_, actor, payload)
        self.facts.apply(event, Touched())
        return event

    def share(self, *bodies: str) -> Fact:
        return self.act(
            "direktor", "MaterialShared", documents=[DOCUMENT], bodies=list(bodies or ("hmed",))
        )

    def consult(self, body: str = "hmed") -> Fact:
        return self.act(
            "direktor",
            "ConsultationOpened",
            body=body,
            question="?",
            respond_by=self.ledger.date(14),
        )

    def meeting(
        self,
        body: str = "hmed",
        held: date | None = None,
        present: tuple[str, ...] = ("direktor", "sekretaer", "tr", "amr"),
        absent: tuple[str, ...] = (),
        minutes: str | None = MINUTES,
    ) -> Fact:
        day = held or self.ledger.now.date()
        return self.act(
            "sekretaer",
            "MeetingHeld",
            body=body,
            date=day.isoformat(),
            agenda_item="Punkt 1",
            present=list(present),
            absent=list(absent),
            minutes_sha256=minutes,
        )

    def approve(self, meeting: Fact, by: str, digest: str = MINUTES, **more: Any) -> Fact:
        return self.act(by, "MinutesApproved", meeting=meeting.seq, minutes_sha256=digest, **more)

    def hearing(self, *bodies: str) -> Fact:
        return self.act(
            "direktor",
            "HearingOpened",
            bodies=list(bodies or ("hmed",)),
            respond_by=self.ledger.date(14),
        )

    def position(self, body: str = "hmed", by: str = "tr") -> Fact:
        return self.act(
            by, "PositionStated", body=body, side="employees", stance="oppose", text="Nej."
        )

    def respond(self, body: str = "lmed", by: str = "tr-lokal") -> Fact:
        return self.act(by, "HearingResponseSubmitted", body=body, text="Svar.")

    def propose(self, body: str = "lmed", by: str = "tr-lokal") -> Fact:
        return self.act(by, "ProposalSubmitted", body=body, title="Forslag", text="Gør sådan.")

    def disagree(self, body: str = "hmed", by: str = "tr") -> Fact:
        return self.act(by, "DisagreementRecorded", body=body, points=["Nej."])

    def answer(self, disagreement: Fact) -> Fact:
        return self.act(
            "direktor", "DisagreementAnswered", disagreement=disagreement.seq, response="Fordi."
        )

    def agree(self, body: str = "hmed", **guideline: Any) -> Fact:
        proposal = self.act("direktor", "CompromiseProposed", body=body, terms="Sådan.")
        self.act("direktor", "CompromiseAccepted", proposal=proposal.seq, side="management")
        self.act("tr", "CompromiseAccepted", proposal=proposal.seq, side="employees")
        return self.act(
            "direktor",
            "AgreementReached",
            body=body,
            compromise=proposal.seq,
            text="Aftalt.",
            **guideline,
        )

    def amend(self, guideline: str, terms: str, text: str) -> Fact:
        """The director proposes ``terms`` in HovedMED and amends ``guideline`` on them."""
        proposal = self.act("direktor", "CompromiseProposed", body="hmed", terms=terms)
        return self.act(
            "direktor",
            "GuidelineAmended",
            guideline=guideline,
            body="hmed",
            compromise=proposal.seq,
            text=text,
        )

    def terminate_guideline(self, guideline: str, effective_from: str, body: str = "hmed") -> Fact:
        """The director ends ``guideline`` of ``body`` from ``effective_from``."""
        return self.act(
            "direktor",
            "GuidelineTerminated",
            guideline=guideline,
            body=body,
            effective_from=effective_from,
            reason="Ophører.",
        )

    def decide(self, *inputs: Fact, **more: Any) -> Fact:
        return self.act(
            "direktor",
            "DecisionMade",
            outcome="Besluttet.",
            rationale="Fordi.",
            inputs=[{"event": f.seq, "treatment": "adopted", "reason": "Godt."} for f in inputs],
            **more,
        )

    def refer(self) -> Fact:
        return self.act(
            "direktor",
            "ReferredToPolitics",
            committee="udvalg",
            date=self.ledger.date(7),
            proposal_reference="Punkt 4",
        )

    def claim(self, concerns: int = 1, body: str = "hmed") -> Fact:
        return self.act("tr", "BreachClaimed", body=body, concerns=concerns, text="Brud.")
