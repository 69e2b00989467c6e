"""The bundle document itself: its members, items, entries, bodies, disclosures and files.

A malformed document is ``malformed_bundle`` (with the leaf index where an
item is at fault), another ledger's is ``wrong_ledger``, and nothing of it
is trusted before its checkpoint and proofs are checked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.verifier.bundle_factory import LedgerFactory, Logged, accepted, refusal
from verifier.bundle import BundleVerificationError, verify_bundle_file

MATTER = "matter/budget"


def _factory() -> LedgerFactory:
    factory = LedgerFactory()
    factory.enrol("direktor")
    factory.act(
        "direktor", "budget", "MatterOpened", {"title": "Budget", "responsible_body": "hmed"}
    )
    return factory


def _item(bundle: dict[str, Any], leaf: int) -> dict[str, Any]:
    found: dict[str, Any] = next(i for i in bundle["entries"] if i["leaf_index"] == leaf)
    return found


def test_a_document_that_is_not_a_v2_bundle_is_refused() -> None:
    factory = _factory()
    document: Any
    for document in ([], "bundle", {"format": "medledger-bundle/v2"} | {"origin": None}):
        assert refusal(document, factory.trust()).code == "malformed_bundle"
    bundle = factory.bundle()
    for member, value in (("origin", 1), ("checkpoint", None), ("registry", None), ("entries", {})):
        assert refusal(bundle | {member: value}, factory.trust()).code == "malformed_bundle", member
    assert refusal(bundle | {"origin": "ledger.example/other"}, factory.trust()).code == (
        "wrong_ledger"
    )


def test_items_may_come_in_any_order_and_in_either_list_but_each_leaf_once() -> None:
    factory = _factory()
    bundle = factory.bundle()
    shuffled = bundle | {
        "registry": bundle["entries"][1:2],
        "entries": bundle["entries"][2:] + bundle["entries"][:1],
    }
    report = accepted(shuffled, factory.trust())
    assert [e.leaf_index for e in report.entries] == [0, 1, 2] and report.kind == "events"
    twice = bundle | {"registry": bundle["entries"][2:]}
    assert refusal(twice, factory.trust()).code == "malformed_bundle"
    del bundle["kind"]
    assert accepted(bundle, factory.trust()).kind == ""


@pytest.mark.parametrize("leaf_index", [None, "1", True, -1, 1.0])
def test_an_item_without_a_non_negative_integer_leaf_index_is_refused(leaf_index: Any) -> None:
    factory = _factory()
    bundle = factory.bundle()
    _item(bundle, 1)["leaf_index"] = leaf_index
    assert refusal(bundle, factory.trust()).code == "malformed_bundle"
    assert refusal(bundle | {"entries": ["item"]}, factory.trust()).code == "malformed_bundle"


@pytest.mark.parametrize(
    ("change", "leaf"),
    [
        ({"entry": "entry"}, 2),
        ({"entry": {"body": {}}}, 2),
        ({"entry": {"body": {}, "signature": "", "extra": 1}}, 2),
        ({"inclusion_proof": None}, None),
        ({"inclusion_proof": [1]}, 2),
        ({"disclosed": []}, 2),
    ],
)
def test_a_malformed_item_is_refused_with_its_leaf(
    change: dict[str, Any], leaf: int | None
) -> None:
    factory = _factory()
    bundle = factory.bundle()
    _item(bundle, 2).update(change)
    failure = refusal(bundle, factory.trust())
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", leaf)


def test_an_item_whose_entry_is_not_json_or_proof_not_canonical_base64_is_refused() -> None:
    factory = _factory()
    bundle = factory.bundle()
    _item(bundle, 2)["entry"]["signature"] = 2**60  # beyond I-JSON: no canonical form
    assert (refusal(bundle, factory.trust()).code, refusal(bundle, factory.trust()).leaf_index) == (
        "malformed_bundle",
        2,
    )
    bundle = factory.bundle()
    proof = _item(bundle, 2)["inclusion_proof"]
    proof[0] = proof[0].replace("=", "") if proof[0].endswith("=") else proof[0] + "="
    failure = refusal(bundle, factory.trust())
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", 2)


@pytest.mark.parametrize(
    "override",
    [
        {"v": "2"},
        {"seq": 0},
        {"seq": True},
        {"seq": "1"},
        {"time": 5},
        {"actor": None},
        {"fields": []},
    ],
)
def test_a_logged_entry_with_a_malformed_body_is_refused_with_its_leaf(
    override: dict[str, Any],
) -> None:
    factory = _factory()
    factory.append(MATTER, "MaterialShared", "direktor", {"bodies": ["hmed"]}, override=override)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", 3)


@pytest.mark.parametrize("override", [{"v": 3}, {"origin": "ledger.example/other"}])
def test_a_logged_entry_of_another_protocol_or_ledger_is_refused(override: dict[str, Any]) -> None:
    factory = _factory()
    factory.append(MATTER, "MaterialShared", "direktor", {"bodies": ["hmed"]}, override=override)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("wrong_ledger", 3)


def test_a_logged_entry_whose_signature_is_not_base64_is_refused() -> None:
    factory = _factory()
    logged: Logged = factory.append(MATTER, "MaterialShared", "direktor", {"bodies": ["hmed"]})
    logged.entry["signature"] = "not base64!"
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", 3)


@pytest.mark.parametrize(
    ("opening", "code"),
    [
        ("text", "malformed_bundle"),
        ({"value": "Budget"}, "malformed_bundle"),
        ({"salt": "AAAA", "value": "Budget", "more": 1}, "malformed_bundle"),
        ({"salt": "!", "value": "Budget"}, "malformed_bundle"),
        ({"salt": "AAAAAAAAAAAAAAAAAAAAAA==", "value": 2**60}, "malformed_bundle"),
        ({"salt": "AAAAAAAAAAAAAAAAAAAAAA==", "value": "Budget"}, "payload_commitment_mismatch"),
    ],
)
def test_a_disclosed_field_must_open_its_commitment(opening: Any, code: str) -> None:
    factory = _factory()
    bundle = factory.bundle()
    _item(bundle, 2)["disclosed"]["title"] = opening
    failure = refusal(bundle, factory.trust())
    assert (failure.code, failure.leaf_index) == (code, 2)


def test_a_field_the_body_does_not_commit_to_cannot_be_disclosed() -> None:
    factory = _factory()
    bundle = factory.bundle()
    disclosed = _item(bundle, 2)["disclosed"]
    disclosed["decision"] = disclosed["title"]
    failure = refusal(bundle, factory.trust())
    assert (failure.code, failure.leaf_index) == ("payload_commitment_mismatch", 2)


def test_a_withheld_matter_field_is_reported_undisclosed_never_present() -> None:
    factory = _factory()
    report = accepted(factory.bundle(withhold={2: ["title"]}), factory.trust())
    assert report.undisclosed == [2]
    assert report.entries[2].undisclosed == ["title"]
    assert report.entries[2].disclosed == {"responsible_body": "hmed"}


def _trust_file_text(factory: LedgerFactory) -> str:
    """The factory's trust root as ``medledger trust`` writes it to a file."""
    trust = factory.trust()
    return json.dumps(
        {
            "format": "medledger-trust/v1",
            "origin": trust.origin,
            "log_key": trust.log_key,
            "genesis": trust.genesis,
        }
    )


def _files(tmp_path: Path, bundle: str, trust: str) -> tuple[str, str]:
    (tmp_path / "bundle.json").write_text(bundle)
    (tmp_path / "trust.json").write_text(trust)
    return str(tmp_path / "bundle.json"), str(tmp_path / "trust.json")


def test_bundle_and_trust_root_files_are_read_and_unreadable_ones_refused(tmp_path: Path) -> None:
    factory = _factory()
    trust_text = _trust_file_text(factory)
    bundle_text = json.dumps(factory.bundle())
    assert verify_bundle_file(*_files(tmp_path, bundle_text, trust_text)).tree_size == 3
    for bundle, trust_file, code in (
        ("{", trust_text, "malformed_bundle"),
        (bundle_text, "{", "malformed_trust_root"),
    ):
        with pytest.raises(BundleVerificationError) as failure:
            verify_bundle_file(*_files(tmp_path, bundle, trust_file))
        assert failure.value.code == code
    for missing, code in (("bundle", "malformed_bundle"), ("trust", "malformed_trust_root")):
        paths = dict(
            zip(("bundle", "trust"), _files(tmp_path, bundle_text, trust_text), strict=True)
        )
        paths[missing] = str(tmp_path / "absent.json")
        with pytest.raises(BundleVerificationError) as failure:
            verify_bundle_file(paths["bundle"], paths["trust"])
        assert failure.value.code == code


def test_a_bundle_file_saved_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Some editors on an auditor's machine write one; it is still UTF-8 JSON."""
    factory = _factory()
    trust_text = _trust_file_text(factory)
    paths = _files(tmp_path, json.dumps(factory.bundle()), trust_text)
    Path(paths[0]).write_bytes(b"\xef\xbb\xbf" + Path(paths[0]).read_bytes())
    assert verify_bundle_file(*paths).tree_size == 3
