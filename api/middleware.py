"""The edge of every request: request id, size limit, timeout, and no stack traces.

A pure ASGI middleware (so that it also guards streaming bodies):

- a body larger than ``max_body_bytes`` is refused with 413 before the
  application sees it, by Content-Length or by counting what arrives;
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
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PAYLOAD_TOO_LARGE, TIMEOUT, error_body
from api.logs import request_id

logger = logging.getLogger("api.request")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class _BodyTooLargeError(Exception):
    pass


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = _incoming_request_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        state: dict[str, Any] = {"status": None, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode("ascii")))
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.2f}".encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLargeError
            return message

        try:
            declared = _content_length(scope)
            if declared is not None and declared > self.max_body_bytes:
                await self._error(
                    send_with_id, PAYLOAD_TOO_LARGE, "payload_too_large", self._too_large()
                )
            else:
                await asyncio.wait_for(self.app(scope, limited_receive, send_with_id), self.timeout)
        except _BodyTooLargeError:
            if not state["started"]:
                await self._error(
                    send_with_id, PAYLOAD_TOO_LARGE, "payload_too_large", self._too_large()
                )
        except TimeoutError:
            logger.warning("request timed out after %ss", self.timeout)
            if not state["started"]:
                await self._error(send_with_id, TIMEOUT, "timeout", "the request took too long")
        except Exception:
            logger.exception("unhandled error")
            if not state["started"]:
                await self._error(
                    send_with_id, 500, "internal_error", "the server could not complete the request"
                )
        finally:
            logger.info(
                "%s %s %s",
                scope.get("method"),
                scope.get("path"),
                state["status"],
                extra={
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": state["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id.reset(token)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_body_bytes} bytes"

    @staticmethod
    async def _error(send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(error_body(code, message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


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
