"""Signed notes and checkpoints at every edge a verdict turns on.

Each test sits on one boundary of C2SP signed-note, tlog-checkpoint or
tlog-cosignature: a signature one byte too short or too long, a count of
lines at and past its limit, a size at and past 64 bits, a name with one
character that no key name may hold.  The log key is the Go-made vector's
(tests/vectors/checkpoints.json), so every signature here is deterministic,
and each refusal is checked for its error class and what it names.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import (
    CheckpointSignatureError,
    MalformedCheckpointError,
    MalformedKeyError,
    WitnessQuorumError,
)
from ledger.protocol import cosignature
from ledger.protocol.checkpoint import MAX_TREE_SIZE, Checkpoint
from ledger.protocol.note import (
    MAX_NOTE_BYTES,
    MAX_SIGNATURES,
    MAX_TIMESTAMP,
    CosignatureVerifier,
    NoteSigner,
    NoteVerifier,
    open_note,
    parse_signature_line,
    sign_note,
    split_note,
)
from tests.protocol.shared_vectors import CHECKPOINT_VECTORS

VECTOR = CHECKPOINT_VECTORS[0]
LOG = NoteSigner.from_signer_key(VECTOR["signer_key"])
LOG_VERIFIER = NoteVerifier.from_verifier_key(VECTOR["verifier_key"])
TEXT: str = VECTOR["text"]
NOTE: str = VECTOR["signed_note"]
ORIGIN = LOG.name
LOG_KEY_HASH = "5dc70b5e"
BLOB = base64.b64decode(NOTE[:-1].rsplit(" ", 1)[1])
"""The log's signature of TEXT as it stands on the line: key hash, then 64 bytes."""

WITNESSES = [
    NoteSigner(f"witness.example/w{i}", Ed25519PrivateKey.from_private_bytes(bytes([i + 1]) * 32))
    for i in range(2)
]


def _line(name: str, blob: bytes) -> str:
    return f"\u2014 {name} {base64.b64encode(blob).decode()}\n"


def _signed(text: str) -> str:
    """``text`` signed by the log key, without the library's checks of the text."""
    return text + "\n" + _line(ORIGIN, LOG.key_hash.to_bytes(4, "big") + LOG.sign(text.encode()))


def test_the_log_key_is_the_vectors() -> None:
    assert f"{LOG.key_hash:08x}" == LOG_KEY_HASH
    assert len(BLOB) == 68
    assert cosignature.verify_checkpoint(NOTE, LOG_VERIFIER).text() == TEXT


# --- signature lengths -----------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 3, 4])
def test_a_signature_line_of_fewer_than_five_bytes_is_malformed(length: int) -> None:
    note = TEXT + "\n" + _line(ORIGIN, BLOB[:length])
    with pytest.raises(MalformedCheckpointError):
        cosignature.verify_checkpoint(note, LOG_VERIFIER)


@pytest.mark.parametrize("length", [0, 1, 3, 4])
def test_a_malformed_signature_line_refuses_the_note_whoever_wrote_it(length: int) -> None:
    with pytest.raises(MalformedCheckpointError):
        open_note(NOTE + _line("another.example", BLOB[:length]), [LOG_VERIFIER])


@pytest.mark.parametrize("length", [5, 6, 36, 67, 69, 72])
def test_the_logs_signature_of_any_other_length_does_not_verify(length: int) -> None:
    blob = BLOB[:length] + bytes(max(0, length - len(BLOB)))
    with pytest.raises(CheckpointSignatureError) as raised:
        cosignature.verify_checkpoint(TEXT + "\n" + _line(ORIGIN, blob), LOG_VERIFIER)
    assert raised.value.details == {"key_name": ORIGIN, "key_hash": LOG_KEY_HASH}


@pytest.mark.parametrize("length", [5, 6, 67, 69])
def test_an_unknown_keys_signature_of_five_bytes_or_more_is_ignored(length: int) -> None:
    blob = (BLOB + bytes(8))[:length]
    checkpoint = cosignature.verify_checkpoint(NOTE + _line("another.example", blob), LOG_VERIFIER)
    assert checkpoint.text() == TEXT


def test_the_logs_signature_with_its_last_byte_changed_does_not_verify() -> None:
    changed = BLOB[:-1] + bytes([BLOB[-1] ^ 0x80])
    with pytest.raises(CheckpointSignatureError):
        cosignature.verify_checkpoint(TEXT + "\n" + _line(ORIGIN, changed), LOG_VERIFIER)


# --- who signed ----------------------------------------------------------------------


def test_the_logs_signature_under_another_key_hash_is_unknown() -> None:
    wrong_hash = (LOG.key_hash ^ 1).to_bytes(4, "big") + BLOB[4:]
    with pytest.raises(CheckpointSignatureError) as unsigned:
        cosignature.verify_checkpoint(TEXT + "\n" + _line(ORIGIN, wrong_hash), LOG_VERIFIER)
    assert unsigned.value.details == {}


def test_a_witnessed_note_without_the_logs_signature_names_the_log_key() -> None:
    witness = WITNESSES[0]
    note = TEXT + "\n" + cosignature.cosign(TEXT, witness, 1)
    with pytest.raises(CheckpointSignatureError) as raised:
        cosignature.verify_checkpoint(note, LOG_VERIFIER, [witness.cosignature_verifier()])
    assert raised.value.details == {"key_name": ORIGIN}


def test_the_logs_key_hash_under_another_name_is_unknown() -> None:
    with pytest.raises(CheckpointSignatureError):
        cosignature.verify_checkpoint(TEXT + "\n" + _line("other.example", BLOB), LOG_VERIFIER)


def test_signatures_by_unknown_keys_are_ignored_before_and_after() -> None:
    stranger = WITNESSES[0]
    theirs = sign_note(TEXT, [stranger]).split("\n\n", 1)[1]
    ours = NOTE.split("\n\n", 1)[1]
    for note in (TEXT + "\n" + theirs + ours, NOTE + theirs):
        opened = open_note(note, [LOG_VERIFIER])
        assert [(s.name, s.key_hash) for s in opened.signatures] == [(ORIGIN, LOG.key_hash)]


def test_the_same_signature_line_twice_is_one_signature() -> None:
    opened = open_note(NOTE + NOTE.split("\n\n", 1)[1], [LOG_VERIFIER])
    assert len(opened.signatures) == 1


def test_a_good_then_a_bad_signature_by_the_log_refuses_the_note() -> None:
    note = NOTE + _line(ORIGIN, BLOB[:4] + bytes(64))
    with pytest.raises(CheckpointSignatureError) as raised:
        open_note(note, [LOG_VERIFIER])
    assert raised.value.details == {"key_name": ORIGIN, "key_hash": LOG_KEY_HASH}


# --- how many lines ----------------------------------------------------------------


def test_a_hundred_signature_lines_are_read_and_a_hundred_and_one_are_not() -> None:
    line = NOTE.split("\n\n", 1)[1]
    assert open_note(TEXT + "\n" + line * MAX_SIGNATURES, [LOG_VERIFIER]).text == TEXT
    with pytest.raises(MalformedCheckpointError):
        open_note(TEXT + "\n" + line * (MAX_SIGNATURES + 1), [LOG_VERIFIER])


def test_sixteen_extension_lines_are_read_and_seventeen_are_not() -> None:
    lines = [f"extension {i}" for i in range(17)]
    sixteen = TEXT + "".join(line + "\n" for line in lines[:16])
    assert cosignature.verify_checkpoint(_signed(sixteen), LOG_VERIFIER).extensions == tuple(
        lines[:16]
    )
    with pytest.raises(MalformedCheckpointError):
        cosignature.verify_checkpoint(_signed(sixteen + lines[16] + "\n"), LOG_VERIFIER)


def test_a_note_of_exactly_the_size_limit_is_read() -> None:
    short = _signed(TEXT + "x\n")
    padding = "x" * (MAX_NOTE_BYTES - len(short.encode()) + 1)
    note = _signed(TEXT + padding + "\n")
    assert len(note.encode()) == MAX_NOTE_BYTES
    assert open_note(note, [LOG_VERIFIER]).text == TEXT + padding + "\n"
    with pytest.raises(MalformedCheckpointError):
        open_note(_signed(TEXT + padding + "x\n"), [LOG_VERIFIER])


# --- the shape of a note -------------------------------------------------------------


def test_a_blank_line_inside_the_text_belongs_to_the_text() -> None:
    text = "first paragraph\n\nsecond paragraph\n"
    assert open_note(sign_note(text, [LOG]), [LOG_VERIFIER]).text == text


def test_a_text_of_one_empty_line_round_trips() -> None:
    assert open_note(sign_note("\n", [LOG]), [LOG_VERIFIER]).text == "\n"


def test_a_signature_block_must_end_in_a_newline() -> None:
    # Without its newline the line's last character would be lost, not the line.
    with pytest.raises(MalformedCheckpointError):
        open_note(NOTE[:-1] + "A", [LOG_VERIFIER])
    with pytest.raises(MalformedCheckpointError):
        split_note(NOTE[:-1])


# --- checkpoint fields -------------------------------------------------------------


def test_the_largest_tree_size_is_a_checkpoint_and_the_next_is_not() -> None:
    largest = TEXT.replace("\n8\n", f"\n{MAX_TREE_SIZE}\n")
    assert cosignature.verify_checkpoint(_signed(largest), LOG_VERIFIER).size == MAX_TREE_SIZE
    with pytest.raises(MalformedCheckpointError):
        cosignature.verify_checkpoint(
            _signed(TEXT.replace("\n8\n", f"\n{MAX_TREE_SIZE + 1}\n")), LOG_VERIFIER
        )


@pytest.mark.parametrize(
    "size_line", ["08", "+8", "-8", "-0", " 8", "8 ", "0x8", "\uff18", "8.0", "1e1"]
)
def test_a_signed_size_line_that_is_not_plain_decimal_is_refused(size_line: str) -> None:
    with pytest.raises(MalformedCheckpointError):
        cosignature.verify_checkpoint(
            _signed(TEXT.replace("\n8\n", f"\n{size_line}\n")), LOG_VERIFIER
        )


@pytest.mark.parametrize(
    "root_line",
    [
        base64.b64encode(bytes(31)).decode(),
        base64.b64encode(bytes(33)).decode(),
        "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=",
        "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg",
        "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=",
    ],
    ids=["31-bytes", "33-bytes", "trailing-bits-set", "unpadded", "url-safe-alphabet"],
)
def test_a_signed_root_that_is_not_canonical_base64_of_32_bytes_is_refused(
    root_line: str,
) -> None:
    with pytest.raises(MalformedCheckpointError):
        cosignature.verify_checkpoint(
            _signed(TEXT.replace(TEXT.split("\n")[2], root_line)), LOG_VERIFIER
        )


# --- key names and verifiers -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["a\x01b", "a\x1fb", "a\x7fb", "a\x85b", "a\ud800b"],
    ids=["control", "unit-separator", "delete", "next-line", "lone-surrogate"],
)
def test_a_key_name_with_a_control_or_unencodable_character_is_refused(name: str) -> None:
    with pytest.raises(MalformedKeyError):
        NoteSigner(name, Ed25519PrivateKey.from_private_bytes(bytes(32)))
    with pytest.raises(MalformedCheckpointError):
        parse_signature_line(f"\u2014 {name} {base64.b64encode(BLOB).decode()}")


def test_verifiers_are_values() -> None:
    again = NoteVerifier.from_verifier_key(VECTOR["verifier_key"])
    assert {LOG_VERIFIER, again} == {LOG.verifier()}
    assert hash(again) == hash(LOG_VERIFIER)
    cosigner = CosignatureVerifier(ORIGIN, LOG_VERIFIER.public_key)
    assert cosigner != LOG_VERIFIER
    assert len({cosigner, LOG_VERIFIER}) == 2
    assert repr(LOG_VERIFIER) == f"NoteVerifier({VECTOR['verifier_key']!r})"


# --- cosignature timestamps and what refusals name --------------------------------------


@pytest.mark.parametrize("timestamp", [0, 1, MAX_TIMESTAMP])
def test_a_cosignature_at_either_end_of_time_verifies(timestamp: int) -> None:
    witness = WITNESSES[0]
    line = cosignature.cosign(TEXT, witness, timestamp)
    cosignature.verify_cosignature(TEXT, line, witness.cosignature_verifier())
    assert cosignature.cosignature_timestamp(parse_signature_line(line[:-1])) == timestamp
    note = NOTE + line
    cosignature.verify_checkpoint(note, LOG_VERIFIER, [witness.cosignature_verifier()], quorum=1)


def test_a_cosignature_refusal_names_the_line_it_refused() -> None:
    first, second = WITNESSES
    line = cosignature.cosign(TEXT, first, 1)
    with pytest.raises(CheckpointSignatureError) as by_another:
        cosignature.verify_cosignature(TEXT, line, second.cosignature_verifier())
    assert by_another.value.details == {"key_name": first.name}
    with pytest.raises(CheckpointSignatureError) as not_verifying:
        cosignature.verify_cosignature(
            TEXT.replace("\n8\n", "\n9\n"), line, first.cosignature_verifier()
        )
    assert not_verifying.value.details == {"key_name": first.name}


def test_a_missing_quorum_names_the_count_and_the_quorum() -> None:
    note = NOTE + cosignature.cosign(TEXT, WITNESSES[0], 1)
    verifiers = [w.cosignature_verifier() for w in WITNESSES]
    with pytest.raises(WitnessQuorumError) as raised:
        cosignature.verify_checkpoint(note, LOG_VERIFIER, verifiers, quorum=2)
    assert raised.value.details == {"cosignatures": 1, "quorum": 2}
    assert Checkpoint.parse(TEXT) == cosignature.verify_checkpoint(
        note, LOG_VERIFIER, verifiers, quorum=1
    )
