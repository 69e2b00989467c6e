"""Beskeder: a person's notifications in the web application, their choices, unsubscribing.

- ``/l/{ledger}/beskeder``: the notices whose moment has come, newest first,
  unread ones marked; each line names a matter only if the reader may read
  it (the matter list is read through the API's own route and guard); the
  reader's choices (digest, language of their mail, kinds turned off);
- ``/l/{ledger}/beskeder/afmeld?t=…``: the link of every e-mail.  GET shows
  a button; POST (the button, or a mail client's RFC 8058 one-click
  ``List-Unsubscribe=One-Click``) turns the token's kinds off.  The signed
  token is the authority, so it needs no session.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from api.access import Access
from api.deps import LedgerId
from api.paging import Paging
from api.reading import Read
from api.routers import matters as matter_routes
from ledger.errors import MalformedError
from ledger.protocol.envelope import ID_PATTERN
from notify.compose import Reading, describe
from notify.inbox import inbox, mark_read
from notify.preferences import PreferenceError, Preferences, preferences_of, save_preferences
from notify.preferences import unsubscribe as turn_off
from notify.schedule import DIGESTS
from notify.tables import NotifyDatabase
from notify.tokens import Unsubscribe, UnsubscribeTokenError, read_token
from projections.read_models.notices import NOTICE_KINDS
from web.context import Site, site_of
from web.render import PageRoute, render, render_page, request_lang
from web.session import CSRF_FIELD, Session, check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CAUSE_LENGTH = 200
"""The longest cause the outbox keeps (``nt_outbox.cause``, ``nt_reads.cause``)."""
CAUSE = re.compile(
    r"leaf:(?:0|[1-9][0-9]{0,17})(?::(?:deadline|respond_by|minutes))?"
    rf"|finding:{ID_PATTERN}:[A-Z][A-Z0-9-]{{0,31}}:[A-Za-z0-9._-]{{1,100}}"
)
"""The causes the outbox writes (``projections.read_models.notices``): an event's leaf,
with the moment it sets (``leaf:N:deadline`` …), or a finding falling due
(``finding:<matter>:<rule>:<key>``)."""


class NoticeCauseMalformedError(MalformedError):
    """A notice to mark read named by something that is not a cause the outbox writes."""

    code = "notice_cause_malformed"


def checked_cause(value: str | None) -> str:
    """``value`` if it has the shape of a notice's cause; NoticeCauseMalformedError otherwise."""
    if value is None or len(value) > CAUSE_LENGTH or not CAUSE.fullmatch(value):
        shown = (value or "")[:40]
        raise NoticeCauseMalformedError(f"{shown!r} is not a notice's cause", field="cause")
    return value


def notify_database(request: Request) -> NotifyDatabase:
    found = request.app.state.notify
    assert isinstance(found, NotifyDatabase)
    return found


def _reading(site: Site, session: Session, request: Request) -> tuple[Reading, dict[str, str]]:
    """The words of the reader's notices: titles only of the matters the API lets them read;
    and the directory's names, read once for the page."""
    access = Access(session.reader, session.state)
    read = Read(session.origin, site.context, None)
    # The titles follow the log (and who reads), not the notices, so they are remembered.
    listed = read.remembered(
        f"matter titles {session.person}",
        lambda: matter_routes.read_matter_list(access, read, None, None, Paging(0, 100_000)),
    )
    bodies = {b: info.name for b, info in session.state.registry.bodies.items()}
    reading = Reading(
        ledger_id=session.ledger,
        ledger_name=site.ledger_name(session.ledger),
        base_url="",
        lang=request_lang(request),
        name=session.person,
        titles={m.matter: m.title for m in listed.matters},
        body_names=bodies,
    )
    return reading, read.names()


@router.get("/l/{ledger}/beskeder")
def notifications(request: Request, ledger: LedgerId) -> Response:
    """The reader's notifications and their choices."""
    site = site_of(request)
    session = site.session(request, ledger)
    db = notify_database(request)
    now = site.context.service.clock()
    items = inbox(db, session.origin, session.person, now)
    reading, names = _reading(site, session, request)
    lines = [(item, describe(item.notice, reading)) for item in items]
    prefs = preferences_of(db, session.origin, [session.person])[session.person]
    return render_page(
        request,
        "notifications.html",
        session,
        site,
        names=names,
        lines=lines,
        unread=sum(not item.read for item in items),
        prefs=prefs,
        digests=DIGESTS,
        kinds=NOTICE_KINDS,
        saved=request.query_params.get("gemt") == "1",
    )


async def _posted(request: Request, ledger: str) -> tuple[Site, Session, FormData]:
    """The logged-in reader's posted form, its CSRF token checked."""
    site = site_of(request)
    session = site.session(request, ledger)
    form = await request.form()
    check_csrf(request, session, _text(form.get(CSRF_FIELD)))
    return site, session, form


@router.post("/l/{ledger}/beskeder/laest")
async def read_them(request: Request, ledger: LedgerId) -> Response:
    """Mark one notice (``cause``) or every notice shown (``all``) read."""
    site, session, form = await _posted(request, ledger)
    db = notify_database(request)
    now = site.context.service.clock()
    if form.get("all"):
        causes = [i.notice.cause for i in inbox(db, session.origin, session.person, now)]
    else:
        causes = [checked_cause(_text(form.get("cause")))]
    mark_read(db, session.origin, session.person, causes, now)
    return RedirectResponse(f"/l/{ledger}/beskeder", status_code=303)


@router.post("/l/{ledger}/beskeder/indstillinger")
async def choose(request: Request, ledger: LedgerId) -> Response:
    """Save the reader's digest, mail language and the kinds they want."""
    _, session, form = await _posted(request, ledger)
    wanted = set(form.getlist("kind"))
    language = _text(form.get("language"))
    chosen = Preferences(
        _text(form.get("digest")) or "",
        "en" if language == "en" else "da",
        frozenset(k for k in NOTICE_KINDS if k not in wanted),
    )
    if language not in ("da", "en"):
        raise PreferenceError(f"no language {language!r}; choose da or en")
    save_preferences(notify_database(request), session.origin, session.person, chosen)
    return RedirectResponse(f"/l/{ledger}/beskeder?gemt=1#choices-h", status_code=303)


@router.get("/l/{ledger}/beskeder/afmeld")
def unsubscribe_page(request: Request, ledger: LedgerId, t: str = "") -> Response:
    """The unsubscribe link of an e-mail: say what it turns off, with a button to do it."""
    site = site_of(request)
    found = _token(site, ledger, t)
    return render(
        request, "unsubscribe.html", token=t, kinds=found.kinds, done=False, ledger=ledger
    )


@router.post("/l/{ledger}/beskeder/afmeld")
def unsubscribe_now(request: Request, ledger: LedgerId, t: str = "") -> Response:
    """Turn the token's kinds off (the button, or a mail client's one-click POST)."""
    site = site_of(request)
    found = _token(site, ledger, t)
    turn_off(notify_database(request), found.origin, found.person, found.kinds)
    return render(request, "unsubscribe.html", token=t, kinds=found.kinds, done=True, ledger=ledger)


def _token(site: Site, ledger: str, token: str) -> Unsubscribe:
    found = read_token(site.secret, token)
    if found.origin != site.origin(ledger):
        raise UnsubscribeTokenError("the unsubscribe link belongs to another ledger")
    return found


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
