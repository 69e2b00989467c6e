"""The SDK's HTTP transport: submit signed events to, and read from, a medledger server.

``HttpTransport`` implements the :class:`ledger.client.sdk.Transport` protocol, so
``LedgerClient`` signs on the person's machine and retries on 409 exactly
as it does against a local database.  Error responses come back as the
same ``LedgerError`` subclasses the server raised, matched by their stable
code (a code this SDK does not know becomes a subclass of the kind its
status names).

Reads need a bearer token: the transport obtains one by signing the
server's login challenge with the person's key (:func:`auth_message`, byte
by byte in docs/API.md); the private key never leaves this process.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import httpx

from ledger.client.sdk import Head
from ledger.errors import (
    AuthenticationError,
    ConflictError,
    LedgerError,
    MalformedError,
    NotAllowedError,
    NotFoundError,
    RuleViolationError,
    StorageError,
    UnknownLedgerError,
)
from ledger.protocol.b64 import b64encode
from ledger.protocol.envelope import parse_time
from ledger.protocol.keys import PersonKey

AUTH_PREFIX = b"medledger/auth/v1\n"
_TOKEN_MARGIN_SECONDS = 30


def auth_message(origin: str, challenge: str, person: str, key_id: str) -> bytes:
    """The exact bytes a person signs to log in: prefix, then four lines.

    ``medledger/auth/v1\\n<origin>\\n<challenge>\\n<person>\\n<key id>\\n``
    """
    return AUTH_PREFIX + f"{origin}\n{challenge}\n{person}\n{key_id}\n".encode()


def answer_challenge(challenge: dict[str, Any], key: PersonKey) -> dict[str, str]:
    """The login answer to a server's challenge (``POST …/auth/challenge``), signed by
    ``key``: what ``POST …/auth/token`` (and the web application's session) takes."""
    message = auth_message(challenge["origin"], challenge["challenge"], key.person, key.key_id)
    return {
        "person": key.person,
        "key_id": key.key_id,
        "challenge": challenge["challenge"],
        "signature": b64encode(key.sign(message)),
    }


def _all_subclasses(cls: type[LedgerError]) -> list[type[LedgerError]]:
    found: list[type[LedgerError]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


_KIND_BY_STATUS: dict[int, type[LedgerError]] = {
    400: MalformedError,
    401: AuthenticationError,
    403: NotAllowedError,
    404: NotFoundError,
    409: ConflictError,
    422: RuleViolationError,
    503: StorageError,
}
_UNKNOWN_CODES: dict[tuple[str, int], type[LedgerError]] = {}


def error_class(code: str, status: int) -> type[LedgerError]:
    """The LedgerError subclass with ``code``, or a new one of the status's kind."""
    known: list[type[LedgerError]] = [LedgerError, *_all_subclasses(LedgerError)]
    for cls in known:
        if cls.code == code:
            return cls
    key = (code, status)
    if key not in _UNKNOWN_CODES:
        base = _KIND_BY_STATUS.get(status, LedgerError)
        name = "".join(part.title() for part in code.split("_")) + "Error"
        made: type[LedgerError] = type(name, (base,), {"code": code})
        _UNKNOWN_CODES[key] = made
    return _UNKNOWN_CODES[key]


def error_from_response(response: httpx.Response) -> LedgerError:
    """Turn an error response of a medledger server into the LedgerError it stands for."""
    try:
        data = response.json()
        error = data["error"]
        code = str(error["code"])
        message = str(error.get("message", ""))
        details = {k: v for k, v in error.items() if k not in ("code", "message")}
    except (ValueError, KeyError, TypeError):
        code, message, details = "http_error", f"HTTP {response.status_code}", {}
    details.setdefault("status", response.status_code)
    return error_class(code, response.status_code)(message, **details)


class HttpTransport:
    """Talks to a medledger server; signs login challenges with ``key`` when reads need a token.

    ``client`` lets a caller pass its own ``httpx.Client`` (e.g. a test client
    of the ASGI application); otherwise one is made for ``base_url``.
    ``creation_ticket`` is sent with a ledger's genesis event.
    """

    def __init__(
        self,
        base_url: str = "",
        *,
        key: PersonKey | None = None,
        creation_ticket: str | None = None,
        timeout: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.key = key
        self.creation_ticket = creation_ticket
        self._owns_client = client is None
        self.http = (
            client if client is not None else httpx.Client(base_url=base_url, timeout=timeout)
        )
        self._tokens: dict[str, tuple[str, float]] = {}
        self._origins: dict[str, str] = {}

    def close(self) -> None:
        if self._owns_client:
            self.http.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- public ledger information ----------------------------------------

    def ledger_info(self, ledger: str) -> dict[str, Any]:
        """Origin, name and log verifier key of a ledger (created or prepared)."""
        found = self._json(self.http.get(f"/v1/ledgers/{quote(ledger, safe='')}"))
        assert isinstance(found, dict)
        return found

    def origin(self, ledger: str) -> str:
        if ledger not in self._origins:
            info = self.ledger_info(ledger)
            if not info.get("created", True):
                raise UnknownLedgerError(
                    f"ledger {ledger} is prepared but not created yet", ledger=ledger
                )
            self._origins[ledger] = str(info["origin"])
        return self._origins[ledger]

    # --- login ----------------------------------------------------------

    def token(self, ledger: str) -> str:
        """A bearer token for ``ledger``, logging in with the key when needed."""
        cached = self._tokens.get(ledger)
        if cached is not None and cached[1] - _TOKEN_MARGIN_SECONDS > time.time():
            return cached[0]
        if self.key is None:
            raise AuthenticationError("reading from a server needs a person's key to log in")
        base = f"/v1/ledgers/{quote(ledger, safe='')}/auth"
        challenge = self._json(self.http.post(f"{base}/challenge"))
        assert isinstance(challenge, dict)
        answer = answer_challenge(challenge, self.key)
        granted = self._json(self.http.post(f"{base}/token", json=answer))
        assert isinstance(granted, dict)
        # The server's clock may be a test clock: keep our own expiry from the lifetime.
        lifetime = int(granted["expires_in"])
        self._tokens[ledger] = (str(granted["token"]), time.time() + lifetime)
        return str(granted["token"])

    def _authorised(self, ledger: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.token(ledger)}"}
            response = self.http.request(method, path, headers=headers, **kwargs)
            if response.status_code == 401 and attempt == 0:
                self._tokens.pop(ledger, None)
                continue
            return response
        raise AssertionError("unreachable")

    def get(self, ledger: str, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET ``/v1/ledgers/<ledger><path>`` with a token; the JSON answer or the error."""
        return self._json(self._authorised(ledger, "GET", self._path(ledger, path), params=params))

    def get_text(self, ledger: str, path: str, params: dict[str, Any] | None = None) -> str:
        response = self._authorised(ledger, "GET", self._path(ledger, path), params=params)
        if response.status_code >= 400:
            raise error_from_response(response)
        return response.text

    def put(self, ledger: str, path: str, body: dict[str, Any]) -> Any:
        return self._json(self._authorised(ledger, "PUT", self._path(ledger, path), json=body))

    def delete(self, ledger: str, path: str) -> Any:
        return self._json(self._authorised(ledger, "DELETE", self._path(ledger, path)))

    # --- the Transport protocol ---------------------------------------------

    def head(self, ledger: str, stream: str) -> Head | None:
        path = self._path(ledger, f"/streams/{stream}/head")
        try:
            self.origin(ledger)
        except UnknownLedgerError:
            return None  # not created yet: the first event is LedgerCreated
        found = self._json(self._authorised(ledger, "GET", path))
        assert isinstance(found, dict)
        if not found["seq"]:
            return None
        return Head(int(found["seq"]), str(found["hash"]), parse_time(str(found["time"])))

    def submit(self, ledger: str, wire: bytes) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.creation_ticket is not None:
            headers["Authorization"] = f"Bearer {self.creation_ticket}"
        response = self.http.post(self._path(ledger, "/events"), content=wire, headers=headers)
        found = self._json(response)
        assert isinstance(found, dict)
        return found

    # --- helpers ----------------------------------------------------------

    @staticmethod
    def _path(ledger: str, path: str) -> str:
        return f"/v1/ledgers/{quote(ledger, safe='')}{path}"

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise error_from_response(response)
        return response.json()
