"""The Copenhagen BUF question made visible: does a HovedMED's work reach the local bodies?

For each matter the HovedMED is responsible for: which bodies below it were
informed (material shared, a hearing sent) or discussed it (a meeting, a
consultation), and when first (DESIGN.md section 6's words).  Beside it, per
body and year, the statistics read model's figures through the API's own
route (``GET /v1/ledgers/{L}/bodies/{body}/statistics``): the LokalMED reach
(the share of the body's matters whose material or discussion reached a
local MED body below it) and Ballerup's measure, the proposals from MED.
For the HovedMED's members and the auditors (``BodyAccess``), the matters
filtered by who may read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.access import Access
from api.deps import BodyPath, LedgerId
from api.errors import ReadNotAllowedError
from api.paging import Paging
from api.reading import Read
from api.routers import bodies as body_routes
from api.routers import matters as matter_routes
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from ledger.errors import BodyNotFoundError
from projections.read_models.statistics import LOCAL_KINDS
from web.context import logged_in
from web.due import scope_of
from web.render import PageRoute, render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass
class Reached:
    """A matter of the HovedMED and, per body below it, how it reached it (first seq)."""

    matter: str
    title: str
    opened_year: int | None
    informed: dict[str, int] = field(default_factory=dict)
    discussed: dict[str, int] = field(default_factory=dict)
    proposals: int = 0
    """Proposals from MED bodies in the matter (Ballerup's measure)."""

    @property
    def bodies(self) -> list[str]:
        return sorted(set(self.informed) | set(self.discussed))


def _reaching(payload: ev.Payload) -> tuple[str, list[str]]:
    """How an event reaches bodies: ``informed``, ``discussed`` or neither."""
    match payload:
        case ev.MaterialShared(bodies=bodies) | ev.HearingOpened(bodies=bodies):
            return "informed", list(bodies)
        case ev.ConsultationOpened(body=body) | ev.MeetingHeld(body=body):
            return "discussed", [body]
    return "", []


def reach_of(access: Access, read: Read, body: str, below: set[str]) -> list[Reached]:
    """The matters of ``body`` the reader may read (the API's matter list, which gives the
    year each was opened), with the bodies ``below`` they reached."""
    listed = matter_routes.read_matter_list(access, read, None, body, Paging(0, 10_000))
    found: list[Reached] = []
    for row in listed.matters:
        matter = access.state.matters.get(row.matter)
        if matter is None:
            continue
        reached = Reached(row.matter, row.title, int(row.opened_time[:4]))
        for seq, info in list(matter.events.items()):
            if info.payload is None:
                continue
            if isinstance(info.payload, ev.ProposalSubmitted):
                reached.proposals += 1
            how, bodies = _reaching(info.payload)
            for b in bodies:
                if how and b in below:
                    getattr(reached, how).setdefault(b, seq)
        found.append(reached)
    return found


@dataclass(frozen=True)
class YearShare:
    """Of the body's matters opened in ``year``, how many reached each body below it."""

    year: int
    matters: int
    reached_any_local: int
    by_body: dict[str, int]
    proposals: int


def shares(matters: list[Reached], local: set[str]) -> list[YearShare]:
    years = sorted({m.opened_year for m in matters if m.opened_year is not None})
    found = []
    for year in years:
        of_year = [m for m in matters if m.opened_year == year]
        by_body = {b: sum(1 for m in of_year if b in m.bodies) for b in sorted(local)}
        reached = sum(1 for m in of_year if set(m.bodies) & local)
        proposals = sum(m.proposals for m in of_year)
        found.append(YearShare(year, len(of_year), reached, by_body, proposals))
    return found


def _local(state: LedgerState, bodies: set[str]) -> set[str]:
    registry = state.registry
    return {b for b in bodies if b in registry.bodies and registry.bodies[b].kind in LOCAL_KINDS}


@router.get("/l/{ledger}/raekkevidde/{body}")
def reach_page(request: Request, ledger: LedgerId, body: BodyPath) -> Response:
    """The LokalMED reach of a body's matters, and the proposals from MED, per year."""
    site, session, access = logged_in(request, ledger)
    registry = session.state.registry
    if body not in registry.bodies:
        raise BodyNotFoundError(f"no body {body!r} in this ledger", body=body)
    if not access.may_read_body(body):
        raise ReadNotAllowedError(f"{session.person} does not sit in {body}", body=body)
    read = Read(session.origin, site.context, None)
    below = scope_of(session.state, body) - {body}
    if registry.bodies[body].kind != "hovedmed":
        below = {b for b in list(registry.bodies) if body in registry.ancestors(b)}
    # Each body's own figures as the API gives them: to its members and the auditors.
    shown = [b for b in [body, *sorted(below)] if access.may_read_body(b)]
    reader = session.person
    figures = read.remembered(
        f"reach figures {body} {reader}",
        lambda: {b: body_routes.body_statistics(b, access, read, None).years for b in shown},
    )
    matters = read.remembered(f"reach {body} {reader}", lambda: reach_of(access, read, body, below))
    local = _local(session.state, below)
    return render_page(
        request,
        "reach.html",
        session,
        site,
        names=read.names(),
        body=body,
        body_name=registry.bodies[body].name,
        matters=matters,
        reached=sum(1 for m in matters if set(m.bodies) & local),
        local=sorted(local),
        local_names=[registry.bodies[b].name for b in sorted(local)],
        shares=shares(matters, local),
        figures=figures,
        body_names={b: info.name for b, info in list(registry.bodies.items())},
        body_kinds={b: info.kind for b, info in list(registry.bodies.items())},
    )
