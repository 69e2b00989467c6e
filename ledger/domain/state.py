"""The ledger's state as of one log position, and the admission of one event.

``LedgerState.admit`` is the single place where a signed submission is
judged: shape, ledger, key and signature, payload schema, stream head,
claimed time, and the event's write-time rules, in that order.  It raises
the named error and changes nothing; ``apply`` then folds the admitted
event in.  The ledger application calls both for every write, and the
verifier calls both again, in log order, for every stored event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ledger.domain import events as ev
from ledger.domain.guidelines import GuidelineRegister
from ledger.domain.matters import Admission, MatterState
from ledger.domain.registry import RegistryState
from ledger.errors import (
    ClaimedTimeDecreasedError,
    ClaimedTimeOutOfToleranceError,
    ImportModeRequiredError,
    KeyIdMismatchError,
    PayloadCommitmentMismatchError,
    StalePreviousHashError,
    StaleSequenceError,
    StreamAlreadyStartedError,
    StreamNotStartedError,
    WrongLedgerError,
)
from ledger.protocol.canonical import JSONObject
from ledger.protocol.envelope import (
    MATTER_PREFIX,
    REGISTRY_STREAM,
    ZERO_HASH,
    Body,
    Envelope,
    open_fields,
)
from ledger.protocol.heads import StreamTip
from ledger.protocol.keys import key_id_for, load_public_key, public_key_bytes, verify_signature

DEFAULT_TIME_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class StreamHead:
    seq: int
    hash: str
    time: datetime
    leaf_index: int


@dataclass(frozen=True)
class Prechecked:
    """What another process already established about one stored event.

    Full verification spreads the checks that depend on nothing but the
    event's own bytes over several processes; ``admit`` then skips exactly
    those, and still decides which key had to sign.
    """

    signed_by: bytes | None
    """The raw public key the signature verified under, or None if it was not checked."""
    fields_open: bool
    """Every disclosed payload field opened its commitment (``open_fields``, not complete)."""


@dataclass(frozen=True)
class Admitted:
    """An event that passed every check, with its parsed payload."""

    envelope: Envelope
    payload: ev.Payload | None


@dataclass
class LedgerState:
    """Registry, matters and stream heads of one ledger, as of ``size`` events."""

    origin: str
    size: int = 0
    registry: RegistryState = field(default_factory=RegistryState)
    matters: dict[str, MatterState] = field(default_factory=dict)
    guidelines: GuidelineRegister = field(default_factory=GuidelineRegister)
    heads: dict[str, StreamHead] = field(default_factory=dict)
    time_tolerance: timedelta = DEFAULT_TIME_TOLERANCE
    lean: bool = False
    """Keep of each matter event only what later write-time rules read: for a
    verification walk, whose memory must not grow with every payload.  The
    service keeps every payload (its pages read them)."""
    _interned: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False)

    def head(self, stream: str) -> StreamHead | None:
        return self.heads.get(stream)

    def tips(self) -> list[StreamTip]:
        """Every stream's head as a checkpoint commits to it (docs/PROTOCOL.md section 11)."""
        return [
            StreamTip(stream, head.seq, head.hash, head.leaf_index)
            for stream, head in list(self.heads.items())
        ]

    def admit(
        self,
        envelope: Envelope,
        payload: JSONObject | None,
        salts: dict[str, bytes] | None,
        now: datetime,
        prechecked: Prechecked | None = None,
    ) -> Admitted:
        """Judge one signed event as the next entry of the log.

        ``payload`` and ``salts`` hold the fields that are disclosed: all of
        them when an event is submitted; when the verifier replays the log,
        fields that ``PayloadRedacted`` erased are missing (only erasable
        fields, which no rule reads), and both are None for an event it
        replays without any payload (the rules are then not re-checked; the
        signature, chain and tree still are).  ``prechecked`` names checks
        another process already made on these same bytes: a signature that
        verified under the very key the registry names here is not verified
        again, and opened field commitments are not opened again.
        Raises a LedgerError subclass naming the broken rule.
        """
        body = envelope.body
        if body.origin != self.origin:
            raise WrongLedgerError(
                f"event is for ledger {body.origin!r}, not {self.origin!r}", origin=body.origin
            )
        if body.type == "LedgerCreated" and body.stream == REGISTRY_STREAM:
            # Genesis: the founding admin's key travels in the payload itself.
            parsed = self._open_payload(envelope, payload, salts, prechecked)
            self._verify_signature(envelope, parsed, prechecked)
        else:
            self._verify_signature(envelope, None, prechecked)
            parsed = self._open_payload(envelope, payload, salts, prechecked)
        self._check_head(body)
        self._check_time(body, now)
        if parsed is not None:
            self._check_rules(body, parsed)
        elif body.type in ("LedgerCreated", "MatterOpened") or body.stream == REGISTRY_STREAM:
            # Structure events always carry their payload; without them nothing can be judged.
            raise StreamNotStartedError(f"{body.type} in {body.stream} has no payload")
        return Admitted(envelope, parsed)

    @staticmethod
    def _open_payload(
        envelope: Envelope,
        payload: JSONObject | None,
        salts: dict[str, bytes] | None,
        prechecked: Prechecked | None,
    ) -> ev.Payload | None:
        body = envelope.body
        if payload is None or salts is None:
            ev.payload_model(body.type, body.stream)
            return None
        erased = frozenset(body.fields) - frozenset(payload)
        if prechecked is None or not prechecked.fields_open:
            open_fields(body.fields, payload, salts, complete=False)
        model = ev.payload_model(body.type, body.stream)
        if not erased <= model.erasable_fields():
            raise PayloadCommitmentMismatchError(
                f"{body.type} lacks field(s) that cannot have been erased",
                missing=sorted(erased - model.erasable_fields()),
            )
        return ev.parse_payload(body.type, body.stream, payload, erased)

    def _verify_signature(
        self, envelope: Envelope, genesis: ev.Payload | None, prechecked: Prechecked | None
    ) -> None:
        body = envelope.body
        if isinstance(genesis, ev.LedgerCreated):
            admin = genesis.admin
            if admin.person != body.actor or admin.key_id != body.key:
                raise KeyIdMismatchError("LedgerCreated must be signed by the founding admin's key")
            # load_public_key refuses non-canonical base64 with MalformedKeyError.
            public_key = load_public_key(admin.public_key)
            if key_id_for(public_key_bytes(public_key)) != admin.key_id:
                raise KeyIdMismatchError("the founding admin's key id is not derived from the key")
        else:
            public_key = self.registry.signing_key(body.actor, body.key)
        if (
            prechecked is not None
            and prechecked.signed_by is not None
            and public_key_bytes(public_key) == prechecked.signed_by
        ):
            return
        verify_signature(public_key, envelope.signature, body.signing_message())

    def draft(
        self,
        stream: str,
        event_type: str,
        actor: str,
        time: str,
        *,
        key: str | None = None,
        seq: int | None = None,
        prev: str | None = None,
        imported: bool = False,
    ) -> Body:
        """The body ``actor`` would sign for an event of ``event_type`` as the next of ``stream``.

        What is not given is what a signer would put there now: the stream's
        next sequence number and its head's hash, and the actor's first key
        in force (for a person without one, a key id no one holds, which
        ``judge_unsigned`` refuses as ``append`` would).  The body commits to
        no payload fields: it is for ``judge_unsigned``, never for signing.
        """
        head = self.heads.get(stream)
        if key is None:
            person = self.registry.people.get(actor)
            held = [] if person is None else [k for k, r in person.keys.items() if not r.revoked]
            key = held[0] if held else "0" * 16
        return Body(
            origin=self.origin,
            stream=stream,
            seq=seq if seq is not None else 1 if head is None else head.seq + 1,
            prev=prev if prev is not None else ZERO_HASH if head is None else head.hash,
            actor=actor,
            key=key,
            type=event_type,
            time=time,
            fields={},
            imported=imported,
        )

    def judge_unsigned(self, body: Body, payload: JSONObject, now: datetime) -> ev.Payload:
        """Judge an event not yet signed as if it were the next entry of the log (a dry run).

        Every check ``admit`` makes, in the same order and with the same
        errors, except those of the signature and the payload commitment,
        which need the signed envelope: the ledger, the signer's key
        (enrolled and not revoked), the payload's schema, the stream head,
        the claimed time against ``now``, and the event's write-time rules.
        Returns the parsed payload; raises the LedgerError ``append`` would
        raise.  Changes nothing.
        """
        if body.origin != self.origin:
            raise WrongLedgerError(
                f"event is for ledger {body.origin!r}, not {self.origin!r}", origin=body.origin
            )
        self.registry.signing_key(body.actor, body.key)
        parsed = ev.parse_payload(body.type, body.stream, payload)
        self._check_head(body)
        self._check_time(body, now)
        self._check_rules(body, parsed)
        return parsed

    def _check_head(self, body: Body) -> None:
        head = self.heads.get(body.stream)
        expected_seq = 1 if head is None else head.seq + 1
        if body.seq != expected_seq:
            raise StaleSequenceError(
                f"{body.stream} is at sequence {expected_seq - 1}; the next event is {expected_seq}",
                stream=body.stream,
                expected_seq=expected_seq,
            )
        expected_prev = ZERO_HASH if head is None else head.hash
        if body.prev != expected_prev:
            raise StalePreviousHashError(
                f"prev does not match the hash of {body.stream} event {body.seq - 1}",
                stream=body.stream,
                expected_prev=expected_prev,
            )

    def _check_time(self, body: Body, now: datetime) -> None:
        claimed = body.claimed_time
        if body.imported:
            # LedgerCreated's own import_mode is checked in _check_rules.
            if not self.registry.import_mode and body.type != "LedgerCreated":
                raise ImportModeRequiredError("imported events need a ledger in import mode")
            if claimed - now > self.time_tolerance:
                raise ClaimedTimeOutOfToleranceError(
                    f"imported claimed time {body.time} lies in the future",
                    claimed=body.time,
                )
        elif abs(claimed - now) > self.time_tolerance:
            raise ClaimedTimeOutOfToleranceError(
                f"claimed time {body.time} is more than {self.time_tolerance} from the "
                f"server's clock",
                claimed=body.time,
            )
        head = self.heads.get(body.stream)
        if head is not None and claimed < head.time:
            raise ClaimedTimeDecreasedError(
                f"claimed time {body.time} is before the previous event in {body.stream}",
                claimed=body.time,
            )

    def _check_rules(self, body: Body, payload: ev.Payload) -> None:
        if body.stream == REGISTRY_STREAM:
            first = body.seq == 1
            if first != isinstance(payload, ev.LedgerCreated):
                if first:
                    raise StreamNotStartedError("the registry stream starts with LedgerCreated")
                raise StreamAlreadyStartedError("the ledger was already created")
            if isinstance(payload, ev.LedgerCreated) and payload.origin != self.origin:
                raise WrongLedgerError("LedgerCreated names another origin than its body")
            if isinstance(payload, ev.LedgerCreated) and body.imported and not payload.import_mode:
                raise ImportModeRequiredError("an imported LedgerCreated must open import mode")
            self.registry.check(body.actor, payload)
            return
        if self.size == 0:
            raise StreamNotStartedError("the ledger has not been created")
        matter_id = body.stream.removeprefix(MATTER_PREFIX)
        matter = self.matters.get(matter_id)
        at = Admission(self.registry, self.guidelines, body.claimed_time.date())
        if matter is None:
            if not isinstance(payload, ev.MatterOpened):
                raise StreamNotStartedError(f"matter {matter_id} starts with MatterOpened")
            MatterState.check_opening(at, body.actor, payload)
            return
        matter.check(at, body.actor, body.type, payload)

    def apply(self, admitted: Admitted) -> None:
        """Fold an admitted event in: the state is now one event further."""
        envelope, payload = admitted.envelope, admitted.payload
        body = envelope.body
        if body.stream == REGISTRY_STREAM:
            if payload is not None:
                self.registry.apply(payload)
                if isinstance(payload, ev.LedgerCreated):
                    self.time_tolerance = timedelta(
                        seconds=payload.rulebook.get("time_tolerance_seconds", 300)
                    )
        else:
            matter_id = body.stream.removeprefix(MATTER_PREFIX)
            if isinstance(payload, ev.MatterOpened):
                self.matters[matter_id] = MatterState.open(
                    matter_id,
                    body.actor,
                    payload,
                    interned=self._interned if self.lean else None,
                )
            else:
                self.matters[matter_id].apply(
                    body.seq, body.type, body.actor, payload, self.registry
                )
                if payload is not None:
                    self.guidelines.apply(matter_id, body.seq, payload)
        self.heads[body.stream] = StreamHead(
            body.seq, envelope.hash_hex, body.claimed_time, self.size
        )
        self.size += 1
