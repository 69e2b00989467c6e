"""The matters a reader may read, and each matter's timeline and decision dossier.

Live, or ``as_of`` a past tree size or date (api/reading.py); who reads
which matter is api/access.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from api.access import Access, LedgerAccess, MatterAccess
from api.deps import MatterId
from api.paging import FIRST_PAGE, Limit, Paging, PagingQuery, SeqPage
from api.read_schemas import DossierOut, MatterListOut, MatterSummaryOut, TimelineOut
from api.reading import IdFilter, LangQuery, Read, ReadDep, dated, point, read_router
from projections.read_models.dossier import dossier
from projections.read_models.schema import ReadModel
from projections.read_models.timeline import timeline
from projections.vocabulary import Lang

router = read_router()


@router.get("/matters", response_model=MatterListOut)
def list_matters(
    request: Request,
    access: LedgerAccess,
    read: ReadDep,
    status: Annotated[
        str | None, Query(max_length=40, description="e.g. open, decided, closed")
    ] = None,
    body: IdFilter = None,
    paging: PagingQuery = FIRST_PAGE,
) -> Response:
    """The matters the reader may read, newest last; filter by status or responsible body."""
    return read.cached(
        request,
        access.reader,
        lambda: read_matter_list(access, read, status, body, paging),
        with_names=False,
    )


def read_matter_list(
    access: Access, read: Read, status: str | None, body: str | None, paging: Paging
) -> MatterListOut:
    view = read.view()
    origin = read.origin
    rows = [
        r
        for r in view.source.rows("rm_matters", origin)
        if access.may_read(str(r["matter"]))
        and (status is None or r["status"] == status)
        and (body is None or r["responsible_body"] == body)
    ]
    return MatterListOut(
        **point(view, view.source.tracking(origin, ReadModel.TIMELINE).position),
        **paging.of(rows).map(MatterSummaryOut.model_validate).fields("matters"),
    )


@router.get("/matters/{matter}/timeline", response_model=TimelineOut)
def matter_timeline(
    request: Request,
    matter: MatterId,
    access: MatterAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    event_type: Annotated[str | None, Query(pattern=r"^[A-Z][A-Za-z]{1,63}$")] = None,
    actor: IdFilter = None,
    after_seq: Annotated[int, Query(ge=0, le=2**53 - 1)] = 0,
    limit: Limit = 200,
) -> Response:
    """Each event of the matter with time, type, actor, the actor's body, side and roles
    at that moment, a one-line summary and its leaf index."""
    return read.cached(
        request,
        None,
        lambda: read_timeline(read, matter, lang, event_type, actor, after_seq, limit),
    )


def read_timeline(
    read: Read,
    matter: str,
    lang: Lang,
    event_type: str | None,
    actor: str | None,
    after_seq: int,
    limit: int,
) -> TimelineOut:
    view = read.view({matter})
    found = timeline(view.source, read.origin, matter, lang=lang, names=read.names())
    chosen = [
        e
        for e in found.entries
        if e.seq > after_seq
        and (event_type is None or e.event_type == event_type)
        and (actor is None or e.actor == actor)
    ]
    page = SeqPage.of(chosen, limit)
    return dated(TimelineOut, view, found, entries=page.items, next_after_seq=page.next_after_seq)


@router.get("/matters/{matter}/dossier", response_model=DossierOut)
def matter_dossier(
    request: Request, matter: MatterId, access: MatterAccess, read: ReadDep
) -> Response:
    """The decision dossier: the decision and its rationale, each input and how it was
    treated, disagreements and answers, compromises and agreements, co-responsibility."""
    return read.cached(request, None, lambda: read_dossier(read, matter))


def read_dossier(read: Read, matter: str) -> DossierOut:
    view = read.view({matter})
    found = dossier(view.source, read.origin, matter, names=read.names())
    return dated(DossierOut, view, found)
