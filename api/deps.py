"""The plumbing dependencies the routers use, as ``Annotated`` aliases: the running API,
the ledger in the path and its state, path parameters, the bearer credentials.  Who the
reader is and what they may read are ``api/access.py``'s (the guards).

Dependencies that only look things up in memory are ``async`` (FastAPI runs
them on the event loop); those that may touch the database are plain
functions, which FastAPI runs in its thread pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.caching import AnswerCache, ModelCache
from api.credentials import Sealer
from api.settings import ApiSettings
from ledger.domain.state import LedgerState
from ledger.protocol.envelope import ID_PATTERN
from ledger.service.application import LedgerService
from projections.runner.projector import Projector

STREAM_PATTERN = rf"^(registry|matter/{ID_PATTERN})$"


@dataclass(frozen=True)
class ApiContext:
    """What one running API holds: settings, the ledger service, the credential sealer,
    the projector the read models are read through, and the answers cached by ETag."""

    settings: ApiSettings
    service: LedgerService
    sealer: Sealer
    projector: Projector
    answers: AnswerCache = field(default_factory=AnswerCache)
    models: ModelCache = field(default_factory=ModelCache)


async def get_context(request: Request) -> ApiContext:
    context = request.app.state.context
    assert isinstance(context, ApiContext)
    return context


ContextDep = Annotated[ApiContext, Depends(get_context)]


async def get_service(context: ContextDep) -> LedgerService:
    return context.service


ServiceDep = Annotated[LedgerService, Depends(get_service)]

LedgerId = Annotated[
    str,
    Path(
        pattern=rf"^{ID_PATTERN}$",
        description="The ledger id: the last path segment of its origin.",
        examples=["ballerup"],
    ),
]
StreamId = Annotated[
    str,
    Path(
        pattern=STREAM_PATTERN,
        description="`registry` or `matter/<matter id>`.",
        examples=["matter/okonomi-4mio"],
    ),
]
MatterId = Annotated[
    str, Path(pattern=rf"^{ID_PATTERN}$", description="A matter id.", examples=["okonomi-4mio"])
]
PersonPath = Annotated[
    str, Path(pattern=rf"^{ID_PATTERN}$", description="A person id.", examples=["tr"])
]
DocumentDigest = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{64}$",
        description="A document's SHA-256, lowercase hex: the digest its events sign.",
        examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ),
]
BodyPath = Annotated[
    str, Path(pattern=rf"^{ID_PATTERN}$", description="A body id.", examples=["hmed"])
]


def get_origin(ledger: LedgerId, service: ServiceDep) -> str:
    """The origin of the ledger in the path; 404 ``unknown_ledger`` if there is none."""
    return service.origin_of(ledger)


OriginDep = Annotated[str, Depends(get_origin)]

_bearer = HTTPBearer(
    auto_error=False,
    description="A token from POST /v1/ledgers/{ledger}/auth/token (docs/API.md).",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_state(origin: OriginDep, service: ServiceDep) -> LedgerState:
    """The ledger's state as of now, read once per request (routes and auth share it)."""
    return service.state(origin)


StateDep = Annotated[LedgerState, Depends(get_state)]
