"""Rules on the bodies' meetings: MED-07 (material), MED-08 (the AMR), MED-12 (minutes).

Roles are those in force at the meeting's (or the approval's) position in
the log, never today's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import midnight
from projections.rulebook.rule import Flag, Parameters, ref, rule
from projections.rulebook.sequence import first_after


def _held(meeting: Fact) -> date:
    return date.fromisoformat(meeting.get("date"))


def _next_meeting(meetings: list[Fact], shared: Fact, body: str) -> Fact | None:
    """The first meeting of ``body`` logged after ``shared`` and held on or after its day."""
    return first_after(
        meetings, shared.seq, lambda f: f.get("body") == body and _held(f) >= shared.day
    )


@rule("MED-07", "local rule", "low", "Materiale for sent", "Material too late", material_days=5)
def med_07(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Material too late: material shared less than N days before the first meeting
    of a receiving body after it."""
    days = parameters["material_days"]
    meetings = matter.of_type("MeetingHeld")
    for shared in matter.of_type("MaterialShared"):
        for body in shared.get("bodies", []):
            meeting = _next_meeting(meetings, shared, body)
            if meeting is None:
                continue
            held = _held(meeting)
            lead = (held - shared.day).days
            if lead >= days:
                continue
            name = registry.body_name(body)
            yield Flag(
                f"material-{shared.seq}-meeting-{meeting.seq}",
                body,
                [shared, meeting],
                f"Materialet {ref(shared)} kom {lead} dage før mødet i {name} {held} "
                f"({ref(meeting)}); reglen kræver mindst {days} dage.",
                f"Material {ref(shared)} came {lead} days before the meeting of {name} on "
                f"{held} ({ref(meeting)}); the rule asks for at least {days} days.",
            )


def _amrs(registry: RegistryView, meeting: Fact, people: list[str]) -> list[str]:
    """Those of ``people`` who held the role ``amr`` in the meeting's body at the meeting."""
    body = str(meeting.get("body"))
    return [
        person
        for person in people
        if (seat := registry.membership(body, person, meeting.leaf)) is not None
        and "amr" in seat.roles
    ]


@rule(
    "MED-08",
    "work-environment rules",
    "medium",
    "Arbejdsmiljø uden AMR",
    "Work environment without AMR",
)
def med_08(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Work environment without AMR: a work environment matter discussed at a meeting
    where no work environment representative of the body was present."""
    if matter.category != "work_environment":
        return
    for meeting in matter.of_type("MeetingHeld"):
        if _amrs(registry, meeting, meeting.get("present", [])):
            continue
        absent = _amrs(registry, meeting, meeting.get("absent", []))
        body = str(meeting.get("body"))
        name = registry.body_name(body)
        note_da = f" (AMR fraværende: {', '.join(absent)})" if absent else ""
        note_en = f" (AMR absent: {', '.join(absent)})" if absent else ""
        yield Flag(
            f"meeting-{meeting.seq}",
            body,
            [meeting],
            f"Arbejdsmiljøsagen blev drøftet på mødet i {name} {meeting.get('date')} "
            f"({ref(meeting)}) uden en arbejdsmiljørepræsentant til stede{note_da}.",
            f"The work environment matter was discussed at the meeting of {name} on "
            f"{meeting.get('date')} ({ref(meeting)}) with no work environment "
            f"representative present{note_en}.",
        )


def _minutes_approved(registry: RegistryView, meeting: Fact, approvals: list[Fact]) -> bool:
    """Approved by each of chair and vice-chair the body had at the meeting, each
    approval counting with the roles its signer held when approving (a body with
    neither role needs any one approval)."""
    body = str(meeting.get("body"))
    needed: set[str] = set()
    for tenure in registry.members(body, meeting.leaf):
        needed.update({"chair", "vice_chair"} & set(tenure.roles))
    approved_roles: set[str] = set()
    for approval in approvals:
        if int(approval.get("meeting")) != meeting.seq:
            continue
        seat = registry.membership(body, approval.actor, approval.leaf)
        if seat is not None:
            approved_roles.update(seat.roles)
    return needed <= approved_roles if needed else bool(approved_roles)


@rule(
    "MED-12", "local rule", "low", "Referat ikke godkendt", "Minutes not approved", approval_days=14
)
def med_12(matter: MatterFacts, registry: RegistryView, parameters: Parameters) -> Iterator[Flag]:
    """Minutes not approved within N days of the meeting by its chair and vice-chair."""
    days = parameters["approval_days"]
    approvals = matter.typed("MinutesApproved")
    for meeting in matter.of_type("MeetingHeld"):
        if _minutes_approved(registry, meeting, approvals):
            continue
        held = _held(meeting)
        deadline = held + timedelta(days=days)
        name = registry.body_name(str(meeting.get("body")))
        yield Flag(
            f"meeting-{meeting.seq}",
            str(meeting.get("body")),
            [meeting],
            f"Referatet af mødet i {name} {held} ({ref(meeting)}) er ikke godkendt af "
            f"formand og næstformand inden for {days} dage (frist {deadline}).",
            f"The minutes of the meeting of {name} on {held} ({ref(meeting)}) were not "
            f"approved by chair and vice-chair within {days} days (due {deadline}).",
            due=midnight(deadline + timedelta(days=1)),
        )
