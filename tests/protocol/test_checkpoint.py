"""Signed checkpoints: Go's reference output byte for byte, then one test per rejection.

``tests/vectors/checkpoints.json`` is a copy of
``../shared/vectors/signed-note/checkpoints.json``: checkpoints signed by
golang.org/x/mod/sumdb/note with deterministic test keys.  Other known
answers come from the C2SP specs and golang.org/x/mod and
transparency-dev/formats sources, as noted where used.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from ledger.errors import (
    CheckpointSignatureError,
    MalformedCheckpointError,
    MalformedKeyError,
    WitnessQuorumError,
)
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import (
    cosign,
    cosignature_timestamp,
    verify_checkpoint,
    verify_cosignature,
)
from ledger.protocol.heads import parse_heads_line
from ledger.protocol.merkle import leaf_hash, node_hash
from ledger.protocol.note import (
    COSIGNATURE_V1,
    ED25519,
    MAX_SIGNATURES,
    CosignatureVerifier,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    cosigned_message,
    key_hash,
    open_note,
    sign_note,
    split_note,
)
from tests.protocol.shared_vectors import CHECKPOINT_VECTORS, RFC6962_ENTRIES

ROOT_B64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
ROOT_OF_EIGHT = base64.b64decode(ROOT_B64)
"""Root of the eight RFC 6962 test leaves, the root in every vector."""

ORIGIN = "ledger.example/testkommune"
TEXT = f"{ORIGIN}\n8\n{ROOT_B64}\n"

# From the package documentation of golang.org/x/mod/sumdb/note.
GO_DOC_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_DOC_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_DOC_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_DOC_NOTE = (
    GO_DOC_TEXT + "\n"
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
    "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def _vector_id(vector: dict[str, Any]) -> str:
    return f"{CHECKPOINT_VECTORS.index(vector)}-{vector['desc']}"


@pytest.fixture(scope="module")
def log() -> NoteSigner:
    return NoteSigner.from_signer_key(CHECKPOINT_VECTORS[0]["signer_key"])


@pytest.fixture(scope="module")
def witnesses() -> list[NoteSigner]:
    return [NoteSigner.generate(f"witness.example/w{i}") for i in range(3)]


def _signed(log: NoteSigner, text: str = TEXT) -> str:
    return sign_note(text, [log])


# --- Go's reference implementation, byte for byte ---------------------------


def test_the_vector_file_has_both_outcomes() -> None:
    outcomes = {vector["want_err"] for vector in CHECKPOINT_VECTORS}
    assert outcomes == {True, False}


@pytest.mark.parametrize("vector", CHECKPOINT_VECTORS, ids=_vector_id)
def test_go_signed_checkpoint_vector(vector: dict[str, Any]) -> None:
    signer = NoteSigner.from_signer_key(vector["signer_key"])
    verifier = NoteVerifier.from_verifier_key(vector["verifier_key"])
    assert signer.verifier_key() == vector["verifier_key"]
    assert signer.to_signer_key() == vector["signer_key"]
    assert verifier.key_hash == signer.key_hash
    if vector["text"]:
        assert sign_note(vector["text"], [signer]) == vector["signed_note"]
    if vector["want_err"]:
        with pytest.raises(CheckpointSignatureError):
            open_note(vector["signed_note"], [verifier])
        with pytest.raises(CheckpointSignatureError):
            verify_checkpoint(vector["signed_note"], verifier)
    else:
        opened = open_note(vector["signed_note"], [verifier])
        assert opened.text == vector["text"]
        assert [(s.name, s.key_hash) for s in opened.signatures] == [
            (verifier.name, verifier.key_hash)
        ]
        checkpoint = verify_checkpoint(vector["signed_note"], verifier)
        assert checkpoint.size == 8
        assert checkpoint.root == ROOT_OF_EIGHT
        assert checkpoint.text() == vector["text"]


def test_go_documentation_example() -> None:
    signer = NoteSigner.from_signer_key(GO_DOC_SIGNER_KEY)
    assert signer.verifier_key() == GO_DOC_VERIFIER_KEY
    assert signer.key_hash == 0xC74F20A3
    assert sign_note(GO_DOC_TEXT, [signer]) == GO_DOC_NOTE
    text, signatures = open_note(GO_DOC_NOTE, [NoteVerifier.from_verifier_key(GO_DOC_VERIFIER_KEY)])
    assert text == GO_DOC_TEXT
    assert [(s.name, s.key_hash) for s in signatures] == [("PeterNeumann", 0xC74F20A3)]


def test_root_of_the_vectors_is_the_rfc6962_tree_of_eight() -> None:
    leaves = [leaf_hash(entry) for entry in RFC6962_ENTRIES]
    while len(leaves) > 1:
        leaves = [node_hash(leaves[i], leaves[i + 1]) for i in range(0, len(leaves), 2)]
    assert leaves[0] == ROOT_OF_EIGHT


# --- keys -------------------------------------------------------------------


def test_key_hash_is_sha256_of_name_newline_type_and_key() -> None:
    verifier = NoteVerifier.from_verifier_key(GO_DOC_VERIFIER_KEY)
    raw = base64.b64decode(GO_DOC_VERIFIER_KEY.split("+", 2)[2])[1:]
    assert key_hash("PeterNeumann", ED25519, raw) == verifier.key_hash


def test_published_cosignature_verifier_key_parses() -> None:
    # A type 0x04 witness key from transparency-dev/formats' tests.
    vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    witness = CosignatureVerifier.from_verifier_key(vkey)
    assert witness.key_hash == 0xDA77ADE7
    assert witness.verifier_key() == vkey


def test_verifier_key_with_plus_in_its_base64_parses() -> None:
    # A type 0x01 key from transparency-dev/formats' tests; its key data holds a "+".
    vkey = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
    assert NoteVerifier.from_verifier_key(vkey).verifier_key() == vkey
    with pytest.raises(MalformedKeyError):
        CosignatureVerifier.from_verifier_key(vkey)


def test_generated_keys_round_trip() -> None:
    signer = NoteSigner.generate("ledger.example/ny")
    again = NoteSigner.from_signer_key(signer.to_signer_key())
    assert again.verifier_key() == signer.verifier_key()
    assert NoteVerifier.from_verifier_key(signer.verifier_key()) == signer.verifier()
    cosigner = CosignatureVerifier.from_verifier_key(signer.cosignature_verifier_key())
    assert cosigner == signer.cosignature_verifier()
    assert cosigner.key_hash == signer.cosignature_key_hash != signer.key_hash
    assert base64.b64decode(signer.cosignature_verifier_key().split("+", 2)[2])[0] == (
        COSIGNATURE_V1
    )


@pytest.mark.parametrize(
    "vkey",
    [
        pytest.param("PeterNeumann", id="name-only"),
        pytest.param("PeterNeumann+c74f20a3", id="no-key"),
        pytest.param(GO_DOC_VERIFIER_KEY.replace("c74f20a3", "c74f20a"), id="short-hash"),
        pytest.param(GO_DOC_VERIFIER_KEY.replace("c74f20a3", "zzzzzzzz"), id="hash-not-hex"),
        pytest.param(GO_DOC_VERIFIER_KEY.replace("c74f20a3", "0x4f20a3"), id="hash-with-prefix"),
        pytest.param(GO_DOC_VERIFIER_KEY.replace("c74f20a3", "00000000"), id="hash-mismatch"),
        pytest.param(GO_DOC_VERIFIER_KEY[:-1], id="key-bad-padding"),
        pytest.param(GO_DOC_VERIFIER_KEY.replace("+AR", "+A"), id="wrong-algorithm"),
        pytest.param(GO_DOC_VERIFIER_KEY + "AA==", id="key-too-long"),
        pytest.param("PeterNeumann+c74f20a3+not base64!", id="key-not-base64"),
        pytest.param(
            GO_DOC_VERIFIER_KEY.replace("PeterNeumann", "Peter Neumann"), id="name-with-space"
        ),
        pytest.param(GO_DOC_VERIFIER_KEY.removeprefix("PeterNeumann"), id="empty-name"),
    ],
)
def test_malformed_verifier_key_is_refused(vkey: str) -> None:
    with pytest.raises(MalformedKeyError):
        NoteVerifier.from_verifier_key(vkey)


@pytest.mark.parametrize(
    "skey",
    [
        pytest.param(GO_DOC_VERIFIER_KEY, id="verifier-key"),
        pytest.param(GO_DOC_SIGNER_KEY.replace("PRIVATE+KEY", "PRIVATE+KEYS"), id="bad-prefix"),
        pytest.param(GO_DOC_SIGNER_KEY.replace("c74f20a3", "c74f20a4"), id="hash-mismatch"),
        pytest.param(GO_DOC_SIGNER_KEY.replace("+AYEK", "+AoEK"), id="wrong-algorithm"),
        pytest.param(GO_DOC_SIGNER_KEY[:-4], id="truncated-seed"),
        pytest.param("PRIVATE+KEY+PeterNeumann+c74f20a3", id="no-key"),
    ],
)
def test_malformed_signer_key_is_refused(skey: str) -> None:
    with pytest.raises(MalformedKeyError):
        NoteSigner.from_signer_key(skey)


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2028b"])
def test_invalid_key_name_is_refused(name: str) -> None:
    with pytest.raises(MalformedKeyError):
        NoteSigner.generate(name)


# --- signed notes: one test per rejection ------------------------------------


def test_unknown_signatures_are_ignored_next_to_a_known_one(log: NoteSigner) -> None:
    stranger = NoteSigner.generate("stranger.example")
    note = sign_note(TEXT, [stranger, log])
    opened = open_note(note, [log.verifier()])
    assert [s.name for s in opened.signatures] == [ORIGIN]


def test_wrong_key_is_refused(log: NoteSigner) -> None:
    impostor = NoteSigner.generate(ORIGIN)
    with pytest.raises(CheckpointSignatureError):
        open_note(_signed(impostor), [log.verifier()])


def test_unknown_key_only_is_refused(log: NoteSigner) -> None:
    note = sign_note(TEXT, [NoteSigner.generate("a.example"), NoteSigner.generate("b.example")])
    with pytest.raises(CheckpointSignatureError):
        open_note(note, [log.verifier()])


def test_no_verifiers_at_all_is_refused(log: NoteSigner) -> None:
    with pytest.raises(CheckpointSignatureError):
        open_note(_signed(log), [])


def test_altered_text_is_refused(log: NoteSigner) -> None:
    note = _signed(log).replace("\n8\n", "\n7\n")
    with pytest.raises(CheckpointSignatureError):
        open_note(note, [log.verifier()])


def test_altered_signature_is_refused(log: NoteSigner) -> None:
    text, [signature] = split_note(_signed(log))
    flipped = bytes([signature.signature[0] ^ 1]) + signature.signature[1:]
    note = text + "\n" + NoteSignature(signature.name, signature.key_hash, flipped).line()
    with pytest.raises(CheckpointSignatureError):
        open_note(note, [log.verifier()])


def test_bad_signature_by_a_known_key_rejects_the_note(log: NoteSigner) -> None:
    other = NoteSigner.generate("other.example")
    good = _signed(log)
    forged = NoteSignature(other.name, other.key_hash, bytes(64)).line()
    with pytest.raises(CheckpointSignatureError):
        open_note(good + forged, [log.verifier(), other.verifier()])


def test_repeated_signature_is_listed_once(log: NoteSigner) -> None:
    note = _signed(log)
    _, [line] = split_note(note)
    opened = open_note(note + line.line(), [log.verifier()])
    assert len(opened.signatures) == 1


def test_missing_signature_is_refused(log: NoteSigner) -> None:
    with pytest.raises(MalformedCheckpointError):
        open_note(TEXT + "\n", [log.verifier()])


def test_missing_blank_line_is_refused(log: NoteSigner) -> None:
    note = _signed(log).replace("\n\n", "\n")
    with pytest.raises(MalformedCheckpointError):
        open_note(note, [log.verifier()])


def test_missing_final_newline_is_refused(log: NoteSigner) -> None:
    with pytest.raises(MalformedCheckpointError):
        open_note(_signed(log)[:-1], [log.verifier()])


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda line: line.replace("\u2014 ", "- ", 1), id="hyphen-not-em-dash"),
        pytest.param(lambda line: line.replace("\u2014 ", "\u2014", 1), id="no-space-after-dash"),
        pytest.param(lambda line: line.replace(" ", "  ", 2), id="double-space"),
        pytest.param(lambda line: line.replace(ORIGIN, ORIGIN + "+x"), id="plus-in-name"),
        pytest.param(lambda line: line.replace(f"{ORIGIN} ", "", 1), id="no-name"),
        pytest.param(lambda line: line[:-3] + "!\n", id="signature-not-base64"),
        pytest.param(lambda line: line[:-2] + "\n", id="signature-bad-padding"),
        pytest.param(lambda line: line[:-1] + " extra\n", id="trailing-text"),
        pytest.param(lambda line: f"\u2014 {ORIGIN} AAAAAA==\n", id="signature-too-short"),
        pytest.param(lambda line: f"\u2014 {ORIGIN} \n", id="empty-signature"),
    ],
)
def test_malformed_signature_line_is_refused(log: NoteSigner, mangle: Any) -> None:
    text, [signature] = split_note(_signed(log))
    note = text + "\n" + mangle(signature.line())
    with pytest.raises(MalformedCheckpointError):
        open_note(note, [log.verifier()])


@pytest.mark.parametrize(
    "mangle",
    [
        lambda note: note.replace("\n8\n", "\n8\r\n"),
        lambda note: note.replace("\n8\n", "\n8\x00\n"),
        lambda note: note.replace("\n8\n", "\n8\x7f\n"),
        lambda note: note.replace("\n8\n", "\n8\ud800\n"),
    ],
    ids=["carriage-return", "nul", "delete", "lone-surrogate"],
)
def test_control_characters_and_invalid_utf8_are_refused(log: NoteSigner, mangle: Any) -> None:
    with pytest.raises(MalformedCheckpointError):
        open_note(mangle(_signed(log)), [log.verifier()])


def test_too_many_signatures_are_refused(log: NoteSigner) -> None:
    note = _signed(log)
    _, [signature] = split_note(note)
    with pytest.raises(MalformedCheckpointError):
        open_note(note + signature.line() * MAX_SIGNATURES, [log.verifier()])


def test_oversized_note_is_refused(log: NoteSigner) -> None:
    text = TEXT + "x" * 70_000 + "\n"
    with pytest.raises(MalformedCheckpointError):
        sign_note(text, [log])


def test_text_without_final_newline_cannot_be_signed(log: NoteSigner) -> None:
    with pytest.raises(MalformedCheckpointError):
        sign_note(TEXT[:-1], [log])


def test_two_verifiers_with_one_identity_are_refused(log: NoteSigner) -> None:
    class Liar:
        name = log.name
        key_hash = log.key_hash

        def verify(self, text: bytes, signature: bytes) -> bool:
            return True

    with pytest.raises(MalformedKeyError):
        open_note(_signed(log), [log.verifier(), Liar()])


# --- checkpoint text ---------------------------------------------------------


def test_checkpoint_text_round_trips_with_extensions() -> None:
    checkpoint = Checkpoint(ORIGIN, 8, ROOT_OF_EIGHT, ("ext one", "ext two"))
    assert checkpoint.text() == TEXT + "ext one\next two\n"
    assert Checkpoint.parse(checkpoint.text()) == checkpoint


def test_empty_tree_checkpoint() -> None:
    empty = Checkpoint(ORIGIN, 0, bytes(32))
    assert Checkpoint.parse(empty.text()).size == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(TEXT.replace("\n8\n", "\n08\n"), id="size-leading-zero"),
        pytest.param(TEXT.replace("\n8\n", "\n00\n"), id="size-double-zero"),
        pytest.param(TEXT.replace("\n8\n", "\n-8\n"), id="size-negative"),
        pytest.param(TEXT.replace("\n8\n", "\n+8\n"), id="size-plus-sign"),
        pytest.param(TEXT.replace("\n8\n", "\n 8\n"), id="size-space"),
        pytest.param(TEXT.replace("\n8\n", "\n8_0\n"), id="size-underscore"),
        pytest.param(TEXT.replace("\n8\n", "\n\uff18\n"), id="size-fullwidth-digit"),
        pytest.param(TEXT.replace("\n8\n", "\n\n"), id="size-empty"),
        pytest.param(TEXT.replace("\n8\n", f"\n{2**64}\n"), id="size-too-large"),
        pytest.param(TEXT.replace(ROOT_B64, "XcnaeacG"), id="root-truncated"),
        pytest.param(
            TEXT.replace(ROOT_B64, base64.b64encode(ROOT_OF_EIGHT[:31]).decode()),
            id="root-31-bytes",
        ),
        pytest.param(
            TEXT.replace(ROOT_B64, base64.b64encode(ROOT_OF_EIGHT + b"\x00").decode()),
            id="root-33-bytes",
        ),
        pytest.param(TEXT.replace("Qyg=", "Qyh="), id="root-non-canonical-base64"),
        pytest.param(TEXT.replace("Qyg=", "Qyg"), id="root-unpadded"),
        pytest.param(TEXT.replace(ROOT_B64, "not base64!"), id="root-not-base64"),
        pytest.param(TEXT.replace(ORIGIN, ""), id="origin-empty"),
        pytest.param(f"{ORIGIN}\n8\n", id="two-lines"),
        pytest.param(TEXT + "\n", id="empty-line-after"),
        pytest.param(TEXT + "ext\n\n", id="empty-extension-line"),
        pytest.param(TEXT[:-1], id="no-final-newline"),
        pytest.param("", id="empty"),
    ],
)
def test_malformed_checkpoint_text_is_refused(text: str) -> None:
    with pytest.raises(MalformedCheckpointError):
        Checkpoint.parse(text)


@pytest.mark.parametrize(
    ("origin", "size", "root", "extensions"),
    [
        pytest.param("", 1, bytes(32), (), id="empty-origin"),
        pytest.param("a\nb", 1, bytes(32), (), id="newline-in-origin"),
        pytest.param("log", -1, bytes(32), (), id="negative-size"),
        pytest.param("log", 2**64, bytes(32), (), id="size-too-large"),
        pytest.param("log", 1, bytes(31), (), id="short-root"),
        pytest.param("log", 1, bytes(32), ("",), id="empty-extension"),
        pytest.param("log", 1, bytes(32), ("a\nb",), id="newline-in-extension"),
    ],
)
def test_unwritable_checkpoint_is_refused(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    with pytest.raises(MalformedCheckpointError):
        Checkpoint(origin, size, root, extensions)


def test_signed_note_that_is_no_checkpoint_is_refused(log: NoteSigner) -> None:
    note = sign_note("hello\n", [log])
    with pytest.raises(MalformedCheckpointError):
        verify_checkpoint(note, log.verifier())


# --- cosignatures ------------------------------------------------------------


def test_cosigned_message_is_the_spec_example() -> None:
    # The example of c2sp.org/tlog-cosignature, "Ed25519 signed message".
    body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    assert cosigned_message(body.encode(), 1679315147) == (
        b"cosignature/v1\ntime 1679315147\n" + body.encode()
    )


@pytest.mark.parametrize(
    ("line", "timestamp"),
    [
        (
            # c2sp.org/tlog-cosignature's example line: its time is the spec's 1679315147.
            "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeol"
            "MI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==",
            1679315147,
        ),
        (
            # transparency-dev/formats' TestCoSigV1Timestamp.
            "\u2014 w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+"
            "8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==",
            1727964367,
        ),
    ],
    ids=["c2sp-example", "transparency-dev-example"],
)
def test_cosignature_timestamp_of_published_examples(line: str, timestamp: int) -> None:
    _, [signature] = split_note("x\n\n" + line + "\n")
    assert cosignature_timestamp(signature) == timestamp


def test_cosignature_layout(witnesses: list[NoteSigner]) -> None:
    witness = witnesses[0]
    line = cosign(TEXT, witness, 1_700_000_000)
    name, encoded = line.removeprefix("\u2014 ").removesuffix("\n").split(" ")
    raw = base64.b64decode(encoded)
    assert name == witness.name
    assert int.from_bytes(raw[:4], "big") == witness.cosignature_key_hash
    assert int.from_bytes(raw[4:12], "big") == 1_700_000_000
    witness.verifier().public_key.verify(
        raw[12:], b"cosignature/v1\ntime 1700000000\n" + TEXT.encode()
    )
    assert len(raw) == 4 + 8 + 64


def test_cosignature_verifies(witnesses: list[NoteSigner]) -> None:
    line = cosign(TEXT, witnesses[0], 1_700_000_000)
    verify_cosignature(TEXT, line, witnesses[0].cosignature_verifier())


def test_cosignature_over_another_checkpoint_is_refused(
    witnesses: list[NoteSigner],
) -> None:
    line = cosign(TEXT, witnesses[0], 1_700_000_000)
    with pytest.raises(CheckpointSignatureError):
        verify_cosignature(
            TEXT.replace("\n8\n", "\n9\n"), line, witnesses[0].cosignature_verifier()
        )


def test_cosignature_by_another_witness_is_refused(witnesses: list[NoteSigner]) -> None:
    line = cosign(TEXT, witnesses[0], 1_700_000_000)
    with pytest.raises(CheckpointSignatureError):
        verify_cosignature(TEXT, line, witnesses[1].cosignature_verifier())


def test_cosignature_with_altered_timestamp_is_refused(
    witnesses: list[NoteSigner],
) -> None:
    _, [signature] = split_note("x\n\n" + cosign(TEXT, witnesses[0], 1_700_000_000))
    later = (1_700_000_001).to_bytes(8, "big") + signature.signature[8:]
    line = NoteSignature(signature.name, signature.key_hash, later).line()
    with pytest.raises(CheckpointSignatureError):
        verify_cosignature(TEXT, line, witnesses[0].cosignature_verifier())


def test_cosignature_timestamp_beyond_2_63_is_refused(witnesses: list[NoteSigner]) -> None:
    witness = witnesses[0]
    timestamp = 2**63
    signed = witness.sign(cosigned_message(TEXT.encode(), timestamp))
    line = NoteSignature(
        witness.name, witness.cosignature_key_hash, timestamp.to_bytes(8, "big") + signed
    ).line()
    with pytest.raises(CheckpointSignatureError):
        verify_cosignature(TEXT, line, witness.cosignature_verifier())
    with pytest.raises(ValueError, match="out of range"):
        cosign(TEXT, witness, timestamp)
    with pytest.raises(ValueError, match="out of range"):
        cosign(TEXT, witness, -1)


def test_note_signature_does_not_pass_for_a_cosignature(
    log: NoteSigner, witnesses: list[NoteSigner]
) -> None:
    witness = witnesses[0]
    _, [plain] = split_note(sign_note(TEXT, [witness]))
    relabelled = NoteSignature(witness.name, witness.cosignature_key_hash, plain.signature)
    with pytest.raises(CheckpointSignatureError):
        open_note(
            _signed(log) + relabelled.line(), [log.verifier(), witness.cosignature_verifier()]
        )


def test_cosignature_is_unknown_to_the_same_key_as_note_verifier(
    witnesses: list[NoteSigner],
) -> None:
    witness = witnesses[0]
    note = TEXT + "\n" + cosign(TEXT, witness, 1)
    with pytest.raises(CheckpointSignatureError):
        open_note(note, [witness.verifier()])
    assert open_note(note, [witness.cosignature_verifier()]).text == TEXT


def test_only_checkpoints_are_cosigned(witnesses: list[NoteSigner]) -> None:
    with pytest.raises(MalformedCheckpointError):
        cosign("hello\nworld\n", witnesses[0], 1)


# --- verify_checkpoint -------------------------------------------------------


def _cosigned(log: NoteSigner, cosigners: list[NoteSigner], text: str = TEXT) -> str:
    note = sign_note(text, [log])
    for time, witness in enumerate(cosigners, start=1_700_000_000):
        note += cosign(text, witness, time)
    return note


def _verify_witnessed(
    note: str, log: NoteSigner, witnesses: list[NoteSigner], *, quorum: int
) -> Checkpoint:
    """Verify ``note`` by the log key, with ``witnesses`` listed and ``quorum`` of them needed."""
    verifiers = [w.cosignature_verifier() for w in witnesses]
    return verify_checkpoint(note, log.verifier(), verifiers, quorum=quorum)


def test_quorum_of_witnesses_is_met(log: NoteSigner, witnesses: list[NoteSigner]) -> None:
    note = _cosigned(log, witnesses[:2])
    checkpoint = _verify_witnessed(note, log, witnesses, quorum=2)
    assert checkpoint == Checkpoint(ORIGIN, 8, ROOT_OF_EIGHT)


def test_quorum_of_witnesses_is_not_met(log: NoteSigner, witnesses: list[NoteSigner]) -> None:
    note = _cosigned(log, witnesses[:1])
    with pytest.raises(WitnessQuorumError):
        _verify_witnessed(note, log, witnesses, quorum=2)


def test_one_witness_cosigning_twice_counts_once(
    log: NoteSigner, witnesses: list[NoteSigner]
) -> None:
    note = _cosigned(log, [witnesses[0], witnesses[0]])
    _verify_witnessed(note, log, witnesses, quorum=1)
    with pytest.raises(WitnessQuorumError):
        _verify_witnessed(note, log, witnesses, quorum=2)


def test_unlisted_witnesses_do_not_count(log: NoteSigner, witnesses: list[NoteSigner]) -> None:
    strangers = [NoteSigner.generate(f"stranger{i}.example") for i in range(3)]
    note = _cosigned(log, [witnesses[0], *strangers])
    with pytest.raises(WitnessQuorumError):
        _verify_witnessed(note, log, witnesses, quorum=2)


def test_bad_cosignature_by_a_listed_witness_rejects_the_checkpoint(
    log: NoteSigner, witnesses: list[NoteSigner]
) -> None:
    note = _cosigned(log, witnesses[:2]) + cosign(
        TEXT.replace("\n8\n", "\n9\n"), witnesses[2], 1_700_000_000
    )
    with pytest.raises(CheckpointSignatureError):
        _verify_witnessed(note, log, witnesses, quorum=2)


def test_witnesses_alone_do_not_make_a_checkpoint(
    log: NoteSigner, witnesses: list[NoteSigner]
) -> None:
    note = TEXT + "\n" + "".join(cosign(TEXT, w, 1) for w in witnesses)
    with pytest.raises(CheckpointSignatureError):
        _verify_witnessed(note, log, witnesses, quorum=0)


def test_the_log_cannot_count_as_its_own_witness(log: NoteSigner) -> None:
    note = _cosigned(log, [log])
    with pytest.raises(WitnessQuorumError):
        _verify_witnessed(note, log, [log], quorum=1)


def test_one_key_listed_under_two_names_counts_once(
    log: NoteSigner, witnesses: list[NoteSigner]
) -> None:
    """cosignature/v1 does not sign the witness name, so a key can be relabelled."""
    witness = witnesses[0]
    twin = CosignatureVerifier("alias.example", witness.verifier().public_key)
    _, [cosignature] = split_note("x\n\n" + cosign(TEXT, witness, 5))
    relabelled = NoteSignature(twin.name, twin.key_hash, cosignature.signature)
    note = _signed(log) + cosignature.line() + relabelled.line()
    verifiers = [witness.cosignature_verifier(), twin]
    verify_checkpoint(note, log.verifier(), verifiers, quorum=1)
    with pytest.raises(WitnessQuorumError):
        verify_checkpoint(note, log.verifier(), verifiers, quorum=2)


def test_negative_quorum_is_a_programming_error(log: NoteSigner) -> None:
    with pytest.raises(ValueError, match="quorum"):
        verify_checkpoint(_signed(log), log.verifier(), [], quorum=-1)


@pytest.mark.parametrize("count", ["¹", "01", "-1", "1.0", ""])
def test_a_stream_heads_line_counts_in_ascii_decimal_only(count: str) -> None:
    root = "A" * 43 + "="
    with pytest.raises(MalformedCheckpointError):
        parse_heads_line((f"medledger/heads/v2 {count} {root}",))
