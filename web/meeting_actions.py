"""The meeting's signing forms: a meeting held (attendance, minutes' digest), minutes
approved, minutes published.  Registered in ``web.actions.ACTIONS`` with their hooks, so
they go through the one pipeline: the words, the confirm panel, the browser's signature.

Attendance is ticked from the body's membership on the meeting's day (``rm_memberships``,
read through the API's reading path).  ``MeetingHeld`` knows present and absent only: a
member who sent apologies (afbud) is recorded as absent, and the words say so.  The
minutes are written in the form or chosen as a file; the browser computes their SHA-256
(``static/js/minutes.js``) and that digest is what the meeting event commits to and what
each approval and the publication sign.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import Request

from api.access import Access
from api.errors import MalformedRequestError
from api.reading import Read
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from web.action_hooks import ActionHooks
from web.context import Site
from web.i18n import Lang, format_date, message
from web.meetings import deadlines, meeting_event, members_on, today
from web.session import Session

ATTENDANCE = ("present", "absent", "excused")
ATTENDANCE_PREFIX = "att-"


def _chosen_day(request: Request) -> date:
    asked = request.query_params.get("date", "")
    try:
        return date.fromisoformat(asked) if asked else today()
    except ValueError as error:
        raise MalformedRequestError(f"date {asked!r} is not a day", field="date") from error


def _held_bodies(state: LedgerState, person: str) -> list[tuple[str, str]]:
    """The bodies where ``person`` sits as chair or secretary now (who records meetings)."""
    registry = state.registry
    return [
        (body, registry.bodies[body].name)
        for body, seats in sorted(registry.members.items())
        if (seat := seats.get(person)) is not None
        and {"chair", "secretary"} & seat.roles
        and body in registry.bodies
    ]


def recording_bodies(state: LedgerState, person: str, matter: str) -> list[str]:
    """The bodies where ``person`` may record a meeting on ``matter``: chair or secretary
    of a body the matter involves."""
    involved = state.matters[matter].involved
    return [body for body, _ in _held_bodies(state, person) if body in involved]


def meeting_context(request: Request, site: Site, session: Session, matter: str) -> dict[str, Any]:
    """The body and day asked for (``?body=&date=``; else the first body the reader may
    record a meeting of on this matter, and today), its members that day, deadlines."""
    bodies = _held_bodies(session.state, session.person)
    asked = request.query_params.get("body", "")
    fitting = recording_bodies(session.state, session.person, matter) or [b for b, _ in bodies]
    body = asked if asked in session.state.registry.bodies else (fitting[0] if fitting else "")
    day = _chosen_day(request)
    minutes = request.query_params.get("minutes", "")
    rows: list[dict[str, Any]] = []
    if body:
        read = Read(session.origin, site.context, None)
        rows = read.view().source.rows("rm_memberships", session.origin, body=body)
    names = {b: body.name for b, body in list(session.state.registry.bodies.items())}
    return {
        "meeting_body": body,
        "meeting_body_name": names.get(body, body),
        "meeting_day": day.isoformat(),
        "attendees": members_on(rows, day.isoformat()),
        "attendance": ATTENDANCE,
        "deadlines": deadlines(session.state, body, day) if body else None,
        "minutes_given": minutes if re.fullmatch("[0-9a-f]{64}", minutes) else "",
        "held_bodies": bodies,
    }


def meeting_payload(form: dict[str, str]) -> dict[str, Any]:
    """``MeetingHeld``: present, and absent (excused included), from the ticked attendance."""
    marks = {
        name.removeprefix(ATTENDANCE_PREFIX): value
        for name, value in form.items()
        if name.startswith(ATTENDANCE_PREFIX)
    }
    payload: dict[str, Any] = {
        "body": form.get("body", "").strip(),
        "date": form.get("date", "").strip(),
        "agenda_item": form.get("agenda_item", "").strip(),
        "present": sorted(p for p, mark in marks.items() if mark == "present"),
        "absent": sorted(p for p, mark in marks.items() if mark in ("absent", "excused")),
        "annual_work_environment_discussion": form.get("annual_work_environment_discussion")
        == "yes",
    }
    digest = form.get("minutes_sha256", "").strip().lower()
    if digest:
        payload["minutes_sha256"] = digest
    return payload


def _names(state: LedgerState) -> dict[str, str]:
    return {b: body.name for b, body in list(state.registry.bodies.items())}


def _people(people: list[str], lang: Lang) -> str:
    return ", ".join(people) if people else message(lang, "sign.none")


def meeting_words(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    digest = payload.get("minutes_sha256")
    minutes = (
        message(lang, "meetings.sign.minutes", digest=digest)
        if digest
        else message(lang, "meetings.sign.no_minutes")
    )
    return message(
        lang,
        "meetings.sign.meeting",
        body=_names(state).get(payload["body"], payload["body"]),
        date=format_date(payload["date"], lang),
        title=state.matters[matter].title,
        agenda_item=payload["agenda_item"],
        present=_people(payload["present"], lang),
        absent=_people(payload["absent"], lang),
        minutes=minutes,
        annual=message(lang, "meetings.sign.annual")
        if payload.get("annual_work_environment_discussion")
        else "",
    )


def _meeting_seq(request: Request) -> int:
    asked = request.query_params.get("meeting", "")
    if not asked.isdigit():
        raise MalformedRequestError("say which meeting: ?meeting=<event number>", field="meeting")
    return int(asked)


def minutes_context(request: Request, site: Site, session: Session, matter: str) -> dict[str, Any]:
    """The meeting whose minutes are approved or published (``?meeting=<seq>``)."""
    Access(session.reader, session.state).require_matter(matter)
    seq = _meeting_seq(request)
    held = meeting_event(session.state, matter, seq)
    return {
        "meeting_seq": seq,
        "meeting": held,
        "meeting_body_name": _names(session.state).get(held.body, held.body),
        "approved_by": sorted(session.state.matters[matter].minutes_approvals.get(seq, set())),
    }


def _seq(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _minutes_payload(form: dict[str, str]) -> dict[str, Any]:
    return {
        "meeting": _seq(form.get("meeting", "")),
        "minutes_sha256": form.get("minutes_sha256", "").strip().lower(),
    }


def approval_payload(form: dict[str, str]) -> dict[str, Any]:
    """``MinutesApproved``; ``at_meeting`` (the later meeting that approved them) if given."""
    at_meeting = form.get("at_meeting", "").strip()
    return {**_minutes_payload(form), **({"at_meeting": _seq(at_meeting)} if at_meeting else {})}


def publish_payload(form: dict[str, str]) -> dict[str, Any]:
    return {**_minutes_payload(form), "channel": form.get("channel", "").strip()}


def _minutes_values(
    payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang
) -> dict[str, Any]:
    held = meeting_event(state, matter, int(payload["meeting"]))
    return {
        "body": _names(state).get(held.body, held.body),
        "date": format_date(held.date, lang),
        "title": state.matters[matter].title,
        "seq": payload["meeting"],
        "digest": payload["minutes_sha256"],
    }


def approval_words(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    values = _minutes_values(payload, state, matter, lang)
    return message(
        lang,
        "meetings.sign.approve",
        at_meeting=_at_meeting_words(payload, state, matter, lang),
        **values,
    )


def _at_meeting_words(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    """The later meeting at which the minutes are approved (its day, if it is a meeting)."""
    seq = payload.get("at_meeting")
    if seq is None:
        return ""
    info = state.matters[matter].events.get(int(seq))
    if info is not None and isinstance(info.payload, ev.MeetingHeld):
        day = format_date(info.payload.date, lang)
        return message(lang, "meetings.sign.at_meeting", seq=seq, date=day)
    return message(lang, "meetings.sign.at_meeting_seq", seq=seq)


def publish_words(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    values = _minutes_values(payload, state, matter, lang)
    return message(lang, "meetings.sign.publish", channel=payload["channel"], **values)


MEETING = ActionHooks(
    meeting_payload, meeting_words, "meeting_fields.html", meeting_context, ("minutes.js",)
)
APPROVE = ActionHooks(
    approval_payload, approval_words, "minutes_fields.html", minutes_context, ("approve.js",)
)
PUBLISH = ActionHooks(publish_payload, publish_words, "minutes_fields.html", minutes_context)
