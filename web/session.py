"""The browser's session: a cookie that carries the API's own bearer token, and CSRF.

Logging in is the API's signed challenge (docs/API.md section 3), signed in
the browser; the token the server then issues is kept in the session
cookie ``medledger_session``: HttpOnly (no script reads it), SameSite=Strict
(no other site's page sends it), Secure when the page came over https, and
expiring with the token itself (``MEDLEDGER_TOKEN_TTL_SECONDS``).  The server
keeps nothing: a session is the token, checked on every request against the
registry now, exactly as the API checks a bearer token.

Every form that changes something under that cookie carries a CSRF token:
the HMAC under the server's secret of the session token, so it is bound to
one session and dies with it; POSTs also must come from this site
(``Origin``, when the browser sends it, names this host).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from api.access import Reader, reader_from_token
from api.deps import ApiContext
from api.errors import TokenExpiredError, TokenInvalidError
from ledger.domain.state import LedgerState
from ledger.errors import AuthenticationError, NotAllowedError

SESSION_COOKIE = "medledger_session"
LANG_COOKIE = "medledger_lang"
CSRF_FIELD = "csrf"


class LoginRequiredError(Exception):
    """The page needs a session in ``ledger`` and there is none (or it expired)."""

    def __init__(self, ledger: str, *, expired: bool = False) -> None:
        super().__init__(ledger)
        self.ledger = ledger
        self.expired = expired


class CsrfError(NotAllowedError):
    """A form under the session cookie came without its token, or from another site."""

    code = "csrf_failed"


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of one session: HMAC-SHA256(secret, ``csrf\\n`` + session token)."""
    mac = hmac.new(secret, b"csrf\n" + session.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def clear_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=is_https(request)
    )


@dataclass(frozen=True)
class Session:
    """A logged-in person in one ledger, as the page sees them."""

    ledger: str
    origin: str
    reader: Reader
    state: LedgerState
    token: str
    csrf: str

    @property
    def person(self) -> str:
        return self.reader.person


def open_session(
    request: Request, context: ApiContext, secret: bytes, ledger: str, origin: str
) -> Session:
    """The session of ``ledger`` the cookie carries; LoginRequiredError if there is none.

    The token is checked as the API checks a bearer token (``reader_from_token``):
    issued here, unexpired, for this ledger, by a key enrolled and not revoked now.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequiredError(ledger)
    state = context.service.state(origin)
    try:
        reader = reader_from_token(origin, state, context, token)
    except TokenExpiredError:
        raise LoginRequiredError(ledger, expired=True) from None
    except (TokenInvalidError, AuthenticationError, NotAllowedError):
        raise LoginRequiredError(ledger) from None
    return Session(ledger, origin, reader, state, token, csrf_token(secret, token))


def check_same_site(request: Request) -> None:
    """Refuse a POST whose ``Origin`` names another site (CsrfError)."""
    sent = request.headers.get("origin")
    if sent is None:
        # A missing Origin is allowed (some browsers leave it out on same-origin
        # navigations); the CSRF token and SameSite=Strict still guard the form.
        return
    host = request.headers.get("host", "")
    if sent not in (f"http://{host}", f"https://{host}"):
        raise CsrfError("the form was sent from another site")


def check_csrf(request: Request, session: Session, sent: str | None) -> None:
    """Refuse a form under the session cookie without this session's CSRF token."""
    check_same_site(request)
    if sent is None or not hmac.compare_digest(sent, session.csrf):
        raise CsrfError("the form's CSRF token is missing or belongs to another session")
