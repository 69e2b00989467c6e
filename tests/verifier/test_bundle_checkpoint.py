"""The trust root, the verifier keys it pins and the checkpoint note a bundle carries.

Every checkpoint here is signed by the ledger's own log key unless the test
says otherwise, so what is refused is its form (``malformed_checkpoint``),
not its signature: an operator holding the log key still cannot make a
verifier read a malformed note.
"""

from __future__ import annotations

import base64
import hashlib
import string
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import MalformedCheckpointError
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.note import NoteSigner, split_note
from tests.verifier.bundle_factory import LedgerFactory, accepted, refusal
from verifier.bundle import BundleVerificationError, TrustRoot, parse_trust_root

B64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"


def _trust_document(factory: LedgerFactory, **change: Any) -> dict[str, Any]:
    return factory.trust_document() | change


def test_a_trust_root_without_witnesses_needs_no_cosignature() -> None:
    factory = LedgerFactory()
    document = _trust_document(factory)
    del document["witnesses"], document["quorum"]
    trust = parse_trust_root(document)
    assert trust == TrustRoot(factory.origin, factory.log_key.verifier_key(), trust.genesis)
    assert accepted(factory.bundle(), trust).cosignatures == 0


def test_a_trust_root_keeps_its_witnesses_and_quorum() -> None:
    factory = LedgerFactory()
    witnesses = [factory.add_witness(f"witness.example/{n}") for n in "ab"]
    keys = [w.cosignature_verifier_key() for w in witnesses]
    trust = parse_trust_root(_trust_document(factory, witnesses=keys, quorum=2))
    assert (trust.witnesses, trust.quorum) == (tuple(keys), 2)
    assert accepted(factory.bundle(), trust).cosignatures == 2


@pytest.mark.parametrize(
    "change",
    [
        {"format": "medledger-trust/v0"},
        {"origin": 7},
        {"log_key": None},
        {"genesis": None},
        {"genesis": "0" * 63},
        {"genesis": "A" * 64},
        {"genesis": "X" * 64},
        {"witnesses": "witness.example/a"},
        {"witnesses": [1]},
        {"quorum": True},
        {"quorum": -1},
        {"quorum": 1},
        {"quorum": "0"},
    ],
)
def test_a_malformed_trust_root_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(BundleVerificationError) as failure:
        parse_trust_root(_trust_document(LedgerFactory(), **change))
    assert failure.value.code == "malformed_trust_root"


def test_a_trust_root_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BundleVerificationError) as failure:
        parse_trust_root(["medledger-trust/v1"])
    assert failure.value.code == "malformed_trust_root"


def _with_log_key(factory: LedgerFactory, log_key: str) -> TrustRoot:
    trust = factory.trust()
    return TrustRoot(trust.origin, log_key, trust.genesis, trust.witnesses, trust.quorum)


def _raw_key(signer: NoteSigner) -> tuple[str, str, bytes]:
    name, hash_hex, encoded = signer.verifier_key().split("+", 2)
    return name, hash_hex, base64.b64decode(encoded)


def _key_string(name: str, raw: bytes) -> str:
    """A verifier key with a correct key hash over ``name`` and ``raw``."""
    key_hash = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex()
    return f"{name}+{key_hash}+{base64.b64encode(raw).decode()}"


def test_malformed_verifier_keys_are_refused() -> None:
    factory = LedgerFactory()
    name, hash_hex, raw = _raw_key(factory.log_key)
    encoded = base64.b64encode(raw).decode()
    for log_key in (
        f"{name}{hash_hex}{encoded}",
        f"{name}+{hash_hex}+{encoded[:-2]}",
        f"{name}+zzzzzzzz+{encoded}",
        f"{name}+00{hash_hex}+{encoded}",
        f"{name}+{int(hash_hex, 16) ^ 1:08x}+{encoded}",
        _key_string(name, b"\x04" + raw[1:]),
        _key_string(name, raw + b"\x00"),
        _key_string(name, raw[:-1]),
    ):
        failure = refusal(factory.bundle(), _with_log_key(factory, log_key))
        assert failure.code == "malformed_key", log_key


def test_a_log_key_given_as_a_witness_is_refused() -> None:
    factory = LedgerFactory()
    trust = factory.trust()
    as_witness = TrustRoot(trust.origin, trust.log_key, trust.genesis, (trust.log_key,), 0)
    assert refusal(factory.bundle(), as_witness).code == "malformed_key"


def test_a_verifier_key_whose_base64_holds_a_plus_sign_is_read_whole() -> None:
    seed = next(
        bytes([n]) * 32
        for n in range(256)
        if "+"
        in NoteSigner("o", Ed25519PrivateKey.from_private_bytes(bytes([n]) * 32))
        .verifier_key()
        .split("+", 2)[2]
    )
    factory = LedgerFactory()
    factory.log_key = NoteSigner(factory.origin, Ed25519PrivateKey.from_private_bytes(seed))
    assert "+" in factory.log_key.verifier_key().split("+", 2)[2]
    assert accepted(factory.bundle(), factory.trust()).tree_size == 1


def _non_canonical(text: str) -> str:
    """The same bytes in non-canonical base64: the unused low bits of the last digit set."""
    digits = text.rstrip("=")
    flipped = B64[B64.index(digits[-1]) ^ 1]
    return digits[:-1] + flipped + text[len(digits) :]


def _note_parts(bundle: dict[str, Any]) -> tuple[str, list[str]]:
    text, _, block = bundle["checkpoint"].partition("\n\n")
    return text + "\n", block.rstrip("\n").split("\n")


def _with_signature_lines(bundle: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    text, _ = _note_parts(bundle)
    return bundle | {"checkpoint": text + "\n" + "".join(line + "\n" for line in lines)}


def _log_line(factory: LedgerFactory, signature: bytes) -> str:
    prefix = factory.log_key.key_hash.to_bytes(4, "big")
    return f"\u2014 {factory.origin} {base64.b64encode(prefix + signature).decode()}"


def test_malformed_signature_lines_are_refused() -> None:
    factory = LedgerFactory()
    bundle = factory.bundle()
    _, [line] = _note_parts(bundle)
    for lines in (
        ["- " + line[2:]],
        [line[:-4] + "!!!!"],
        [_non_canonical(line)],
        [line, _log_line(factory, b"")],
    ):
        failure = refusal(_with_signature_lines(bundle, lines), factory.trust())
        assert failure.code == "malformed_checkpoint", lines
    failure = refusal(
        bundle | {"checkpoint": bundle["checkpoint"].replace("\n\n", "\n")}, factory.trust()
    )
    assert failure.code == "malformed_checkpoint"
    failure = refusal(_with_signature_lines(bundle, [line + " "]), factory.trust())
    assert failure.code == "malformed_checkpoint"
    spaced = f"\u2014 {factory.origin} x {line.rsplit(' ', 1)[1]}"  # key names have no spaces
    failure = refusal(_with_signature_lines(bundle, [line, spaced]), factory.trust())
    assert failure.code == "malformed_checkpoint"


def test_a_note_of_nothing_but_signatures_is_judged_by_its_signature_first() -> None:
    factory = LedgerFactory()
    bad = _log_line(factory, bytes(64))
    assert refusal(factory.bundle() | {"checkpoint": f"\n\n{bad}\n"}, factory.trust()).code == (
        "checkpoint_signature_invalid"
    )
    good = _log_line(factory, factory.log_key.sign(b"\n"))
    assert refusal(factory.bundle() | {"checkpoint": f"\n\n{good}\n"}, factory.trust()).code == (
        "malformed_checkpoint"
    )


def test_a_log_signature_that_does_not_verify_is_refused() -> None:
    factory = LedgerFactory()
    bundle = factory.bundle()
    _, [line] = _note_parts(bundle)
    for lines in (
        [_log_line(factory, b"\x00")],
        [_log_line(factory, bytes(64))],
        [line, _log_line(factory, bytes(64))],
    ):
        failure = refusal(_with_signature_lines(bundle, lines), factory.trust())
        assert failure.code == "checkpoint_signature_invalid", lines


def test_a_checkpoint_signed_only_by_another_key_is_refused_and_extra_signers_are_ignored() -> None:
    factory = LedgerFactory()
    bundle = factory.bundle()
    _, [line] = _note_parts(bundle)
    other = LedgerFactory(origin="ledger.example/other")
    other_text = other.note(_note_parts(bundle)[0])
    _, [other_line] = _note_parts({"checkpoint": other_text})
    failure = refusal(_with_signature_lines(bundle, [other_line]), factory.trust())
    assert failure.code == "checkpoint_signature_invalid"
    assert accepted(_with_signature_lines(bundle, [other_line, line]), factory.trust())
    unknown = "\u2014 witness.example/z " + base64.b64encode(bytes(5) + b"\x17").decode()
    assert unknown.endswith("X")  # whatever an unknown key's line holds, it is skipped whole
    assert accepted(_with_signature_lines(bundle, [line, unknown]), factory.trust())


def test_a_checkpoint_with_a_blank_line_in_its_text_is_malformed_as_the_library_says() -> None:
    """tlog-checkpoint lines are non-empty; the note splits at its last blank line."""
    factory = LedgerFactory()
    bundle = factory.bundle()
    origin, size, root, heads = _note_parts(bundle)[0].rstrip("\n").split("\n")
    blank = _resigned(factory, bundle, [origin, size, root, heads, "", "example/v1 7"])
    text, signatures = split_note(blank["checkpoint"])
    assert text.endswith("\n\nexample/v1 7\n") and len(signatures) == 1
    with pytest.raises(MalformedCheckpointError):
        Checkpoint.parse(text)
    assert refusal(blank, factory.trust()).code == "malformed_checkpoint"
    # Its signature is checked first, over the whole text up to the last blank line.
    line = blank["checkpoint"].rstrip("\n").rsplit("\n", 1)[1]
    forged = blank | {
        "checkpoint": blank["checkpoint"].replace(line, _log_line(factory, bytes(64)))
    }
    assert refusal(forged, factory.trust()).code == "checkpoint_signature_invalid"


def test_cosignatures_count_once_per_trusted_witness_up_to_the_quorum() -> None:
    factory = LedgerFactory()
    a, b = (factory.add_witness(f"witness.example/{n}") for n in "ab")
    stranger = NoteSigner.generate("witness.example/c")
    trust = factory.trust(quorum=2)
    assert accepted(factory.bundle(cosigners=[b, a]), trust).cosignatures == 2
    assert accepted(factory.bundle(cosigners=[a]), factory.trust(quorum=1)).cosignatures == 1
    for cosigners in ([a], [a, a], [a, stranger], []):
        failure = refusal(factory.bundle(cosigners=cosigners), trust)
        assert failure.code == "witness_quorum_missing", cosigners


def test_a_cosignature_that_is_malformed_or_does_not_verify_is_refused() -> None:
    factory = LedgerFactory()
    witness = factory.add_witness("witness.example/a")
    bundle = factory.bundle()
    _, [log_line, cosigned] = _note_parts(bundle)
    name, encoded = cosigned[2:].split(" ")
    raw = base64.b64decode(encoded)
    assert len(raw) == 4 + 72 and raw[:4] == witness.cosignature_key_hash.to_bytes(4, "big")
    for forged in (
        raw[:-1],
        raw + b"\x00",
        raw[:4] + bytes(8) + raw[12:],
        raw[:-1] + bytes([raw[-1] ^ 1]),
    ):
        line = f"\u2014 {name} {base64.b64encode(forged).decode()}"
        failure = refusal(_with_signature_lines(bundle, [log_line, line]), factory.trust())
        assert failure.code == "checkpoint_signature_invalid", forged


def _resigned(factory: LedgerFactory, bundle: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """``bundle`` with its checkpoint text replaced by ``lines``, signed by the log key."""
    return bundle | {"checkpoint": factory.note("".join(line + "\n" for line in lines))}


def test_a_checkpoint_text_that_is_not_for_this_ledger_or_malformed_is_refused() -> None:
    factory = LedgerFactory()
    bundle = factory.bundle()
    origin, size, root, heads = _note_parts(bundle)[0].rstrip("\n").split("\n")
    short_root = base64.b64encode(base64.b64decode(root)[:31]).decode()
    for lines in (
        [origin, size],
        ["ledger.example/other", size, root, heads],
        [origin, "01", root, heads],
        [origin, "+1", root, heads],
        [origin, "\u00b9", root, heads],
        [origin, "\u0661", root, heads],
        [origin, "", root, heads],
        [origin, size, root[:-1], heads],
        [origin, size, _non_canonical(root), heads],
        [origin, size, short_root, heads],
    ):
        failure = refusal(_resigned(factory, bundle, lines), factory.trust())
        assert failure.code == "malformed_checkpoint", lines


def test_a_checkpoint_needs_exactly_one_well_formed_stream_heads_line() -> None:
    factory = LedgerFactory()
    bundle = factory.bundle()
    origin, size, root, heads = _note_parts(bundle)[0].rstrip("\n").split("\n")
    line, count, heads_root = heads.split(" ")
    short = base64.b64encode(base64.b64decode(heads_root)[:31]).decode()
    for extensions in (
        [],
        [heads, heads],
        [f"{line}x {count} {heads_root}"],
        [f"{heads} extra"],
        [f"{line}  {count} {heads_root}"],
        [f"{line} 01 {heads_root}"],
        [f"{line} \u00b9 {heads_root}"],
        [f"{line} \u0661 {heads_root}"],
        [f"{line} one {heads_root}"],
        [f"{line} {count} {heads_root[:-1]}"],
        [f"{line} {count} {_non_canonical(heads_root)}"],
        [f"{line} {count} {short}"],
    ):
        failure = refusal(
            _resigned(factory, bundle, [origin, size, root, *extensions]), factory.trust()
        )
        assert failure.code == "malformed_checkpoint", extensions
    other_extension = _resigned(factory, bundle, [origin, size, root, "example/v1 7", heads])
    assert accepted(other_extension, factory.trust()).tree_size == 1
