"""The ledger and the auditor's verifier each read the trust root their own way, and agree.

``ledger.protocol.trust`` never imports ``verifier``: the format is written
twice on purpose, so that one implementation checks the other.  These tests
hold the two to the same document: what the verifier refuses, the ledger
refuses.  The ledger is stricter still (an unknown member, a missing
``witnesses`` or ``quorum``, a witness named twice); where the verifier is
lenient it is not weaker, since a witness named twice counts once.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from ledger.errors import MalformedError
from ledger.protocol import trust as ledger_trust
from tests.verifier.bundle_factory import LedgerFactory
from verifier import bundle as verifier_bundle


def _ledger(**change: Any) -> tuple[LedgerFactory, dict[str, Any]]:
    """A ledger with one witness, and its trust root document (quorum 1) with ``change``."""
    factory = LedgerFactory()
    witness = factory.add_witness("witness.example/a").cosignature_verifier_key()
    return factory, factory.trust_document() | {"witnesses": [witness], "quorum": 1} | change


def test_both_name_the_same_format_and_fields() -> None:
    assert ledger_trust.TRUST_FORMAT == verifier_bundle.TRUST_FORMAT
    fields = [(f.name, f.type, f.default) for f in dataclasses.fields(ledger_trust.TrustRoot)]
    assert fields == [
        (f.name, f.type, f.default) for f in dataclasses.fields(verifier_bundle.TrustRoot)
    ]


def test_what_the_ledger_prints_the_verifier_reads_as_the_same_root() -> None:
    factory, document = _ledger()
    root = ledger_trust.TrustRoot.from_json(document)
    printed = json.loads(json.dumps(root.to_json()))
    assert printed == document
    read = verifier_bundle.parse_trust_root(printed)
    assert dataclasses.astuple(read) == dataclasses.astuple(root)
    assert verifier_bundle.verify_bundle(factory.bundle(), read).cosignatures == 1


@pytest.mark.parametrize(
    "change",
    [
        {"format": "medledger-trust/v0"},
        {"origin": 7},
        {"log_key": None},
        {"log_key": "not a verifier key"},
        {"genesis": "0" * 63},
        {"genesis": "A" * 64},
        {"witnesses": [1]},
        {"witnesses": ["not a verifier key"]},
        {"quorum": True},
        {"quorum": -1},
        {"quorum": 2},
    ],
    ids=str,
)
def test_what_the_verifier_refuses_the_ledger_refuses(change: dict[str, Any]) -> None:
    factory, document = _ledger(**change)
    with pytest.raises(MalformedError):
        ledger_trust.TrustRoot.from_json(document)
    with pytest.raises(verifier_bundle.BundleVerificationError) as refused:
        _verify(factory, document)
    assert refused.value.code in ("malformed_trust_root", "malformed_key")


def _verify(factory: LedgerFactory, document: dict[str, Any]) -> None:
    """The verifier reads the trust root, then checks the ledger's bundle against it."""
    verifier_bundle.verify_bundle(factory.bundle(), verifier_bundle.parse_trust_root(document))


def test_a_witness_named_twice_is_refused_by_the_ledger_and_counts_once_for_the_verifier() -> None:
    factory, document = _ledger()
    [witness] = document["witnesses"]
    doubled = document | {"witnesses": [witness, witness], "quorum": 2}
    with pytest.raises(MalformedError):
        ledger_trust.TrustRoot.from_json(doubled)
    with pytest.raises(verifier_bundle.BundleVerificationError) as refused:
        _verify(factory, doubled)
    assert refused.value.code == "witness_quorum_missing"
