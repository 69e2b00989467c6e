"""A ledger held in memory: signed submissions judged by ``LedgerState`` alone.

No store, no service, no tree: each write is signed with the person's own
key exactly as the SDK signs it, admitted by ``LedgerState.admit`` and
folded in by ``LedgerState.apply``, which is what the ledger service does
for every write around its storage.  So these stories check the domain's
rules on their own, in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from ledger.client.sdk import genesis, sign_submission
from ledger.domain import events as ev
from ledger.domain.state import Admitted, LedgerState
from ledger.protocol.envelope import REGISTRY_STREAM, ZERO_HASH, Submission, matter_stream
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner

ORIGIN = "ledger.example/hukommelse"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class MemoryLedger:
    """One ledger's state in memory, with every person's private key at hand."""

    def __init__(self, origin: str = ORIGIN, admin: str = "admin", *, lean: bool = False) -> None:
        self.origin = origin
        self.admin = admin
        self.now = NOW
        self.state = LedgerState(origin, lean=lean)
        self.keys: dict[str, PersonKey] = {}
        log_key = NoteSigner.generate(origin).verifier_key()
        self.write(
            admin,
            REGISTRY_STREAM,
            genesis(
                self.key(admin), origin=origin, name="Hukommelse Kommune", log_verifier_key=log_key
            ),
        )

    def key(self, person: str) -> PersonKey:
        """The person's current key, made on first use."""
        if person not in self.keys:
            self.keys[person] = PersonKey.generate(person)
        return self.keys[person]

    # --- signing and judging -------------------------------------------

    def sign(
        self,
        person: str,
        stream: str,
        payload: ev.Payload,
        *,
        seq: int | None = None,
        prev: str | None = None,
        key: PersonKey | None = None,
    ) -> Submission:
        """Sign ``payload`` as the next event of ``stream`` (or at ``seq`` after ``prev``)."""
        head = self.state.head(stream)
        return sign_submission(
            key or self.key(person),
            origin=self.origin,
            stream=stream,
            seq=seq if seq is not None else (1 if head is None else head.seq + 1),
            prev=prev if prev is not None else (ZERO_HASH if head is None else head.hash),
            event_type=type(payload).__name__,
            payload=payload,
            time=self.now,
        )

    def admit(self, submission: Submission) -> Admitted:
        """Judge a submission as the next entry of the log; change nothing."""
        return self.state.admit(submission.envelope, submission.payload, submission.salts, self.now)

    def submit(self, submission: Submission) -> Admitted:
        """Admit a submission and fold it in."""
        admitted = self.admit(submission)
        self.state.apply(admitted)
        return admitted

    def write(self, person: str, stream: str, payload: ev.Payload) -> int:
        """Sign, admit and apply ``payload`` as ``person``; return its sequence number."""
        return self.submit(self.sign(person, stream, payload)).envelope.body.seq

    # --- the registry ----------------------------------------------------

    def enrol(self, person: str, *roles: ev.PersonRole) -> None:
        key = self.key(person)
        self.write(
            self.admin,
            REGISTRY_STREAM,
            ev.PersonEnrolled(
                person=person, key_id=key.key_id, public_key=key.public_key_b64, roles=list(roles)
            ),
        )

    def establish(self, body: str, kind: ev.BodyKind, parent: str | None = None) -> None:
        self.write(
            self.admin,
            REGISTRY_STREAM,
            ev.BodyEstablished(body=body, name=body.upper(), kind=kind, parent=parent),
        )

    def appoint(
        self, body: str, person: str, side: ev.Side, roles: Sequence[ev.MemberRole] = ("member",)
    ) -> None:
        self.write(
            self.admin,
            REGISTRY_STREAM,
            ev.MemberAppointed(body=body, person=person, side=side, roles=list(roles)),
        )

    # --- matters ---------------------------------------------------------

    def open_matter(
        self, matter_id: str, by: str, *, responsible_body: str, decision_maker: str
    ) -> str:
        """Open a matter as ``by``; return its stream."""
        stream = matter_stream(matter_id)
        self.write(
            by,
            stream,
            ev.MatterOpened(
                title=f"Sag {matter_id}",
                description="Et forslag, der skal drøftes i MED.",
                category="budget",
                responsible_body=responsible_body,
                influence_level="codetermination",
                decision_maker=decision_maker,
                planned_decision_date="2026-05-01",
            ),
        )
        return stream
