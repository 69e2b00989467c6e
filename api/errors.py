"""Errors on the wire: one status and one code per kind, in this one place.

Every error response is ``{"error": {"code": ..., "message": ..., ...}}``
with the ``X-Request-ID`` of the request; never a stack trace.  The ledger's
errors keep their own stable codes (``ledger.errors``); the few errors only
the HTTP edge can raise (tokens, read access, request shape, size) are
defined here as subclasses of the same kinds, so that they map the same way.

| kind | status |
|---|---|
| MalformedError | 400 |
| AuthenticationError | 401 |
| NotAllowedError | 403 |
| NotFoundError | 404 |
| ConflictError, LedgerExistsError | 409 |
| body too large | 413 |
| RuleViolationError, VerificationError | 422 |
| DocumentCorruptError | 500 ``document_corrupt`` (stored bytes no longer match their digest) |
| StorageError | 503 (an unusable database: ``storage_unavailable``) |
| request timed out | 504 ``timeout`` |
| anything else | 500 ``internal_error`` (logged with the request id, never a trace) |
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.errors import (
    AuthenticationError,
    ConflictError,
    DocumentCorruptError,
    LedgerError,
    LedgerExistsError,
    MalformedError,
    NotAllowedError,
    NotFoundError,
    RuleViolationError,
    StorageError,
    StorageUnavailableError,
    VerificationError,
)
from ledger.storage.faults import UNAVAILABLE, unavailable

logger = logging.getLogger("api.errors")

# --- errors only the HTTP edge raises ------------------------------------


class MalformedRequestError(MalformedError):
    """A query, path or body parameter does not have the documented shape."""

    code = "malformed_request"


class TokenRequiredError(AuthenticationError):
    code = "token_required"


class TokenInvalidError(AuthenticationError):
    """The bearer token is not one this server issued, or it was altered."""

    code = "token_invalid"


class TokenExpiredError(AuthenticationError):
    code = "token_expired"


class ChallengeInvalidError(AuthenticationError):
    """The challenge is not one this server issued for this ledger, or it expired."""

    code = "challenge_invalid"


class ChallengeUsedError(AuthenticationError):
    code = "challenge_used"


class OtherLedgerError(NotAllowedError):
    """A token of one ledger was presented to another: nobody reads another ledger."""

    code = "token_for_other_ledger"


class ReadNotAllowedError(NotAllowedError):
    """The reader may not read this stream or view (see docs/API.md, roles)."""

    code = "read_not_allowed"


class AdminRequiredError(NotAllowedError):
    code = "admin_required"


class CreationTicketRequiredError(NotAllowedError):
    """A ledger is created over HTTP only with the operator's creation ticket."""

    code = "creation_ticket_required"


class CreationTicketWrongKeyError(NotAllowedError):
    """The genesis is signed by another key than the founding admin's the ticket names."""

    code = "creation_ticket_wrong_key"


class UnknownRouteError(NotFoundError):
    code = "unknown_route"


# --- the one mapping ------------------------------------------------------

STATUS_BY_KIND: list[tuple[type[LedgerError], int]] = [
    (MalformedError, 400),
    (AuthenticationError, 401),
    (NotAllowedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (LedgerExistsError, 409),
    (RuleViolationError, 422),
    (VerificationError, 422),
    (DocumentCorruptError, 500),
    (StorageError, 503),
]

PAYLOAD_TOO_LARGE = 413
TIMEOUT = 504


def status_of(error: LedgerError) -> int:
    """The HTTP status of a ledger error: by its kind, first match wins."""
    for kind, status in STATUS_BY_KIND:
        if isinstance(error, kind):
            return status
    return 500


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **details}}


def error_response(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(code, message, **details), status_code=status, headers=headers)


def ledger_error_response(error: LedgerError) -> JSONResponse:
    status = status_of(error)
    if status >= 500:
        logger.error("ledger error %s: %s", error.code, error.message)
        response = error_response(status, error.code, "the server could not complete the request")
        if isinstance(error, StorageUnavailableError):
            response.headers["Retry-After"] = "1"
        return response
    return JSONResponse(
        {"error": _jsonable(error.to_dict())},
        status_code=status,
        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


async def _on_ledger_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, LedgerError)
    return ledger_error_response(error)


async def _on_database_unavailable(request: Request, error: Exception) -> JSONResponse:
    """A driver's failure that escaped the store's own translation: the same 503."""
    return ledger_error_response(unavailable(error))


def malformed_request(error: RequestValidationError) -> MalformedRequestError:
    """A request FastAPI could not validate, as the one error of that kind, each problem
    named by its field (the pages show the same error as the API answers)."""
    problems = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())),
            "problem": str(item.get("msg", "")),
        }
        for item in error.errors()
    ]
    return MalformedRequestError("the request does not have the documented shape", errors=problems)


async def _on_validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return ledger_error_response(malformed_request(error))


async def on_http_exception(request: Request, error: Exception) -> JSONResponse:
    """A framework refusal (no route, a method not allowed) in the one error shape."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404:
        return ledger_error_response(UnknownRouteError(f"no such resource: {request.url.path}"))
    if error.status_code == 405:
        return error_response(
            405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}"
        )
    return error_response(error.status_code, "http_error", str(error.detail))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one error shape."""
    app.add_exception_handler(LedgerError, _on_ledger_error)
    for failure in UNAVAILABLE:
        app.add_exception_handler(failure, _on_database_unavailable)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
