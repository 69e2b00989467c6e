"""Acting on a matter: the form, the words the person signs, the head to sign on.

The server never signs.  It renders the form, and when the person asks to
sign it turns the form into the event's payload, checks it against the
event's schema and says in plain words what will be signed ("Du
underskriver: ...").  The browser then signs exactly that payload with the
person's own key (``static/js/sign.js``) and posts it to the API; the
write-time rules decide whether that person may sign it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from api.access import Access
from api.deps import LedgerId, MatterId, StreamId
from api.errors import MalformedRequestError, ledger_error_response
from api.routers.streams import stream_head
from ledger.domain import events as ev
from ledger.domain.matters import AFTER_END_TYPES
from ledger.domain.state import LedgerState
from ledger.errors import LedgerError, MatterEndedError, UnknownStreamError
from ledger.protocol.envelope import matter_stream
from web import meeting_actions, offers
from web.action_hooks import ActionHooks
from web.context import Site, site_of
from web.dry_run_view import dry_run_words
from web.i18n import Lang, format_date, message, shown
from web.render import PageRoute, render_page, request_lang
from web.session import Session, check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)


Build = Callable[[dict[str, str], LedgerState, str], dict[str, Any]]
"""A form (and the matter it is on) -> the event payload it stands for, not yet checked."""
Say = Callable[[dict[str, Any], LedgerState, str, Lang], str]
"""A checked payload -> what the person signs, in plain words (without "Du underskriver:")."""
Choose = Callable[[LedgerState, str, str, Lang], dict[str, Any]]
"""What an action's own form offers (state, person, matter, language)."""
Offer = Callable[[LedgerState, str, str], bool]
"""Whether the matter page offers the action to this person (the write-time rules decide)."""


@dataclass(frozen=True)
class Action:
    """One thing a person can do on a matter: the event it signs and its fields.

    The representative's actions need only ``fields``: the shared form
    (``action.html``) knows them.  An action with fields of its own names a
    template ``form`` for them, ``choose`` for what it offers, ``build`` to
    turn the form into a payload and ``say`` for its words; ``offer`` says
    to whom the matter page offers it (without it: to everyone).
    """

    name: str
    event: type[ev.Payload]
    fields: tuple[str, ...]
    hooks: ActionHooks | None = None
    """An action with a form, payload and words of its own (``web/action_hooks.py``)."""
    form: str | None = None
    choose: Choose | None = None
    build: Build | None = None
    say: Say | None = None
    offer: Offer | None = None


def _shared_form(name: str, event: type[ev.Payload], offer: Offer) -> Action:
    """An action on the shared form (``action.html``), which asks for each field of its event."""
    return Action(name, event, tuple(event.model_fields), offer=offer)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _shared_form("position", ev.PositionStated, offers.speaks_in_matter),
        _shared_form("disagreement", ev.DisagreementRecorded, offers.speaks_in_matter),
        _shared_form("compromise", ev.CompromiseProposed, offers.speaks_in_matter),
        _shared_form("accept", ev.CompromiseAccepted, offers.accepts_for_a_side),
        _shared_form("proposal", ev.ProposalSubmitted, offers.any_member),
        _shared_form("hearing", ev.HearingResponseSubmitted, offers.heard),
        _shared_form("acknowledge", ev.ConsultationAcknowledged, offers.speaks_in_matter),
        _shared_form("breach", ev.BreachClaimed, offers.employee_side_involved),
        Action(
            "meeting",
            ev.MeetingHeld,
            ("body", "date", "agenda_item", "present", "absent", "minutes_sha256"),
            meeting_actions.MEETING,
            offer=offers.records_meetings,
        ),
        Action(
            "approve",
            ev.MinutesApproved,
            ("meeting", "minutes_sha256"),
            meeting_actions.APPROVE,
            offer=offers.from_the_meeting_page,
        ),
        Action(
            "publish",
            ev.MinutesPublished,
            ("meeting", "minutes_sha256", "channel"),
            meeting_actions.PUBLISH,
            offer=offers.from_the_meeting_page,
        ),
    )
}


def register(*actions: Action) -> None:
    """Add actions to the registry (each area registers its own, by a new name)."""
    for action in actions:
        if action.name in ACTIONS:
            raise ValueError(f"an action {action.name!r} is already registered")
        ACTIONS[action.name] = action


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


def checked_payload(
    action: Action, form: dict[str, str], state: LedgerState | None = None, matter: str = ""
) -> dict[str, Any]:
    """The payload, checked against the event's schema; MalformedRequestError otherwise."""
    if action.build is not None and state is not None:
        payload = action.build(form, state, matter)
    else:
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
    if action.say is not None:
        return message(lang, "sign.prefix") + " " + action.say(payload, state, matter, lang)
    if action.hooks is not None:
        said = action.hooks.words(payload, state, matter, lang)
        return message(lang, "sign.prefix") + " " + said
    bodies = state.registry.body_names()
    title = state.matters[matter].title
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
        (seq, f"{seq}: {shown(info.payload.terms, lang)[:80]}")
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
    chosen = action.choose(session.state, session.person, matter, lang) if action.choose else {}
    return render_page(
        request,
        "action.html",
        session,
        site,
        action=action,
        matter_id=matter,
        matter_title=session.state.matters[matter].title,
        choices=choices(session.state, session.person, matter, lang),
        stances=STANCES,
        extra=chosen,
        next_page=chosen.get("next_page"),
        stream=matter_stream(matter),
        **(action.hooks.context(request, site, session, matter) if action.hooks else {}),
    )


@router.post("/l/{ledger}/sager/{matter}/handling/{name}/ord")
async def action_words(request: Request, ledger: LedgerId, matter: MatterId, name: str) -> Response:
    """The payload the form stands for, the words the person signs and the dry run of
    exactly that event by that person (nothing is stored)."""
    site = site_of(request)
    action = _action(name)
    session = _open(site, request, ledger, matter, action)
    return signing_answer(request, site, session, action, await form_of(request), matter)


async def form_of(request: Request) -> dict[str, str]:
    """The posted form; a field given more than once (checkboxes) as its values, one a line."""
    data = await request.form()
    return {key: "\n".join(str(value) for value in data.getlist(key)) for key in data}


def signing_answer(
    request: Request,
    site: Site,
    session: Session,
    action: Action,
    form: dict[str, str],
    matter: str,
) -> Response:
    """What the browser shows before signing: the event's type, stream and payload, its
    words, and its dry run; a ledger error as the API answers it (status, stable code)."""
    lang = request_lang(request)
    stream = matter_stream(matter)
    try:
        check_csrf(request, session, form.get("csrf"))
        payload = checked_payload(action, form, session.state, matter)
        said = words(action, payload, session.state, matter, lang)
        dry_run = dry_run_words(site.context, session, stream, action.event.__name__, payload, lang)
    except LedgerError as error:
        refused = ledger_error_response(error)
        refused.headers["Cache-Control"] = "no-store"
        return refused
    return JSONResponse(
        {
            "type": action.event.__name__,
            "stream": stream,
            "payload": payload,
            "words": said,
            "dry_run": dry_run,
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
