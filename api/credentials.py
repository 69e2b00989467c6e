"""Sealed credentials: login challenges, bearer tokens, ledger creation tickets.

Each credential is ``<kind>.<claims>.<mac>``: ``claims`` is the base64url
(unpadded) RFC 8785 JSON of its claims, ``mac`` the base64url HMAC-SHA256
under the server's secret (``MEDLEDGER_API_SECRET``) of ``kind``, a newline
and the claims text.  The server stores none of them: they are checked by
recomputing the MAC, so any API process with the same secret accepts them.
What is kept is the nonce of each answered challenge, in the database
(through the ledger service), so a challenge logs in once across every
process of the deployment.

- challenge (``mlc1``): ``{"origin", "nonce", "exp"}``, answered by the
  person's Ed25519 signature over :func:`ledger.client.http.auth_message`;
- token (``mlt1``): ``{"origin", "person", "key", "iat", "exp"}``, a short
  lived bearer token for reads in one ledger;
- ticket (``mlk1``): ``{"origin", "key", "exp"}``, issued by the operator
  with ``medledger prepare-ledger`` to allow one ledger's genesis over HTTP,
  signed by the founding admin's key with id ``key`` and no other: a stolen
  ticket founds nothing without that key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime
from typing import Any

from api.errors import (
    ChallengeInvalidError,
    ChallengeUsedError,
    TokenExpiredError,
    TokenInvalidError,
)
from ledger.errors import AuthenticationError, LedgerError
from ledger.protocol.canonical import canonical, parse_canonical

CHALLENGE = "mlc1"
TOKEN = "mlt1"  # noqa: S105 (a credential kind tag, not a secret)
TICKET = "mlk1"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    data = base64.urlsafe_b64decode(padded.encode("ascii"))
    if _b64url(data) != text:
        raise ValueError("not canonical base64url")
    return data


def _mac(secret: bytes, kind: str, claims_text: str) -> str:
    digest = hmac.new(secret, f"{kind}\n{claims_text}".encode("ascii"), hashlib.sha256).digest()
    return _b64url(digest)


def seal(secret: bytes, kind: str, claims: dict[str, Any]) -> str:
    """Encode and MAC ``claims`` as a credential of ``kind``."""
    claims_text = _b64url(canonical(claims))
    return f"{kind}.{claims_text}.{_mac(secret, kind, claims_text)}"


def unseal(
    secret: bytes,
    kind: str,
    credential: str,
    now: int,
    *,
    invalid: type[AuthenticationError] = TokenInvalidError,
    expired: type[AuthenticationError] = TokenExpiredError,
) -> dict[str, Any]:
    """The claims of a credential this server sealed and that has not expired.

    Raises ``invalid`` when the text is not such a credential (or was
    altered) and ``expired`` when its ``exp`` has passed.
    """
    parts = credential.split(".")
    if len(parts) != 3 or parts[0] != kind:
        raise invalid(f"not a {kind} credential")
    _, claims_text, mac = parts
    if not hmac.compare_digest(_mac(secret, kind, claims_text), mac):
        raise invalid(f"the {kind} credential was not issued by this server")
    try:
        claims = parse_canonical(_unb64url(claims_text))
    except (ValueError, binascii.Error, LedgerError) as exc:
        raise invalid(f"the {kind} credential's claims are malformed") from exc
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        raise invalid(f"the {kind} credential's claims are malformed")
    if claims["exp"] <= now:
        raise expired(f"the {kind} credential expired")
    return claims


def creation_ticket(secret: bytes, origin: str, key_id: str, expires: int) -> str:
    """A creation ticket for ``origin``, founded by key ``key_id``, valid until ``expires``.

    What ``medledger prepare-ledger`` prints.
    """
    return seal(secret, TICKET, {"origin": origin, "key": key_id, "exp": expires})


UseNonce = Callable[[str, str, int], bool]
"""Mark (origin, nonce, expiry) used; False if it already was (``LedgerService.use_nonce``)."""


@dataclass(frozen=True)
class Sealer:
    """Issues and checks this server's credentials with one secret and one clock."""

    secret: bytes = field(repr=False)
    clock: Callable[[], datetime]
    _: KW_ONLY
    token_ttl: int
    challenge_ttl: int
    use_nonce: UseNonce

    def now(self) -> int:
        return int(self.clock().timestamp())

    def challenge(self, origin: str) -> tuple[str, int]:
        expires = self.now() + self.challenge_ttl
        nonce = _b64url(secrets.token_bytes(18))
        return seal(
            self.secret, CHALLENGE, {"origin": origin, "nonce": nonce, "exp": expires}
        ), expires

    def redeem_challenge(self, challenge: str, origin: str) -> None:
        """Check a challenge for ``origin`` and mark it used, for every process at once.

        Raises ChallengeInvalidError or ChallengeUsedError.
        """
        now = self.now()
        claims = unseal(
            self.secret,
            CHALLENGE,
            challenge,
            now,
            invalid=ChallengeInvalidError,
            expired=ChallengeInvalidError,
        )
        if claims.get("origin") != origin:
            raise ChallengeInvalidError("the challenge was issued for another ledger")
        nonce = claims.get("nonce")
        if not isinstance(nonce, str):
            raise ChallengeInvalidError("the challenge's claims are malformed")
        if not self.use_nonce(origin, nonce, int(claims["exp"])):
            raise ChallengeUsedError("this challenge was already answered")

    def token(self, origin: str, person: str, key_id: str) -> tuple[str, int]:
        now = self.now()
        expires = now + self.token_ttl
        claims = {"origin": origin, "person": person, "key": key_id, "iat": now, "exp": expires}
        return seal(self.secret, TOKEN, claims), expires

    def open_token(self, token: str) -> dict[str, Any]:
        """The claims of a valid, unexpired token; raise TokenInvalidError or TokenExpiredError."""
        claims = unseal(self.secret, TOKEN, token, self.now())
        if not all(isinstance(claims.get(k), str) for k in ("origin", "person", "key")):
            raise TokenInvalidError("the token's claims are malformed")
        return claims

    def ticket(self, origin: str, key_id: str, ttl: int) -> str:
        return creation_ticket(self.secret, origin, key_id, self.now() + ttl)

    def open_ticket(self, ticket: str, origin: str) -> str:
        """The founding admin's key id a ticket for ``origin`` names; else TokenInvalidError."""
        claims = unseal(self.secret, TICKET, ticket, self.now())
        if claims.get("origin") != origin:
            raise TokenInvalidError("the creation ticket is for another ledger")
        key_id = claims.get("key")
        if not isinstance(key_id, str):
            raise TokenInvalidError("the creation ticket names no founding admin key")
        return key_id
