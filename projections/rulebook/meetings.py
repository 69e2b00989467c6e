"""Rules on the bodies' meetings: MED-07 (material), MED-08 (the AMR), MED-12 (minutes).

MED-07 and MED-12 are local rules: a body's forretningsorden sets when the
agenda and material go out and when the minutes are approved, so their day
counts are the body's own parameters (a common norm is material at least 7
days before the meeting).  MED-08 rests on the work-environment rules: the
work environment representative (AMR) takes part in the body's work on a
work-environment matter.  Roles are those in force at the meeting's (or
the approval's) position in the log, never today's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ledger.domain import events as ev
from projections.facts.logged import LoggedEvent
from projections.facts.matter import MatterFacts
from projections.facts.registry import RegistryView
from projections.rulebook.deadlines import midnight
from projections.rulebook.rule import Flag, RuleSettings, ref, rule
from projections.rulebook.sequence import first_after

Meeting = LoggedEvent[ev.MeetingHeld]
Shared = LoggedEvent[ev.MaterialShared]
Approval = LoggedEvent[ev.MinutesApproved]


def held(meeting: Meeting) -> date:
    """The day the meeting was held (its ``date``, not the day it was logged)."""
    return date.fromisoformat(meeting.data.date)


def _next_meeting(meetings: list[Meeting], shared: Shared, body: str) -> Meeting | None:
    """The first meeting of ``body`` logged after ``shared`` and held on or after its day."""
    return first_after(
        meetings, shared.seq, lambda f: f.data.body == body and held(f) >= shared.day
    )


def _med_07(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Material too late: material shared less than N days (the receiving body's own
    setting as of the meeting) before the first meeting of that body held after it."""
    meetings = matter.typed(ev.MeetingHeld)
    for shared in matter.typed(ev.MaterialShared):
        for body in shared.data.bodies:
            meeting = _next_meeting(meetings, shared, body)
            if meeting is None:
                continue
            days = settings("material_days", body, meeting.leaf)
            lead = (held(meeting) - shared.day).days
            if lead >= days:
                continue
            name = registry.body_name(body)
            yield Flag(
                f"material-{shared.seq}-meeting-{meeting.seq}",
                body,
                [shared, meeting],
                f"Materialet {ref(shared)} kom {lead} dage før mødet i {name} {held(meeting)} "
                f"({ref(meeting)}); udvalgets forretningsorden kræver mindst {days} dage.",
                f"Material {ref(shared)} came {lead} days before the meeting of {name} on "
                f"{held(meeting)} ({ref(meeting)}); the body's rules of procedure ask for at "
                f"least {days} days.",
            )


med_07 = rule(
    "MED-07",
    "lokal regel (forretningsorden)",
    "low",
    "Materiale for sent til mødet",
    "Material too late for the meeting",
    material_days=7,
)(_med_07)


def amrs_at(registry: RegistryView, body: str, leaf: int) -> list[str]:
    """The work environment representatives sitting in ``body`` at leaf ``leaf``."""
    return sorted(t.person for t in registry.members(body, leaf) if "amr" in t.roles)


def _given_material(
    registry: RegistryView, matter: MatterFacts, meeting: Meeting, amr: str
) -> Shared | None:
    """Material shared with the meeting's body, logged before the meeting and not after
    its day, while ``amr`` sat in the body (so it reached them)."""
    body = meeting.data.body
    for shared in matter.typed(ev.MaterialShared):
        if shared.seq > meeting.seq or shared.day > held(meeting):
            continue
        if body in shared.data.bodies and registry.membership(body, amr, shared.leaf):
            return shared
    return None


def _med_08(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Work environment without the AMR: a work-environment matter at a meeting of a
    body whose AMR was neither present nor given the material before it, or of a body
    with no AMR at all unless the body says it needs none (``requires_amr`` = 0: a
    staff meeting, or a body outside the work-environment organisation)."""
    if matter.category != "work_environment":
        return
    for meeting in matter.typed(ev.MeetingHeld):
        body = meeting.data.body
        name = registry.body_name(body)
        amrs = amrs_at(registry, body, meeting.leaf)
        when = meeting.data.date
        if not amrs:
            if settings("requires_amr", body, meeting.leaf) == 0:
                continue
            da = "men udvalget har ingen arbejdsmiljørepræsentant."
            en = ", but the body has no work environment representative."
        else:
            present = set(meeting.data.present)
            if present & set(amrs) or any(
                _given_material(registry, matter, meeting, amr) is not None for amr in amrs
            ):
                continue
            who = ", ".join(amrs)
            da = (
                f"uden at arbejdsmiljørepræsentanten ({who}) var til stede eller "
                "havde fået materialet før mødet."
            )
            en = (
                f" with the work environment representative ({who}) "
                "neither present nor given the material before it."
            )
        yield Flag(
            f"meeting-{meeting.seq}",
            body,
            [meeting],
            f"Arbejdsmiljøsagen blev behandlet på mødet i {name} {when} ({ref(meeting)}), {da}",
            f"The work environment matter was taken up at the meeting of {name} on {when} "
            f"({ref(meeting)}){en}",
        )


med_08 = rule(
    "MED-08",
    "arbejdsmiljøloven og den lokale MED-aftale (MED-udvalget som arbejdsmiljøorganisation)",
    "medium",
    "Arbejdsmiljø uden AMR",
    "Work environment without the AMR",
    requires_amr=1,
)(_med_08)


def _approved(registry: RegistryView, meeting: Meeting, approvals: list[Approval]) -> bool:
    """Approved by each of chair and vice-chair the body had at the meeting, each approval
    signing the meeting's minutes digest and counting with the roles its signer held
    when approving (a body with neither role needs any one approval)."""
    body = meeting.data.body
    digest = meeting.data.minutes_sha256
    if digest is None:
        return False
    needed: set[str] = set()
    for tenure in registry.members(body, meeting.leaf):
        needed.update({"chair", "vice_chair"} & set(tenure.roles))
    approved_roles: set[str] = set()
    for approval in approvals:
        if approval.data.meeting != meeting.seq:
            continue
        if approval.data.minutes_sha256 != digest:
            continue
        seat = registry.membership(body, approval.actor, approval.leaf)
        if seat is not None:
            approved_roles.update(seat.roles)
    return needed <= approved_roles if needed else bool(approved_roles)


def _med_12(matter: MatterFacts, registry: RegistryView, settings: RuleSettings) -> Iterator[Flag]:
    """Minutes not approved within N days (the body's own setting as of the meeting) of
    the meeting by its chair and vice-chair, each signing the minutes' digest; an
    approval at a later meeting counts when it is logged."""
    approvals = matter.typed(ev.MinutesApproved)
    for meeting in matter.typed(ev.MeetingHeld):
        if _approved(registry, meeting, approvals):
            continue
        body = meeting.data.body
        days = settings("approval_days", body, meeting.leaf)
        deadline = held(meeting) + timedelta(days=days)
        name = registry.body_name(body)
        if meeting.data.minutes_sha256 is None:
            text_da = (
                f"Mødet i {name} {held(meeting)} ({ref(meeting)}) blev registreret uden "
                f"referat (intet digest), så intet referat er godkendt inden for {days} dage "
                f"(frist {deadline})."
            )
            text_en = (
                f"The meeting of {name} on {held(meeting)} ({ref(meeting)}) was recorded "
                f"without minutes (no digest), so none were approved within {days} days "
                f"(due {deadline})."
            )
        else:
            text_da = (
                f"Referatet af mødet i {name} {held(meeting)} ({ref(meeting)}) er ikke "
                f"godkendt af formand og næstformand inden for {days} dage (frist {deadline})."
            )
            text_en = (
                f"The minutes of the meeting of {name} on {held(meeting)} ({ref(meeting)}) "
                f"were not approved by chair and vice-chair within {days} days (due {deadline})."
            )
        yield Flag(
            f"meeting-{meeting.seq}",
            body,
            [meeting],
            text_da,
            text_en,
            due=midnight(deadline + timedelta(days=1)),
        )


med_12 = rule(
    "MED-12",
    "lokal regel (forretningsorden)",
    "low",
    "Referat ikke godkendt",
    "Minutes not approved",
    approval_days=14,
)(_med_12)
