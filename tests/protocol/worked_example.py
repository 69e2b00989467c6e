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
    admin = PersonKey("admin", Ed25519PrivateKey.from_private_bytes(ADMIN_SEED))
    tr = PersonKey("tr-anna", Ed25519PrivateKey.from_private_bytes(TR_SEED))
    log = NoteSigner(ORIGIN, Ed25519PrivateKey.from_private_bytes(LOG_SEED))
    steps = [
        Step("admin public key (base64)", admin.public_key_b64),
        Step("admin key id", admin.key_id),
        Step("log verifier key", log.verifier_key()),
    ]

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
    body_1 = Body(
        origin=ORIGIN,
        stream="registry",
        seq=1,
        prev=ZERO_HASH,
        actor="admin",
        key=admin.key_id,
        type="LedgerCreated",
        time="2026-01-05T09:00:00Z",
        payload=commitment_1,
    )
    steps.append(Step("canonical body 1", body_1.canonical().decode()))
    signature_1 = admin.sign(body_1.signing_message())
    steps.append(Step("signature 1 (base64)", base64.b64encode(signature_1).decode()))
    envelope_1 = Envelope.create(body_1, signature_1)
    steps.append(Step("entry 1", envelope_1.entry.decode()))
    steps.append(Step("envelope hash 1", envelope_1.hash_hex))
    steps.append(Step("leaf hash 1", envelope_1.leaf_hash.hex()))

    enrol_payload = {
        "key_id": tr.key_id,
        "person": "tr-anna",
        "public_key": tr.public_key_b64,
        "roles": [],
    }
    steps.append(Step("canonical payload 2", canonical(enrol_payload).decode()))
    commitment_2 = payload_commitment(enrol_payload, SALT_2)
    body_2 = Body(
        origin=ORIGIN,
        stream="registry",
        seq=2,
        prev=envelope_1.hash_hex,
        actor="admin",
        key=admin.key_id,
        type="PersonEnrolled",
        time="2026-01-05T09:01:00Z",
        payload=commitment_2,
    )
    steps.append(Step("canonical body 2", body_2.canonical().decode()))
    envelope_2 = Envelope.create(body_2, admin.sign(body_2.signing_message()))
    steps.append(Step("entry 2", envelope_2.entry.decode()))
    steps.append(Step("envelope hash 2", envelope_2.hash_hex))
    steps.append(Step("leaf hash 2", envelope_2.leaf_hash.hex()))

    root = merkle.node_hash(envelope_1.leaf_hash, envelope_2.leaf_hash)
    assert hashlib.sha256(b"\x01" + envelope_1.leaf_hash + envelope_2.leaf_hash).digest() == root
    steps.append(Step("tree root at size 2", root.hex()))
    note = sign_note(Checkpoint(ORIGIN, 2, root).text(), [log])
    steps.append(Step("checkpoint at size 2", note))
    return steps


if __name__ == "__main__":
    for step in compute():
        print(f"--- {step.label}\n{step.value}")
