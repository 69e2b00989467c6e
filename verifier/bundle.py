"""Offline verification of a medledger evidence bundle (protocol v2).

An auditor's verifier, meant to be read in one sitting: it imports nothing
but the Python standard library, ``cryptography`` (Ed25519) and ``rfc8785``
(canonical JSON), and nothing else of medledger.  Every rule it applies is
specified in docs/PROTOCOL.md sections "Trust root" and "Evidence bundles".

Given a bundle and the ledger's pinned trust root (origin, log verifier key,
genesis envelope hash, witnesses and quorum, obtained independently), it checks:

1. the checkpoint is a signed note by the log key, for the trust root's
   origin, cosigned by at least ``quorum`` of the trust root's witnesses, and
   carries one stream-heads line;
2. every entry is in that tree (RFC 6962 inclusion proof to the root), at a
   leaf index that is a non-negative integer below the tree size, each index once;
3. leaf 0 is in the bundle and its envelope hash is the pinned genesis: the
   log key alone cannot found a second ledger under the same origin;
4. every entry's body names the origin and is signed, with the
   ``medledger/event/v2`` prefix, by a key enrolled for the actor (and not
   revoked) before the entry's leaf index; registry entries are signed by
   admins whose authority traces back to the genesis;
5. every disclosed field opens its commitment in the signed body; fields not
   disclosed are reported as such, never as present;
6. entries of one stream with consecutive sequence numbers are chained;
7. each stream the bundle claims complete has its head proven in the
   checkpoint's stream heads, and the bundle holds every one of its events
   from 1 to that head: leaving one out fails;
8. for a receipt, the verdict (involved, not involved, not a member) is
   derived here from the disclosed routing fields of the complete matter and
   registry streams; a verdict the file states that differs is refused.

``verify_bundle`` returns a report or raises ``BundleVerificationError``
with a stable ``code`` and, where it applies, the leaf index of the first bad entry.
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

BUNDLE_FORMAT = "medledger-bundle/v2"
TRUST_FORMAT = "medledger-trust/v1"
EVENT_PREFIX = b"medledger/event/v2\n"
HEADS_LINE = "medledger/heads/v2"
NOTE_ED25519 = 0x01
COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100  # signature lines read from one note (as Go's note.Open)
MAX_EXTENSION_LINES = 16  # extension lines read from one checkpoint (as the library)
MAX_TREE_SIZE = 2**64 - 1
AUTHORITY_TYPES = frozenset({"LedgerCreated", "PersonEnrolled", "KeyAdded", "KeyRevoked"})

INVOLVED, NOT_INVOLVED, NOT_A_MEMBER = "involved", "not_involved", "not_a_member"
# The routing fields a receipt's verdict is derived from, per matter event type.
_REACHES = {"MaterialShared": "bodies", "ConsultationOpened": "body", "HearingOpened": "bodies"}


class BundleVerificationError(Exception):
    """The bundle does not verify; ``code`` says why, ``leaf_index`` where."""

    def __init__(self, code: str, message: str, leaf_index: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.leaf_index = leaf_index


@dataclass(frozen=True)
class TrustRoot:
    """What a verifier pins: the ledger's identity, independent of any bundle."""

    origin: str
    log_key: str
    genesis: str
    witnesses: tuple[str, ...] = ()
    quorum: int = 0


@dataclass
class VerifiedEntry:
    leaf_index: int
    stream: str
    seq: int
    type: str
    actor: str
    time: str
    disclosed: dict[str, Any]
    undisclosed: list[str]


@dataclass
class BundleReport:
    origin: str
    tree_size: int
    root: bytes
    kind: str
    entries: list[VerifiedEntry] = field(default_factory=list)
    complete: list[str] = field(default_factory=list)
    cosignatures: int = 0
    subject: dict[str, str] = field(default_factory=dict)

    @property
    def undisclosed(self) -> list[int]:
        """Leaf indexes of entries with at least one field not disclosed."""
        return [e.leaf_index for e in self.entries if e.undisclosed]


def verify_bundle(bundle: Any, trust: TrustRoot) -> BundleReport:
    """Verify ``bundle`` (parsed JSON) against a pinned trust root; see the module doc."""
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise BundleVerificationError("malformed_bundle", f"not a {BUNDLE_FORMAT} document")
    if _field(bundle, "origin", str) != trust.origin:
        raise BundleVerificationError("wrong_ledger", f"the bundle is not for {trust.origin}")
    size, root, extensions, cosigned = _verify_checkpoint(_field(bundle, "checkpoint", str), trust)
    heads = _heads_line(extensions)
    items = _items(bundle, "registry") + _items(bundle, "entries")
    items.sort(key=lambda i: i["leaf_index"])
    if len({i["leaf_index"] for i in items}) != len(items):
        raise BundleVerificationError("malformed_bundle", "a leaf index appears twice")
    report = BundleReport(trust.origin, size, root, str(bundle.get("kind", "")))
    report.cosignatures = cosigned
    keys: dict[tuple[str, str], _Key] = {}
    admins: set[str] = set()
    if not items or items[0]["leaf_index"] != 0:
        raise BundleVerificationError("genesis_mismatch", "the bundle lacks the genesis at leaf 0")
    checked = []
    for item in items:
        one = _check_item(item, trust, size, root)
        _verify_signature(one, keys)
        if one.entry.stream == "registry":
            _fold_registry(one.entry, keys, admins)
        checked.append(one)
        report.entries.append(one.entry)
    _check_chains(checked)
    report.complete = _check_complete(bundle, heads, checked)
    if report.kind == "receipt":
        report.subject = _receipt_subject(bundle, report)
    return report


def verify_bundle_file(path: str, trust_path: str) -> BundleReport:
    """Read and verify a bundle file against a trust root file."""
    return verify_bundle(
        _read_json(path, "bundle"), parse_trust_root(_read_json(trust_path, "trust root"))
    )


def parse_trust_root(data: Any) -> TrustRoot:
    """Parse a trust root document (``medledger trust`` prints one)."""
    if not isinstance(data, dict) or data.get("format") != TRUST_FORMAT:
        raise BundleVerificationError("malformed_trust_root", f"not a {TRUST_FORMAT} document")
    witnesses = data.get("witnesses", [])
    quorum = data.get("quorum", 0)
    genesis = data.get("genesis")
    if not (
        isinstance(data.get("origin"), str)
        and isinstance(data.get("log_key"), str)
        and isinstance(genesis, str)
        and len(genesis) == 64
        and all(c in "0123456789abcdef" for c in genesis)
        and isinstance(witnesses, list)
        and all(isinstance(w, str) for w in witnesses)
        and type(quorum) is int
        and 0 <= quorum <= len(witnesses)
    ):
        raise BundleVerificationError(
            "malformed_trust_root",
            "a trust root has origin, log_key, genesis (hex SHA-256), witnesses and 0 <= quorum <= witnesses",
        )
    return TrustRoot(data["origin"], data["log_key"], genesis, tuple(witnesses), quorum)


def _read_json(path: str, what: str) -> Any:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError) as exc:
        code = "malformed_bundle" if what == "bundle" else "malformed_trust_root"
        raise BundleVerificationError(code, f"cannot read {what}: {exc}") from exc


# --- the checkpoint -------------------------------------------------------


@dataclass(frozen=True)
class _NoteKey:
    name: str
    key_hash: int
    public_key: Ed25519PublicKey


def _note_key(verifier_key: str, kind: int) -> _NoteKey:
    """Parse a signed-note verifier key ``name+hash+base64(type || key)`` of one type."""
    try:
        name, hash_hex, encoded = verifier_key.split("+", 2)
        raw = _strict_b64(encoded)
        key_hash = int(hash_hex, 16)
    except (ValueError, binascii.Error) as exc:
        raise BundleVerificationError(
            "malformed_key", f"verifier key {verifier_key!r} is malformed"
        ) from exc
    if len(hash_hex) != 8 or len(raw) != 33 or raw[0] != kind:
        raise BundleVerificationError(
            "malformed_key", f"verifier key {verifier_key!r} is not an Ed25519 key of type {kind}"
        )
    digest = hashlib.sha256(name.encode() + b"\n" + raw).digest()
    if int.from_bytes(digest[:4], "big") != key_hash:
        raise BundleVerificationError(
            "malformed_key", f"verifier key {verifier_key!r}: hash does not match"
        )
    return _NoteKey(name, key_hash, Ed25519PublicKey.from_public_bytes(raw[1:]))


def _verify_checkpoint(note: str, trust: TrustRoot) -> tuple[int, bytes, list[str], int]:
    """Signed-note checks; return (tree size, root, extension lines, cosignatures)."""
    log_key = _note_key(trust.log_key, NOTE_ED25519)
    witnesses = [_note_key(w, COSIGNATURE_V1) for w in trust.witnesses]
    if any(c != "\n" and (ord(c) < 0x20 or ord(c) == 0x7F) for c in note):
        raise BundleVerificationError("malformed_checkpoint", "a note holds no control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint has no signature block")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n") or block.count("\n") > MAX_SIGNATURES:
        raise BundleVerificationError(
            "malformed_checkpoint",
            f"the signature block ends with a newline and holds at most {MAX_SIGNATURES} lines",
        )
    logged, cosigners = False, set()
    for line in block[:-1].split("\n"):
        name, key_hash, sig = _signature_line(line)
        if (name, key_hash) == (log_key.name, log_key.key_hash):
            _check_signature(log_key.public_key, sig, text.encode(), "checkpoint signature")
            logged = True
        for witness in witnesses:
            if (name, key_hash) == (witness.name, witness.key_hash):
                if len(sig) != 72:
                    raise BundleVerificationError(
                        "checkpoint_signature_invalid", f"cosignature by {name} is malformed"
                    )
                stamp = int.from_bytes(sig[:8], "big")
                message = f"cosignature/v1\ntime {stamp}\n".encode() + text.encode()
                _check_signature(witness.public_key, sig[8:], message, f"cosignature by {name}")
                cosigners.add(witness.public_key.public_bytes_raw())
    if not logged:
        raise BundleVerificationError(
            "checkpoint_signature_invalid", "checkpoint is not signed by the log key"
        )
    if len(cosigners) < trust.quorum:
        raise BundleVerificationError(
            "witness_quorum_missing",
            f"checkpoint has {len(cosigners)} of the {trust.quorum} witness cosignatures the trust root asks for",
        )
    size, root, extensions = _checkpoint_text(text, trust.origin)
    return size, root, extensions, len(cosigners)


def _signature_line(line: str) -> tuple[str, int, bytes]:
    if not line.startswith("\u2014 "):
        raise BundleVerificationError("malformed_checkpoint", "bad signature line")
    name, _, sig_b64 = line[2:].partition(" ")
    try:
        sig = _strict_b64(sig_b64)
    except (binascii.Error, ValueError) as exc:
        raise BundleVerificationError("malformed_checkpoint", "bad signature encoding") from exc
    if len(sig) < 5:
        raise BundleVerificationError("malformed_checkpoint", "signature line too short")
    return name, int.from_bytes(sig[:4], "big"), sig[4:]


def _check_signature(key: Ed25519PublicKey, sig: bytes, message: bytes, what: str) -> None:
    try:
        key.verify(sig, message)
    except InvalidSignature as exc:
        raise BundleVerificationError(
            "checkpoint_signature_invalid", f"{what} does not verify"
        ) from exc


def _checkpoint_text(text: str, origin: str) -> tuple[int, bytes, list[str]]:
    lines = text[:-1].split("\n")
    if len(lines) < 3 or lines[0] != origin:
        raise BundleVerificationError("malformed_checkpoint", f"checkpoint is not for {origin}")
    if "" in lines:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint has an empty line")
    if len(lines) > 3 + MAX_EXTENSION_LINES:
        raise BundleVerificationError(
            "malformed_checkpoint",
            f"checkpoint has more than {MAX_EXTENSION_LINES} extension lines",
        )
    size_line, root_line = lines[1], lines[2]
    if (
        not size_line.isdecimal()
        or str(int(size_line)) != size_line
        or int(size_line) > MAX_TREE_SIZE
    ):
        raise BundleVerificationError("malformed_checkpoint", "checkpoint size malformed")
    try:
        root = _strict_b64(root_line)
    except (binascii.Error, ValueError) as exc:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint root malformed") from exc
    if len(root) != 32:
        raise BundleVerificationError("malformed_checkpoint", "checkpoint root is not 32 bytes")
    return int(size_line), root, lines[3:]


def _heads_line(extensions: list[str]) -> tuple[int, bytes]:
    found = [line.split(" ") for line in extensions if line.startswith(HEADS_LINE + " ")]
    if len(found) != 1 or len(found[0]) != 3:
        raise BundleVerificationError(
            "malformed_checkpoint", "checkpoint lacks one stream-heads line"
        )
    count_text, root_text = found[0][1], found[0][2]
    try:
        root = _strict_b64(root_text)
    except (binascii.Error, ValueError) as exc:
        raise BundleVerificationError(
            "malformed_checkpoint", "stream-heads root malformed"
        ) from exc
    if not count_text.isdecimal() or str(int(count_text)) != count_text or len(root) != 32:
        raise BundleVerificationError("malformed_checkpoint", "stream-heads line malformed")
    return int(count_text), root


# --- entries ----------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    """An entry that is in the tree, with what its signature and chain checks need."""

    entry: VerifiedEntry
    key: str
    signature: bytes
    body_bytes: bytes
    prev: str
    hash: str


def _check_item(item: dict[str, Any], trust: TrustRoot, size: int, root: bytes) -> _Checked:
    index = item["leaf_index"]
    entry = item.get("entry")
    if not isinstance(entry, dict) or set(entry) != {"body", "signature"}:
        raise BundleVerificationError(
            "malformed_bundle", "entry must have body and signature", index
        )
    entry_bytes = _canonical(entry, index)
    proof = [_b64(p, index) for p in _field(item, "inclusion_proof", list)]
    if not _inclusion_ok(_leaf_hash(entry_bytes), index, size, proof, root):
        raise BundleVerificationError(
            "inclusion_proof_invalid",
            f"entry at leaf {index} is not in the checkpointed tree",
            index,
        )
    body = entry["body"]
    if not _body_ok(body):
        raise BundleVerificationError(
            "malformed_bundle", f"entry at leaf {index} has a malformed body", index
        )
    if body["origin"] != trust.origin or body["v"] != 2:
        raise BundleVerificationError(
            "wrong_ledger", f"entry at leaf {index} is for another ledger", index
        )
    envelope_hash = hashlib.sha256(entry_bytes).hexdigest()
    if index == 0 and not hmac.compare_digest(envelope_hash, trust.genesis):
        raise BundleVerificationError(
            "genesis_mismatch", "leaf 0 is not the genesis the trust root pins", index
        )
    disclosed = _open_fields(item, body["fields"], index)
    verified = VerifiedEntry(
        index,
        body["stream"],
        body["seq"],
        body["type"],
        body["actor"],
        body["time"],
        disclosed,
        sorted(set(body["fields"]) - set(disclosed)),
    )
    signature = _b64(entry["signature"], index)
    return _Checked(
        verified, body["key"], signature, _canonical(body, index), body["prev"], envelope_hash
    )


def _body_ok(body: Any) -> bool:
    texts = ("origin", "stream", "prev", "actor", "key", "type", "time")
    return (
        isinstance(body, dict)
        and type(body.get("v")) is int
        and all(isinstance(body.get(name), str) for name in texts)
        and type(body.get("seq")) is int
        and body["seq"] >= 1
        and isinstance(body.get("fields"), dict)
    )


def _open_fields(item: dict[str, Any], commitments: dict[str, Any], index: int) -> dict[str, Any]:
    """The disclosed fields, each checked against its commitment in the signed body."""
    disclosed = item.get("disclosed")
    if not isinstance(disclosed, dict):
        raise BundleVerificationError(
            "malformed_bundle", f"disclosed fields at leaf {index} malformed", index
        )
    values: dict[str, Any] = {}
    for name, opening in disclosed.items():
        if not isinstance(opening, dict) or set(opening) != {"salt", "value"}:
            raise BundleVerificationError(
                "malformed_bundle", f"field {name} at leaf {index} malformed", index
            )
        salt = _b64(opening["salt"], index)
        digest = hashlib.sha256(salt + _canonical([name, opening["value"]], index)).hexdigest()
        if name not in commitments or not hmac.compare_digest(digest, str(commitments[name])):
            raise BundleVerificationError(
                "payload_commitment_mismatch",
                f"field {name} at leaf {index} does not match its commitment",
                index,
            )
        values[name] = opening["value"]
    return values


@dataclass
class _Key:
    public_key: Ed25519PublicKey
    enrolled_at: int
    revoked_at: int | None = None


def _verify_signature(checked: _Checked, keys: dict[tuple[str, str], _Key]) -> None:
    entry, index = checked.entry, checked.entry.leaf_index
    if index == 0:
        admin = entry.disclosed.get("admin")
        if (
            entry.type != "LedgerCreated"
            or entry.stream != "registry"
            or not isinstance(admin, dict)
        ):
            raise BundleVerificationError(
                "genesis_mismatch", "leaf 0 must be a disclosed LedgerCreated", index
            )
        if (admin.get("person"), admin.get("key_id")) != (entry.actor, checked.key):
            raise BundleVerificationError(
                "unknown_key", "LedgerCreated is not signed by its admin", index
            )
        public_key = _public_key(admin.get("public_key"), index)
    else:
        key = keys.get((entry.actor, checked.key))
        if key is None or key.enrolled_at >= index:
            raise BundleVerificationError(
                "unknown_key",
                f"no key {checked.key} of {entry.actor} is enrolled before leaf {index}",
                index,
            )
        if key.revoked_at is not None and key.revoked_at < index:
            raise BundleVerificationError(
                "revoked_key", f"key {checked.key} was revoked at leaf {key.revoked_at}", index
            )
        public_key = key.public_key
    try:
        public_key.verify(checked.signature, EVENT_PREFIX + checked.body_bytes)
    except InvalidSignature as exc:
        raise BundleVerificationError(
            "bad_signature", f"signature at leaf {index} does not verify", index
        ) from exc


def _fold_registry(
    entry: VerifiedEntry, keys: dict[tuple[str, str], _Key], admins: set[str]
) -> None:
    """Check that a registry event discloses every field (receipts read the seats too);
    learn the keys and admins an authority event makes or ends."""
    index, kind, payload = entry.leaf_index, entry.type, entry.disclosed
    if entry.undisclosed:
        raise BundleVerificationError(
            "registry_payload_missing",
            f"registry entry at leaf {index} must disclose every field",
            index,
        )
    if kind not in AUTHORITY_TYPES:
        return
    if kind == "LedgerCreated":
        if index != 0:
            raise BundleVerificationError(
                "genesis_mismatch", f"a second LedgerCreated at leaf {index}", index
            )
        admin = payload["admin"]
        admins.add(admin["person"])
        keys[(admin["person"], admin["key_id"])] = _Key(
            _public_key(admin["public_key"], index), index
        )
    elif kind in ("PersonEnrolled", "KeyAdded"):
        if entry.actor not in admins:
            raise BundleVerificationError(
                "signer_not_admin", f"{kind} at leaf {index} not signed by an admin", index
            )
        raw = _b64(payload.get("public_key"), index)
        if hashlib.sha256(raw).hexdigest()[:16] != payload.get("key_id"):
            raise BundleVerificationError(
                "key_id_mismatch", f"key id at leaf {index} is not derived from its key", index
            )
        keys[(str(payload.get("person")), str(payload["key_id"]))] = _Key(
            _public_key(payload["public_key"], index), index
        )
        if "admin" in payload.get("roles", []):
            admins.add(str(payload.get("person")))
    elif kind == "KeyRevoked":
        if entry.actor not in admins and entry.actor != payload.get("person"):
            raise BundleVerificationError(
                "signer_not_admin", f"KeyRevoked at leaf {index} not allowed", index
            )
        found = keys.get((str(payload.get("person")), str(payload.get("key_id"))))
        if found is not None and found.revoked_at is None:
            found.revoked_at = index


def _check_chains(checked: list[_Checked]) -> None:
    """Entries of one stream with consecutive seq: prev is the previous envelope hash."""
    hashes = {(c.entry.stream, c.entry.seq): c.hash for c in checked}
    for c in checked:
        stream, seq = c.entry.stream, c.entry.seq
        expected = "0" * 64 if seq == 1 else hashes.get((stream, seq - 1))
        if expected is not None and not hmac.compare_digest(c.prev, expected):
            raise BundleVerificationError(
                "chain_broken", f"{stream} #{seq} does not chain to #{seq - 1}", c.entry.leaf_index
            )


# --- completeness -----------------------------------------------------------


def _check_complete(
    bundle: dict[str, Any], heads: tuple[int, bytes], checked: list[_Checked]
) -> list[str]:
    """The streams the bundle proves complete: head proven, every event 1..head present."""
    claimed = bundle.get("heads", {"count": heads[0], "streams": {}})
    streams = claimed.get("streams") if isinstance(claimed, dict) else None
    if not isinstance(streams, dict) or claimed.get("count") != heads[0]:
        raise BundleVerificationError(
            "malformed_bundle", "heads must give the checkpoint's stream count and streams"
        )
    by_stream: dict[str, dict[int, _Checked]] = {}
    for c in checked:
        by_stream.setdefault(c.entry.stream, {})[c.entry.seq] = c
    for stream, tip in sorted(streams.items()):
        _check_tip(stream, tip, heads)
        present = by_stream.get(stream, {})
        last = present.get(tip["seq"])
        if sorted(present) != list(range(1, tip["seq"] + 1)) or last is None:
            raise BundleVerificationError(
                "incomplete_stream",
                f"{stream}: the bundle lacks events of the {tip['seq']} its head commits to",
            )
        if last.hash != tip["hash"] or last.entry.leaf_index != tip["leaf_index"]:
            raise BundleVerificationError(
                "incomplete_stream",
                f"{stream}: the last event is not the head the checkpoint commits to",
            )
    return sorted(streams)


def _check_tip(stream: str, tip: Any, heads: tuple[int, bytes]) -> None:
    count, root = heads
    names = {"seq", "hash", "leaf_index", "index", "proof"}
    if (
        not isinstance(tip, dict)
        or set(tip) != names
        or not all(_is_index(tip[n]) for n in ("seq", "leaf_index", "index"))
    ):
        raise BundleVerificationError("malformed_bundle", f"head of {stream} malformed")
    leaf = _canonical(
        {"hash": tip["hash"], "leaf_index": tip["leaf_index"], "seq": tip["seq"], "stream": stream},
        None,
    )
    proof = [_b64(p, None) for p in tip["proof"]] if isinstance(tip["proof"], list) else None
    if proof is None or not _inclusion_ok(_leaf_hash(leaf), tip["index"], count, proof, root):
        raise BundleVerificationError(
            "head_proof_invalid", f"the head of {stream} is not in the checkpoint's stream heads"
        )


# --- receipts ---------------------------------------------------------------


def _receipt_subject(bundle: dict[str, Any], report: BundleReport) -> dict[str, str]:
    """Derive a receipt's verdict from the complete matter and registry streams."""
    subject = bundle.get("subject")
    if (
        not isinstance(subject, dict)
        or not isinstance(subject.get("person"), str)
        or not isinstance(subject.get("matter"), str)
    ):
        raise BundleVerificationError("malformed_bundle", "a receipt names its person and matter")
    person, stream = subject["person"], "matter/" + subject["matter"]
    if not {"registry", stream} <= set(report.complete):
        raise BundleVerificationError(
            "incomplete_stream", "a receipt proves the registry and its matter complete"
        )
    verdict = derive_verdict(report.entries, person, stream)
    if subject.get("verdict", verdict) != verdict:
        raise BundleVerificationError(
            "verdict_mismatch",
            f"the bundle says {subject.get('verdict')}, its events say {verdict}",
        )
    return {"person": person, "matter": subject["matter"], "verdict": verdict}


def derive_verdict(entries: list[VerifiedEntry], person: str, stream: str) -> str:
    """involved, not_involved (seated in the responsible body, never reached) or not_a_member."""
    seats: dict[str, list[list[int | None]]] = {}  # body -> [from_leaf, until_leaf] of person
    matter = [e for e in entries if e.stream == stream]
    involved = False
    for e in sorted(entries, key=lambda e: e.leaf_index):
        if e.stream == "registry":
            _fold_seat(e, person, seats)
        elif e.stream == stream:
            involved = involved or _reached(e, person, seats)
    if involved:
        return INVOLVED
    opened, last = matter[0].leaf_index, matter[-1].leaf_index
    responsible = _routing(matter[0], "responsible_body")
    for start, until in seats.get(str(responsible), []):
        if start is not None and start < last and (until is None or until > opened):
            return NOT_INVOLVED
    return NOT_A_MEMBER


def _fold_seat(e: VerifiedEntry, person: str, seats: dict[str, list[list[int | None]]]) -> None:
    body = e.disclosed.get("body")
    if e.type == "MemberAppointed" and e.disclosed.get("person") == person:
        seats.setdefault(str(body), []).append([e.leaf_index, None])
    elif (
        e.type == "MemberLeft" and e.disclosed.get("person") == person
    ) or e.type == "BodyDissolved":
        for seat in seats.get(str(body), []):
            if seat[1] is None:
                seat[1] = e.leaf_index


def _reached(e: VerifiedEntry, person: str, seats: dict[str, list[list[int | None]]]) -> bool:
    """Did this matter event reach ``person``: signed by them, sent to a body they sat in, or
    a meeting record that names them?"""
    if e.actor == person:
        return True
    if e.type == "MeetingHeld":
        return person in _routing(e, "present") or person in _routing(e, "absent")
    if e.type not in _REACHES:
        return False
    value = _routing(e, _REACHES[e.type])
    bodies = value if isinstance(value, list) else [value]
    return any(seat[1] is None for body in bodies for seat in seats.get(str(body), []))


def _routing(e: VerifiedEntry, name: str) -> Any:
    if name in e.undisclosed:
        raise BundleVerificationError(
            "routing_field_missing",
            f"{e.type} at leaf {e.leaf_index} withholds its routing field {name}",
            e.leaf_index,
        )
    return e.disclosed.get(name, [])


# --- RFC 6962 / 9162 inclusion --------------------------------------------


def _leaf_hash(data: bytes) -> bytes:
    """RFC 6962 section 2.1: the hash of a leaf is SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def _inclusion_ok(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2, step by step (tree sizes are 64-bit)."""
    if not 0 <= index < size <= MAX_TREE_SIZE:
        return False
    if any(len(h) != 32 for h in (leaf, root, *proof)):
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


def _canonical(value: Any, index: int | None) -> bytes:
    try:
        return bytes(rfc8785.dumps(value))
    except Exception as exc:  # rfc8785 raises several error types
        raise BundleVerificationError(
            "malformed_bundle", f"entry at leaf {index} is not JSON", index
        ) from exc


def _strict_b64(text: str) -> bytes:
    """Standard base64, canonical only: decoding and re-encoding gives the same text."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise ValueError("not canonical base64")
    return raw


def _b64(value: Any, index: int | None) -> bytes:
    try:
        if not isinstance(value, str):
            raise ValueError("not a string")
        return _strict_b64(value)
    except (binascii.Error, ValueError) as exc:
        raise BundleVerificationError(
            "malformed_bundle", f"bad base64 at leaf {index}", index
        ) from exc


def _public_key(value: Any, index: int) -> Ed25519PublicKey:
    raw = _b64(value, index)
    if len(raw) != 32:
        raise BundleVerificationError(
            "malformed_bundle", f"public key at leaf {index} is not 32 bytes", index
        )
    return Ed25519PublicKey.from_public_bytes(raw)
