"""Leaf 0: the genesis the trust root pins, a disclosed LedgerCreated signed by its admin.

The trust root pins leaf 0 by its envelope hash, so these bundles pin the
forged genesis too: what is refused here is a leaf 0 that could never
found a ledger, whoever pinned it.
"""

from __future__ import annotations

import base64
from typing import Any

from ledger.protocol.keys import PersonKey
from tests.verifier.bundle_factory import LedgerFactory, accepted, refusal


def _refused_at_genesis(factory: LedgerFactory, **bundle: Any) -> str:
    failure = refusal(factory.bundle(**bundle), factory.trust())
    assert failure.leaf_index == 0
    return failure.code


def test_leaf_0_must_be_a_ledger_created_in_the_registry() -> None:
    assert _refused_at_genesis(LedgerFactory(genesis_override={"type": "KeyAdded"})) == (
        "genesis_mismatch"
    )
    assert _refused_at_genesis(LedgerFactory(genesis_override={"stream": "matter/x"})) == (
        "genesis_mismatch"
    )
    assert _refused_at_genesis(LedgerFactory(), withhold={0: ["admin"]}) == "genesis_mismatch"


def test_the_genesis_must_disclose_every_field() -> None:
    assert _refused_at_genesis(LedgerFactory(), withhold={0: ["name"]}) == (
        "registry_payload_missing"
    )


def test_the_genesis_is_signed_by_the_admin_it_names() -> None:
    assert _refused_at_genesis(LedgerFactory(genesis_override={"actor": "operator"})) == (
        "unknown_key"
    )
    assert _refused_at_genesis(LedgerFactory(genesis_override={"key": "0" * 16})) == ("unknown_key")


def _refounded(payload_admin: dict[str, Any], signer: PersonKey) -> LedgerFactory:
    """A factory whose genesis names ``payload_admin``, signed by ``signer`` (the admin)."""
    factory = LedgerFactory()
    genesis = factory.log[0].payload | {"admin": payload_admin}
    factory.log.clear()
    factory.append(
        "registry",
        "LedgerCreated",
        "admin",
        genesis,
        key=signer,
        override={"key": payload_admin["key_id"]},
    )
    return factory


def test_the_genesis_signature_must_verify_with_the_admin_key_it_names() -> None:
    founder = PersonKey.generate("admin")
    admin = {"person": "admin", "key_id": founder.key_id, "public_key": founder.public_key_b64}
    honest = _refounded(admin, founder)
    assert len(accepted(honest.bundle(), honest.trust()).entries) == 1
    forged = _refounded(admin, PersonKey.generate("admin"))
    assert _refused_at_genesis(forged) == "bad_signature"
    for public_key in (base64.b64encode(bytes(31)).decode(), "not base64!", None):
        malformed = admin | {"public_key": public_key}
        assert _refused_at_genesis(_refounded(malformed, founder)) == "malformed_bundle"


def test_a_bundle_without_leaf_0_is_refused() -> None:
    factory = LedgerFactory()
    factory.enrol("direktor")
    failure = refusal(factory.bundle(leaves=[1]), factory.trust())
    assert (failure.code, failure.leaf_index) == ("genesis_mismatch", None)
    failure = refusal(factory.bundle(leaves=[]), factory.trust())
    assert (failure.code, failure.leaf_index) == ("genesis_mismatch", None)


def test_a_bundle_checked_against_another_genesis_fails_at_leaf_0() -> None:
    factory = LedgerFactory()
    trust = factory.trust()
    other = LedgerFactory().trust().genesis
    failure = refusal(factory.bundle(), type(trust)(trust.origin, trust.log_key, other))
    assert (failure.code, failure.leaf_index) == ("genesis_mismatch", 0)
