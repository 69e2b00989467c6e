"""The worked example of docs/PROTOCOL.md, computed from fixed keys and salts.

Ed25519 is deterministic, so fixed seeds and salts give fixed bytes.  The
test beside this module checks that every value printed in PROTOCOL.md is
what the code computes; ``python -m tests.protocol.worked_example`` prints
them for the document.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.protocol import merkle
from ledger.protocol.canonical import canonical
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.envelope import ZERO_HASH, Body, Envelope, payload_commitment
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner, sign_note

ORIGIN = "ledger.example/testkommune"
ADMIN_SEED = bytes(range(32))
LOG_SEED = bytes(range(32, 64))
TR_SEED = bytes(range(64, 96))
SALT_1 = bytes([0x11]) * 32
SALT_2 = bytes([0x22]) * 32


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
    note = sign_note(Checkpoint(ORIGIN, 2, root).text(), [log])
    steps.append(Step("checkpoint at size 2", note))
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
    steps.append(Step("canonical payload 1", canonical(genesis_payload).decode()))
    commitment_1 = payload_commitment(genesis_payload, SALT_1)
    steps.append(Step("payload commitment 1", commitment_1))
    body_1 = _registry_body(
        admin, 1, ZERO_HASH, "LedgerCreated", "2026-01-05T09:00:00Z", commitment_1
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
    steps.append(Step("canonical payload 2", canonical(enrol_payload).decode()))
    commitment_2 = payload_commitment(enrol_payload, SALT_2)
    body_2 = _registry_body(
        admin, 2, genesis.hash_hex, "PersonEnrolled", "2026-01-05T09:01:00Z", commitment_2
    )
    steps.append(Step("canonical body 2", body_2.canonical().decode()))
    envelope_2 = Envelope.create(body_2, admin.sign(body_2.signing_message()))
    steps.extend(_envelope_steps(2, envelope_2))
    return envelope_2


def _registry_body(
    admin: PersonKey, seq: int, prev: str, event_type: str, time: str, commitment: str
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
        payload=commitment,
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
