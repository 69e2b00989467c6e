"""Templates, words and the page route that turns errors into pages.

Pages are Jinja2 templates (``web/templates``) rendered with autoescaping;
every text comes from the message catalogues through ``t``.  A page handler
raises as the API does; ``PageRoute`` turns a missing session into a
redirect to the login page and a ledger error into an error page with the
same status and stable code the API would answer (under the logged-in
reader's header, as every other page).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ledger_error_response, malformed_request, status_of
from api.errors import on_http_exception as api_http_exception
from ledger.errors import LedgerError
from projections.vocabulary import DETAILS, EVENT_TYPE_WORDS, INVOLVEMENT_KINDS, roles_text, word
from web.context import Site, page_context, site_of
from web.i18n import (
    LANGS,
    Lang,
    as_lang,
    catalogue,
    format_date,
    format_number,
    format_time,
    message,
)
from web.session import LANG_COOKIE, LoginRequiredError, Session

ENV = Environment(
    loader=PackageLoader("web", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates ship inside the package: no file check per render
    cache_size=-1,  # every template stays compiled (there are a few dozen)
)


def compile_templates() -> int:
    """Compile every page's template now, once per process, so that no reader's first
    request pays for it (B7 measured 10-25 ms on each page's first request, against
    2-4 ms later); returns how many there are."""
    names = ENV.list_templates(extensions=["html"])
    for name in names:
        ENV.get_template(name)
    return len(names)


def json_download(value: Any, filename: str, *, keep: bool = False) -> Response:
    """``value`` as a JSON file the browser saves as ``filename``; not cached unless ``keep``."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not keep:
        headers["Cache-Control"] = "no-store"
    return Response(
        json.dumps(value, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers=headers,
    )


def request_lang(request: Request) -> Lang:
    """The page's language: ``?lang=`` if given, else the language cookie, else Danish."""
    return as_lang(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE))


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to next (never another site: no ``//host`` or scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` in the request's language."""
    lang = request_lang(request)

    def t(name: str, /, **values: object) -> str:
        return message(lang, name, **values)

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    page = ENV.get_template(template).render(
        t=t,
        has=lambda key: key in catalogue(lang),
        lang=lang,
        langs=LANGS,
        here=here,
        here_quoted=quote(here, safe=""),
        date=lambda value: format_date(value, lang),
        time=lambda value: format_time(value, lang),
        number=lambda value: format_number(value, lang),
        detail_word=lambda code: word(DETAILS, code, lang),
        kind=lambda code: word(INVOLVEMENT_KINDS, code, lang),
        event_name=lambda code: word(EVENT_TYPE_WORDS, code, lang),
        roles=lambda codes: roles_text(codes, lang),
        session=context.pop("session", None),
        **context,
    )
    return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})


class PageRoute(APIRoute):
    """A page: a missing session redirects to login, a ledger error becomes an error page,
    and so does a request the page cannot take when a browser asks for a page (a script
    gets the API's JSON error)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequiredError as missing:
                target = quote(request.url.path, safe="/")
                expired = "&expired=1" if missing.expired else ""
                return RedirectResponse(
                    f"/l/{missing.ledger}/login?next={target}{expired}", status_code=303
                )
            except LedgerError as error:
                return _error_page(request, error)
            except RequestValidationError as invalid:  # a query or form field the page refuses
                refused = malformed_request(invalid)
                if not _asks_for_page(request):
                    return ledger_error_response(refused)  # a page's script: the API's JSON
                return _error_page(request, refused)

        return page_handler


def _asks_for_page(request: Request) -> bool:
    """Does the client want a page (a browser's ``Accept``), not the API's JSON?"""
    return "text/html" in request.headers.get("accept", "")


def _error_page(request: Request, error: LedgerError) -> Response:
    return render(
        request,
        "error.html",
        status=status_of(error),
        code=error.code,
        detail=str(error),
        **_reader_context(request),
    )


API_PATHS = ("/v1/", "/docs", "/openapi.json", "/healthz")
"""The API's paths beside the pages: its answers keep their own headers and JSON errors."""
NOT_PAGES = (*API_PATHS, "/static/")
"""Paths that are not pages: their errors stay JSON, whoever asks."""
_LEDGER_IN_PATH = re.compile(r"^/l/([^/]+)/")


async def on_http_exception(request: Request, error: Exception) -> Response:
    """An address no route answers: the error page to a browser asking for a page (under
    the reader's header when the path names a ledger they are logged in to), the API's
    ``unknown_route`` error to everyone else."""
    assert isinstance(error, StarletteHTTPException)
    wants_page = (
        error.status_code == 404
        and request.method in ("GET", "HEAD")
        and not request.url.path.startswith(NOT_PAGES)
        and _asks_for_page(request)
    )
    if not wants_page:
        return await api_http_exception(request, error)
    named = _LEDGER_IN_PATH.match(request.url.path)
    return render(
        request,
        "error.html",
        status=404,
        code="unknown_route",
        detail=f"no such page: {request.url.path}",
        **_reader_context(request, named.group(1) if named else None),
    )


def render_page(
    request: Request,
    template: str,
    session: Session,
    site: Site,
    *,
    names: Mapping[str, str] | None = None,
    **more: Any,
) -> HTMLResponse:
    """A logged-in page: ``template`` with what every such page's layout shows
    (``page_context``; ``names`` as it takes them) and ``more``."""
    return render(request, template, **page_context(session, site, names=names, **more))


def _reader_context(request: Request, ledger: str | None = None) -> dict[str, Any]:
    """The site header of the person logged in to the ledger the path names (who, the
    navigation), as every other page shows it; nothing for anyone else."""
    ledger = ledger or request.path_params.get("ledger")
    if not isinstance(ledger, str):
        return {}
    site = site_of(request)
    try:
        session = site.session(request, ledger)
    except (LoginRequiredError, LedgerError):
        return {}
    return page_context(session, site)
