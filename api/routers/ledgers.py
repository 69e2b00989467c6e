"""A ledger's public face: origin, name and log verifier key."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import LedgerId, ServiceDep
from api.responses import errors
from api.schemas import LedgerOut
from ledger.errors import MalformedKeyError, UnknownLedgerError
from ledger.protocol.note import NoteSigner

router = APIRouter(prefix="/v1/ledgers", tags=["ledgers"])


@router.get("/{ledger}", response_model=LedgerOut, responses=errors(400, 404, 503))
def get_ledger(ledger: LedgerId, service: ServiceDep) -> LedgerOut:
    """What a signer and a verifier need to know of a ledger; no token needed.

    A ledger whose log key the operator prepared (``medledger prepare-ledger``)
    but whose genesis event is not in yet answers with ``created: false``.
    """
    row = service.ledger_info(ledger)
    if row is not None:
        return LedgerOut(
            ledger_id=row.ledger_id,
            origin=row.origin,
            name=row.name,
            log_verifier_key=row.log_verifier_key,
            created=True,
        )
    path = service.log_keys.path(ledger)
    try:
        signer = NoteSigner.from_signer_key(path.read_text().strip())
    except (OSError, MalformedKeyError) as exc:
        raise UnknownLedgerError(f"no ledger {ledger!r} on this server", ledger=ledger) from exc
    return LedgerOut(
        ledger_id=ledger,
        origin=signer.name,
        name=None,
        log_verifier_key=signer.verifier_key(),
        created=False,
    )
