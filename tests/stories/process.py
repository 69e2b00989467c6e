"""Small story builders the projections tests share: a matter, and the steps of the MED process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from tests.stories.school import school_structure as opening

MINUTES = hashlib.sha256(b"Referat").hexdigest()
"""The digest of every meeting's minutes in these stories."""


def document(title: str) -> ev.Document:
    return ev.Document(title=title, sha256=hashlib.sha256(title.encode()).hexdigest())


@dataclass
class Story:
    """One matter of ``org`` and the usual steps, each signed by the right person."""

    org: Organisation
    clock: ManualClock
    matter: str = "skolestruktur"

    @classmethod
    def opened(
        cls, org: Organisation, clock: ManualClock, matter: str = "skolestruktur", **changes: Any
    ) -> Story:
        """The story of ``matter`` once the director has opened it (``changes`` to the opening)."""
        story = cls(org, clock, matter)
        story.open(**changes)
        return story

    @classmethod
    def consulted(cls, org: Organisation, clock: ManualClock, matter: str, **changes: Any) -> Story:
        """A matter opened (``changes`` to the opening) and HovedMED consulted on it."""
        story = cls.opened(org, clock, matter, **changes)
        story.consult()
        return story

    @classmethod
    def guideline(
        cls,
        org: Organisation,
        clock: ManualClock,
        matter: str,
        guideline_type: str,
        influence_level: str = "codetermination",
    ) -> Story:
        """A guideline matter of ``guideline_type`` opened at ``influence_level``."""
        return cls.opened(
            org,
            clock,
            matter,
            category="guideline",
            influence_level=influence_level,
            guideline_type=guideline_type,
        )

    def act(self, person: str, payload: ev.Payload) -> int:
        """``person`` signs ``payload``; returns its sequence number in the matter."""
        return int(self.org.act(person, self.matter, payload)["seq"])

    def leaf(self, person: str, payload: ev.Payload) -> int:
        """Like ``act``, but returns the event's leaf index."""
        return int(self.org.act(person, self.matter, payload)["leaf_index"])

    def open(self, **changes: Any) -> int:
        return self.act("direktor", opening(self.clock, **changes))

    def consulted_and_decided(self, days: int, **changes: Any) -> None:
        """Opened (``changes`` to the opening), HovedMED consulted, decided ``days`` later."""
        self.open(**changes)
        self.consult()
        self.clock.advance(days=days)
        self.decide()

    def share(self, bodies: tuple[str, ...] = ("hmed",), by: str = "direktor") -> int:
        return self.act(by, ev.MaterialShared(documents=[document("Oplæg")], bodies=list(bodies)))

    def consult(self, body: str = "hmed", by: str = "direktor") -> int:
        return self.act(
            by,
            ev.ConsultationOpened(
                body=body, question="Hvad mener I?", respond_by=self.clock.date(days=14)
            ),
        )

    def meeting(
        self,
        body: str = "hmed",
        present: tuple[str, ...] = ("direktor", "sekretaer", "tr", "amr"),
        absent: tuple[str, ...] = (),
        by: str = "sekretaer",
    ) -> int:
        return self.act(
            by,
            ev.MeetingHeld(
                body=body,
                date=self.clock.date(),
                agenda_item="Punkt 1",
                present=list(present),
                absent=list(absent),
                minutes_sha256=MINUTES,
            ),
        )

    def position(
        self,
        stance: ev.Stance = "support_with_changes",
        by: str = "tr",
        side: ev.Side = "employees",
    ) -> int:
        return self.act(
            by,
            ev.PositionStated(body="hmed", side=side, stance=stance, text="Vi har bemærkninger."),
        )

    def disagree(self, by: str = "tr", body: str = "hmed") -> int:
        return self.act(by, ev.DisagreementRecorded(body=body, points=["Tidsplanen er for stram."]))

    def answer(self, disagreement: int, by: str = "direktor") -> int:
        return self.act(
            by, ev.DisagreementAnswered(disagreement=disagreement, response="Vi rykker datoen.")
        )

    def decide(self, *inputs: int, by: str = "direktor", **changes: Any) -> int:
        return self.act(
            by,
            ev.DecisionMade(
                outcome="Skolerne lægges sammen i to trin.",
                rationale="Det giver tid til omstilling.",
                inputs=[
                    ev.DecisionInput(event=s, treatment="adopted", reason="Fulgt.") for s in inputs
                ],
                **changes,
            ),
        )

    def decide_after(self, days: int, *inputs: int) -> int:
        """``days`` pass, then the director decides, treating ``inputs``."""
        self.clock.advance(days=days)
        return self.decide(*inputs)

    def propose(self, body: str = "lmed", by: str = "tr-lokal") -> int:
        return self.act(
            by,
            ev.ProposalSubmitted(
                body=body, title="Flyt ud af lejede lokaler", text="Spar huslejen."
            ),
        )

    def agree(self, body: str = "hmed") -> int:
        """Both sides accept the director's compromise and reach a guideline agreement."""
        proposal = self.act(
            "direktor", ev.CompromiseProposed(body=body, terms="Politikken gælder fra 1. maj.")
        )
        self.act("direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
        self.act("tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
        return self.act(
            "direktor",
            ev.AgreementReached(
                body=body,
                compromise=proposal,
                text="Trivselspolitik",
                guideline=True,
                guideline_type="procedure",
                guideline_id=f"{self.matter}-trivsel",
            ),
        )

    def claim_breach(self, text: str, by: str = "tr", concerns: int = 1) -> int:
        return self.act(by, ev.BreachClaimed(body="hmed", concerns=concerns, text=text))

    def approve(self, meeting: int, by: str) -> int:
        return self.act(by, ev.MinutesApproved(meeting=meeting, minutes_sha256=MINUTES))

    def refer(self, by: str = "direktor") -> int:
        return self.act(
            by,
            ev.ReferredToPolitics(
                committee="udvalg", date=self.clock.date(days=7), proposal_reference="Punkt 4"
            ),
        )

    def hearing(self, bodies: tuple[str, ...] = ("hmed",), by: str = "direktor") -> int:
        return self.act(
            by, ev.HearingOpened(bodies=list(bodies), respond_by=self.clock.date(days=14))
        )
