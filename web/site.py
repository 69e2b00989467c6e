"""The web application in the process ``medledger serve`` runs: the API plus the pages.

This is the composition root of the served application: ``create_site``
builds the HTTP API (``api.app.create_app``) and mounts the pages at ``/``
and their static files at ``/static``, so that pages and API share one
service, one sealer and one set of read models.  The API knows nothing of
the pages (the layers run cli -> web -> api).
"""

from __future__ import annotations

import gc
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app import create_app
from api.deps import ApiContext
from api.logs import configure_logging
from api.settings import ApiSettings
from ledger.service.application import Clock, system_clock
from ledger.service.settings import OpenedLedger
from notify.tables import NotifyDatabase
from web import (
    actions,
    admin_pages,
    audit_pages,
    dashboard_pages,
    decision_pages,
    documents_pages,
    evidence_pages,
    manage_pages,
    matters_pages,
    meeting_pages,
    notification_pages,
    pages,
    reach_pages,
)
from web.context import Site
from web.demo_door import DemoDoor
from web.render import API_PATHS, compile_templates, on_http_exception

# Only this site's own files: no inline script or style, no other origin, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
    ]
)


class PageHeadersMiddleware:
    """Security headers on every page and static file (the API's JSON keeps its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope["path"]).startswith(API_PATHS):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def static_dir() -> Path:
    return Path(str(resources.files("web").joinpath("static")))


def create_site(
    settings: ApiSettings | None = None,
    *,
    ledger: OpenedLedger | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """The API with the pages mounted at ``/`` and their files at ``/static``."""
    settings = settings or ApiSettings()
    app = create_app(settings, ledger=ledger, clock=clock)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    context = app.state.context
    assert isinstance(context, ApiContext)
    app.state.site = Site(context, settings.secret_bytes(), DemoDoor.from_settings(settings))
    app.state.notify = NotifyDatabase.of(context.projector.store)
    for module in (
        pages,
        matters_pages,
        actions,
        evidence_pages,
        admin_pages,
        audit_pages,
        documents_pages,
        meeting_pages,
        dashboard_pages,
        reach_pages,
        notification_pages,
        manage_pages,
        decision_pages,
    ):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_middleware(PageHeadersMiddleware)
    compile_templates()
    return app


def create_site_from_env() -> FastAPI:
    """The application ``medledger serve`` runs: settings from the environment, JSON logs."""
    settings = ApiSettings()
    configure_logging(settings.log_level)
    site = create_site(settings)
    settle_heap()
    return site


def settle_heap() -> int:
    """Collect once, then put everything built so far (modules, routes, schemas, compiled
    templates) out of the cyclic collector's reach, and return how many objects that is.

    A full collection walks every object it tracks: with the demo site about 185,000
    and 57 ms, paid by whichever request happens to trigger it (B7's slowest request).
    Frozen, the same collections walk about 31,000 in 6-7 ms.  Done once per served
    process (``medledger serve``, each worker), never in tests, whose sites come and go.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
