"""Hand one message to an SMTP server and say what became of it, never raising.

Sending uses the standard library (``smtplib``, ``email``).  The outcome
tells the worker whether the server certainly did not take the message
(``retry`` for a 4xx reply, a refused or lost connection or a timeout
before the message's content was sent; ``failed`` for a 5xx reply, which
RFC 5321 makes permanent), took it (``sent``), or may have: a timeout or a
lost connection after the content went out is ``uncertain`` and is never
sent again (docs/NOTIFICATIONS.md, *Crash semantics*).
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

Outcome = Literal["sent", "retry", "failed", "uncertain"]

WIRE = email.policy.SMTP.clone(max_line_length=998)
"""CRLF line ends; headers folded only beyond RFC 5322's 998 characters, so that a long
``List-Unsubscribe`` link stays one plain URL (a shorter limit would RFC 2047-encode it,
and mail clients would not find the link)."""


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    code: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 20.0


def _refused(code: int, reply: bytes) -> Result:
    outcome: Outcome = "failed" if 500 <= code < 600 else "retry"
    return Result(outcome, code, reply.decode(errors="replace")[:500])


class SmtpSender:
    """One connection to the SMTP server, opened when needed and reused between messages."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        s = self.server
        if s.tls == "tls":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        connection.ehlo()
        if s.tls == "starttls":
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if s.username:  # an empty name (compose's default) means no login
            connection.login(s.username, s.password or "")
        self._connection = connection
        return connection

    def close(self) -> None:
        """Say goodbye to the server (or just drop a connection that is already broken)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()

    def send(self, message: EmailMessage, before_content: Callable[[], None]) -> Result:
        """Send ``message``; ``before_content`` runs once the server accepted the envelope,
        just before the content goes out (the worker records "sending" there)."""
        try:
            connection = self._connect()
            code, reply = connection.mail(str(message["From"]))
            if code != 250:
                return self._reset(_refused(code, reply))
            code, reply = connection.rcpt(str(message["To"]))
            if code not in (250, 251):
                return self._reset(_refused(code, reply))
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            return Result("retry", getattr(error, "smtp_code", None), str(error)[:500])
        before_content()
        try:
            code, reply = connection.data(message.as_bytes(policy=WIRE))
        except smtplib.SMTPDataError as error:
            self._reset(Result("retry"))
            said = error.smtp_error
            return _refused(error.smtp_code, said if isinstance(said, bytes) else said.encode())
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            return Result("uncertain", None, str(error)[:500])
        if code != 250:
            return self._reset(_refused(code, reply))
        return Result("sent", code)

    def _reset(self, result: Result) -> Result:
        try:
            if self._connection is not None:
                self._connection.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
        return result

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
