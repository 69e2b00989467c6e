"""A body's figures per year, for the members of the body and for auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.access import BodyAccess
from api.deps import BodyPath
from api.read_schemas import StatisticsOut
from api.reading import ReadDep, dated
from api.responses import READ_ERRORS
from projections.read_models.statistics import statistics

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])


@router.get("/bodies/{body}/statistics", response_model=StatisticsOut, responses=READ_ERRORS)
def body_statistics(
    body: BodyPath,
    access: BodyAccess,
    read: ReadDep,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
) -> StatisticsOut:
    """A body's figures per year (members of the body, and auditors)."""
    view = read.view()
    found = statistics(view.source, read.origin, body, year=year)
    return dated(StatisticsOut, view, found)
