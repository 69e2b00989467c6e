"""Acting on a matter: the form, the words the person signs, the head to sign on.

The server never signs.  It renders the form, and when the person asks to
sign it turns the form into the event's payload, checks it against the
event's schema and says in plain words what will be signed ("Du
underskriver: ...").  The browser then signs exactly that payload with the
person's own key (``static/js/sign.js``) and posts it to the API; the
write-time rules decide whether that person may sign it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from api.access import Access
from api.deps import LedgerId, MatterId, StreamId
from api.errors import MalformedRequestError
from api.routers.streams import stream_head
from ledger.domain import events as ev
from ledger.domain.matters import AFTER_END_TYPES
from ledger.domain.state import LedgerState
from ledger.errors import MatterEndedError, UnknownStreamError
from ledger.protocol.envelope import matter_stream
from web import meeting_actions
from web.action_hooks import ActionHooks
from web.context import Site, page_context, site_of
from web.i18n import Lang, format_date, message
from web.render import PageRoute, render, request_lang
from web.session import Session, check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Action:
    """One thing a representative can do on a matter: the event it signs and its fields."""

    name: str
    event: type[ev.Payload]
    fields: tuple[str, ...]
    hooks: ActionHooks | None = None
    """An action with a form, payload and words of its own (``web/action_hooks.py``)."""


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("position", ev.PositionStated, ("body", "side", "stance", "text", "proposals")),
        Action(
            "disagreement", ev.DisagreementRecorded, ("body", "points", "legitimate_difference")
        ),
        Action("compromise", ev.CompromiseProposed, ("body", "terms")),
        Action("accept", ev.CompromiseAccepted, ("proposal", "side")),
        Action("proposal", ev.ProposalSubmitted, ("body", "title", "text")),
        Action("hearing", ev.HearingResponseSubmitted, ("body", "text")),
        Action("acknowledge", ev.ConsultationAcknowledged, ("body", "adequate_time", "comment")),
        Action("breach", ev.BreachClaimed, ("body", "concerns", "text")),
        Action(
            "meeting",
            ev.MeetingHeld,
            ("body", "date", "agenda_item", "present", "absent", "minutes_sha256"),
            meeting_actions.MEETING,
        ),
        Action(
            "approve", ev.MinutesApproved, ("meeting", "minutes_sha256"), meeting_actions.APPROVE
        ),
        Action(
            "publish",
            ev.MinutesPublished,
            ("meeting", "minutes_sha256", "channel"),
            meeting_actions.PUBLISH,
        ),
    )
}
STANCES = ("support", "support_with_changes", "oppose", "abstain")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def payload_of(action: Action, form: dict[str, str]) -> dict[str, Any]:
    """The event payload a filled-in form stands for (not yet checked)."""
    if action.hooks is not None:
        return action.hooks.payload(form)
    found: dict[str, Any] = {}
    for name in action.fields:
        value = form.get(name, "")
        if name in ("proposals", "points"):
            lines = _lines(value)
            if lines or name == "points":
                found[name] = lines
        elif name == "legitimate_difference":
            found[name] = value == "yes"
        elif name == "adequate_time":
            found[name] = {"yes": True, "no": False}.get(value, value)
        elif name in ("proposal", "concerns"):
            found[name] = int(value) if value.isdigit() else value
        elif name == "comment":
            if value.strip():
                found[name] = value.strip()
        else:
            found[name] = value.strip()
    return found


def checked_payload(action: Action, form: dict[str, str]) -> dict[str, Any]:
    """The payload, checked against the event's schema; MalformedRequestError otherwise."""
    payload = payload_of(action, form)
    try:
        action.event.model_validate(payload)
    except ValidationError as error:
        fields = sorted({str(problem["loc"][0]) for problem in error.errors() if problem["loc"]})
        raise MalformedRequestError(
            f"the form is not a valid {action.event.__name__}: {', '.join(fields)}",
            fields=fields,
        ) from error
    return payload


def words(
    action: Action, payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang
) -> str:
    """What the person signs, in plain words ("Du underskriver: ...")."""
    if action.hooks is not None:
        said = action.hooks.words(payload, state, matter, lang)
        return message(lang, "sign.prefix") + " " + said
    bodies = {b: body.name for b, body in list(state.registry.bodies.items())}
    title = state.matters[matter].opened.title
    values: dict[str, Any] = {
        "title": title,
        "body": bodies.get(str(payload.get("body")), payload.get("body")),
    }
    if "side" in payload:
        values["side"] = message(lang, f"side.{payload['side']}")
    if "stance" in payload:
        values["stance"] = message(lang, f"stance.{payload['stance']}")
    for name in ("text", "terms", "comment"):
        if name in payload:
            values[name] = payload[name]
    if action.name == "proposal":
        values["proposal_title"] = payload["title"]
    if "points" in payload:
        values["points"] = " / ".join(payload["points"])
    if "proposals" in payload:
        values["proposals"] = " / ".join(payload["proposals"])
    if "legitimate_difference" in payload:
        values["legitimate"] = message(
            lang, "sign.legitimate" if payload["legitimate_difference"] else "sign.not_legitimate"
        )
    if "adequate_time" in payload:
        values["adequate"] = message(
            lang, "sign.adequate" if payload["adequate_time"] else "sign.not_adequate"
        )
    if "proposal" in payload or "concerns" in payload:
        seq = int(payload.get("proposal") or payload.get("concerns") or 0)
        values["seq"] = seq
    values.setdefault("comment", "")
    values.setdefault("proposals", message(lang, "sign.none"))
    return message(lang, "sign.prefix") + " " + message(lang, f"sign.{action.name}", **values)


@dataclass(frozen=True)
class Choices:
    """What the form offers: the reader's bodies with their side, and earlier events."""

    bodies: list[tuple[str, str, str]]  # (body id, name, side)
    compromises: list[tuple[int, str]]
    events: list[tuple[int, str]]
    consultations: list[tuple[str, str]]


def choices(state: LedgerState, person: str, matter: str, lang: Lang) -> Choices:
    registry = state.registry
    bodies = [
        (body, registry.bodies[body].name, seat.side)
        for body, members in sorted(registry.members.items())
        if (seat := members.get(person)) is not None and body in registry.bodies
    ]
    found = state.matters[matter]
    events = list(found.events.items())
    compromises = [
        (seq, f"{seq}: {info.payload.terms[:80]}")
        for seq, info in events
        if isinstance(info.payload, ev.CompromiseProposed)
    ]
    listed = [(seq, f"{seq}: {info.type} ({info.actor})") for seq, info in events]
    consultations = [
        (info.payload.body, format_date(info.payload.respond_by, lang))
        for _, info in events
        if isinstance(info.payload, ev.ConsultationOpened)
    ]
    return Choices(bodies, compromises, listed, consultations)


def _open(site: Site, request: Request, ledger: str, matter: str, action: Action) -> Session:
    session = site.session(request, ledger)
    Access(session.reader, session.state).require_matter(matter)
    after_end = action.event.__name__ in AFTER_END_TYPES
    if session.state.matters[matter].ended and not after_end:
        raise MatterEndedError(f"matter {matter} has ended", matter=matter)
    return session


def _action(name: str) -> Action:
    found = ACTIONS.get(name)
    if found is None:
        raise UnknownStreamError(f"no action {name!r}", action=name)
    return found


@router.get("/l/{ledger}/sager/{matter}/handling/{name}")
def action_form(request: Request, ledger: LedgerId, matter: MatterId, name: str) -> Response:
    """The form of one action, signed in the browser after its words are shown."""
    site = site_of(request)
    action = _action(name)
    session = _open(site, request, ledger, matter, action)
    lang = request_lang(request)
    return render(
        request,
        "action.html",
        **page_context(
            session,
            site,
            action=action,
            matter_id=matter,
            matter_title=session.state.matters[matter].opened.title,
            choices=choices(session.state, session.person, matter, lang),
            stances=STANCES,
            stream=matter_stream(matter),
            origin=session.origin,
            **(action.hooks.context(request, site, session, matter) if action.hooks else {}),
        ),
    )


@router.post("/l/{ledger}/sager/{matter}/handling/{name}/ord")
async def action_words(request: Request, ledger: LedgerId, matter: MatterId, name: str) -> Response:
    """The payload the form stands for and the words the person signs (nothing is stored)."""
    site = site_of(request)
    action = _action(name)
    session = _open(site, request, ledger, matter, action)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, session, form.get("csrf"))
    payload = checked_payload(action, form)
    lang = request_lang(request)
    return JSONResponse(
        {
            "type": action.event.__name__,
            "stream": matter_stream(matter),
            "payload": payload,
            "words": words(action, payload, session.state, matter, lang),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get("/l/{ledger}/hoved/{stream:path}")
def head(request: Request, ledger: LedgerId, stream: StreamId) -> Response:
    """The stream's head as the API answers it: what the browser signs the next event on."""
    site = site_of(request)
    session = site.session(request, ledger)
    answer = stream_head(stream, Access(session.reader, session.state))
    return JSONResponse(answer.model_dump(), headers={"Cache-Control": "no-store"})
