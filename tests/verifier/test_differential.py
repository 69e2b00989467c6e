"""Two verifiers, one verdict: the library against the auditor's stand-alone verifier.

``ledger.protocol`` (merkle, note, checkpoint) and ``verifier/bundle.py``
implement RFC 9162 inclusion proofs and C2SP checkpoints independently, the
second with nothing but the standard library and ``cryptography``.  A
bundle must mean the same to both: on every input below they accept and
reject alike, and where they accept they read the same size and root.

Inclusion: every shared RFC 6962 vector, every honest proof in trees of
up to 40 leaves, and each proof corrupted systematically.  Checkpoints:
the shared signed-note vectors and copies of them changed line by line
(re-signed with the vectors' test key where the change is in the text).

Where the stand-alone verifier is laxer than the library the case is
marked ``xfail(strict=True)`` with what ``verifier/bundle.py`` must do:
the library's verdict is the one docs/PROTOCOL.md section 11 asks for, and
once the auditor's verifier follows it the strict xfail fails, so that the
mark is removed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import LedgerError
from ledger.protocol import merkle
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.cosignature import cosign, verify_checkpoint
from ledger.protocol.note import NoteSigner, NoteVerifier, open_note
from tests.protocol.shared_vectors import (
    SHARED_VECTORS,
    require_vector_file,
    vector_files,
    vector_paths,
)
from tests.protocol.trees import memory_tree
from verifier.bundle import BundleVerificationError, TrustRoot, _inclusion_ok, _verify_checkpoint

# --- inclusion proofs ---------------------------------------------------------


def library_includes(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """The library's verdict: ``verify_inclusion`` returns or raises ProofError."""
    try:
        merkle.verify_inclusion(leaf, index, size, proof, root)
    except LedgerError:
        return False
    return True


def auditor_includes(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """The stand-alone verifier's verdict."""
    return _inclusion_ok(leaf, index, size, list(proof), root)


class Claim(NamedTuple):
    """An inclusion claim: what a bundle item and its checkpoint say."""

    leaf: bytes
    leaf_index: int
    tree_size: int
    proof: list[bytes]
    root: bytes


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@cache
def _tree() -> tuple[merkle.MemoryNodeStore, tuple[bytes, ...]]:
    """A stored tree of 40 leaves, built by the appender's frontier."""
    entries = tuple(f"entry {i}".encode() for i in range(40))
    store, _ = memory_tree(entries)
    return store, tuple(map(merkle.leaf_hash, entries))


def _honest(index: int, size: int) -> Claim:
    store, leaves = _tree()
    proof = merkle.inclusion_proof(store, index, size)
    return Claim(leaves[index], index, size, proof, merkle.root(store, size))


def _always_false(claim: Claim) -> Iterator[tuple[str, Claim]]:
    """Corruptions no correct verifier may accept: a changed hash, a wrong count, a bad index."""
    leaf, index, size, proof, root = claim
    for j, node in enumerate(proof):
        yield (
            f"node {j} first bit",
            claim._replace(proof=[*proof[:j], _flip(node, 0), *proof[j + 1 :]]),
        )
        yield (
            f"node {j} last bit",
            claim._replace(proof=[*proof[:j], _flip(node, 31), *proof[j + 1 :]]),
        )
        yield f"node {j} short", claim._replace(proof=[*proof[:j], node[:31], *proof[j + 1 :]])
        yield f"node {j} long", claim._replace(proof=[*proof[:j], node + b"\0", *proof[j + 1 :]])
    if proof:
        yield "truncated", claim._replace(proof=proof[:-1])
        yield "first node dropped", claim._replace(proof=proof[1:])
    if len(proof) > 1:
        yield "two nodes swapped", claim._replace(proof=[proof[1], proof[0], *proof[2:]])
    yield "extended with the root", claim._replace(proof=[*proof, root])
    yield "extended with zeros", claim._replace(proof=[*proof, bytes(32)])
    yield "zeros in front", claim._replace(proof=[bytes(32), *proof])
    yield "leaf flipped", claim._replace(leaf=_flip(leaf, 0))
    yield "root flipped", claim._replace(root=_flip(root, 31))
    yield "root short", claim._replace(root=root[:31])
    yield "index -1", claim._replace(leaf_index=-1)
    yield "index negated", claim._replace(leaf_index=-index - 1)
    yield "index = size", claim._replace(leaf_index=size)
    yield "index = size + 1", claim._replace(leaf_index=size + 1)
    yield "size 0", claim._replace(tree_size=0)
    yield "size = index", claim._replace(tree_size=index)
    yield "size negative", claim._replace(tree_size=-size)


def _shifted(claim: Claim) -> Iterator[tuple[str, Claim]]:
    """Index and size off by one: some of these still verify, and both must say which."""
    for delta in (-1, 1):
        yield f"index {delta:+}", claim._replace(leaf_index=claim.leaf_index + delta)
        yield f"size {delta:+}", claim._replace(tree_size=claim.tree_size + delta)
        yield (
            f"both {delta:+}",
            claim._replace(leaf_index=claim.leaf_index + delta, tree_size=claim.tree_size + delta),
        )
    yield "index xor 1", claim._replace(leaf_index=claim.leaf_index ^ 1)


def _verdicts(claim: Claim) -> tuple[bool, bool]:
    return library_includes(*claim), auditor_includes(*claim)


def _inclusion_vectors() -> list[object]:
    """The shared inclusion vectors, each a test of its own."""
    paths = vector_paths("rfc6962/inclusion")
    if not paths:
        return vector_files("rfc6962/inclusion")
    params: list[object] = []
    for path in paths:
        name = str(path.relative_to(SHARED_VECTORS))
        params.append(pytest.param(path, id=name))
    return params


@pytest.mark.parametrize("path", _inclusion_vectors())
def test_both_verifiers_decide_every_rfc6962_inclusion_vector_as_it_wants(
    path: Path | None,
) -> None:
    vector: dict[str, Any] = json.loads(require_vector_file(path).read_text("utf-8"))
    claim = Claim(
        _b64(vector["leafHash"]),
        vector["leafIdx"],
        vector["treeSize"],
        [_b64(node) for node in vector["proof"] or []],
        _b64(vector["root"]),
    )
    wanted = not vector["wantErr"]
    assert _verdicts(claim) == (wanted, wanted)


@pytest.mark.parametrize("size", range(1, 41))
def test_both_verifiers_accept_every_honest_proof_and_reject_every_corrupted_one(
    size: int,
) -> None:
    wrong: list[str] = []
    for index in range(size):
        honest = _honest(index, size)
        if _verdicts(honest) != (True, True):
            wrong.append(f"honest proof of {index} in {size}: {_verdicts(honest)}")
        for what, claim in _always_false(honest):
            if _verdicts(claim) != (False, False):
                wrong.append(f"{what}, {index} in {size}: {_verdicts(claim)}")
    assert wrong == []


@pytest.mark.parametrize("size", range(1, 41))
def test_both_verifiers_agree_on_proofs_with_index_or_size_off_by_one(size: int) -> None:
    disagreements: list[str] = []
    for index in range(size):
        for what, claim in _shifted(_honest(index, size)):
            library, auditor = _verdicts(claim)
            if library != auditor:
                disagreements.append(f"{what}, {index} in {size}: {library}, {auditor}")
    assert disagreements == []


def test_an_honest_proof_verifies_under_the_next_size_only_where_rfc9162_says_so() -> None:
    """Off-by-one sizes are not all rejected: the path of leaf 0 in 5 leaves is the path in 6.

    RFC 9162's verifier reads the size only through the shape of the path,
    so a proof of leaf 0 in a tree of 5 leaves also leads to the same root
    when the size is given as 6 (both paths turn left three times), and
    never when it is 9 (the path would need four hashes).
    """
    claim = _honest(0, 5)
    assert _verdicts(claim._replace(tree_size=6)) == (True, True)
    assert _verdicts(claim._replace(tree_size=9)) == (False, False)


# --- checkpoints --------------------------------------------------------------


def library_reads(note: str, verifier_key: str, origin: str) -> tuple[int, bytes] | None:
    """The library's reading of a checkpoint for ``origin``: (size, root), or None if refused.

    ``open_note`` and ``Checkpoint.parse`` are one path, ``verify_checkpoint``
    the other; the library must not contradict itself either.
    """
    verifier = NoteVerifier.from_verifier_key(verifier_key)
    try:
        checkpoint: Checkpoint | None = Checkpoint.parse(open_note(note, [verifier]).text)
    except LedgerError:
        checkpoint = None
    try:
        again: Checkpoint | None = verify_checkpoint(note, verifier)
    except LedgerError:
        again = None
    assert again == checkpoint, "open_note and verify_checkpoint disagree"
    if checkpoint is None or checkpoint.origin != origin:
        return None
    return checkpoint.size, checkpoint.root


def auditor_reads(note: str, verifier_key: str, origin: str) -> tuple[int, bytes] | None:
    """The stand-alone verifier's reading: (size, root), or None if refused."""
    try:
        size, root, _, _ = _verify_checkpoint(note, TrustRoot(origin, verifier_key, "0" * 64))
        return size, root
    except BundleVerificationError:
        return None


def _checkpoint_vectors() -> list[dict[str, Any]]:
    path = SHARED_VECTORS / "signed-note" / "checkpoints.json"
    found = require_vector_file(path if path.is_file() else None)
    vectors: list[dict[str, Any]] = json.loads(found.read_text("utf-8"))
    return vectors


@pytest.mark.parametrize("path", vector_files("signed-note"))
def test_both_verifiers_decide_every_signed_note_vector_as_it_wants(path: Path | None) -> None:
    vectors = json.loads(require_vector_file(path).read_text("utf-8"))
    assert vectors
    for vector in vectors:
        origin = vector["signed_note"].split("\n", 1)[0]
        library = library_reads(vector["signed_note"], vector["verifier_key"], origin)
        auditor = auditor_reads(vector["signed_note"], vector["verifier_key"], origin)
        assert library == auditor
        assert (library is None) == vector["want_err"]


class Vector(NamedTuple):
    """One accepted checkpoint vector, with its key opened for re-signing."""

    signer: NoteSigner
    verifier_key: str
    text: str
    note: str
    origin: str


def _line(name: str, blob: bytes) -> str:
    """A signature line written by hand, so that it can be any shape."""
    return f"\u2014 {name} {base64.b64encode(blob).decode()}\n"


def _key_id(signer: NoteSigner) -> bytes:
    return signer.key_hash.to_bytes(4, "big")


def _signed(vector: Vector, text: str) -> str:
    """``text`` signed by the vector's key, whatever it holds."""
    blob = _key_id(vector.signer) + vector.signer.sign(text.encode("utf-8"))
    return text + "\n" + _line(vector.signer.name, blob)


def _resigned(vector: Vector, old: str, new: str) -> str:
    """The vector's text with ``old`` replaced by ``new``, signed again."""
    assert old in vector.text
    return _signed(vector, vector.text.replace(old, new, 1))


def _size_line(vector: Vector) -> str:
    return vector.text.split("\n")[1]


def _root_line(vector: Vector) -> str:
    return vector.text.split("\n")[2]


def _log_blob(vector: Vector) -> bytes:
    return _b64(vector.note[:-1].rsplit(" ", 1)[1])


def _stranger_line(vector: Vector) -> str:
    """A valid signature of the vector's text by a key that no verifier knows."""
    stranger = NoteSigner("stranger.example", Ed25519PrivateKey.from_private_bytes(bytes(32)))
    return _line(stranger.name, _key_id(stranger) + stranger.sign(vector.text.encode()))


def _non_canonical_signature(vector: Vector) -> str:
    head, encoded = vector.note[:-1].rsplit(" ", 1)
    return f"{head} {_non_canonical(encoded)}\n"


def _zero_root(vector: Vector) -> str:
    return base64.b64encode(bytes(32)).decode()


def _cut_signature(vector: Vector, length: int) -> str:
    """The log's own signature line, its blob cut or padded to ``length`` bytes."""
    blob = _log_blob(vector)
    blob = blob[:length] if length < len(blob) else blob + bytes(length - len(blob))
    return vector.text + "\n" + _line(vector.signer.name, blob)


def _signature_cut_to(length: int) -> Callable[[Vector], str]:
    return lambda vector: _cut_signature(vector, length)


def _non_canonical(encoded: str) -> str:
    """Base64 of the same bytes with the unused low bits of the last digit set."""
    assert encoded.endswith("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    unused = 0b1111 if encoded.endswith("==") else 0b11
    stem = encoded.rstrip("=")
    last = alphabet[alphabet.index(stem[-1]) | unused]
    changed = stem[:-1] + last + encoded[len(stem) :]
    assert changed != encoded
    assert base64.b64decode(changed) == base64.b64decode(encoded)
    return changed


@dataclass(frozen=True)
class Case:
    """A changed copy of an accepted vector, and whether it must verify."""

    name: str
    make: Callable[[Vector], str]
    accepted: bool
    laxer_auditor: str | None = None
    """Why verifier/bundle.py accepts it and what it must check; None if both agree."""


_ROOT_31 = base64.b64encode(bytes(31)).decode()
_ROOT_33 = base64.b64encode(bytes(33)).decode()

CASES = [
    # accepted as signed, or re-signed with a change that keeps it a checkpoint
    Case("as signed", lambda v: v.note, accepted=True),
    Case("one extension line", lambda v: _signed(v, v.text + "extension\n"), accepted=True),
    Case(
        "sixteen extension lines",
        lambda v: _signed(v, v.text + "".join(f"ext {i}\n" for i in range(16))),
        accepted=True,
    ),
    Case("size 0", lambda v: _resigned(v, f"\n{_size_line(v)}\n", "\n0\n"), True),
    Case(
        "size 2**64 - 1",
        lambda v: _resigned(v, f"\n{_size_line(v)}\n", f"\n{2**64 - 1}\n"),
        accepted=True,
    ),
    Case("an unknown signer's line after", lambda v: v.note + _stranger_line(v), True),
    Case(
        "an unknown signer's line before",
        lambda v: v.text + "\n" + _stranger_line(v) + v.note.split("\n\n", 1)[1],
        accepted=True,
    ),
    Case("the log's line twice", lambda v: v.note + v.note.split("\n\n", 1)[1], True),
    Case(
        "a witness cosignature beside",
        lambda v: v.note + cosign(v.text, NoteSigner.generate("witness.example"), 1_700_000_000),
        accepted=True,
    ),
    Case(
        "the log's key hash under another name beside",
        lambda v: v.note + _line("another.example", _key_id(v.signer) + bytes(64)),
        accepted=True,
    ),
    Case(
        "the log's name with another key hash beside",
        lambda v: v.note + _line(v.signer.name, bytes(4) + bytes(64)),
        accepted=True,
    ),
    # refused by both
    Case("size changed after signing", lambda v: v.note.replace("\n8\n", "\n9\n", 1), False),
    Case(
        "root changed after signing",
        lambda v: v.note.replace(_root_line(v), _zero_root(v), 1),
        accepted=False,
    ),
    Case("text line added after signing", lambda v: v.note.replace("\n\n", "\nx\n\n", 1), False),
    Case("no signature line", lambda v: v.text + "\n", accepted=False),
    Case("no blank line", lambda v: v.note.replace("\n\n", "\n", 1), accepted=False),
    Case("only an unknown signer", lambda v: v.text + "\n" + _stranger_line(v), False),
    Case(
        "only the log's key hash under another name",
        lambda v: v.text + "\n" + _line("another.example", _log_blob(v)),
        accepted=False,
    ),
    Case(
        "only the log's name with another key hash",
        lambda v: v.text + "\n" + _line(v.signer.name, bytes(4) + _log_blob(v)[4:]),
        accepted=False,
    ),
    Case(
        "the log's line then a bad one by the log",
        lambda v: v.note + _line(v.signer.name, _key_id(v.signer) + bytes(64)),
        accepted=False,
    ),
    Case("hyphen for the em dash", lambda v: v.note.replace("\u2014 ", "- ", 1), False),
    Case("size with a leading zero", lambda v: _resigned(v, "\n8\n", "\n08\n"), False),
    Case("size with a plus sign", lambda v: _resigned(v, "\n8\n", "\n+8\n"), False),
    Case("size minus zero", lambda v: _resigned(v, "\n8\n", "\n-0\n"), False),
    Case("size with a space", lambda v: _resigned(v, "\n8\n", "\n 8\n"), False),
    Case("size in full-width digits", lambda v: _resigned(v, "\n8\n", "\n\uff18\n"), False),
    Case("size empty", lambda v: _resigned(v, "\n8\n", "\n\n"), False),
    Case("size in hex", lambda v: _resigned(v, "\n8\n", "\n0x8\n"), False),
    Case("root of 31 bytes", lambda v: _resigned(v, _root_line(v), _ROOT_31), False),
    Case("root of 33 bytes", lambda v: _resigned(v, _root_line(v), _ROOT_33), False),
    Case("root unpadded", lambda v: _resigned(v, _root_line(v), _root_line(v)[:-1]), False),
    Case(
        "root in URL-safe base64",
        lambda v: _resigned(v, _root_line(v), base64.urlsafe_b64encode(b"\xfb" * 32).decode()),
        accepted=False,
    ),
    Case("only two lines", lambda v: _signed(v, v.text.split("\n", 1)[0] + "\n8\n"), False),
    Case("empty origin", lambda v: _resigned(v, v.origin + "\n", "\n"), accepted=False),
    Case("another origin", lambda v: _resigned(v, v.origin + "\n", "x" + v.origin + "\n"), False),
    Case("a note and nothing else", lambda v: v.text, accepted=False),
    *[
        Case(f"the log's signature as {n} bytes", _signature_cut_to(n), accepted=False)
        for n in (0, 1, 3, 4, 5, 36, 67, 69, 72)
    ],
    Case(
        "the log's signature of 68 bytes, last flipped",
        lambda v: v.text + "\n" + _line(v.signer.name, _flip(_log_blob(v), 67)),
        accepted=False,
    ),
    # refused by both (the stand-alone verifier once accepted these)
    Case(
        "root in non-canonical base64",
        lambda v: _resigned(v, _root_line(v), _non_canonical(_root_line(v))),
        accepted=False,
    ),
    Case(
        "signature in non-canonical base64",
        _non_canonical_signature,
        accepted=False,
    ),
    Case(
        "size 2**64",
        lambda v: _resigned(v, "\n8\n", f"\n{2**64}\n"),
        accepted=False,
    ),
    Case(
        "negative size",
        lambda v: _resigned(v, "\n8\n", "\n-8\n"),
        accepted=False,
    ),
    Case(
        "a short signature line by another key beside",
        lambda v: v.note + _line("another.example", b"\x01\x02\x03"),
        accepted=False,
    ),
    Case(
        "a line without a key name beside",
        lambda v: v.note + "\u2014 " + v.note.rsplit(" ", 1)[1],
        accepted=False,
    ),
    Case(
        "101 signature lines",
        lambda v: v.note + v.note.split("\n\n", 1)[1] * 100,
        accepted=False,
    ),
    Case(
        "seventeen extension lines",
        lambda v: _signed(v, v.text + "".join(f"ext {i}\n" for i in range(17))),
        accepted=False,
    ),
    Case(
        "a carriage return in an extension line",
        lambda v: _signed(v, v.text + "extension\r\n"),
        accepted=False,
    ),
    Case(
        "no final newline",
        lambda v: v.note[:-1],
        accepted=False,
    ),
]


def _accepted_vectors() -> list[Vector]:
    vectors = [
        Vector(
            NoteSigner.from_signer_key(v["signer_key"]),
            v["verifier_key"],
            v["text"],
            v["signed_note"],
            v["text"].split("\n", 1)[0],
        )
        for v in _checkpoint_vectors()
        if not v["want_err"]
    ]
    assert vectors
    return vectors


def _case_param(case: Case) -> Any:
    if case.laxer_auditor is None:
        return pytest.param(case, id=case.name)
    mark = pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=f"verifier/bundle.py: {case.laxer_auditor}"
    )
    return pytest.param(case, id=case.name, marks=mark)


@pytest.mark.parametrize("case", [_case_param(case) for case in CASES])
def test_both_verifiers_read_a_changed_checkpoint_alike(case: Case) -> None:
    for vector in _accepted_vectors():
        note = case.make(vector)
        library = library_reads(note, vector.verifier_key, vector.origin)
        assert (library is not None) == case.accepted, f"library on {note!r}"
        auditor = auditor_reads(note, vector.verifier_key, vector.origin)
        assert auditor == library, f"auditor on {note!r}"
