"""Evidence bundles: what leaves the ledger must verify anywhere, offline.

Ballerup's savings matter ends; the union representative takes the matter's
bundle to the union with nothing but the log's verifier key.  Later the
municipality must erase one statement's text under the GDPR; the bundle
and the whole ledger still verify, and the redaction is itself on record.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from demo.organisation import ManualClock, Organisation
from demo.stories import Demo
from ledger.domain import events as ev
from ledger.protocol.note import NoteSigner
from ledger.service.application import LedgerService
from ledger.service.bundle import build_bundle, ledger_bundle, matter_bundle
from ledger.service.verification import verify_ledger
from tests.stories.matter import consulted
from tests.stories.school import school_structure
from verifier.bundle import BundleVerificationError, verify_bundle


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


def _key(service: LedgerService, org: Organisation) -> str:
    return service.log_keys.signer(org.origin).verifier_key()


def _roundtrip(bundle: dict[str, Any]) -> dict[str, Any]:
    on_the_stick: dict[str, Any] = json.loads(
        json.dumps(bundle)
    )  # what a file on a USB stick holds
    return on_the_stick


@pytest.fixture
def savings(demo: Demo, service: LedgerService) -> tuple[dict[str, Any], str]:
    bundle = _roundtrip(matter_bundle(service, demo.ballerup.origin, "okonomi-4mio"))
    return bundle, _key(service, demo.ballerup)


def test_a_matter_bundle_verifies_with_only_the_log_key(
    savings: tuple[dict[str, Any], str],
) -> None:
    bundle, key = savings
    report = verify_bundle(bundle, key)
    matter_events = [e for e in report.entries if e.stream == "matter/okonomi-4mio"]
    assert [e.type for e in matter_events][:3] == [
        "MatterOpened",
        "MaterialShared",
        "ConsultationOpened",
    ]
    assert any(e.type == "AgreementReached" for e in matter_events)
    signers = {e.actor for e in matter_events}
    enrolled = {
        e.payload["person"] for e in report.entries if e.type == "PersonEnrolled" and e.payload
    }
    assert signers <= enrolled | {"bal-admin"}
    assert not report.redacted


def test_a_whole_ledger_bundle_verifies(demo: Demo, service: LedgerService) -> None:
    report = verify_bundle(
        _roundtrip(ledger_bundle(service, demo.buf.origin)), _key(service, demo.buf)
    )
    assert len(report.entries) == service.tree_size(demo.buf.origin)


def _damaged(bundle: dict[str, Any], change: str) -> dict[str, Any]:
    broken = copy.deepcopy(bundle)
    position = next(i for i in broken["entries"] if i["entry"]["body"]["type"] == "PositionStated")
    if change == "payload":
        position["payload"]["text"] = "Vi er enige."
    elif change == "proof":
        position["inclusion_proof"][0] = position["inclusion_proof"][1]
    elif change == "leaf_index":
        position["leaf_index"] += 1
    elif change == "signature":
        sig = position["entry"]["signature"]
        position["entry"]["signature"] = ("B" if sig[0] == "A" else "A") + sig[1:]
    elif change == "missing_enrolment":
        actor = position["entry"]["body"]["actor"]
        broken["registry"] = [
            i for i in broken["registry"] if (i["payload"] or {}).get("person") != actor
        ]
    elif change == "checkpoint":
        broken["checkpoint"] = broken["checkpoint"].replace("\n50\n", "\n49\n", 1)
    elif change == "format":
        broken["format"] = "something-else"
    elif change == "negative_leaf_index":
        # Leaf 0's proof also "leads to the root" from leaf -2**64: shifts keep it even.
        genesis = next(i for i in broken["registry"] if i["leaf_index"] == 0)
        genesis["leaf_index"] = -(2**64)
    elif change == "boolean_leaf_index":
        second = next(i for i in broken["registry"] if i["leaf_index"] == 1)
        second["leaf_index"] = True  # JSON true is not the integer 1
    return broken


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("payload", "payload_commitment_mismatch"),
        ("proof", "inclusion_proof_invalid"),
        ("leaf_index", "inclusion_proof_invalid"),
        ("signature", "inclusion_proof_invalid"),
        ("missing_enrolment", "unknown_key"),
        ("checkpoint", "checkpoint_signature_invalid"),
        ("format", "malformed_bundle"),
        ("negative_leaf_index", "malformed_bundle"),
        ("boolean_leaf_index", "malformed_bundle"),
    ],
)
def test_every_damaged_bundle_is_rejected_with_its_reason(
    savings: tuple[dict[str, Any], str], change: str, code: str
) -> None:
    bundle, key = savings
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(_damaged(bundle, change), key)
    assert failure.value.code == code


def test_a_bundle_checked_with_another_ledgers_key_is_rejected(
    savings: tuple[dict[str, Any], str],
) -> None:
    bundle, _ = savings
    impostor = NoteSigner.generate(bundle["origin"]).verifier_key()
    with pytest.raises(BundleVerificationError) as failure:
        verify_bundle(bundle, impostor)
    assert failure.value.code == "checkpoint_signature_invalid"


def test_redaction_erases_the_payload_but_every_proof_stays_valid(
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
            event=statement["seq"], legal_basis="GDPR art. 17: oplysninger om helbred"
        ),
    )
    record = service.store.record(org.origin, statement["leaf_index"])
    assert record is not None and record.payload is None and record.salt is None
    assert record.redacted_by == redaction["leaf_index"]

    report = verify_ledger(service.store, org.origin, trusted_checkpoint=held_checkpoint)
    assert report.redacted == 1

    bundle = _roundtrip(matter_bundle(service, org.origin, matter))
    checked = verify_bundle(bundle, _key(service, org))
    assert checked.redacted == [statement["leaf_index"]]
    assert any(e.type == "PayloadRedacted" for e in checked.entries)


def test_events_signed_before_a_key_was_revoked_stay_valid(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    opened = org.act(
        "direktor",
        "budget",
        _due_in_a_month(clock, "Budget", "Budget for næste år.", "budget"),
    )
    org.registry(
        ev.KeyRevoked(person="direktor", key_id=org.keys["direktor"].key_id, reason="Ny computer")
    )
    bundle = _roundtrip(build_bundle(service, org.origin, [opened["leaf_index"]]))
    report = verify_bundle(bundle, _key(service, org))
    assert [e.type for e in report.entries if e.stream == "matter/budget"] == ["MatterOpened"]
    verify_ledger(service.store, org.origin)
