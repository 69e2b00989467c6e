"""The dispute view: breach claims and interpretation disputes on their path, with what is
due from whom by when; per matter (who may read it) and for the organisation (the
matters the reader may read)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

from api.access import LedgerAccess, MatterAccess
from api.deps import MatterId
from api.paging import FIRST_PAGE, Paging, PagingQuery
from api.read_schemas import DisputesOut
from api.reading import IdFilter, LangQuery, NowQuery, Read, ReadDep, dated, judged_at, read_router
from projections.read_models.disputes import DisputeView, disputes

router = read_router()

StatusFilter = Annotated[
    Literal["open", "remedied", "settled"] | None,
    Query(description="Only disputes in this state."),
]


def _answer(
    read: Read,
    lang: Literal["da", "en"],
    now: str | None,
    matter: str | None,
    body: str | None,
    keep: LedgerAccess,
    status: str | None,
    paging: Paging,
) -> DisputesOut:
    view = read.view({matter} if matter else None)
    report = disputes(
        view.source, read.origin, matter=matter, body=body, now=judged_at(now), lang=lang
    )
    chosen: list[DisputeView] = [
        d
        for d in report.disputes
        if keep.may_read(d.matter) and (status is None or d.status == status)
    ]
    return dated(DisputesOut, view, report, **paging.of(chosen).fields("disputes"))


@router.get("/disputes", response_model=DisputesOut)
def organisation_disputes(
    access: LedgerAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    matter: IdFilter = None,
    body: IdFilter = None,
    status: StatusFilter = None,
    now: NowQuery = None,
    paging: PagingQuery = FIRST_PAGE,
) -> DisputesOut:
    """The breach claims and interpretation disputes in the matters the reader may read,
    each with its path and what is due from whom by when."""
    if matter is not None:
        access.require_matter(matter)
    return _answer(read, lang, now, matter, body, access, status, paging)


@router.get("/matters/{matter}/disputes", response_model=DisputesOut)
def matter_disputes(
    matter: MatterId,
    access: MatterAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    status: StatusFilter = None,
    now: NowQuery = None,
    paging: PagingQuery = FIRST_PAGE,
) -> DisputesOut:
    """The disputes of one matter: claim, remedy, escalation to HovedMED, to the central
    parties, arbitration and resolution, and what is due from whom by when."""
    return _answer(read, lang, now, matter, None, access, status, paging)
