"""The chairs' and secretariats' pages: a calendar of meetings per body, and one meeting.

A meeting is a body and a day; its agenda items are the matters with a
``MeetingHeld`` of that body on that day (``web/meetings.py``).  The meeting
page shows each item's attendance, the minutes' digest, who approved them
and who still has to, and whether they were published, with the signing
forms (``web/meeting_actions.py``) one click away.  Recording a meeting
starts here too: choose the body, the day and the matter on the agenda.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.access import Access
from api.deps import BodyPath, LedgerId
from api.errors import MalformedRequestError
from ledger.protocol.envelope import ID_PATTERN
from ledger.service.documents import documents_kept
from web.context import logged_in, site_of
from web.meetings import (
    Meeting,
    MeetingNotFoundError,
    approvers,
    awaiting,
    deadlines,
    meetings_of,
    today,
)
from web.render import PageRoute, render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def agenda_choices(access: Access, body: str) -> list[tuple[str, str]]:
    """Open matters the reader may read that ``body`` may take up (it is involved)."""
    return sorted(
        (matter_id, matter.title)
        for matter_id, matter in list(access.state.matters.items())
        if not matter.ended and body in matter.involved and access.may_read(matter_id)
    )


def held_bodies(access: Access) -> list[str]:
    """The reader's bodies where they sit as chair or secretary (who record meetings)."""
    members = access.state.registry.members
    return [
        body
        for body in access.bodies
        if {"chair", "secretary"} & members.get(body, {})[access.reader.person].roles
    ]


@router.get("/l/{ledger}/moeder")
def calendar(request: Request, ledger: LedgerId) -> Response:
    """The meetings in the reader's matters by body, newest first; record a new one."""
    site, session, access = logged_in(request, ledger)
    asked = request.query_params.get("body") or None
    meetings = meetings_of(access, asked)
    by_body: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        by_body.setdefault(meeting.body, []).append(meeting)
    recording = held_bodies(access)
    chosen = asked if asked in recording else (recording[0] if recording else None)
    return render_page(
        request,
        "meeting_calendar.html",
        session,
        site,
        by_body=by_body,
        body_names=session.state.registry.body_names(),
        recording=recording,
        chosen=chosen,
        day=request.query_params.get("date") or today().isoformat(),
        agenda=agenda_choices(access, chosen) if chosen else [],
        matter=request.query_params.get("matter", ""),
        plan=deadlines(session.state, chosen, today()) if chosen else None,
    )


@router.get("/l/{ledger}/moeder/registrer")
def record(request: Request, ledger: LedgerId) -> Response:
    """Go on to the meeting form of the matter chosen for the agenda."""
    site = site_of(request)
    site.session(request, ledger)
    asked = {k: request.query_params.get(k, "") for k in ("body", "date", "matter", "minutes")}
    for name in ("body", "matter"):
        if not re.fullmatch(ID_PATTERN, asked[name]):
            raise MalformedRequestError(f"choose a {name}", field=name)
    try:
        date.fromisoformat(asked["date"])
    except ValueError as error:
        raise MalformedRequestError("choose a day", field="date") from error
    minutes = asked["minutes"] if re.fullmatch("[0-9a-f]{64}", asked["minutes"]) else ""
    target = f"/l/{ledger}/sager/{asked['matter']}/handling/meeting?body={asked['body']}"
    target += f"&date={asked['date']}" + (f"&minutes={minutes}" if minutes else "")
    return RedirectResponse(target, status_code=303)


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


@router.get("/l/{ledger}/moeder/{body}/{day}")
def meeting_page(request: Request, ledger: LedgerId, body: BodyPath, day: str) -> Response:
    """One meeting: its agenda items, attendance, minutes, approvals and publication."""
    site, session, access = logged_in(request, ledger)
    found = [m for m in meetings_of(access, body) if m.day == day] if _is_day(day) else []
    if not found:
        raise MeetingNotFoundError(f"no meeting of {body} on {day} in your matters", body=body)
    meeting = found[0]
    needed = approvers(session.state, body)
    seat = session.state.registry.members.get(body, {}).get(session.person)
    roles = set(seat.roles) if seat is not None else set()
    items: list[dict[str, Any]] = [
        {"item": item, "awaiting": awaiting(item, needed)} for item in meeting.items
    ]
    return render_page(
        request,
        "meeting.html",
        session,
        site,
        meeting=meeting,
        items=items,
        body_name=session.state.registry.body_names().get(body, body),
        may_approve=bool({"chair", "vice_chair"} & roles),
        may_publish=bool({"chair", "secretary"} & roles),
        may_record=bool({"chair", "secretary"} & roles),
        deadlines=deadlines(session.state, body, date.fromisoformat(day)),
        agenda=agenda_choices(access, body),
        me=session.person,
        kept=documents_kept(site.context.service, session.origin, meeting.digests),
    )
