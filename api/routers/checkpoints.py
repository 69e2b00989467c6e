"""The ledger's latest signed checkpoint, as the signed note it is."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from api.access import LedgerAccess
from api.deps import ServiceDep
from api.responses import json_errors

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["checkpoints"])

CHECKPOINT_EXAMPLE = (
    "ledger.example/ballerup\n"
    "42\n"
    "qnGq3m2oPqrvH1Mq1u1PGg2XU9uZCk6Yb7qN3H3R0vA=\n"
    "\n"
    "— ledger.example/ballerup Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "A C2SP tlog-checkpoint signed note, byte for byte.",
            "content": {
                "text/plain": {"schema": {"type": "string"}, "example": CHECKPOINT_EXAMPLE}
            },
        },
        **json_errors(400, 401, 403, 404, 409, 503),
    },
)
async def checkpoint(access: LedgerAccess, service: ServiceDep) -> PlainTextResponse:
    """The newest signed checkpoint (a read: it never signs; 409 ``not_yet_checkpointed``
    before the ledger's first)."""
    note = await run_in_threadpool(service.latest_checkpoint, access.origin)
    return PlainTextResponse(note, media_type="text/plain; charset=utf-8")


@router.get("/trust", responses=json_errors(400, 401, 403, 404))
async def trust_root(access: LedgerAccess, service: ServiceDep) -> dict[str, object]:
    """The ledger's trust root (origin, log verifier key, genesis hash), as `medledger trust`
    prints it without witnesses.  A verifier should obtain it independently (from the
    organisation's own publication) and pin it; this route lets a client compare."""
    root = await run_in_threadpool(service.trust_root, access.origin)
    return root.to_json()
