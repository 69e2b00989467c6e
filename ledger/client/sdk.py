"""The client side of signing: build a body, commit the payload, sign, submit.

A person's private key stays with the person: ``LedgerClient`` signs on
their machine and hands only the signed submission to a transport (the
local ledger service, or the HTTP API).  On a conflict (someone else wrote
to the stream first) it re-reads the stream head and signs again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ledger.domain import events as ev
from ledger.errors import ConflictError, ReplayedEnvelopeError, UnknownLedgerError
from ledger.protocol.canonical import JSONObject
from ledger.protocol.envelope import (
    ZERO_HASH,
    Body,
    Envelope,
    Submission,
    field_commitments,
    format_time,
    new_salts,
)
from ledger.protocol.keys import PersonKey


@dataclass(frozen=True)
class Head:
    """A stream's last event, as a signer needs it."""

    seq: int
    hash: str
    time: datetime | None


class Transport(Protocol):
    """Where submissions go: a local ledger service or an HTTP server."""

    def head(self, ledger: str, stream: str) -> Head | None: ...

    def submit(self, ledger: str, wire: bytes) -> dict[str, Any]: ...


def sign_submission(
    key: PersonKey,
    *,
    origin: str,
    stream: str,
    seq: int,
    prev: str,
    event_type: str,
    payload: JSONObject | ev.Payload,
    time: datetime,
    imported: bool = False,
    salts: dict[str, bytes] | None = None,
) -> Submission:
    """Build and sign one submission (nothing is sent)."""
    if isinstance(payload, ev.Payload):
        payload = ev.payload_json(payload)
    salts = new_salts(payload) if salts is None else salts
    body = Body(
        origin=origin,
        stream=stream,
        seq=seq,
        prev=prev,
        actor=key.person,
        key=key.key_id,
        type=event_type,
        time=format_time(time),
        fields=field_commitments(payload, salts),
        imported=imported,
    )
    envelope = Envelope.create(body, key.sign(body.signing_message()))
    return Submission(envelope, payload, salts)


def genesis(
    founder: PersonKey,
    *,
    origin: str,
    name: str,
    log_verifier_key: str,
    import_mode: bool = False,
    rulebook: dict[str, int] | None = None,
) -> ev.LedgerCreated:
    """The LedgerCreated payload that makes ``founder`` the ledger's founding admin."""
    return ev.LedgerCreated(
        name=name,
        origin=origin,
        log_public_key=log_verifier_key,
        admin=ev.FoundingAdmin(
            person=founder.person, key_id=founder.key_id, public_key=founder.public_key_b64
        ),
        import_mode=import_mode,
        rulebook=rulebook or {},
    )


class LedgerClient:
    """Signs events as one person and submits them to one ledger."""

    def __init__(
        self,
        transport: Transport,
        key: PersonKey,
        origin: str,
        *,
        clock: Callable[[], datetime],
        ledger: str | None = None,
        retries: int = 8,
    ) -> None:
        self.transport = transport
        self.key = key
        self.origin = origin
        self.ledger = ledger or origin
        self.clock = clock
        self.retries = retries

    def create_ledger(
        self,
        *,
        name: str,
        log_verifier_key: str,
        import_mode: bool = False,
        rulebook: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        """Sign and submit LedgerCreated, the ledger's first event, founded by this client's person.

        The log key is made first, by whoever runs the ledger; the founder
        becomes the ledger's first admin.
        """
        created = genesis(
            self.key,
            origin=self.origin,
            name=name,
            log_verifier_key=log_verifier_key,
            import_mode=import_mode,
            rulebook=rulebook,
        )
        return self.append("registry", created)

    def append(
        self,
        stream: str,
        payload: ev.Payload | JSONObject,
        *,
        event_type: str | None = None,
        imported: bool = False,
        time: datetime | None = None,
    ) -> dict[str, Any]:
        """Sign ``payload`` as the next event of ``stream`` and submit it.

        Retries with a fresh head on a conflict; raises the server's
        LedgerError otherwise.
        """
        if event_type is None:
            if not isinstance(payload, ev.Payload):
                raise TypeError("event_type is needed for a plain JSON payload")
            event_type = type(payload).__name__
        attempt = 0
        while True:
            head = self.transport.head(self.ledger, stream)
            moment = time or self.clock()
            if head is not None and head.time is not None and moment < head.time:
                moment = head.time
            submission = sign_submission(
                self.key,
                origin=self.origin,
                stream=stream,
                seq=1 if head is None else head.seq + 1,
                prev=ZERO_HASH if head is None else head.hash,
                event_type=event_type,
                payload=payload,
                time=moment,
                imported=imported,
            )
            try:
                return self.transport.submit(self.ledger, submission.wire())
            except ReplayedEnvelopeError:
                raise
            except ConflictError:
                attempt += 1
                if attempt > self.retries:
                    raise


class LocalTransport:
    """A transport straight into a ledger service in this process."""

    def __init__(self, service: Any) -> None:
        self.service = service

    def head(self, ledger: str, stream: str) -> Head | None:
        try:
            found = self.service.head(ledger, stream)
        except UnknownLedgerError:
            return None  # not created yet: the first event is LedgerCreated
        return None if found is None else Head(found.seq, found.hash, found.time)

    def submit(self, ledger: str, wire: bytes) -> dict[str, Any]:
        receipt = self.service.append(ledger, wire)
        return dict(receipt.to_json())
