"""Evidence bundles: what leaves the ledger must verify anywhere, offline, against a pinned
trust root, and every way of forging one must fail with its reason.

Ballerup's savings matter ends; the union representative takes the matter's
bundle to the union with nothing but the ledger's trust root.  The operator
holds the log key and could try to leave an event out, found a second
ledger under the same origin, or show a checkpoint no witness cosigned: each
is refused.  Later the municipality erases one statement's text under the
GDPR; the bundle and the whole ledger still verify, the erased field is
reported as not disclosed, and the rules keep reading what they need.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from demo.stories import Demo
from ledger.domain import events as ev
from ledger.protocol.keys import PersonKey
from ledger.protocol.note import NoteSigner, NoteVerifier
from ledger.service.application import LedgerService
from ledger.service.bundle import build_bundle, ledger_bundle, matter_bundle
from ledger.service.verification import verify_ledger
from ledger.service.witness import Witness
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.stories.matter import consulted
from tests.stories.school import school_structure
from tests.verifier.conftest import RealBundles
from verifier.bundle import (
    BundleVerificationError,
    TrustRoot,
    parse_trust_root,
    verify_bundle,
)


def _due_in_a_month(
    clock: ManualClock, title: str, description: str, category: str
) -> ev.MatterOpened:
    """A matter opened on ``title`` to be decided in 30 days: the bundles need a short story."""
    return school_structure(
        clock,
        title=title,
        description=description,
        category=category,
        planned_decision_date=clock.date(days=30),
    )


def _trust(
    service: LedgerService, org: Organisation, witnesses: tuple[str, ...] = (), quorum: int = 0
) -> TrustRoot:
    """The trust root as a verifier reads it from the file `medledger trust` prints."""
    printed = json.dumps(service.trust_root(org.origin, witnesses, quorum).to_json())
    return parse_trust_root(json.loads(printed))


def _roundtrip(bundle: dict[str, Any]) -> dict[str, Any]:
    on_the_stick: dict[str, Any] = json.loads(json.dumps(bundle))  # what a USB stick holds
    return on_the_stick


@pytest.fixture
def savings(real_bundles: RealBundles) -> tuple[dict[str, Any], TrustRoot]:
    """Ballerup's savings matter bundle (a copy to damage) and the ledger's trust root."""
    return real_bundles.fresh_matter(), real_bundles.trust


def test_a_matter_bundle_verifies_against_the_trust_root_and_is_complete(
    demo: Demo, service: LedgerService
) -> None:
    bundle = _roundtrip(matter_bundle(service, demo.ballerup.origin, "okonomi-4mio"))
    report = verify_bundle(bundle, _trust(service, demo.ballerup))
    matter_events = [e for e in report.entries if e.stream == "matter/okonomi-4mio"]
    assert [e.type for e in matter_events][:3] == [
        "MatterOpened",
        "MaterialShared",
        "ConsultationOpened",
    ]
    assert [e.seq for e in matter_events] == list(range(1, len(matter_events) + 1))
    assert report.complete == ["matter/okonomi-4mio", "registry"]
    signers = {e.actor for e in matter_events}
    enrolled = {e.disclosed["person"] for e in report.entries if e.type == "PersonEnrolled"}
    assert signers <= enrolled | {"bal-admin"}
    assert not report.undisclosed


def test_a_whole_ledger_bundle_verifies_with_every_stream_complete(
    demo: Demo, service: LedgerService
) -> None:
    report = verify_bundle(
        _roundtrip(ledger_bundle(service, demo.buf.origin)), _trust(service, demo.buf)
    )
    assert len(report.entries) == service.tree_size(demo.buf.origin)
    assert "registry" in report.complete and len(report.complete) > 2


def _position(bundle: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(
        i for i in bundle["entries"] if i["entry"]["body"]["type"] == "PositionStated"
    )
    return found


def _entry(bundle: dict[str, Any], event_type: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        i
        for i in bundle["registry"] + bundle["entries"]
        if i["entry"]["body"]["type"] == event_type
    )
    return found


def _without(bundle: dict[str, Any], item: dict[str, Any]) -> None:
    for name in ("registry", "entries"):
        bundle[name] = [i for i in bundle[name] if i["leaf_index"] != item["leaf_index"]]


def _matter_tip(bundle: dict[str, Any]) -> dict[str, Any]:
    tip: dict[str, Any] = bundle["heads"]["streams"]["matter/okonomi-4mio"]
    return tip


def _damage(broken: dict[str, Any], change: str) -> None:
    position = _position(broken)
    matter = [i for i in broken["entries"] if i["entry"]["body"]["stream"] == "matter/okonomi-4mio"]
    if change == "field_value":
        position["disclosed"]["text"]["value"] = "Vi er enige."
    elif change == "field_salt":
        position["disclosed"]["text"]["salt"] = position["disclosed"]["side"]["salt"]
    elif change == "field_renamed":
        position["disclosed"]["comment"] = position["disclosed"].pop("text")
    elif change == "proof":
        position["inclusion_proof"][0] = position["inclusion_proof"][1]
    elif change == "proof_extended":
        position["inclusion_proof"].append(position["inclusion_proof"][0])
    elif change == "leaf_index":
        following = next(i for i in matter if i["leaf_index"] > position["leaf_index"])
        position["leaf_index"], following["leaf_index"] = (
            following["leaf_index"],
            position["leaf_index"],
        )
    elif change == "leaf_index_beyond_the_tree":
        position["leaf_index"] = broken["tree_size"]
    elif change == "signature":
        sig = position["entry"]["signature"]
        position["entry"]["signature"] = ("B" if sig[0] == "A" else "A") + sig[1:]
    elif change == "checkpoint":
        broken["checkpoint"] = broken["checkpoint"].replace("\n", "\n1", 1)
    elif change == "format":
        broken["format"] = "medledger-bundle/v1"
    elif change == "negative_leaf_index":
        _entry(broken, "LedgerCreated")["leaf_index"] = -(2**64)
    elif change == "boolean_leaf_index":
        next(i for i in broken["registry"] + broken["entries"] if i["leaf_index"] == 1)[
            "leaf_index"
        ] = True  # JSON true is not the integer 1
    elif change == "duplicate_entry":
        broken["entries"].append(copy.deepcopy(position))
    elif change == "middle_event_left_out":
        _without(
            broken, next(i for i in matter if i["entry"]["body"]["type"] == "ConsultationOpened")
        )
    elif change == "last_event_left_out":
        _without(broken, matter[-1])
    elif change == "stream_shortened_with_its_head":
        _without(broken, matter[-1])
        tip = _matter_tip(broken)
        tip["seq"] -= 1
    elif change == "head_proof":
        tip = _matter_tip(broken)
        tip["index"] = (tip["index"] + 1) % broken["heads"]["count"]
    elif change == "completeness_claim_dropped_count":
        broken["heads"]["count"] += 1
    elif change == "registry_event_left_out":
        _without(broken, _entry(broken, "MemberAppointed"))
    elif change == "genesis_left_out":
        _without(broken, _entry(broken, "LedgerCreated"))
    elif change == "other_ledger_entry":
        position["entry"]["body"]["origin"] = "ledger.example/other"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("field_value", "payload_commitment_mismatch"),
        ("field_salt", "payload_commitment_mismatch"),
        ("field_renamed", "payload_commitment_mismatch"),
        ("proof", "inclusion_proof_invalid"),
        ("proof_extended", "inclusion_proof_invalid"),
        ("leaf_index", "inclusion_proof_invalid"),
        ("leaf_index_beyond_the_tree", "inclusion_proof_invalid"),
        ("signature", "inclusion_proof_invalid"),
        ("checkpoint", "checkpoint_signature_invalid"),
        ("format", "malformed_bundle"),
        ("negative_leaf_index", "malformed_bundle"),
        ("boolean_leaf_index", "malformed_bundle"),
        ("duplicate_entry", "malformed_bundle"),
        ("middle_event_left_out", "incomplete_stream"),
        ("last_event_left_out", "incomplete_stream"),
        ("stream_shortened_with_its_head", "head_proof_invalid"),
        ("head_proof", "head_proof_invalid"),
        ("completeness_claim_dropped_count", "malformed_bundle"),
        ("registry_event_left_out", "incomplete_stream"),
        ("genesis_left_out", "genesis_mismatch"),
        ("other_ledger_entry", "inclusion_proof_invalid"),
    ],
)
def test_every_damaged_bundle_is_rejected_with_its_reason(
    savings: tuple[dict[str, Any], TrustRoot], change: str, code: str
) -> None:
    broken, trust = savings
    _damage(broken, change)
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(broken, trust)
    assert failure.value.code == code


def test_a_bundle_checked_against_another_ledgers_trust_root_is_rejected(
    savings: tuple[dict[str, Any], TrustRoot],
) -> None:
    bundle, trust = savings
    impostor = NoteSigner.generate(bundle["origin"]).verifier_key()
    for wrong, code in (
        (TrustRoot(trust.origin, impostor, trust.genesis), "checkpoint_signature_invalid"),
        (TrustRoot("ledger.example/other", trust.log_key, trust.genesis), "wrong_ledger"),
        (TrustRoot(trust.origin, trust.log_key, "0" * 64), "genesis_mismatch"),
    ):
        with pytest.raises(BundleVerificationError) as failure:
            verify_bundle(bundle, wrong)
        assert failure.value.code == code


def test_the_log_key_alone_cannot_found_a_second_ledger_under_the_same_origin(
    org: Organisation, service: LedgerService, clock: ManualClock, tmp_path: Path
) -> None:
    """The operator holds the log key: a parallel ledger, a new admin, a key enrolled for the
    union representative and a statement 'signed' by them; the pinned genesis refuses it."""
    trust = _trust(service, org)
    forged_store = Store(f"sqlite:///{tmp_path / 'forged.db'}")
    forger = LedgerService(forged_store, LogKeyring(tmp_path / "log-keys"), clock=clock)
    parallel = Organisation(forger, org.origin, "Testkommune", clock, admin="admin")
    parallel.person("tr", "Tillidsrepræsentant")
    parallel.person("direktor", "Direktør")
    parallel.body("hmed", "HovedMED", "hovedmed")
    parallel.appoint("hmed", "tr", "management", "chair")
    parallel.act("tr", "budget", _due_in_a_month(clock, "Budget", "Vi accepterer alt.", "budget"))
    forger.issue_checkpoint(org.origin)
    forged = _roundtrip(matter_bundle(forger, org.origin, "budget"))
    assert forger.log_keys.signer(org.origin).verifier_key() == trust.log_key
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(forged, trust)
    assert failure.value.code == "genesis_mismatch"
    forged_store.dispose()


def test_a_checkpoint_without_the_witness_quorum_is_refused_and_with_it_accepted(
    org: Organisation, service: LedgerService, clock: ManualClock, tmp_path: Path
) -> None:
    opened = org.act("direktor", "budget", _due_in_a_month(clock, "Budget", "Næste år.", "budget"))
    witnesses = []
    for name in ("witness.example/a", "witness.example/b"):
        signer = NoteSigner.generate(name)
        log_key = service.log_keys.signer(org.origin).verifier_key()
        follows = {org.origin: NoteVerifier.from_verifier_key(log_key)}
        witness = Witness(tmp_path / name.replace("/", "_"), signer, follows)
        witnesses.append((witness, signer.cosignature_verifier_key()))
    keys = tuple(key for _, key in witnesses)
    trust = _trust(service, org, keys, quorum=2)
    bundle = _roundtrip(build_bundle(service, org.origin, [opened["leaf_index"]]))
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(bundle, trust)
    assert failure.value.code == "witness_quorum_missing"

    note = service.latest_checkpoint(org.origin)
    service.add_cosignatures(org.origin, witnesses[0][0].cosign(note, []))
    one = _roundtrip(build_bundle(service, org.origin, [opened["leaf_index"]]))
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(one, trust)
    assert failure.value.code == "witness_quorum_missing"

    service.add_cosignatures(org.origin, witnesses[1][0].cosign(note, []))
    both = _roundtrip(build_bundle(service, org.origin, [opened["leaf_index"]]))
    assert verify_bundle(both, trust).cosignatures == 2
    # A cosignature line that does not verify, under a witness's name, is refused outright.
    lines = both["checkpoint"].split("\n")
    last = next(i for i, line in enumerate(lines) if line.startswith("— witness.example/b"))
    lines[last] = lines[last][:-6] + ("AAAA==" if not lines[last].endswith("AAAA==") else "BBBB==")
    both["checkpoint"] = "\n".join(lines)
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(both, trust)
    assert failure.value.code in {"checkpoint_signature_invalid", "malformed_checkpoint"}


def test_erasure_removes_a_field_and_every_proof_and_rule_stays(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    matter = "trivsel"
    consulted(
        org,
        matter,
        _due_in_a_month(
            clock, "Trivselsmåling", "Opfølgning på trivselsmålingen.", "work_environment"
        ),
        question="Opfølgning?",
        respond_by=clock.date(days=14),
    )
    statement = org.act(
        "amr",
        matter,
        ev.PositionStated(
            body="hmed",
            side="employees",
            stance="oppose",
            text="En navngiven kollega er sygemeldt med stress.",
        ),
    )
    held_checkpoint = service.latest_checkpoint(org.origin)
    redaction = org.act(
        org.admin,
        matter,
        ev.PayloadRedacted(
            event=statement["seq"],
            fields=["text"],
            legal_basis="GDPR art. 17: oplysninger om helbred",
        ),
    )
    record = service.store.record(org.origin, statement["leaf_index"])
    assert record is not None and record.payload is not None and record.salts is not None
    assert b"stress" not in record.payload and b'"text"' not in record.salts
    assert record.redacted_by == redaction["leaf_index"]

    report = verify_ledger(service.store, org.origin, trusted_checkpoint=held_checkpoint)
    assert report.redacted == 1

    bundle = _roundtrip(matter_bundle(service, org.origin, matter))
    checked = verify_bundle(bundle, _trust(service, org))
    assert checked.undisclosed == [statement["leaf_index"]]
    erased = next(e for e in checked.entries if e.leaf_index == statement["leaf_index"])
    assert erased.undisclosed == ["text"] and erased.disclosed["stance"] == "oppose"
    # Presenting the erased field as present (with any salt) is refused.
    item = next(i for i in bundle["entries"] if i["leaf_index"] == statement["leaf_index"])
    item["disclosed"]["text"] = {"salt": item["disclosed"]["side"]["salt"], "value": "Intet."}
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(bundle, _trust(service, org))
    assert failure.value.code == "payload_commitment_mismatch"


def test_a_key_added_and_later_revoked_signs_only_in_between(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    """Events signed before a revocation stay valid; one signed after it is refused even if
    the operator leaves the revocation out (the registry is proven complete)."""
    laptop = PersonKey.generate("direktor")
    org.registry(
        ev.KeyAdded(person="direktor", key_id=laptop.key_id, public_key=laptop.public_key_b64)
    )
    first_key = org.keys["direktor"]
    org.keys["direktor"] = laptop
    org.act("direktor", "budget", _due_in_a_month(clock, "Budget", "Næste år.", "budget"))
    org.keys["direktor"] = first_key
    org.registry(ev.KeyRevoked(person="direktor", key_id=laptop.key_id, reason="Stjålet"))
    bundle = _roundtrip(matter_bundle(service, org.origin, "budget"))
    report = verify_bundle(bundle, _trust(service, org))
    assert [e.type for e in report.entries if e.stream == "matter/budget"] == ["MatterOpened"]
    assert {"KeyAdded", "KeyRevoked"} <= {e.type for e in report.entries}
    verify_ledger(service.store, org.origin)
