"""The pages every visitor meets: the start page, the language, logging in and out.

Logging in is the API's signed challenge, answered in the browser
(``static/js/login.js``): the browser asks ``POST /v1/ledgers/{ledger}/auth/challenge``,
signs the auth message with the key it keeps in IndexedDB, and sends the
signature here, where the API's own token route checks it; the token it
issues becomes the session cookie (``web/session.py``).  Logging out
forgets the session; the key stays in the browser.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import LedgerId
from api.errors import MalformedRequestError
from api.routers import auth
from api.schemas import TokenIn
from web.context import site_of
from web.i18n import LANGS
from web.render import PageRoute, render, safe_next
from web.session import LANG_COOKIE, check_csrf, check_same_site, clear_session, set_session

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/")
def start(request: Request) -> Response:
    """The start page: the ledgers here, logging in, enrolling, verifying, the demo's people."""
    site = site_of(request)
    ledgers = list(site.context.service.ledgers())
    return render(request, "start.html", ledgers=ledgers, door=site.door)


@router.get("/sprog/{lang}")
def choose_language(request: Request, lang: str, next: str | None = None) -> Response:
    """Switch the language (a cookie) and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/", samesite="strict")
    return response


@router.get("/verify")
def verify_page(request: Request) -> Response:
    """Verify a bundle against a trust root, in the browser, without an account."""
    return render(request, "verify.html")


@router.get("/l/{ledger}/login")
def login_page(request: Request, ledger: LedgerId, next: str | None = None) -> Response:
    """Choose a key kept in this browser and sign the login challenge with it."""
    site = site_of(request)
    origin = site.origin(ledger)
    return render(
        request,
        "login.html",
        ledger=ledger,
        origin=origin,
        ledger_name=site.ledger_name(ledger),
        next=safe_next(next, f"/l/{ledger}/sager"),
        expired=request.query_params.get("expired") == "1",
        logged_out=request.query_params.get("out") == "1",
    )


@router.post("/l/{ledger}/session")
async def log_in(request: Request, ledger: LedgerId) -> Response:
    """Exchange the browser's signed challenge for a session (the API's token route checks it)."""
    check_same_site(request)
    site = site_of(request)
    origin = site.origin(ledger)
    try:
        asked = TokenIn.model_validate_json(await request.body())
    except ValidationError as error:
        raise MalformedRequestError(
            "a login needs person, key_id, challenge and signature"
        ) from error
    state = site.context.service.state(origin)
    issued = auth.token(asked, origin, state, site.context)
    response = JSONResponse({"person": issued.person, "expires_at": issued.expires_at})
    set_session(request, response, issued.token, issued.expires_in)
    return response


@router.post("/l/{ledger}/logout")
def log_out(
    request: Request, ledger: LedgerId, csrf: Annotated[str | None, Form()] = None
) -> Response:
    """Forget the session (never the key, which stays in the browser)."""
    site = site_of(request)
    session = site.session(request, ledger)
    check_csrf(request, session, csrf)
    response = RedirectResponse(f"/l/{ledger}/login?out=1", status_code=303)
    clear_session(request, response)
    return response


@router.get("/l/{ledger}")
def ledger_home(ledger: LedgerId) -> Response:
    return RedirectResponse(f"/l/{ledger}/sager", status_code=303)


@router.get("/demo/{ledger}/{person}.key")
def demo_key(request: Request, ledger: str, person: str) -> Response:
    """A demo person's key file, on the demo ledgers only (404 everywhere else)."""
    text = site_of(request).door.key_file(ledger, person)
    if text is None:
        return PlainTextResponse("no such demo person", status_code=404)
    return PlainTextResponse(text, media_type="application/json")
