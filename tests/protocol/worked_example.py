"""The worked example of docs/PROTOCOL.md, computed from fixed keys and salts.

Ed25519 is deterministic, so fixed seeds and salts give fixed bytes.  The
test beside this module checks that every value printed in PROTOCOL.md is
what the code computes; ``python -m tests.protocol.worked_example`` prints
them for the document.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.protocol import merkle
from ledger.protocol.canonical import canonical
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.envelope import ZERO_HASH, Body, Envelope, field_commitments, field_digest
from ledger.protocol.heads import HeadsTree, StreamTip
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner, sign_note
from ledger.protocol.trust import TrustRoot

ORIGIN = "ledger.example/testkommune"
ADMIN_SEED = bytes(range(32))
LOG_SEED = bytes(range(32, 64))
TR_SEED = bytes(range(64, 96))


def fixed_salts(payload: Mapping[str, object], first: int) -> dict[str, bytes]:
    """Salts for the example: 16 bytes of 0x11, 0x12, ... per field in name order (never do
    this for real: salts are random, or a field's value can be guessed from its digest)."""
    return {name: bytes([first + i]) * 16 for i, name in enumerate(sorted(payload))}


@dataclass(frozen=True)
class Step:
    label: str
    value: str


def compute() -> list[Step]:
    """Every value the worked example shows, in the order PROTOCOL.md shows them."""
    admin = PersonKey("admin", Ed25519PrivateKey.from_private_bytes(ADMIN_SEED))
    tr = PersonKey("tr-anna", Ed25519PrivateKey.from_private_bytes(TR_SEED))
    log = NoteSigner(ORIGIN, Ed25519PrivateKey.from_private_bytes(LOG_SEED))
    steps = [
        Step("admin public key (base64)", admin.public_key_b64),
        Step("admin key id", admin.key_id),
        Step("log verifier key", log.verifier_key()),
    ]
    envelope_1 = _genesis(admin, log, steps)
    envelope_2 = _enrolment(admin, tr, envelope_1, steps)
    root = merkle.node_hash(envelope_1.leaf_hash, envelope_2.leaf_hash)
    assert hashlib.sha256(b"\x01" + envelope_1.leaf_hash + envelope_2.leaf_hash).digest() == root
    steps.append(Step("tree root at size 2", root.hex()))
    heads = HeadsTree([StreamTip("registry", 2, envelope_2.hash_hex, 1)])
    steps.append(Step("stream head leaf (registry)", heads.tips[0].leaf().decode()))
    steps.append(Step("stream heads line at size 2", heads.line()))
    note = sign_note(Checkpoint(ORIGIN, 2, root, (heads.line(),)).text(), [log])
    steps.append(Step("checkpoint at size 2", note))
    trust = TrustRoot(ORIGIN, log.verifier_key(), envelope_1.hash_hex)
    steps.append(Step("trust root", canonical(trust.to_json()).decode()))
    return steps


def _genesis(admin: PersonKey, log: NoteSigner, steps: list[Step]) -> Envelope:
    """Entry 1, LedgerCreated, with the signature shown; its steps are appended to ``steps``."""
    genesis_payload = {
        "admin": {"key_id": admin.key_id, "person": "admin", "public_key": admin.public_key_b64},
        "import_mode": False,
        "log_public_key": log.verifier_key(),
        "name": "Testkommune",
        "origin": ORIGIN,
        "rulebook": {},
    }
    salts = fixed_salts(genesis_payload, 0x11)
    steps.append(
        Step("canonical [name, value] of field name", canonical(["name", "Testkommune"]).decode())
    )
    steps.append(Step("salt of field name (base64)", base64.b64encode(salts["name"]).decode()))
    steps.append(Step("digest of field name", field_digest("name", "Testkommune", salts["name"])))
    body_1 = _registry_body(
        admin,
        1,
        ZERO_HASH,
        "LedgerCreated",
        "2026-01-05T09:00:00Z",
        field_commitments(genesis_payload, salts),
    )
    steps.append(Step("canonical body 1", body_1.canonical().decode()))
    signature_1 = admin.sign(body_1.signing_message())
    steps.append(Step("signature 1 (base64)", base64.b64encode(signature_1).decode()))
    envelope_1 = Envelope.create(body_1, signature_1)
    steps.extend(_envelope_steps(1, envelope_1))
    return envelope_1


def _enrolment(admin: PersonKey, tr: PersonKey, genesis: Envelope, steps: list[Step]) -> Envelope:
    """Entry 2, the admin enrols tr-anna; its steps are appended to ``steps``."""
    enrol_payload = {
        "key_id": tr.key_id,
        "person": "tr-anna",
        "public_key": tr.public_key_b64,
        "roles": [],
    }
    body_2 = _registry_body(
        admin,
        2,
        genesis.hash_hex,
        "PersonEnrolled",
        "2026-01-05T09:01:00Z",
        field_commitments(enrol_payload, fixed_salts(enrol_payload, 0x21)),
    )
    steps.append(Step("canonical body 2", body_2.canonical().decode()))
    envelope_2 = Envelope.create(body_2, admin.sign(body_2.signing_message()))
    steps.extend(_envelope_steps(2, envelope_2))
    return envelope_2


def _registry_body(
    admin: PersonKey, seq: int, prev: str, event_type: str, time: str, fields: dict[str, str]
) -> Body:
    """The body of the admin's ``seq``-th registry event."""
    return Body(
        origin=ORIGIN,
        stream="registry",
        seq=seq,
        prev=prev,
        actor="admin",
        key=admin.key_id,
        type=event_type,
        time=time,
        fields=fields,
    )


def _envelope_steps(number: int, envelope: Envelope) -> list[Step]:
    return [
        Step(f"entry {number}", envelope.entry.decode()),
        Step(f"envelope hash {number}", envelope.hash_hex),
        Step(f"leaf hash {number}", envelope.leaf_hash.hex()),
    ]


if __name__ == "__main__":
    for step in compute():
        print(f"--- {step.label}\n{step.value}")
