"""The read models over HTTP: matters, timeline, dossier, findings, involvement,
receipts, body statistics.  Each live, or ``as_of`` a past tree size or date.

The projections answer (``projections.runner.reading.open_view`` and the query
functions); this router adds access control, paging, filters and output
schemas.  Who reads what is api/access.py.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from api.access import Reader, may_read_matter, require_matter, require_person_view
from api.deps import BodyPath, ContextDep, MatterId, PersonPath, ReaderDep, StateDep
from api.errors import ReadNotAllowedError
from api.read_schemas import (
    DossierOut,
    FindingsOut,
    InvolvementOut,
    MatterListOut,
    MatterSummaryOut,
    ReceiptOut,
    StatisticsOut,
    TimelineOut,
)
from api.responses import BUNDLE_DOC, READ_ERRORS, json_errors
from ledger.domain.state import LedgerState
from ledger.errors import MalformedAsOfError
from ledger.service.bundle import build_bundle
from projections.read_models.dossier import dossier
from projections.read_models.findings import findings
from projections.read_models.involvement import involvement
from projections.read_models.receipt import receipt, render_receipt
from projections.read_models.statistics import statistics
from projections.read_models.timeline import timeline
from projections.runner.reading import View, open_view

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])

AsOfQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=40,
        description="Replay as of a tree size (`120`) or a date or time "
        "(`2026-03-01`, `2026-03-01T12:00:00Z`); default: now.",
        examples=["2026-03-01"],
    ),
]
LangQuery = Annotated[Literal["da", "en"], Query(description="Language of summaries.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]
IdFilter = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]


def _view(
    context: ContextDep, reader: Reader, as_of: str | None, matters: set[str] | None = None
) -> View:
    return open_view(
        context.projector,
        reader.origin,
        as_of=as_of,
        matters=matters,
        catch_up=context.settings.read_models_catch_up,
    )


def _point(view: View, as_of: int) -> dict[str, Any]:
    return {
        "as_of": view.as_of.size if view.as_of is not None else as_of,
        "as_of_asked": view.as_of.asked if view.as_of is not None else None,
        "behind": view.behind,
    }


def _names(context: ContextDep, origin: str) -> dict[str, str]:
    return context.service.directory_names(origin)


def _next(offset: int, limit: int, total: int) -> int | None:
    return offset + limit if offset + limit < total else None


@router.get("/matters", response_model=MatterListOut, responses=READ_ERRORS)
def list_matters(
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    status: Annotated[
        str | None, Query(max_length=40, description="e.g. open, decided, closed")
    ] = None,
    body: IdFilter = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> MatterListOut:
    """The matters the reader may read, newest last; filter by status or responsible body."""
    view = _view(context, reader, as_of)
    rows = [
        r
        for r in view.source.rows("rm_matters", reader.origin)
        if may_read_matter(state, reader, str(r["matter"]))
        and (status is None or r["status"] == status)
        and (body is None or r["responsible_body"] == body)
    ]
    page = rows[offset : offset + limit]
    matters = [
        MatterSummaryOut(
            matter=str(r["matter"]),
            title=str(r["title"]),
            category=str(r["category"]),
            influence_level=str(r["influence_level"]),
            responsible_body=str(r["responsible_body"]),
            decision_maker=str(r["decision_maker"]),
            status=str(r["status"]),
            events=int(r["events"]),
            opened_time=str(r["opened_time"]),
        )
        for r in page
    ]
    return MatterListOut(
        **_point(view, view.source.tracking(reader.origin, "timeline").position),
        matters=matters,
        total=len(rows),
        next_offset=_next(offset, limit, len(rows)),
    )


@router.get("/matters/{matter}/timeline", response_model=TimelineOut, responses=READ_ERRORS)
def matter_timeline(
    matter: MatterId,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    lang: LangQuery = "da",
    event_type: Annotated[str | None, Query(pattern=r"^[A-Z][A-Za-z]{1,63}$")] = None,
    actor: IdFilter = None,
    after_seq: Annotated[int, Query(ge=0, le=2**53 - 1)] = 0,
    limit: Limit = 200,
) -> TimelineOut:
    """Each event of the matter with time, type, actor, the actor's body, side and roles
    at that moment, a one-line summary and its leaf index."""
    require_matter(state, reader, matter)
    view = _view(context, reader, as_of, {matter})
    found = timeline(
        view.source, reader.origin, matter, lang=lang, names=_names(context, reader.origin)
    )
    chosen = [
        e
        for e in found.entries
        if e.seq > after_seq
        and (event_type is None or e.event_type == event_type)
        and (actor is None or e.actor == actor)
    ]
    page = chosen[:limit]
    return TimelineOut(
        **_point(view, found.as_of),
        origin=found.origin,
        matter=found.matter,
        entries=page,
        next_after_seq=page[-1].seq if len(chosen) > limit else None,
    )


@router.get("/matters/{matter}/dossier", response_model=DossierOut, responses=READ_ERRORS)
def matter_dossier(
    matter: MatterId,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
) -> DossierOut:
    """The decision dossier: the decision and its rationale, each input and how it was
    treated, disagreements and answers, compromises and agreements, co-responsibility."""
    require_matter(state, reader, matter)
    view = _view(context, reader, as_of, {matter})
    found = dossier(view.source, reader.origin, matter, names=_names(context, reader.origin))
    return DossierOut(
        **_point(view, found.as_of),
        origin=found.origin,
        matter=found.matter,
        document=found.document,
        co_responsibility=found.co_responsibility,
        body_names=found.body_names,
    )


@router.get("/findings", response_model=FindingsOut, responses=READ_ERRORS)
def rule_findings(
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    lang: LangQuery = "da",
    matter: IdFilter = None,
    body: IdFilter = None,
    rule: Annotated[str | None, Query(pattern=r"^(?i:med)-?\d{1,2}$", examples=["MED-04"])] = None,
    severity: Annotated[str | None, Query(max_length=20)] = None,
    now: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Judge deadlines at this time (default: the ledger's latest).",
        ),
    ] = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> FindingsOut:
    """The MED rulebook's findings (MED-01 to MED-12) in the matters the reader may read."""
    if matter is not None:
        require_matter(state, reader, matter)
    view = _view(context, reader, as_of, {matter} if matter else None)
    report = findings(
        view.source, reader.origin, body=body, rule=rule, matter=matter, now=_moment(now), lang=lang
    )
    chosen = [
        f
        for f in report.findings
        if may_read_matter(state, reader, f.matter) and (severity is None or f.severity == severity)
    ]
    return FindingsOut(
        **_point(view, report.as_of),
        origin=report.origin,
        reference_time=report.reference_time,
        findings=chosen[offset : offset + limit],
        total=len(chosen),
        next_offset=_next(offset, limit, len(chosen)),
    )


@router.get("/people/{person}/involvement", response_model=InvolvementOut, responses=READ_ERRORS)
def person_involvement(
    person: PersonPath,
    reader: ReaderDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    matter: IdFilter = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> InvolvementOut:
    """A person's involvement, matter by matter: informed, present or absent, positions,
    disagreements, acknowledgements, decisions (the person themself and auditors)."""
    require_person_view(reader, person)
    view = _view(context, reader, as_of)
    found = involvement(view.source, reader.origin, person, names=_names(context, reader.origin))
    chosen = [m for m in found.matters if matter is None or m.matter == matter]
    return InvolvementOut(
        **_point(view, found.as_of),
        origin=found.origin,
        person=found.person,
        name=found.name,
        memberships=found.memberships,
        matters=chosen[offset : offset + limit],
        total=len(chosen),
        next_offset=_next(offset, limit, len(chosen)),
    )


def _receipt_access(state: LedgerState, reader: Reader, person: str, matter: str) -> None:
    """A person's own receipt, for any matter of their ledger (it may prove they were *not*
    consulted on a matter of a body they do not sit in); auditors read everyone's."""
    require_person_view(reader, person)
    if matter not in state.matters:
        require_matter(state, reader, matter)


@router.get("/people/{person}/receipts/{matter}", response_model=ReceiptOut, responses=READ_ERRORS)
def consultation_receipt(
    person: PersonPath,
    matter: MatterId,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
) -> ReceiptOut:
    """The events that prove a person's involvement in a matter, or its absence."""
    _receipt_access(state, reader, person, matter)
    view = _view(context, reader, as_of, {matter})
    found = receipt(
        view.source, reader.origin, person, matter, names=_names(context, reader.origin)
    )
    fields = {f.name: getattr(found, f.name) for f in dataclasses.fields(found)}
    fields.pop("as_of")
    return ReceiptOut(**_point(view, found.as_of), **fields, leaf_indexes=found.leaf_indexes)


@router.get(
    "/people/{person}/receipts/{matter}/page",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "The receipt as a printable page of plain text.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        **json_errors(400, 401, 403, 404),
    },
)
def consultation_receipt_page(
    person: PersonPath,
    matter: MatterId,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    lang: LangQuery = "da",
) -> PlainTextResponse:
    """The consultation receipt as a printable page (Danish or English)."""
    _receipt_access(state, reader, person, matter)
    view = _view(context, reader, as_of, {matter})
    found = receipt(
        view.source, reader.origin, person, matter, names=_names(context, reader.origin)
    )
    return PlainTextResponse(render_receipt(found, lang), media_type="text/plain; charset=utf-8")


@router.get("/people/{person}/receipts/{matter}/bundle", responses={**BUNDLE_DOC, **READ_ERRORS})
def consultation_receipt_bundle(
    person: PersonPath,
    matter: MatterId,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
) -> dict[str, Any]:
    """The receipt's events as an evidence bundle that verifies offline."""
    _receipt_access(state, reader, person, matter)
    view = _view(context, reader, as_of, {matter})
    found = receipt(view.source, reader.origin, person, matter)
    return build_bundle(
        context.service,
        reader.origin,
        found.leaf_indexes,
        kind="receipt",
        subject={"person": person, "matter": matter, "verdict": found.verdict},
    )


@router.get("/bodies/{body}/statistics", response_model=StatisticsOut, responses=READ_ERRORS)
def body_statistics(
    body: BodyPath,
    reader: ReaderDep,
    state: StateDep,
    context: ContextDep,
    as_of: AsOfQuery = None,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
) -> StatisticsOut:
    """A body's figures per year (members of the body, and auditors)."""
    if not reader.is_auditor and state.registry.membership(body, reader.person) is None:
        raise ReadNotAllowedError(f"{reader.person} does not sit in {body}", body=body)
    view = _view(context, reader, as_of)
    found = statistics(view.source, reader.origin, body, year=year)
    return StatisticsOut(
        **_point(view, found.as_of),
        origin=found.origin,
        body=found.body,
        body_name=found.body_name,
        years=found.years,
    )


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedAsOfError(f"now {text!r} is not a date or time", now=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
