"""A body's figures per year, for the members of the body and for auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.access import BodyAccess
from api.deps import BodyPath
from api.read_schemas import StatisticsOut
from api.reading import ReadDep, dated, read_router
from projections.read_models.statistics import statistics

router = read_router()


@router.get("/bodies/{body}/statistics", response_model=StatisticsOut)
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
