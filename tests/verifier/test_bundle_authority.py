"""Who may sign what: the genesis, enrolled keys, revocations and the registry's admins.

The server refuses to log any of these forgeries, so each bundle is built by
hand (``bundle_factory``): an operator holding the log key, or a signer
holding one person's key, tries to pass evidence the ledger would never
contain.  Each is refused with its code and the leaf index where it fails.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from ledger.protocol.keys import PersonKey
from tests.verifier.bundle_factory import LedgerFactory, Logged, accepted, refusal
from verifier.bundle import BundleVerificationError

MATTER = "budget"
OPENED = {"title": "Budget 2027", "responsible_body": "hmed"}


def _with_member() -> LedgerFactory:
    factory = LedgerFactory()
    factory.enrol("direktor")
    return factory


def test_a_key_enrolled_by_the_admin_signs_and_the_report_says_what_was_signed() -> None:
    factory = _with_member()
    factory.act("direktor", MATTER, "MatterOpened", OPENED)
    report = accepted(factory.bundle(kind="events"), factory.trust())
    opened = report.entries[-1]
    assert (opened.leaf_index, opened.stream, opened.seq, opened.type) == (
        2,
        "matter/budget",
        1,
        "MatterOpened",
    )
    assert (opened.actor, opened.time) == ("direktor", "2026-01-05T09:00:02Z")
    assert opened.disclosed == OPENED and opened.undisclosed == []
    assert (report.origin, report.tree_size, report.kind, report.complete) == (
        factory.origin,
        3,
        "events",
        [],
    )
    assert report.cosignatures == 0 and report.undisclosed == [] and report.subject == {}
    root_line = factory.bundle()["checkpoint"].split("\n")[2]
    assert report.root == base64.b64decode(root_line) and len(report.root) == 32


def test_a_key_used_after_its_revocation_is_refused_and_before_it_accepted() -> None:
    factory = _with_member()
    laptop = factory.add_key("direktor")
    factory.append("matter/budget", "MatterOpened", "direktor", OPENED, key=laptop)
    revoked = factory.revoke("direktor", laptop)
    assert accepted(factory.bundle(), factory.trust()).entries[-1].type == "KeyRevoked"
    after = factory.append(
        "matter/budget", "MaterialShared", "direktor", {"bodies": ["hmed"]}, key=laptop
    )
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("revoked_key", after.leaf_index)
    assert str(revoked.leaf_index) in failure.message and str(failure) == failure.message


def test_a_key_revoked_twice_stays_revoked_and_a_revocation_of_an_unknown_key_is_harmless() -> None:
    factory = _with_member()
    laptop = factory.add_key("direktor")
    factory.revoke("direktor", laptop)
    factory.revoke("direktor", laptop)
    factory.revoke("direktor", PersonKey.generate("direktor"))
    assert len(accepted(factory.bundle(), factory.trust()).entries) == 6
    after = factory.append("matter/budget", "MatterOpened", "direktor", OPENED, key=laptop)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("revoked_key", after.leaf_index)


def test_the_owner_may_revoke_their_own_key_and_nobody_else_may() -> None:
    factory = _with_member()
    factory.enrol("tr")
    laptop = factory.add_key("direktor")
    factory.revoke("direktor", laptop, by="direktor")
    assert accepted(factory.bundle(), factory.trust()).entries[-1].actor == "direktor"
    stranger = factory.revoke("direktor", factory.keys["direktor"], by="tr")
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("signer_not_admin", stranger.leaf_index)


@pytest.mark.parametrize("event_type", ["PersonEnrolled", "KeyAdded"])
def test_a_non_admin_cannot_enrol_a_person_or_add_a_key(event_type: str) -> None:
    factory = _with_member()
    key = PersonKey.generate("tr")
    payload: dict[str, Any] = {
        "person": "tr",
        "key_id": key.key_id,
        "public_key": key.public_key_b64,
    }
    if event_type == "PersonEnrolled":
        payload["roles"] = []
    forged = factory.append("registry", event_type, "direktor", payload)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("signer_not_admin", forged.leaf_index)


def test_a_person_enrolled_as_admin_may_enrol_others_and_one_enrolled_otherwise_may_not() -> None:
    factory = LedgerFactory()
    factory.enrol("sekretariat", roles=["admin"])
    factory.enrol("direktor", roles=["member"], by="sekretariat")
    factory.add_key("direktor", by="sekretariat")
    assert [e.actor for e in accepted(factory.bundle(), factory.trust()).entries][-2:] == [
        "sekretariat",
        "sekretariat",
    ]
    factory.add_key("sekretariat", by="direktor")
    forged = factory.log[-1]
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("signer_not_admin", forged.leaf_index)


def test_a_key_added_signs_for_its_person_from_the_next_leaf_on() -> None:
    factory = _with_member()
    laptop = factory.add_key("direktor")
    factory.append("matter/budget", "MatterOpened", "direktor", OPENED, key=laptop)
    assert accepted(factory.bundle(), factory.trust()).entries[-1].type == "MatterOpened"


def test_a_key_of_another_person_or_never_enrolled_is_unknown() -> None:
    factory = _with_member()
    factory.enrol("tr")
    borrowed = factory.append(
        "matter/budget", "MatterOpened", "tr", OPENED, key=factory.keys["direktor"]
    )
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("unknown_key", borrowed.leaf_index)

    factory = _with_member()
    stray = factory.append(
        "matter/budget", "MatterOpened", "direktor", OPENED, key=PersonKey.generate("x")
    )
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("unknown_key", stray.leaf_index)


def test_a_key_enrolled_outside_the_registry_counts_for_nothing() -> None:
    """Only registry events enrol keys: a KeyAdded logged in a matter stream does not."""
    factory = _with_member()
    side_key = PersonKey.generate("direktor")
    payload = {
        "person": "direktor",
        "key_id": side_key.key_id,
        "public_key": side_key.public_key_b64,
    }
    factory.append("matter/budget", "KeyAdded", "admin", payload)
    used = factory.append("matter/budget", "MatterOpened", "direktor", OPENED, key=side_key)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("unknown_key", used.leaf_index)


def _enrolment_refused(key_id: str, public_key: str) -> tuple[BundleVerificationError, Logged]:
    """The admin enrols ``direktor`` naming ``key_id`` and ``public_key``: the bundle's
    refusal, and the logged enrolment."""
    factory = LedgerFactory()
    payload = {"person": "direktor", "key_id": key_id, "public_key": public_key, "roles": []}
    forged = factory.append("registry", "PersonEnrolled", "admin", payload)
    return refusal(factory.bundle(), factory.trust()), forged


def test_a_key_id_not_derived_from_its_key_is_refused() -> None:
    key = PersonKey.generate("direktor")
    other = PersonKey.generate("direktor")
    failure, forged = _enrolment_refused(other.key_id, key.public_key_b64)
    assert (failure.code, failure.leaf_index) == ("key_id_mismatch", forged.leaf_index)


def test_an_enrolled_key_that_is_not_base64_is_malformed() -> None:
    failure, forged = _enrolment_refused("0" * 16, "not base64!")
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", forged.leaf_index)


def test_an_enrolled_key_that_is_not_32_bytes_is_malformed() -> None:
    raw = bytes(range(31))
    key_id = hashlib.sha256(raw).hexdigest()[:16]
    failure, forged = _enrolment_refused(key_id, base64.b64encode(raw).decode())
    assert (failure.code, failure.leaf_index) == ("malformed_bundle", forged.leaf_index)


def test_a_signature_by_another_key_under_an_enrolled_key_id_is_bad() -> None:
    factory = _with_member()
    impostor = PersonKey.generate("direktor")
    forged = factory.append(
        "matter/budget",
        "MatterOpened",
        "direktor",
        OPENED,
        key=impostor,
        override={"key": factory.keys["direktor"].key_id},
    )
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("bad_signature", forged.leaf_index)


def test_a_registry_event_that_withholds_a_field_is_refused() -> None:
    factory = _with_member()
    enrolled = factory.log[-1]
    failure = refusal(factory.bundle(withhold={1: ["roles"]}), factory.trust())
    assert (failure.code, failure.leaf_index) == ("registry_payload_missing", enrolled.leaf_index)


def test_a_registry_seat_that_withholds_a_field_is_refused() -> None:
    """Receipts derive verdicts from seats: a seat hiding its person would hide a member."""
    factory = _with_member()
    seat = factory.append(
        "registry", "MemberAppointed", "admin", {"body": "hmed", "person": "direktor"}
    )
    failure = refusal(factory.bundle(withhold={seat.leaf_index: ["person"]}), factory.trust())
    assert (failure.code, failure.leaf_index) == ("registry_payload_missing", seat.leaf_index)


def test_a_second_ledger_created_is_refused() -> None:
    factory = _with_member()
    again = factory.append("registry", "LedgerCreated", "admin", factory.log[0].payload)
    failure = refusal(factory.bundle(), factory.trust())
    assert (failure.code, failure.leaf_index) == ("genesis_mismatch", again.leaf_index)
