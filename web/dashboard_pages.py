"""The dashboards: for a body, and for a HovedMED with the bodies below it.

What falls due and when (``web/due.py``: late information, unanswered
disagreements, breach claims in their month, minutes awaiting approval,
consultations and hearings, steps on disputes), the findings due now, the
disputes on their path and the guideline register.  Read through the
API's own routes and guards: a body's dashboard is for its members and the
auditors (``BodyAccess`` in the API); each list is filtered by who may read
each matter.  A fixed number of queries per page, whatever the number of
matters.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import BodyPath, LedgerId
from api.errors import ReadNotAllowedError
from api.paging import Paging
from api.reading import Read
from api.routers import guidelines as guideline_routes
from ledger.errors import BodyNotFoundError
from web.context import logged_in
from web.due import due_in
from web.render import PageRoute, render_page, request_lang

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/l/{ledger}/overblik")
def dashboards(request: Request, ledger: LedgerId) -> Response:
    """The dashboards the reader may open: their bodies, and the HovedMED."""
    site, session, access = logged_in(request, ledger)
    bodies = list(session.state.registry.bodies.items())
    mine = [
        (b, body.name, body.kind)
        for b, body in sorted(bodies)
        if access.may_read_body(b) and not body.dissolved
    ]
    return render_page(request, "dashboards.html", session, site, bodies=mine)


@router.get("/l/{ledger}/overblik/{body}")
def dashboard(request: Request, ledger: LedgerId, body: BodyPath) -> Response:
    """One body's dashboard (a HovedMED's covers the bodies below it)."""
    site, session, access = logged_in(request, ledger)
    found = session.state.registry.bodies.get(body)
    if found is None:
        raise BodyNotFoundError(f"no body {body!r} in this ledger", body=body)
    if not access.may_read_body(body):
        raise ReadNotAllowedError(f"{session.person} does not sit in {body}", body=body)
    read = Read(session.origin, site.context, None)
    lang = request_lang(request)
    # Remembered by what they depend on (the log's point, the directory) and who reads them.
    reader = session.person
    due = read.remembered(
        f"dashboard {body} {lang} {reader}", lambda: due_in(access, read, lang, body)
    )
    register = read.remembered(
        f"guidelines {reader}",
        lambda: guideline_routes.guidelines(access, read, paging=Paging(0, 1000)),
    )
    names = session.state.registry.body_names()
    return render_page(
        request,
        "dashboard.html",
        session,
        site,
        names=read.names(),
        body=body,
        body_name=found.name,
        is_hovedmed=found.kind == "hovedmed",
        due=due,
        guidelines=register.guidelines,
        body_names=names,
        below=sorted(b for b in due.scope if b != body),
    )
