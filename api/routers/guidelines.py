"""The guideline register: each guideline of the organisation, its agreement, amendments and
notice of termination, and its state on a day.

Every person of the ledger reads it: guidelines bind the whole organisation,
and what the register shows (ids, types, bodies, dates, leaf indexes) are
routing fields (docs/PROTOCOL.md section 9).  The matter and event number
of a step in a matter the reader may not read are withheld.
"""

from __future__ import annotations

from typing import Annotated

from api.access import LedgerAccess
from api.paging import FIRST_PAGE, PagingQuery
from api.read_schemas import GuidelinesOut
from api.reading import IdFilter, ReadDep, dated, judged_at, moment_query, read_router
from projections.read_models.guidelines import guideline_register, withhold_matters

router = read_router()

OnQuery = Annotated[
    str | None,
    moment_query(
        "Each guideline's state on this date or time (UTC unless it names an "
        "offset; default: the ledger's latest). Other text is `malformed_as_of`."
    ),
]


@router.get("/guidelines", response_model=GuidelinesOut)
def guidelines(
    access: LedgerAccess,
    read: ReadDep,
    guideline: IdFilter = None,
    body: IdFilter = None,
    on: OnQuery = None,
    paging: PagingQuery = FIRST_PAGE,
) -> GuidelinesOut:
    """The guideline register: each guideline's type, the agreement that made it, its
    amendments, notice of termination and effective date, and its state on a day."""
    view = read.view()
    report = withhold_matters(
        guideline_register(
            view.source, read.origin, guideline=guideline, body=body, on=judged_at(on, name="on")
        ),
        access.may_read,
    )
    page = paging.of(report.guidelines)
    return dated(GuidelinesOut, view, report, **page.fields("guidelines"))
