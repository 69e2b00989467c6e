"""Log in with one's own Ed25519 key: a challenge, a signature, a short-lived token.

No password is stored anywhere: the server checks the signature against
the key enrolled in the ledger's registry, and the token it returns is a
MAC under the server's secret, bound to one ledger (docs/API.md).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from api.deps import ContextDep, OriginDep, StateDep
from api.responses import errors
from api.schemas import ChallengeOut, TokenIn, TokenOut
from ledger.client.http import auth_message
from ledger.errors import MalformedError
from ledger.protocol.b64 import b64decode
from ledger.protocol.envelope import format_time
from ledger.protocol.keys import verify_signature

router = APIRouter(prefix="/v1/ledgers/{ledger}/auth", tags=["auth"])


def _time(unix: int) -> str:
    return format_time(datetime.fromtimestamp(unix, UTC))


@router.post("/challenge", response_model=ChallengeOut, responses=errors(400, 404, 503))
def challenge(origin: OriginDep, context: ContextDep) -> ChallengeOut:
    """A fresh login challenge for this ledger, valid for a short time and usable once."""
    text, expires = context.sealer.challenge(origin)
    return ChallengeOut(
        origin=origin,
        challenge=text,
        expires_at=_time(expires),
        expires_in=context.sealer.challenge_ttl,
    )


@router.post("/token", response_model=TokenOut, responses=errors(400, 401, 404, 503))
def token(request: TokenIn, origin: OriginDep, state: StateDep, context: ContextDep) -> TokenOut:
    """Exchange a signed challenge for a bearer token.

    The signature is Ed25519 by ``key_id`` of ``person`` over
    ``medledger/auth/v1\\n<origin>\\n<challenge>\\n<person>\\n<key id>\\n``.
    401 ``unknown_key``, ``revoked_key``, ``bad_signature``,
    ``challenge_invalid`` or ``challenge_used``.
    """
    registry = state.registry
    public_key = registry.signing_key(request.person, request.key_id)
    signature = b64decode(request.signature, length=64, what="signature", error=MalformedError)
    message = auth_message(origin, request.challenge, request.person, request.key_id)
    verify_signature(public_key, signature, message)
    context.sealer.redeem_challenge(request.challenge, origin)
    text, expires = context.sealer.token(origin, request.person, request.key_id)
    return TokenOut(
        token=text,
        expires_at=_time(expires),
        expires_in=context.sealer.token_ttl,
        person=request.person,
        roles=sorted(registry.people[request.person].roles),
    )
