"""The edge of every request: request id, size limit, timeout, and no stack traces.

A pure ASGI middleware (so that it also guards streaming bodies):

- a body larger than ``max_body_bytes`` is refused with 413 before the
  application sees it, by Content-Length or by counting what arrives; a
  document upload (``POST …/documents``, and the web application's
  ``POST /l/{ledger}/dokumenter``) may be up to ``max_document_bytes``;
- a request that takes longer than ``timeout`` seconds gets 504;
- an unexpected exception becomes a 500 ``internal_error`` with the request
  id, and its trace goes to the log only;
- every response carries ``X-Request-ID`` and a ``Server-Timing`` header
  (time in the server until the response started), and one log line per
  request records method, path, status and duration.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PAYLOAD_TOO_LARGE, TIMEOUT, error_body
from api.logs import request_id

logger = logging.getLogger("api.request")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
DOCUMENT_UPLOADS = re.compile(r"/v1/ledgers/[^/]+/documents|/l/[^/]+/dokumenter")
"""The paths where a document's bytes are uploaded, which get the larger size limit."""


class _BodyTooLargeError(Exception):
    pass


class EdgeMiddleware:
    """The ASGI middleware that puts every HTTP request through the edge (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        timeout: float,
        max_document_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_document_bytes = max_document_bytes or max_body_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(scope, receive, send, self._limit(scope))
        token = request_id.set(exchange.rid)
        try:
            await self._guarded(exchange)
        finally:
            exchange.log()
            request_id.reset(token)

    def _limit(self, scope: Scope) -> int:
        """The size limit of this request's body."""
        if scope.get("method") == "POST" and DOCUMENT_UPLOADS.fullmatch(str(scope["path"])):
            return self.max_document_bytes
        return self.max_body_bytes

    async def _guarded(self, exchange: _Exchange) -> None:
        """Run the application, turning what goes wrong into a JSON error without a trace."""
        try:
            await self._dispatch(exchange)
        except _BodyTooLargeError:
            await exchange.refuse(PAYLOAD_TOO_LARGE, "payload_too_large", exchange.too_large())
        except TimeoutError:
            logger.warning("request timed out after %ss", self.timeout)
            await exchange.refuse(TIMEOUT, "timeout", "the request took too long")
        except Exception:
            logger.exception("unhandled error")
            await exchange.refuse(
                500, "internal_error", "the server could not complete the request"
            )

    async def _dispatch(self, exchange: _Exchange) -> None:
        declared = _content_length(exchange.scope)
        if declared is not None and declared > exchange.max_body_bytes:
            await exchange.refuse(PAYLOAD_TOO_LARGE, "payload_too_large", exchange.too_large())
            return
        await asyncio.wait_for(
            self.app(exchange.scope, exchange.receive, exchange.send), self.timeout
        )


class _Exchange:
    """One HTTP request at the edge: its id, its clock, the body counted in, the status sent."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, max_body_bytes: int) -> None:
        self.started = time.perf_counter()
        self.scope = scope
        self.rid = _incoming_request_id(scope) or uuid.uuid4().hex
        self.status: int | None = None  # set when the response starts
        self._receive = receive
        self._send = send
        self.max_body_bytes = max_body_bytes
        self._received = 0

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    async def send(self, message: Message) -> None:
        """Send ``message``, adding the request id and server timing to the response's start."""
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers = list(message.get("headers", []))
            headers.append((b"x-request-id", self.rid.encode("ascii")))
            headers.append((b"server-timing", f"app;dur={self._elapsed_ms():.2f}".encode("ascii")))
            message = {**message, "headers": headers}
        await self._send(message)

    async def receive(self) -> Message:
        """The next message, counting the body; past the limit, raises _BodyTooLargeError."""
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self.max_body_bytes:
                raise _BodyTooLargeError
        return message

    def too_large(self) -> str:
        return f"the request body is larger than {self.max_body_bytes} bytes"

    async def refuse(self, status: int, code: str, message: str) -> None:
        """Answer with an error body, unless the response has already started (then it is
        cut short, and the log line tells what happened)."""
        if self.status is not None:
            return
        body = json.dumps(error_body(code, message)).encode()
        await self.send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await self.send({"type": "http.response.body", "body": body})

    def log(self) -> None:
        """The request's one log line: method, path, status and duration."""
        method, path = self.scope.get("method"), self.scope.get("path")
        logger.info(
            "%s %s %s",
            method,
            path,
            self.status,
            extra={
                "method": method,
                "path": path,
                "status": self.status,
                "duration_ms": round(self._elapsed_ms(), 2),
            },
        )


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def _incoming_request_id(scope: Scope) -> str | None:
    raw = _header(scope, b"x-request-id")
    if raw is None:
        return None
    text = raw.decode("latin-1")
    return text if _REQUEST_ID.fullmatch(text) else None


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None
