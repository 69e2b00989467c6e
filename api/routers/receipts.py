"""Consultation receipts: the events that prove a person's involvement in a matter, or its
absence, as JSON, as a printable page, and as an evidence bundle that verifies offline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api.access import ReceiptAccess, ReceiptGrant
from api.deps import MatterId, PersonPath
from api.read_schemas import ReceiptOut
from api.reading import LangQuery, Read, ReadDep, dated
from api.responses import BUNDLE_DOC, BUNDLE_ERRORS, READ_ERRORS, json_errors
from ledger.service.bundle import receipt_bundle
from projections.read_models.receipt import Receipt, receipt, render_receipt, routing_only
from projections.runner.reading import View

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])

PAGE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The receipt as a printable page of plain text.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    **json_errors(400, 401, 403, 404, 503),
}


def _read_receipt(
    read: Read, grant: ReceiptGrant, person: str, matter: str
) -> tuple[View, Receipt]:
    """A person's own receipt, for any matter of their ledger (it may prove they were *not*
    consulted on a matter of a body they do not sit in); auditors read everyone's.  To a
    reader who may not read the matter, the routing only (``grant``, api/access.py)."""
    view = read.view({matter})
    found = receipt(view.source, read.origin, person, matter, names=read.names())
    return view, found if grant.full else routing_only(found)


@router.get("/people/{person}/receipts/{matter}", response_model=ReceiptOut, responses=READ_ERRORS)
def consultation_receipt(
    person: PersonPath, matter: MatterId, grant: ReceiptAccess, read: ReadDep
) -> ReceiptOut:
    """The events that prove a person's involvement in a matter, or its absence (to a
    person who may not read the matter: its routing only, the title withheld)."""
    view, found = _read_receipt(read, grant, person, matter)
    return dated(ReceiptOut, view, found, leaf_indexes=found.leaf_indexes)


@router.get(
    "/people/{person}/receipts/{matter}/page", response_class=PlainTextResponse, responses=PAGE_DOC
)
def consultation_receipt_page(
    person: PersonPath,
    matter: MatterId,
    grant: ReceiptAccess,
    read: ReadDep,
    lang: LangQuery = "da",
) -> PlainTextResponse:
    """The consultation receipt as a printable page (Danish or English)."""
    _, found = _read_receipt(read, grant, person, matter)
    return PlainTextResponse(render_receipt(found, lang), media_type="text/plain; charset=utf-8")


@router.get("/people/{person}/receipts/{matter}/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
def consultation_receipt_bundle(
    person: PersonPath, matter: MatterId, grant: ReceiptAccess, read: ReadDep
) -> dict[str, Any]:
    """The receipt as an evidence bundle that verifies offline: the matter and the registry,
    proven complete.  To a reader who may not read the matter it is an absence receipt that
    discloses the matter's routing fields only (docs/PROTOCOL.md section 13)."""
    _, found = _read_receipt(read, grant, person, matter)
    return receipt_bundle(
        read.context.service, read.origin, person, matter, found.verdict, full=grant.full
    )
