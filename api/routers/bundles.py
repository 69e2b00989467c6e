"""Evidence bundles: a matter's events, or the whole ledger, with proofs to verify offline.

A bundle (``medledger-bundle/v1``, docs/PROTOCOL.md) is checked by
``medledger verify --bundle`` or any verifier with the ledger's log key,
``cryptography`` and an RFC 8785 implementation; nothing else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.access import AuditorAccess, MatterAccess
from api.deps import MatterId, ServiceDep
from api.responses import BUNDLE_DOC, BUNDLE_ERRORS
from ledger.service.bundle import ledger_bundle, matter_bundle

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["bundles"])


@router.get("/matters/{matter}/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
async def matter_evidence(
    matter: MatterId, access: MatterAccess, service: ServiceDep
) -> dict[str, Any]:
    """Every event of one matter, and the registry, proven complete to the newest checkpoint
    (whoever may read the matter).

    409 ``not_yet_checkpointed`` while the matter's newest event is beyond it (about a second).
    """
    return await run_in_threadpool(matter_bundle, service, access.origin, matter)


@router.get("/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
async def ledger_evidence(access: AuditorAccess, service: ServiceDep) -> dict[str, Any]:
    """Every event up to the newest checkpoint, for an auditor's offline copy (auditors only)."""
    return await run_in_threadpool(ledger_bundle, service, access.origin)
