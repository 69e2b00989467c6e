"""One-click unsubscribe links (RFC 8058): a signed token names the ledger, person and kinds.

The token is ``base64url(origin \\n person \\n kinds) . base64url(HMAC-SHA256)``
under a key derived from the deployment's secret, so the web application
can honour a click without a session and nobody can unsubscribe another
person.  It never expires: an old message's link still works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from ledger.errors import MalformedError

_CONTEXT = b"medledger/unsubscribe/v1"


class UnsubscribeTokenError(MalformedError):
    """The unsubscribe link is damaged or was not made by this deployment."""

    code = "unsubscribe_token_invalid"


@dataclass(frozen=True)
class Unsubscribe:
    origin: str
    person: str
    kinds: tuple[str, ...]


def _key(secret: bytes) -> bytes:
    return hmac.new(secret, _CONTEXT, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: bytes, request: Unsubscribe) -> str:
    """The token of an unsubscribe link for ``request``."""
    body = "\n".join([request.origin, request.person, ",".join(request.kinds)]).encode()
    tag = hmac.new(_key(secret), body, hashlib.sha256).digest()
    return f"{_b64(body)}.{_b64(tag)}"


def read_token(secret: bytes, token: str) -> Unsubscribe:
    """The request a token carries; raises UnsubscribeTokenError unless this deployment made it."""
    try:
        body_text, tag_text = token.split(".")
        body, tag = _unb64(body_text), _unb64(tag_text)
        origin, person, kinds = body.decode().split("\n")
    except (ValueError, UnicodeDecodeError) as error:
        raise UnsubscribeTokenError("the unsubscribe link is damaged") from error
    expected = hmac.new(_key(secret), body, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise UnsubscribeTokenError("the unsubscribe link was not made by this server")
    return Unsubscribe(origin, person, tuple(k for k in kinds.split(",") if k))
