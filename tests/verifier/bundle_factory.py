"""Hand-built protocol v2 ledgers and bundles, for bundles the server would never produce.

The server refuses to log a key used after its revocation, a registry event
by a non-admin, a second ``LedgerCreated`` or a broken chain, so the
verifier's refusals of such evidence cannot be tested with bundles the
server hands out.  :class:`LedgerFactory` logs signed v2 envelopes with test
keys, exactly as docs/PROTOCOL.md sections 3-6 say, lets a test bend any
body member on the way (``override``), and assembles a
``medledger-bundle/v2`` document as section 13 says: the RFC 6962 tree
(``ledger.protocol.merkle``), the stream heads (``HeadsTree``), the
checkpoint note signed by the log key (``sign_note``) and witness
cosignatures (``cosign``).  Everything a bundle holds is built by the
protocol library, never by ``verifier.bundle``, so the two are compared.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from ledger.protocol import merkle
from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import JSONObject, canonical
from ledger.protocol.cosignature import cosign
from ledger.protocol.envelope import field_digest
from ledger.protocol.heads import HeadsTree, StreamTip
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner, sign_note
from tests.protocol.trees import memory_tree
from verifier.bundle import BundleReport, BundleVerificationError, TrustRoot, verify_bundle

ORIGIN = "ledger.example/factory"
ZERO_HASH = "0" * 64
EVENT_PREFIX = b"medledger/event/v2\n"


@dataclass
class Logged:
    """One event in the factory's log: its entry, its payload and its salts."""

    leaf_index: int
    entry: JSONObject
    payload: JSONObject
    salts: dict[str, bytes]

    @property
    def body(self) -> JSONObject:
        body: JSONObject = self.entry["body"]
        return body

    @property
    def entry_bytes(self) -> bytes:
        return canonical(self.entry)

    @property
    def envelope_hash(self) -> str:
        return hashlib.sha256(self.entry_bytes).hexdigest()


def _salt(leaf_index: int, position: int) -> bytes:
    """A fixed, distinct 16-byte salt per field (test data: never for real use)."""
    return bytes([leaf_index % 256, position]) * 8


@dataclass
class LedgerFactory:
    """A ledger built by hand: a log key, person keys, and the events in leaf order."""

    origin: str = ORIGIN
    admin: str = "admin"
    log_key: NoteSigner = field(init=False)
    keys: dict[str, PersonKey] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    witnesses: list[NoteSigner] = field(default_factory=list)
    genesis_override: JSONObject = field(default_factory=dict)
    """Body members of the genesis to bend (its actor, type, stream, ...)."""

    def __post_init__(self) -> None:
        self.log_key = NoteSigner.generate(self.origin)
        founder = PersonKey.generate(self.admin)
        self.keys[self.admin] = founder
        self.append(
            "registry",
            "LedgerCreated",
            self.admin,
            {
                "admin": _key_payload(self.admin, founder),
                "import_mode": False,
                "log_public_key": self.log_key.verifier_key(),
                "name": "Fabrikskommune",
                "origin": self.origin,
                "rulebook": {},
            },
            override=self.genesis_override,
        )

    # --- logging events -----------------------------------------------------

    def append(
        self,
        stream: str,
        event_type: str,
        actor: str,
        payload: JSONObject,
        *,
        key: PersonKey | None = None,
        override: Mapping[str, Any] | None = None,
    ) -> Logged:
        """Sign and log one event; ``override`` replaces body members before signing."""
        index = len(self.log)
        salts = {name: _salt(index, i) for i, name in enumerate(sorted(payload))}
        seq, prev = self._next_in(stream)
        body: JSONObject = {
            "v": 2,
            "origin": self.origin,
            "stream": stream,
            "seq": seq,
            "prev": prev,
            "actor": actor,
            "key": (key or self.keys[actor]).key_id,
            "type": event_type,
            "time": f"2026-01-05T09:{index // 60:02d}:{index % 60:02d}Z",
            "fields": {name: field_digest(name, payload[name], salts[name]) for name in payload},
        }
        body.update(override or {})
        signature = (key or self.keys[actor]).sign(EVENT_PREFIX + canonical(body))
        logged = Logged(index, {"body": body, "signature": b64encode(signature)}, payload, salts)
        self.log.append(logged)
        return logged

    def _next_in(self, stream: str) -> tuple[int, str]:
        events = [e for e in self.log if e.body["stream"] == stream]
        if not events:
            return 1, ZERO_HASH
        return events[-1].body["seq"] + 1, events[-1].envelope_hash

    def enrol(self, person: str, *, roles: Iterable[str] = (), by: str | None = None) -> PersonKey:
        """``PersonEnrolled`` of a new person with a fresh key, signed by ``by`` (the admin)."""
        key = PersonKey.generate(person)
        self.keys[person] = key
        payload = _key_payload(person, key) | {"roles": list(roles)}
        self.append("registry", "PersonEnrolled", by or self.admin, payload)
        return key

    def add_key(self, person: str, *, by: str | None = None) -> PersonKey:
        """``KeyAdded``: a second key for ``person`` (not made their default signing key)."""
        key = PersonKey.generate(person)
        self.append("registry", "KeyAdded", by or self.admin, _key_payload(person, key))
        return key

    def revoke(self, person: str, key: PersonKey, *, by: str | None = None) -> Logged:
        payload = {"person": person, "key_id": key.key_id, "reason": "Stjålet"}
        return self.append("registry", "KeyRevoked", by or self.admin, payload)

    def act(self, actor: str, matter: str, event_type: str, payload: JSONObject) -> Logged:
        return self.append(f"matter/{matter}", event_type, actor, payload)

    def add_witness(self, name: str) -> NoteSigner:
        witness = NoteSigner.generate(name)
        self.witnesses.append(witness)
        return witness

    # --- what a verifier is given --------------------------------------------

    def trust(self, quorum: int = 0, witnesses: Iterable[NoteSigner] | None = None) -> TrustRoot:
        """The trust root the ledger publishes: its origin, log key, genesis and witnesses."""
        chosen = self.witnesses if witnesses is None else list(witnesses)
        return TrustRoot(
            self.origin,
            self.log_key.verifier_key(),
            self.log[0].envelope_hash,
            tuple(w.cosignature_verifier_key() for w in chosen),
            quorum,
        )

    def trust_document(self, quorum: int = 0) -> JSONObject:
        """The trust root as the JSON document the ledger publishes."""
        trust = self.trust(quorum)
        return {
            "format": "medledger-trust/v1",
            "origin": trust.origin,
            "log_key": trust.log_key,
            "genesis": trust.genesis,
            "witnesses": list(trust.witnesses),
            "quorum": trust.quorum,
        }

    def bundle(
        self,
        *,
        leaves: Iterable[int] | None = None,
        complete: Iterable[str] = (),
        kind: str = "events",
        subject: dict[str, str] | None = None,
        withhold: Mapping[int, Iterable[str]] | None = None,
        cosigners: Iterable[NoteSigner] | None = None,
        heads: HeadsTree | None = None,
    ) -> JSONObject:
        """A ``medledger-bundle/v2`` document over the whole log as it stands.

        ``leaves``: the entries it holds (every leaf by default); ``complete``: the
        streams whose heads it proves; ``withhold``: fields left undisclosed per leaf;
        ``cosigners``: the witnesses that cosign the checkpoint (all by default);
        ``heads``: stream heads to commit to instead of the log's own (a lying operator).
        """
        size = len(self.log)
        nodes, frontier = memory_tree(e.entry_bytes for e in self.log)
        heads = heads or self.heads()
        text = f"{self.origin}\n{size}\n{b64encode(frontier.root())}\n{heads.line()}\n"
        hidden = withhold or {}
        chosen = range(size) if leaves is None else sorted(leaves)
        return {
            "format": "medledger-bundle/v2",
            "origin": self.origin,
            "kind": kind,
            "subject": subject or {},
            "checkpoint": self.note(text, cosigners),
            "tree_size": size,
            "heads": heads.proven(sorted(set(complete))),
            "registry": [],
            "entries": [
                _item(self.log[i], merkle.inclusion_proof(nodes, i, size), hidden.get(i, ()))
                for i in chosen
            ],
        }

    def note(self, text: str, cosigners: Iterable[NoteSigner] | None = None) -> str:
        """``text`` signed by the log key and cosigned (by every witness by default)."""
        note = sign_note(text, [self.log_key])
        for stamp, witness in enumerate(self.witnesses if cosigners is None else cosigners):
            note += cosign(text, witness, 1767603600 + stamp)
        return note

    def heads(self) -> HeadsTree:
        """The stream heads of the whole log: each stream's last event."""
        last: dict[str, Logged] = {}
        for logged in self.log:
            last[logged.body["stream"]] = logged
        return HeadsTree(
            StreamTip(stream, e.body["seq"], e.envelope_hash, e.leaf_index)
            for stream, e in last.items()
        )


def _key_payload(person: str, key: PersonKey) -> JSONObject:
    return {"person": person, "key_id": key.key_id, "public_key": key.public_key_b64}


def _item(logged: Logged, proof: list[bytes], withheld: Iterable[str]) -> JSONObject:
    hidden = set(withheld)
    return {
        "leaf_index": logged.leaf_index,
        "entry": copy.deepcopy(logged.entry),
        "disclosed": {
            name: {"salt": b64encode(logged.salts[name]), "value": copy.deepcopy(value)}
            for name, value in logged.payload.items()
            if name not in hidden
        },
        "recorded_at": logged.body["time"],
        "inclusion_proof": [b64encode(p) for p in proof],
    }


def refusal(bundle: Any, trust: TrustRoot) -> BundleVerificationError:
    """The error ``verify_bundle`` refuses ``bundle`` with (the test fails if it accepts)."""
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(bundle, trust)
    return failure.value


def accepted(bundle: Any, trust: TrustRoot) -> BundleReport:
    return verify_bundle(bundle, trust)
