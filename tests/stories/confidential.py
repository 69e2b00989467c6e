"""A municipality whose matters carry a marker in every free-text field, to catch leaks.

Three bodies: HovedMED (``hmed``) over two LokalMEDs (``lmed``, ``anden``).
Three matters, each of whose free text (title, description, documents'
titles, questions, positions, proposals, disagreements, hearing responses,
outcomes, rationales, reasons) contains its own marker, so a test can grep
any response's raw bytes for the text of a matter its reader may not read:

- ``hemmelig`` (HovedMED's): consulted in HovedMED only; the ``anden``
  LokalMED's representative submits a proposal into it (which must not make
  ``anden`` a reader); decided over an unanswered disagreement;
- ``aaben`` (HovedMED's): material and a hearing sent to ``lmed``, which
  answers; ``tidligere`` sat in ``lmed`` then, and leaves afterwards;
- ``lokal`` (``lmed``'s): opened after ``tidligere`` left.

At the end HovedMED agrees the guideline ``hjemmearbejde`` in ``hemmelig``, and a
breach claim is raised there.

The readers, one of each kind DESIGN.md section 10 names, are ``READERS``.
"""

from __future__ import annotations

import hashlib

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.stories.school import school_structure

MINUTES = hashlib.sha256(b"referat").hexdigest()
"""The digest of the minutes of the LokalMED meetings ``local_meeting`` holds."""

MARKERS = {"hemmelig": "XQ7SECRET", "aaben": "XQ7OPEN", "lokal": "XQ7LOCAL"}

# Each kind of reader, and the person who is it (None: no token at all).
READERS: dict[str, str | None] = {
    "responsible": "tr",  # employee side of HovedMED, the responsible body
    "other": "tr-anden",  # another LokalMED; proposes into ``hemmelig``
    "consulted": "tr-lokal",  # a LokalMED only sent material and a hearing on ``aaben``
    "left": "tidligere",  # sat in that LokalMED when it was consulted; left since
    "revoked": "mistet",  # HovedMED; their key is revoked after they logged in
    "auditor": "revisor",
    "admin": "admin",  # the founding admin, a member of no body
    "other_ledger": "nabo-tr",  # a person of another ledger, with its token
    "anonymous": None,
}

# Who may read each matter, by kind of reader.
MATTER_READERS = {
    "hemmelig": frozenset({"responsible", "auditor"}),
    "aaben": frozenset({"responsible", "consulted", "auditor"}),
    "lokal": frozenset({"consulted", "auditor"}),
}

_SEATS: tuple[tuple[str, ...], ...] = (
    ("hmed", "direktor", "management", "chair"),
    ("hmed", "tr", "employees", "tr", "vice_chair"),
    ("hmed", "mistet", "employees", "member"),
    ("lmed", "leder", "management", "chair"),
    ("lmed", "tr-lokal", "employees", "tr"),
    ("lmed", "tidligere", "employees", "member"),
    ("anden", "leder-anden", "management", "chair"),
    ("anden", "tr-anden", "employees", "tr"),
)


def _text(matter: str, what: str) -> str:
    return f"{MARKERS[matter]} {what}"


def _document(matter: str) -> ev.Document:
    return ev.Document(
        title=_text(matter, "document"), sha256=hashlib.sha256(matter.encode()).hexdigest()
    )


def _opened(org: Organisation, matter: str, **changes: str) -> ev.MatterOpened:
    return school_structure(
        org.clock,
        title=_text(matter, "title"),
        description=_text(matter, "description"),
        case_number=_text(matter, "case"),
        **changes,
    )


def found_municipality(org: Organisation) -> None:
    """People, bodies and seats of the story (``org`` is a fresh ledger)."""
    for person in sorted({seat[1] for seat in _SEATS}):
        org.person(person, person.replace("-", " ").title())
    org.person("revisor", "Rikke Revisor", roles=("auditor",))
    org.body("hmed", "HovedMED", "hovedmed")
    org.body("lmed", "LokalMED Skole", "lokalmed", parent="hmed")
    org.body("anden", "LokalMED Dagtilbud", "lokalmed", parent="hmed")
    for body, person, side, *roles in _SEATS:
        org.appoint(body, person, side, *roles)


def tell_secret_matter(org: Organisation) -> None:
    """``hemmelig``: HovedMED consulted; a proposal from ``anden``; decided in dissent."""
    m = "hemmelig"
    org.act("direktor", m, _opened(org, m))
    org.act("direktor", m, ev.MaterialShared(documents=[_document(m)], bodies=["hmed"]))
    respond_by = org.clock.date(days=14)
    question = _text(m, "question")
    org.act(
        "direktor", m, ev.ConsultationOpened(body="hmed", question=question, respond_by=respond_by)
    )
    position = ev.PositionStated(
        body="hmed",
        side="employees",
        stance="oppose",
        text=_text(m, "position"),
        proposals=[_text(m, "position proposal")],
    )
    seq = int(org.act("tr", m, position)["seq"])
    proposal = ev.ProposalSubmitted(
        body="anden", title=_text(m, "proposal title"), text=_text(m, "proposal text")
    )
    org.act("tr-anden", m, proposal)
    org.act("tr", m, ev.DisagreementRecorded(body="hmed", points=[_text(m, "disagreement")]))
    org.clock.advance(days=20)
    decision = ev.DecisionMade(
        outcome=_text(m, "outcome"),
        rationale=_text(m, "rationale"),
        inputs=[ev.DecisionInput(event=seq, treatment="not_adopted", reason=_text(m, "reason"))],
    )
    org.act("direktor", m, decision)


def tell_open_matter(org: Organisation) -> None:
    """``aaben``: material and a hearing sent to ``lmed``, which answers."""
    m = "aaben"
    org.act("direktor", m, _opened(org, m))
    org.act("direktor", m, ev.MaterialShared(documents=[_document(m)], bodies=["hmed", "lmed"]))
    org.act("direktor", m, ev.HearingOpened(bodies=["lmed"], respond_by=org.clock.date(days=14)))
    org.clock.advance(days=3)
    org.act("tr-lokal", m, ev.HearingResponseSubmitted(body="lmed", text=_text(m, "response")))


def tell_local_matter(org: Organisation) -> None:
    """``lokal``: the LokalMED's own matter, opened after ``tidligere`` left it."""
    m = "lokal"
    org.act("leder", m, _opened(org, m, responsible_body="lmed", decision_maker="leder"))
    position = ev.PositionStated(
        body="lmed", side="employees", stance="support", text=_text(m, "position")
    )
    org.act("tr-lokal", m, position)


def tell_guideline_and_claim(org: Organisation) -> None:
    """In ``hemmelig``, HovedMED's two sides agree a guideline, and ``tr`` claims in writing
    that the duty to discuss was breached: the register and the dispute view must show
    neither the matter's text nor, to whom may not read it, the matter."""
    m = "hemmelig"
    proposal = int(
        org.act("direktor", m, ev.CompromiseProposed(body="hmed", terms=_text(m, "terms")))["seq"]
    )
    org.act("direktor", m, ev.CompromiseAccepted(proposal=proposal, side="management"))
    org.act("tr", m, ev.CompromiseAccepted(proposal=proposal, side="employees"))
    agreement = ev.AgreementReached(
        body="hmed",
        compromise=proposal,
        text=_text(m, "guideline"),
        guideline=True,
        guideline_type="optional",
        guideline_id="hjemmearbejde",
    )
    org.act("direktor", m, agreement)
    org.act("tr", m, ev.BreachClaimed(body="hmed", concerns=1, text=_text(m, "claim")))


def tell(org: Organisation) -> None:
    """The whole story, in log order; every reader's key is still valid at its end."""
    found_municipality(org)
    tell_secret_matter(org)
    tell_open_matter(org)
    org.clock.advance(days=1)
    org.registry(ev.MemberLeft(body="lmed", person="tidligere"))
    org.clock.advance(days=1)
    tell_local_matter(org)
    tell_guideline_and_claim(org)


def local_meeting(org: Organisation, matter: str) -> int:
    """A LokalMED matter taken up at a meeting whose minutes await approval; its seq."""
    org.act(
        "leder",
        matter,
        school_structure(
            org.clock, title=f"Sag {matter}", responsible_body="lmed", decision_maker="leder"
        ),
    )
    org.act("tr-lokal", matter, ev.DisagreementRecorded(body="lmed", points=["Nej"]))
    held = ev.MeetingHeld(
        body="lmed",
        date=org.clock.date(),
        agenda_item=f"Punkt: {matter}",
        present=["leder", "tr-lokal"],
        minutes_sha256=MINUTES,
    )
    return int(org.act("leder", matter, held)["seq"])
