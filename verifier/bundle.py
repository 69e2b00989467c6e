"""Offline verification of a medledger evidence bundle.

An auditor's verifier, meant to be read in one sitting: it imports nothing
but the Python standard library, ``cryptography`` (Ed25519) and ``rfc8785``
(canonical JSON), and nothing else of medledger.  Every rule it applies is
specified in docs/PROTOCOL.md section "Evidence bundles".

Given a bundle and the ledger's log verifier key (obtained independently,
e.g. from the organisation's web site), it checks:

1. the checkpoint is a signed note by the log key, naming the bundle's origin;
2. every entry (event) is in that tree: RFC 6962 inclusion proof to the root;
3. every entry's body names the same origin and is signed, with the
   ``medledger/event/v1`` prefix, by a key the registry entries of the
   bundle had enrolled for the actor, and not revoked, before the entry's
   leaf index; registry entries are themselves signed by admins whose
   authority traces back to ``LedgerCreated``;
4. every payload that is present opens its commitment (SHA-256 of salt and
   canonical payload); a missing payload is reported as redacted;
5. entries of one stream with consecutive sequence numbers are chained.

``verify_bundle`` returns a report or raises ``BundleVerificationError``
with a stable ``code`` and the leaf index of the first bad entry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BUNDLE_FORMAT = "medledger-bundle/v1"
EVENT_PREFIX = b"medledger/event/v1\n"
NOTE_ED25519 = 0x01
AUTHORITY_TYPES = frozenset({"LedgerCreated", "PersonEnrolled", "KeyAdded", "KeyRevoked"})


class BundleVerificationError(Exception):
    """The bundle does not verify; ``code`` says why, ``leaf_index`` where."""

    def __init__(self, code: str, message: str, leaf_index: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.leaf_index = leaf_index


@dataclass
class VerifiedEntry:
    leaf_index: int
    stream: str
    seq: int
    type: str
    actor: str
    time: str
    payload: dict[str, Any] | None


@dataclass
class BundleReport:
    origin: str
    tree_size: int
    root: bytes
    kind: str
    entries: list[VerifiedEntry] = field(default_factory=list)
    redacted: list[int] = field(default_factory=list)


def verify_bundle(bundle: Any, log_verifier_key: str) -> BundleReport:
    """Verify ``bundle`` (parsed JSON) against the log's verifier key; see module doc."""
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise BundleVerificationError("malformed_bundle", f"not a {BUNDLE_FORMAT} document")
    origin = _field(bundle, "origin", str)
    note = _field(bundle, "checkpoint", str)
    size, root = _verify_checkpoint(note, log_verifier_key, origin)
    registry = _items(bundle, "registry")
    events = _items(bundle, "entries")
    report = BundleReport(origin, size, root, str(bundle.get("kind", "")))

    keys: dict[tuple[str, str], _Key] = {}
    admins: set[str] = set()
    # Registry and chosen entries are judged together in log order, so that a
    # key counts only from its enrolment on, and only until its revocation.
    for item in sorted([*registry, *events], key=lambda i: i["leaf_index"]):
        body, payload = _check_item(item, origin, size, root, report)
        _verify_signature(item, body, keys, genesis=body["type"] == "LedgerCreated")
        if body["stream"] == "registry" and body["type"] in AUTHORITY_TYPES:
            if payload is None:
                raise BundleVerificationError(
                    "registry_payload_missing",
                    "registry entries must carry payloads",
                    item["leaf_index"],
                )
            _fold_registry(item["leaf_index"], body, payload, keys, admins)
    _check_chains([*registry, *events])
    report.entries.sort(key=lambda e: e.leaf_index)
    return report


def verify_bundle_file(path: str, log_verifier_key: str) -> BundleReport:
    """Read and verify a bundle file."""
    try:
        with open(path, "rb") as handle:
            bundle = json.loads(handle.read())
    except (OSError, ValueError) as exc:
        raise BundleVerificationError("malformed_bundle", f"cannot read bundle: {exc}") from exc
    return verify_bundle(bundle, log_verifier_key)


# --- the checkpoint -------------------------------------------------------


def _verify_checkpoint(note: str, verifier_key: str, origin: str) -> tuple[int, bytes]:
    """Signed-note check with one Ed25519 key; return (tree size, root)."""
    try:
        name, hash_hex, encoded = verifier_key.split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        key_hash = int(hash_hex, 16)
    except (ValueError, binascii.Error) as exc:
        raise BundleVerificationError("malformed_key", "log verifier key is malformed") from exc
    if len(raw) != 33 or raw[0] != NOTE_ED25519:
        raise BundleVerificationError("malformed_key", "log verifier key is not an Ed25519 key")
    digest = hashlib.sha256(name.encode() + b"\n" + raw).digest()
    if int.from_bytes(digest[:4], "big") != key_hash:
        raise BundleVerificationError("malformed_key", "log verifier key hash does not match")
    public_key = Ed25519PublicKey.from_public_bytes(raw[1:])
    split = note.rfind("\n\n")
    if split < 0:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint has no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    valid = False
    for line in block.rstrip("\n").split("\n"):
        if not line.startswith("\u2014 "):
            raise BundleVerificationError("malformed_checkpoint", "bad signature line")
        signer, _, sig_b64 = line[2:].partition(" ")
        try:
            sig = base64.b64decode(sig_b64, validate=True)
        except binascii.Error as exc:
            raise BundleVerificationError("malformed_checkpoint", "bad signature encoding") from exc
        if signer != name or len(sig) < 4 or int.from_bytes(sig[:4], "big") != key_hash:
            continue  # another key's signature (a witness): not ours to judge
        try:
            public_key.verify(sig[4:], text.encode())
        except InvalidSignature as exc:
            raise BundleVerificationError(
                "checkpoint_signature_invalid", "checkpoint signature does not verify"
            ) from exc
        valid = True
    if not valid:
        raise BundleVerificationError(
            "checkpoint_signature_invalid", "checkpoint is not signed by the log key"
        )
    lines = text.split("\n")
    if len(lines) < 4 or lines[0] != origin:
        raise BundleVerificationError("malformed_checkpoint", f"checkpoint is not for {origin}")
    try:
        size = int(lines[1])
        root = base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise BundleVerificationError(
            "malformed_checkpoint", "checkpoint size or root malformed"
        ) from exc
    if str(size) != lines[1] or len(root) != 32:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint size or root malformed")
    return size, root


# --- entries ----------------------------------------------------------------


def _check_item(
    item: dict[str, Any], origin: str, size: int, root: bytes, report: BundleReport
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    index = item["leaf_index"]
    entry = item.get("entry")
    if not isinstance(entry, dict) or set(entry) != {"body", "signature"}:
        raise BundleVerificationError(
            "malformed_bundle", "entry must have body and signature", index
        )
    entry_bytes = _canonical(entry, index)
    leaf = hashlib.sha256(b"\x00" + entry_bytes).digest()
    proof = [_b64(p, index) for p in _field(item, "inclusion_proof", list)]
    if not _inclusion_ok(leaf, index, size, proof, root):
        raise BundleVerificationError(
            "inclusion_proof_invalid",
            f"entry at leaf {index} is not in the checkpointed tree",
            index,
        )
    body = entry["body"]
    if not isinstance(body, dict) or body.get("origin") != origin or body.get("v") != 1:
        raise BundleVerificationError(
            "wrong_ledger", f"entry at leaf {index} is for another ledger", index
        )
    payload = item.get("payload")
    salt = item.get("salt")
    if payload is None:
        report.redacted.append(index)
    else:
        commitment = hashlib.sha256(_b64(salt, index) + _canonical(payload, index)).hexdigest()
        if not hmac.compare_digest(commitment, str(body.get("payload"))):
            raise BundleVerificationError(
                "payload_commitment_mismatch",
                f"payload at leaf {index} does not match its commitment",
                index,
            )
    report.entries.append(
        VerifiedEntry(
            index, body["stream"], body["seq"], body["type"], body["actor"], body["time"], payload
        )
    )
    return body, payload


@dataclass
class _Key:
    public_key: Ed25519PublicKey
    enrolled_at: int
    revoked_at: int | None = None


def _verify_signature(
    item: dict[str, Any], body: dict[str, Any], keys: dict[tuple[str, str], _Key], *, genesis: bool
) -> None:
    index = item["leaf_index"]
    if genesis:
        admin = (item.get("payload") or {}).get("admin", {})
        if (admin.get("person"), admin.get("key_id")) != (body["actor"], body["key"]):
            raise BundleVerificationError(
                "unknown_key", "LedgerCreated is not signed by its admin", index
            )
        public_key = Ed25519PublicKey.from_public_bytes(_b64(admin.get("public_key"), index))
    else:
        key = keys.get((body["actor"], body["key"]))
        if key is None or key.enrolled_at >= index:
            raise BundleVerificationError(
                "unknown_key",
                f"no key {body['key']} of {body['actor']} is enrolled before leaf {index}",
                index,
            )
        if key.revoked_at is not None and key.revoked_at < index:
            raise BundleVerificationError(
                "revoked_key", f"key {body['key']} was revoked at leaf {key.revoked_at}", index
            )
        public_key = key.public_key
    try:
        public_key.verify(
            _b64(item["entry"]["signature"], index), EVENT_PREFIX + _canonical(body, index)
        )
    except InvalidSignature as exc:
        raise BundleVerificationError(
            "bad_signature", f"signature at leaf {index} does not verify", index
        ) from exc


def _fold_registry(
    index: int,
    body: dict[str, Any],
    payload: dict[str, Any],
    keys: dict[tuple[str, str], _Key],
    admins: set[str],
) -> None:
    kind = body["type"]
    if kind == "LedgerCreated":
        admin = payload["admin"]
        admins.add(admin["person"])
        keys[(admin["person"], admin["key_id"])] = _Key(
            Ed25519PublicKey.from_public_bytes(_b64(admin["public_key"], index)), index
        )
    elif kind in ("PersonEnrolled", "KeyAdded"):
        if body["actor"] not in admins:
            raise BundleVerificationError(
                "signer_not_admin", f"{kind} at leaf {index} not signed by an admin", index
            )
        raw = _b64(payload["public_key"], index)
        if hashlib.sha256(raw).hexdigest()[:16] != payload["key_id"]:
            raise BundleVerificationError(
                "key_id_mismatch", f"key id at leaf {index} is not derived from its key", index
            )
        keys[(payload["person"], payload["key_id"])] = _Key(
            Ed25519PublicKey.from_public_bytes(raw), index
        )
        if "admin" in payload.get("roles", []):
            admins.add(payload["person"])
    elif kind == "KeyRevoked":
        if body["actor"] not in admins and body["actor"] != payload["person"]:
            raise BundleVerificationError(
                "signer_not_admin", f"KeyRevoked at leaf {index} not allowed", index
            )
        found = keys.get((payload["person"], payload["key_id"]))
        if found is not None:
            found.revoked_at = index


def _check_chains(items: list[dict[str, Any]]) -> None:
    """Items of one stream with consecutive seq: prev is the previous envelope hash."""
    hashes: dict[tuple[str, int], str] = {}
    for item in items:
        body = item["entry"]["body"]
        entry_bytes = _canonical(item["entry"], item["leaf_index"])
        hashes[(body["stream"], body["seq"])] = hashlib.sha256(entry_bytes).hexdigest()
    for item in items:
        stream, seq = item["entry"]["body"]["stream"], item["entry"]["body"]["seq"]
        previous = hashes.get((stream, seq - 1))
        if previous is not None and item["entry"]["body"]["prev"] != previous:
            raise BundleVerificationError(
                "chain_broken", f"{stream} #{seq} does not chain to #{seq - 1}", item["leaf_index"]
            )


# --- RFC 6962 / 9162 inclusion --------------------------------------------


def _inclusion_ok(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2, step by step."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, root)


# --- small helpers ----------------------------------------------------------


def _items(bundle: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = bundle.get(name)
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and _is_index(i.get("leaf_index")) for i in items
    ):
        raise BundleVerificationError(
            "malformed_bundle",
            f"{name} must be a list of entries, each with a non-negative integer leaf_index",
        )
    return items


def _is_index(value: object) -> bool:
    """A leaf index is a non-negative JSON integer (``true`` is not 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _field(obj: dict[str, Any], name: str, kind: type) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind):
        raise BundleVerificationError(
            "malformed_bundle", f"{name} is missing or not a {kind.__name__}"
        )
    return value


def _canonical(value: Any, index: int) -> bytes:
    try:
        return bytes(rfc8785.dumps(value))
    except Exception as exc:  # rfc8785 raises several error types
        raise BundleVerificationError(
            "malformed_bundle", f"entry at leaf {index} is not JSON", index
        ) from exc


def _b64(value: Any, index: int) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BundleVerificationError(
            "malformed_bundle", f"bad base64 at leaf {index}", index
        ) from exc
