"""The MED rulebook's findings in the matters a reader may read, a matter's forecast, and the
organisation findings (MED-15, matter ``""``) about the bodies the reader sits in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.access import LedgerAccess, MatterAccess
from api.deps import MatterId
from api.paging import FIRST_PAGE, PagingQuery
from api.patterns import RULE_PATTERN
from api.read_schemas import FindingsOut, ForecastOut
from api.reading import IdFilter, LangQuery, NowQuery, ReadDep, dated, judged_at, read_router
from projections.read_models.findings import findings
from projections.read_models.forecast import forecast

router = read_router()

RuleFilter = Annotated[str | None, Query(pattern=RULE_PATTERN, examples=["MED-04"])]


@router.get("/findings", response_model=FindingsOut)
def rule_findings(
    access: LedgerAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    matter: IdFilter = None,
    body: IdFilter = None,
    rule: RuleFilter = None,
    severity: Annotated[str | None, Query(max_length=20)] = None,
    now: NowQuery = None,
    paging: PagingQuery = FIRST_PAGE,
) -> FindingsOut:
    """The MED rulebook's findings (MED-01 to MED-16) in the matters the reader may read,
    and those about a body as a whole (matter "") to its members."""
    if matter is not None:
        access.require_matter(matter)
    view = read.view({matter} if matter else None)
    report = findings(
        view.source,
        read.origin,
        body=body,
        rule=rule,
        matter=matter,
        now=judged_at(now),
        lang=lang,
    )
    chosen = [
        f
        for f in report.findings
        if (access.may_read(f.matter) if f.matter else access.may_read_body(f.body))
        and (severity is None or f.severity == severity)
    ]
    return dated(FindingsOut, view, report, **paging.of(chosen).fields("findings"))


@router.get("/matters/{matter}/forecast", response_model=ForecastOut)
def matter_forecast(
    matter: MatterId,
    access: MatterAccess,
    read: ReadDep,
    lang: LangQuery = "da",
    now: NowQuery = None,
) -> ForecastOut:
    """The matter's findings due now, and those that fall due later unless something happens.

    Something can still happen before a forecast finding falls due: the body
    can still be informed before a political deadline, management can still
    remedy a breach claim, minutes can still be approved.
    """
    view = read.view({matter})
    found = forecast(view.source, read.origin, matter, now=judged_at(now), lang=lang)
    return dated(ForecastOut, view, found)
