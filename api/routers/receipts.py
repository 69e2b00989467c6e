"""Consultation receipts: the events that prove a person's involvement in a matter, or its
absence, as JSON, as a printable page, and as an evidence bundle that verifies offline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.access import require_matter, require_person_view
from api.deps import MatterId, PersonPath
from api.read_schemas import ReceiptOut
from api.reading import LangQuery, Read, ReadDep, dated
from api.responses import BUNDLE_DOC, BUNDLE_ERRORS, READ_ERRORS, json_errors
from ledger.service.bundle import build_bundle
from projections.read_models.receipt import Receipt, receipt, render_receipt
from projections.runner.reading import View

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])

PAGE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The receipt as a printable page of plain text.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    **json_errors(400, 401, 403, 404, 503),
}


def _read_receipt(read: Read, person: str, matter: str) -> tuple[View, Receipt]:
    """A person's own receipt, for any matter of their ledger (it may prove they were *not*
    consulted on a matter of a body they do not sit in); auditors read everyone's."""
    require_person_view(read.reader, person)
    if matter not in read.state.matters:
        require_matter(read.state, read.reader, matter)
    view = read.view({matter})
    return view, receipt(view.source, read.reader.origin, person, matter, names=read.names())


@router.get("/people/{person}/receipts/{matter}", response_model=ReceiptOut, responses=READ_ERRORS)
def consultation_receipt(person: PersonPath, matter: MatterId, read: ReadDep) -> ReceiptOut:
    """The events that prove a person's involvement in a matter, or its absence."""
    view, found = _read_receipt(read, person, matter)
    return dated(ReceiptOut, view, found, leaf_indexes=found.leaf_indexes)


@router.get(
    "/people/{person}/receipts/{matter}/page", response_class=PlainTextResponse, responses=PAGE_DOC
)
def consultation_receipt_page(
    person: PersonPath, matter: MatterId, read: ReadDep, lang: LangQuery = "da"
) -> PlainTextResponse:
    """The consultation receipt as a printable page (Danish or English)."""
    _, found = _read_receipt(read, person, matter)
    return PlainTextResponse(render_receipt(found, lang), media_type="text/plain; charset=utf-8")


@router.get("/people/{person}/receipts/{matter}/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
def consultation_receipt_bundle(
    person: PersonPath, matter: MatterId, read: ReadDep
) -> dict[str, Any]:
    """The receipt's events as an evidence bundle that verifies offline."""
    _, found = _read_receipt(read, person, matter)
    return build_bundle(
        read.context.service,
        read.reader.origin,
        found.leaf_indexes,
        kind="receipt",
        subject={"person": person, "matter": matter, "verdict": found.verdict},
    )
