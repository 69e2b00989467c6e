"""Evidence bundles: a matter's events, or the whole ledger, with proofs to verify offline.

A bundle (``medledger-bundle/v1``, docs/PROTOCOL.md) is checked by
``medledger verify --bundle`` or any verifier with the ledger's log key,
``cryptography`` and an RFC 8785 implementation; nothing else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.access import require_auditor, require_matter
from api.deps import MatterId, ReaderDep, ServiceDep, StateDep
from api.responses import BUNDLE_DOC, BUNDLE_ERRORS
from ledger.service.bundle import ledger_bundle, matter_bundle

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["bundles"])


@router.get("/matters/{matter}/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
async def matter_evidence(
    matter: MatterId, reader: ReaderDep, state: StateDep, service: ServiceDep
) -> dict[str, Any]:
    """Every event of one matter, proven to the newest checkpoint (whoever may read the matter).

    409 ``not_yet_checkpointed`` while the matter's newest event is beyond it (about a second).
    """
    require_matter(state, reader, matter)
    return await run_in_threadpool(matter_bundle, service, reader.origin, matter)


@router.get("/bundle", responses={**BUNDLE_DOC, **BUNDLE_ERRORS})
async def ledger_evidence(reader: ReaderDep, service: ServiceDep) -> dict[str, Any]:
    """Every event up to the newest checkpoint, for an auditor's offline copy (auditors only)."""
    require_auditor(reader)
    return await run_in_threadpool(ledger_bundle, service, reader.origin)
