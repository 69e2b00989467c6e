"""A representative's pages: "Mine sager" and a matter in plain words.

Every read goes through the API's own read routes and guards
(``api.routers.matters``, ``api.access``): the page asks exactly what the
API would answer the same person, and shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.access import Access
from api.deps import LedgerId, MatterId
from api.paging import Paging
from api.reading import AsOfQuery, Read
from api.routers import findings as finding_routes
from api.routers import matters as matter_routes
from ledger.domain import events as ev
from ledger.domain.state import LedgerState
from ledger.service.documents import documents_kept
from web.actions import ACTIONS
from web.context import logged_in
from web.manage_pages import managed_bodies
from web.render import PageRoute, render_page, request_lang

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Due:
    """Something a body of the reader is asked for in a matter, by a date."""

    matter: str
    kind: str  # "consultation" or "hearing"
    body: str
    respond_by: str
    seq: int


def due_items(state: LedgerState, bodies: list[str], matter_ids: list[str]) -> list[Due]:
    """Open consultations and hearings addressed to ``bodies`` in ``matter_ids``, by date.

    What is asked stops being due once the matter is decided (or has ended),
    and once the body answered it: a position stated by the body's employee
    side after a consultation, a hearing response from the body after a
    hearing.
    """
    found: list[Due] = []
    for matter_id in matter_ids:
        matter = state.matters.get(matter_id)
        if matter is None or matter.ended:
            continue
        events = list(matter.events.items())
        if any(isinstance(info.payload, ev.DecisionMade) for _, info in events):
            continue
        for seq, info in events:
            found.extend(
                Due(matter_id, kind, body, respond_by, seq)
                for kind, body, respond_by, answer in _asked(info.payload)
                if body in bodies and not _answered(events, seq, body, answer)
            )
    return sorted(found, key=lambda d: (d.respond_by, d.matter, d.seq))


Answer = type[ev.PositionStated] | type[ev.HearingResponseSubmitted]


def _asked(payload: ev.Payload | None) -> list[tuple[str, str, str, Answer]]:
    """What an event asks of bodies: (kind, body, respond-by date, the answering event)."""
    if isinstance(payload, ev.ConsultationOpened):
        return [("consultation", payload.body, payload.respond_by, ev.PositionStated)]
    if isinstance(payload, ev.HearingOpened):
        return [
            ("hearing", body, payload.respond_by, ev.HearingResponseSubmitted)
            for body in payload.bodies
        ]
    return []


def _answered(events: list[tuple[int, Any]], asked_at: int, body: str, answer: Answer) -> bool:
    return any(
        seq > asked_at
        and isinstance(payload := info.payload, answer)
        and payload.body == body
        and getattr(payload, "side", "employees") == "employees"
        for seq, info in events
    )


@router.get("/l/{ledger}/sager")
def my_matters(request: Request, ledger: LedgerId) -> Response:
    """Mine sager: the matters of the reader's bodies, and what is due in them."""
    site, session, access = logged_in(request, ledger)
    read = Read(session.origin, site.context, None)
    listed = matter_routes.read_matter_list(access, read, None, None, Paging(0, 1000))
    ids = [m.matter for m in listed.matters]
    due = due_items(session.state, access.bodies, ids)
    titles = {m.matter: m.title for m in listed.matters}
    bodies = session.state.registry.body_names()
    return render_page(
        request,
        "matters.html",
        session,
        site,
        names=read.names(),
        matters=listed.matters,
        due=due,
        titles=titles,
        body_names=bodies,
        my_bodies=access.bodies,
        may_open=bool(managed_bodies(session.state, session.person)),
    )


@router.get("/l/{ledger}/sager/{matter}")
def matter_page(
    request: Request, ledger: LedgerId, matter: MatterId, as_of: AsOfQuery = None
) -> Response:
    """A matter in plain words: what happened, who, as what, when; material; the decision."""
    site, session, access = logged_in(request, ledger)
    access.require_matter(matter)
    read = Read(session.origin, site.context, as_of or None)
    lang = request_lang(request)
    timeline = read.remembered(
        f"timeline {matter} {lang}",
        lambda: matter_routes.read_timeline(read, matter, lang, None, None, 0, 1000),
    )
    dossier = read.remembered(f"dossier {matter}", lambda: matter_routes.read_dossier(read, matter))
    material = _material(session.state, matter, timeline.entries)
    kept = documents_kept(site.context.service, session.origin, [d["sha256"] for d in material])
    for document in material:
        document["kept"] = document["sha256"] in kept
    # Findings as of now (a replay shows the record, not today's judgement of it); the
    # same for every reader of the matter, who alone get this far.
    found = (
        []
        if as_of
        else read.remembered(
            f"findings {matter} {lang}",
            lambda: finding_routes.rule_findings(access, read, lang, matter=matter),
        ).findings
    )
    return render_page(
        request,
        "matter.html",
        session,
        site,
        names=read.names(),
        matter=timeline.matter,
        timeline=timeline,
        dossier=dossier.document,
        body_names=dossier.body_names,
        material=material,
        findings=found,
        as_of=as_of,
        actions=_actions(session.state, access, matter) if as_of is None else [],
    )


def _material(state: LedgerState, matter_id: str, entries: list[Any]) -> list[dict[str, Any]]:
    """Each document shared in the matter with its SHA-256, when and to which bodies."""
    matter = state.matters.get(matter_id)
    if matter is None:
        return []
    leaves = {e.seq: e for e in entries}
    shared: list[dict[str, Any]] = []
    for seq, info in list(matter.events.items()):
        payload = info.payload
        if not isinstance(payload, ev.MaterialShared):
            continue
        entry = leaves.get(seq)
        for document in payload.documents:
            shared.append(
                {
                    "title": document.title,
                    "sha256": document.sha256,
                    "link": document.link,
                    "bodies": list(payload.bodies),
                    "time": entry.claimed_time if entry is not None else None,
                    "leaf_index": entry.leaf_index if entry is not None else None,
                }
            )
    return shared


def _actions(state: LedgerState, access: Access, matter_id: str) -> list[str]:
    """The actions the page offers on an open matter: every registered action whose
    ``offer`` lets this person (the write-time rules still decide)."""
    matter = state.matters.get(matter_id)
    if matter is None or matter.ended:
        return []
    person = access.reader.person
    return [
        name
        for name, action in ACTIONS.items()
        if action.offer is None or action.offer(state, person, matter_id)
    ]
