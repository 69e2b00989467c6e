"""Signed writes: a submission in, a receipt with its leaf index out.

The envelope's own signature authenticates a write; no token is needed, and
the server never sees a person's private key.  A ledger's genesis
(``LedgerCreated``) additionally needs the operator's creation ticket, made
for the founding admin's key: a genesis signed by another key is refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import BearerDep, ContextDep, LedgerId
from api.errors import CreationTicketRequiredError, CreationTicketWrongKeyError
from api.responses import errors
from api.schemas import AppendOut, submission_schema
from ledger.errors import WrongLedgerError
from ledger.protocol.envelope import REGISTRY_STREAM, Submission, ledger_id_of
from ledger.service.application import AppendReceipt

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["events"])


@router.post(
    "/events",
    status_code=201,
    response_model=AppendOut,
    responses=errors(400, 401, 403, 404, 409, 413, 422, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": submission_schema()}},
        }
    },
)
async def append_event(
    ledger: LedgerId, request: Request, context: ContextDep, credentials: BearerDep
) -> AppendOut:
    """Append one signed event: 201 with stream, sequence, envelope hash and leaf index.

    The body is the RFC 8785 canonical JSON of {body, signature, payload,
    salt}.  Refusals: 400 malformed, 401 bad signature or key, 403 signer
    not allowed, 409 stale sequence or previous hash (re-read the head and
    sign again), 422 a write-time rule; nothing is stored on any refusal.
    To create a ledger, POST its LedgerCreated, signed by the founding admin's
    key the ticket names, with ``Authorization: Bearer <creation ticket>``
    (403 ``creation_ticket_wrong_key`` for a genesis signed by another key).
    """
    raw = await request.body()
    ticket = credentials.credentials if credentials is not None else None
    receipt = await run_in_threadpool(_append, context, ledger, raw, ticket)
    return AppendOut.model_validate(receipt, from_attributes=True)


def _append(context: ContextDep, ledger: str, raw: bytes, ticket: str | None) -> AppendReceipt:
    submission = Submission.from_wire(raw)
    body = submission.envelope.body
    if body.type == "LedgerCreated" and body.stream == REGISTRY_STREAM and body.seq == 1:
        if ledger_id_of(body.origin) != ledger:
            raise WrongLedgerError(f"LedgerCreated for {body.origin} was posted to ledger {ledger}")
        _check_ticket(context, submission, ticket)
    return context.service.append(ledger, submission)


def _check_ticket(context: ContextDep, genesis: Submission, ticket: str | None) -> None:
    """Refuse a genesis without a valid ticket for its origin, or by another key than the ticket's.

    The founding admin's key id must be both the envelope's signing key and
    the payload's ``admin.key_id`` (the domain then checks the signature).
    """
    if ticket is None:
        raise CreationTicketRequiredError(
            "creating a ledger needs the operator's creation ticket (medledger prepare-ledger)"
        )
    body = genesis.envelope.body
    founding_key = context.sealer.open_ticket(ticket, body.origin)
    admin = genesis.payload.get("admin")
    named = admin.get("key_id") if isinstance(admin, dict) else None
    if body.key != founding_key or named != founding_key:
        raise CreationTicketWrongKeyError(
            "the creation ticket is for another founding admin's key",
            ticket_key=founding_key,
            key=body.key,
        )
