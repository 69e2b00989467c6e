"""A manager's pages: open a matter (a new stream), and the rulebook the dry run links to.

Opening a matter is signed through the same pipeline as every action
(``web.actions.signing_answer``): the form becomes a ``MatterOpened``
payload, its words and its dry run are shown, and the browser signs it as
the first event of the stream ``matter/{id}`` the person chose.  The
write-time rule decides who may open it: a management-side member of the
responsible body.  The manager actions on an open matter live in
``web.manage_actions``; importing this module registers them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import LedgerId
from api.errors import MalformedRequestError, ReadNotAllowedError, ledger_error_response
from api.reading import Read
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from ledger.protocol.envelope import ID_PATTERN
from projections.rulebook.book import RULEBOOK
from web import manage_actions
from web.actions import Action, form_of, signing_answer
from web.context import site_of
from web.i18n import Lang, format_date, message
from web.render import PageRoute, render_page, request_lang

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CATEGORIES = get_args(ev.Category)
LEVELS = get_args(ev.InfluenceLevel)
OPTIONAL = ("political_deadline", "case_number", "agenda_item", "guideline_type")


def managed_bodies(state: LedgerState, person: str) -> list[tuple[str, str]]:
    """The MED bodies where ``person`` sits on the management side now: where they may
    open a matter."""
    return [
        (body, name)
        for body, name in manage_actions.med_bodies(state)
        if (seat := state.registry.membership(body, person)) is not None
        and seat.side == "management"
    ]


def decision_makers(state: LedgerState, person: str) -> list[str]:
    """Whom the form offers as decision maker: the person and the management side of the
    MED bodies now, never the whole directory (which only admins and auditors read)."""
    registry = state.registry
    found = {person}
    for members in list(registry.members.values()):
        found |= {p for p, seat in list(members.items()) if seat.side == "management"}
    return sorted(found)


def _build_opened(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    fields = (
        "title",
        "description",
        "category",
        "responsible_body",
        "influence_level",
        "decision_maker",
        "planned_decision_date",
    )
    found: dict[str, Any] = {name: form.get(name, "").strip() for name in fields}
    found.update({name: form[name].strip() for name in OPTIONAL if form.get(name, "").strip()})
    if found.get("category") != "guideline":
        found.pop("guideline_type", None)
    touched = [line.strip() for line in form.get("touches_guidelines", "").splitlines()]
    if any(touched):
        found["touches_guidelines"] = [line for line in touched if line]
    return found


def guidelines_in_force(state: LedgerState) -> list[tuple[str, str]]:
    """The guidelines in force today (id, type), which a new matter may declare it touches
    (MED-14)."""
    today = datetime.now(UTC).date()
    register = list(state.guidelines.guidelines.items())
    return sorted((g, found.type) for g, found in register if found.in_force(today))


def _say_opened(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    bodies = state.registry.bodies
    body = str(payload["responsible_body"])
    extra = [
        message(lang, f"open.sign.{name}", value=_shown(name, payload[name], lang))
        for name in (*OPTIONAL, "touches_guidelines")
        if name in payload
    ]
    return message(
        lang,
        "open.sign",
        matter=matter,
        title=payload["title"],
        category=message(lang, f"category.{payload['category']}"),
        body=bodies[body].name if body in bodies else body,
        level=message(lang, f"level.{payload['influence_level']}"),
        decision_maker=payload["decision_maker"],
        planned=format_date(str(payload["planned_decision_date"]), lang),
        more="".join(extra),
    )


def _shown(name: str, value: object, lang: Lang) -> str:
    if name == "political_deadline":
        return format_date(str(value), lang)
    if name == "guideline_type":
        return message(lang, f"guideline.{value}")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


OPEN = Action("open", ev.MatterOpened, (), build=_build_opened, say=_say_opened)


@router.get("/l/{ledger}/ny-sag")
def open_form(request: Request, ledger: LedgerId) -> Response:
    """The form that opens a matter, signed in the browser after its words and dry run."""
    site = site_of(request)
    session = site.session(request, ledger)
    state = session.state
    bodies = managed_bodies(state, session.person)
    if not bodies:
        raise ReadNotAllowedError(
            f"{session.person} sits on the management side of no MED body: they open no matter"
        )
    names = Read(session.origin, site.context, None).names()
    people = [
        (person, names.get(person, person)) for person in decision_makers(state, session.person)
    ]
    return render_page(
        request,
        "manage_open.html",
        session,
        site,
        names=names,
        bodies=bodies,
        people=people,
        categories=CATEGORIES,
        levels=LEVELS,
        guideline_types=manage_actions.GUIDELINE_TYPE_CHOICES,
        guidelines=guidelines_in_force(state),
    )


@router.post("/l/{ledger}/ny-sag/ord")
async def open_words(request: Request, ledger: LedgerId) -> Response:
    """The MatterOpened payload, its words and its dry run (nothing is stored)."""
    site = site_of(request)
    session = site.session(request, ledger)
    form = await form_of(request)
    matter = form.get("matter", "").strip()
    if not re.fullmatch(ID_PATTERN, matter):
        return ledger_error_response(
            MalformedRequestError(
                "the matter id is 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit",
                fields=["matter"],
            )
        )
    return signing_answer(request, site, session, OPEN, form, matter)


@router.get("/l/{ledger}/regler")
def rules_page(request: Request, ledger: LedgerId) -> Response:
    """The MED rulebook in short: each rule's id, title, severity and ground, which the
    dry run links to (docs/RULEBOOK.md states them in full)."""
    site = site_of(request)
    session = site.session(request, ledger)
    lang = request_lang(request)
    rules = [
        {"id": rule.id, "title": rule.title(lang), "severity": rule.severity, "ground": rule.ground}
        for rule in RULEBOOK.rules
    ]
    return render_page(request, "manage_rules.html", session, site, rules=rules)
