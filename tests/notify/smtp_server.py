"""A real SMTP server for the notification tests: aiosmtpd on 127.0.0.1, on a free port.

``Mailbox`` keeps every message the server accepted and can be told to
refuse (a reply code for RCPT or for the content), to answer slowly, or to
hold a message until the test lets it go.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from benchmarks.common import free_port


@dataclass
class Mailbox:
    """The aiosmtpd handler: what arrived, and how to misbehave."""

    received: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    rcpt_reply: str | None = None
    data_reply: str | None = None
    rcpt_delay: float = 0.0
    data_delay: float = 0.0
    hold: threading.Event | None = None
    hold_at: str = "data"
    """Where a held message waits for the test: at "rcpt" (before the content) or "data"."""
    holding: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if self.hold is not None and self.hold_at == "rcpt":
            await self._wait()
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply is not None:
            return self.data_reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(message)
            self.raw.append(bytes(envelope.content))
        if self.hold is not None and self.hold_at == "data":
            await self._wait()
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        return "250 Message accepted"

    async def _wait(self) -> None:
        assert self.hold is not None
        self.holding.set()
        await asyncio.get_running_loop().run_in_executor(None, self.hold.wait)

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.received if address in str(m["To"])]

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)


class SmtpServer:
    """aiosmtpd in a thread of the test process."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        if self.mailbox.hold is not None:
            self.mailbox.hold.set()
        self.controller.stop()


def text_of(message: EmailMessage) -> str:
    """The plain-text part of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
