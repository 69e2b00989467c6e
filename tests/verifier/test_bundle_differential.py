"""The verifier's proof checks agree with the protocol library's, proof by proof.

``verifier/bundle.py`` re-implements RFC 9162 inclusion on its own (it
imports nothing of medledger).  For every inclusion proof and every stream
head proof in the real Ballerup bundles and in hand-built ledgers of many
sizes, and in corrupted copies of each (index, size, proof hashes, root),
``ledger.protocol.merkle.verify_inclusion`` and
``ledger.protocol.heads.verify_tip`` must accept exactly what the verifier
accepts; whole bundles carrying the corrupted proofs are refused with
``inclusion_proof_invalid`` or ``head_proof_invalid`` exactly when the
library refuses the proof.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ledger.errors import ProofError
from ledger.protocol import merkle
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.heads import StreamTip, parse_heads_line, verify_tip
from ledger.protocol.note import split_note
from tests.verifier.bundle_factory import LedgerFactory, refusal
from tests.verifier.conftest import RealBundles
from verifier import bundle as verifier
from verifier.bundle import BundleVerificationError, TrustRoot, verify_bundle

Proof = tuple[int, int, list[bytes], bytes]  # index, size, proof, root
MAX_TREE_SIZE = 2**64 - 1


def _flip(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _corruptions(proof: Proof) -> Iterator[tuple[str, Proof]]:
    """The proof as it is, and every way of bending it this test tries."""
    index, size, path, root = proof
    filler = hashlib.sha256(b"filler").digest()
    yield "as is", proof
    for name, other in (
        ("index + 1", index + 1),
        ("index - 1", index - 1),
        ("index = size", size),
        ("index ^ 1", index ^ 1),
    ):
        yield name, (other, size, path, root)
    for name, other in (
        ("size + 1", size + 1),
        ("size - 1", size - 1),
        ("size = index", index),
        ("size * 2", size * 2),
        ("size beyond 64 bits", MAX_TREE_SIZE + 1),
    ):
        yield name, (index, other, path, root)
    yield "root flipped", (index, size, path, _flip(root))
    yield "proof empty", (index, size, [], root)
    yield "proof extended", (index, size, [*path, filler], root)
    if path:
        yield "proof truncated", (index, size, path[:-1], root)
        yield "proof reversed", (index, size, path[::-1], root)
        yield "first hash flipped", (index, size, [_flip(path[0]), *path[1:]], root)
        yield "last hash short", (index, size, [*path[:-1], path[-1][:31]], root)
        yield "first hash long", (index, size, [path[0] + b"\x00", *path[1:]], root)
        yield "hash repeated", (index, size, [path[0], *path], root)


def _library_accepts(leaf: bytes, proof: Proof) -> bool:
    index, size, path, root = proof
    try:
        merkle.verify_inclusion(leaf, index, size, path, root)
    except ProofError:
        return False
    return True


def _checkpoint(bundle: dict[str, Any]) -> tuple[int, bytes, int, bytes]:
    """Tree size and root, stream count and heads root, as the library reads the note."""
    checkpoint = Checkpoint.parse(split_note(bundle["checkpoint"])[0])
    count, heads_root = parse_heads_line(checkpoint.extensions)
    return checkpoint.size, checkpoint.root, count, heads_root


def _entry_proofs(bundle: dict[str, Any]) -> Iterator[tuple[bytes, Proof]]:
    size, root, _, _ = _checkpoint(bundle)
    for item in bundle["registry"] + bundle["entries"]:
        entry = verifier._canonical(item["entry"], None)
        path = [base64.b64decode(p) for p in item["inclusion_proof"]]
        yield merkle.leaf_hash(entry), (item["leaf_index"], size, path, root)


def _head_proofs(bundle: dict[str, Any]) -> Iterator[tuple[StreamTip, Proof]]:
    _, _, count, root = _checkpoint(bundle)
    for stream, tip in bundle["heads"]["streams"].items():
        head = StreamTip(stream, tip["seq"], tip["hash"], tip["leaf_index"])
        path = [base64.b64decode(p) for p in tip["proof"]]
        yield head, (tip["index"], count, path, root)


def _tip_accepted(tip: StreamTip, proof: Proof) -> tuple[bool, bool]:
    """(library, verifier) verdicts on one head proof."""
    index, count, path, root = proof
    try:
        verify_tip(tip, index, count, path, root)
        library = True
    except ProofError:
        library = False
    shown = {"seq": tip.seq, "hash": tip.hash, "leaf_index": tip.leaf_index, "index": index}
    shown["proof"] = [base64.b64encode(p).decode() for p in path]
    code = None
    try:
        verifier._check_tip(tip.stream, shown, (count, root))
    except BundleVerificationError as failure:
        code = failure.code
    # A negative index is malformed rather than unproven; either way it is refused.
    assert code in {None, "head_proof_invalid", "malformed_bundle" if index < 0 else None}
    return library, code is None


def _agree_on_every_proof(bundle: dict[str, Any]) -> int:
    """Compare every proof of ``bundle`` and its corruptions; return how many unbent ones
    are accepted.  (A bent proof can still be valid: a path for leaf 0 of a 3-leaf tree
    also leads to the same root for 4 leaves, which is why the checkpoint signs the size.)
    """
    accepted = 0
    for leaf, proof in _entry_proofs(bundle):
        for name, bent in _corruptions(proof):
            library = _library_accepts(leaf, bent)
            assert verifier._inclusion_ok(leaf, *bent) == library, (proof[0], name)
            accepted += library and name == "as is"
    for tip, proof in _head_proofs(bundle):
        for name, bent in _corruptions(proof):
            library, ours = _tip_accepted(tip, bent)
            assert ours == library, (tip.stream, name)
            accepted += library and name == "as is"
    return accepted


def _grown(size: int, matters: int) -> LedgerFactory:
    """A hand-built ledger of ``size`` leaves spread over the registry and ``matters`` streams."""
    factory = LedgerFactory()
    factory.enrol("direktor")
    while len(factory.log) < size:
        matter = f"m{len(factory.log) % max(matters, 1)}" if matters else None
        if matter is None:
            factory.enrol(f"p{len(factory.log)}")
        else:
            factory.act("direktor", matter, "MatterOpened", {"responsible_body": "hmed"})
    return factory


@pytest.mark.parametrize(
    ("size", "matters"), [(1, 0), (2, 0), (3, 1), (5, 2), (8, 3), (13, 4), (17, 6)]
)
def test_hand_built_ledgers_proofs_agree_with_the_library(size: int, matters: int) -> None:
    factory = _grown(size, matters)
    streams = sorted({e.body["stream"] for e in factory.log})
    bundle = factory.bundle(complete=streams)
    assert _agree_on_every_proof(bundle) == len(factory.log) + len(streams)


def test_the_real_bundles_proofs_agree_with_the_library(real_bundles: RealBundles) -> None:
    for bundle in (real_bundles.matter, real_bundles.ledger):
        proofs = len(bundle["registry"] + bundle["entries"]) + len(bundle["heads"]["streams"])
        assert _agree_on_every_proof(bundle) == proofs


def _bundle_verdicts(
    bundle: dict[str, Any],
    trust: TrustRoot,
    items: Callable[[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Each item's proof bent in turn: the whole bundle fails exactly when the library says."""
    size, root, _, _ = _checkpoint(bundle)
    for position in range(len(items(bundle))):
        item = items(bundle)[position]
        leaf = merkle.leaf_hash(verifier._canonical(item["entry"], None))
        path = [base64.b64decode(p) for p in item["inclusion_proof"]]
        for name, (_, _, bent, _) in _corruptions((item["leaf_index"], size, path, root)):
            broken = copy.deepcopy(bundle)
            items(broken)[position]["inclusion_proof"] = [
                base64.b64encode(p).decode() for p in bent
            ]
            if _library_accepts(leaf, (item["leaf_index"], size, bent, root)):
                verify_bundle(broken, trust)
            else:
                failure = refusal(broken, trust)
                assert (failure.code, failure.leaf_index) == (
                    "inclusion_proof_invalid",
                    item["leaf_index"],
                ), name


def test_bundles_with_a_bent_entry_proof_fail_exactly_when_the_library_refuses_it(
    real_bundles: RealBundles,
) -> None:
    factory = _grown(11, 2)
    _bundle_verdicts(factory.bundle(complete=["registry"]), factory.trust(), lambda b: b["entries"])
    matter = real_bundles.fresh_matter()
    ends = lambda b: [b["entries"][0], b["entries"][len(b["entries"]) // 2], b["entries"][-1]]  # noqa: E731
    _bundle_verdicts(matter, real_bundles.trust, ends)


def test_bundles_with_a_bent_head_proof_fail_exactly_when_the_library_refuses_it() -> None:
    factory = _grown(12, 4)
    streams = sorted({e.body["stream"] for e in factory.log})
    bundle = factory.bundle(complete=streams)
    for tip, proof in _head_proofs(bundle):
        for name, bent in _corruptions(proof):
            index, count, path, _ = bent
            if count != proof[1] or not index >= 0:
                continue  # the count is the checkpoint's; a negative index is malformed
            broken = copy.deepcopy(bundle)
            broken["heads"]["streams"][tip.stream] |= {
                "index": index,
                "proof": [base64.b64encode(p).decode() for p in path],
            }
            library, _ = _tip_accepted(tip, (index, count, path, proof[3]))
            if library:
                verify_bundle(broken, factory.trust())
            else:
                assert refusal(broken, factory.trust()).code == "head_proof_invalid", name


@pytest.mark.parametrize("size", [MAX_TREE_SIZE, MAX_TREE_SIZE + 1])
def test_a_tree_of_more_than_64_bit_size_is_refused_as_the_library_refuses_it(size: int) -> None:
    """A log key can sign any size; RFC 9162 sizes are 64-bit, and so are the verifier's."""
    leaf = merkle.leaf_hash(b"leaf 0")
    path = [hashlib.sha256(bytes([n])).digest() for n in range(64)]
    root = leaf
    for sibling in path:
        root = merkle.node_hash(root, sibling)
    library = _library_accepts(leaf, (0, size, path, root))
    assert library == (size <= MAX_TREE_SIZE)
    assert verifier._inclusion_ok(leaf, 0, size, path, root) == library
