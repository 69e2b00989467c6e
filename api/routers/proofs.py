"""Inclusion and consistency proofs, exactly as RFC 9162 section 2.1 defines them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.access import LedgerAccess
from api.deps import ServiceDep
from api.responses import READ_ERRORS
from api.schemas import ConsistencyProofOut, InclusionProofOut
from ledger.errors import UnknownLeafError
from ledger.protocol import merkle
from ledger.protocol.b64 import b64encode
from ledger.service.application import LedgerService

router = APIRouter(prefix="/v1/ledgers/{ledger}/proofs", tags=["proofs"])

Size = Annotated[int, Query(ge=1, le=2**53 - 1)]


@router.get("/inclusion", response_model=InclusionProofOut, responses=READ_ERRORS)
def inclusion(
    access: LedgerAccess,
    service: ServiceDep,
    leaf_index: Annotated[int, Query(ge=0, le=2**53 - 1)],
    tree_size: Size | None = None,
) -> InclusionProofOut:
    """The audit path of a leaf in the tree of ``tree_size`` leaves (default: the whole tree),
    with the leaf's hash, SHA-256(0x00 || entry), the path starts from."""
    origin = access.origin
    size = _size(service, origin, tree_size)
    hashes = service.inclusion_proof(origin, leaf_index, size)
    root = service.root(origin, size)
    record = service.record(origin, leaf_index)
    if record is None or record.entry is None:
        raise UnknownLeafError(f"no event at leaf {leaf_index}", leaf_index=leaf_index)
    return InclusionProofOut(
        leaf_index=leaf_index,
        tree_size=size,
        leaf_hash=b64encode(merkle.leaf_hash(record.entry)),
        root=b64encode(root),
        hashes=_encoded(hashes),
    )


@router.get("/consistency", response_model=ConsistencyProofOut, responses=READ_ERRORS)
def consistency(
    access: LedgerAccess, service: ServiceDep, old_size: Size, new_size: Size | None = None
) -> ConsistencyProofOut:
    """The proof that the tree of ``new_size`` leaves extends the tree of ``old_size``."""
    origin = access.origin
    size = _size(service, origin, new_size)
    hashes = service.consistency_proof(origin, old_size, size)
    return ConsistencyProofOut(
        old_size=old_size,
        new_size=size,
        old_root=b64encode(service.root(origin, min(old_size, size))),
        new_root=b64encode(service.root(origin, size)),
        hashes=_encoded(hashes),
    )


def _size(service: LedgerService, origin: str, asked: int | None) -> int:
    """The tree size a proof is asked for, or the whole tree's when none is."""
    return service.tree_size(origin) if asked is None else asked


def _encoded(hashes: list[bytes]) -> list[str]:
    return [b64encode(h) for h in hashes]
