"""The MED rulebook's findings (MED-01 to MED-12) in the matters a reader may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.access import LedgerAccess
from api.paging import Limit, Offset, OffsetPage
from api.read_schemas import FindingsOut
from api.reading import IdFilter, LangQuery, ReadDep, dated
from api.responses import READ_ERRORS
from projections.read_models.findings import findings
from projections.runner.moments import parse_now

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])

RuleFilter = Annotated[str | None, Query(pattern=r"^(?i:med)-?\d{1,2}$", examples=["MED-04"])]
NowQuery = Annotated[
    str | None,
    Query(
        max_length=40, description="Judge deadlines at this time (default: the ledger's latest)."
    ),
]


@router.get("/findings", response_model=FindingsOut, responses=READ_ERRORS)
def rule_findings(
    access: LedgerAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    matter: IdFilter = None,
    body: IdFilter = None,
    rule: RuleFilter = None,
    severity: Annotated[str | None, Query(max_length=20)] = None,
    now: NowQuery = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> FindingsOut:
    """The MED rulebook's findings (MED-01 to MED-12) in the matters the reader may read."""
    if matter is not None:
        access.require_matter(matter)
    view = read.view({matter} if matter else None)
    report = findings(
        view.source,
        read.origin,
        body=body,
        rule=rule,
        matter=matter,
        now=parse_now(now),
        lang=lang,
    )
    chosen = [
        f
        for f in report.findings
        if access.may_read(f.matter) and (severity is None or f.severity == severity)
    ]
    return dated(
        FindingsOut, view, report, **OffsetPage.of(chosen, offset, limit).fields("findings")
    )
