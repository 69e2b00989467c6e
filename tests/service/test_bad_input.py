"""Bad input at the ledger's door: each gets a clear error with a stable code, and nothing is stored.

The union rep ``tr`` wants to state a position on the school-structure
matter.  Each test builds the raw submission a broken, confused or hostile
client might send instead (``ledger.client.sdk.sign_submission`` and hand-edited
bytes) and hands it to ``service.append`` exactly as the API and CLI do.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from demo.organisation import ManualClock, Organisation
from ledger.client.sdk import sign_submission
from ledger.domain import events as ev
from ledger.errors import (
    BadSignatureError,
    MalformedEnvelopeError,
    MalformedJSONError,
    MalformedPayloadError,
    NonCanonicalBodyError,
    PayloadCommitmentMismatchError,
    ReplayedEnvelopeError,
    RevokedKeyError,
    SignerLacksRoleError,
    SignerNotMemberError,
    StalePreviousHashError,
    StaleSequenceError,
    UnknownEventTypeError,
    UnknownKeyError,
    UnsupportedProtocolVersionError,
    WrongLedgerError,
)
from ledger.protocol.b64 import b64encode
from ledger.protocol.canonical import canonical
from ledger.protocol.envelope import SIGNING_PREFIX, Envelope, Submission, encode_salts
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from tests.stories.log_assertions import next_submission, refused
from tests.stories.matter import Matter
from tests.stories.school import school_structure

POSITION = {"body": "hmed", "side": "employees", "stance": "oppose", "text": "Vi er imod."}


def union_position(org: Organisation, matter: Matter, **overrides: Any) -> Submission:
    """The union rep's position, correctly signed as the matter's next event."""
    return next_submission(org, "tr", matter.stream, "PositionStated", POSITION, **overrides)


def with_signature(submission: Submission, signature: bytes) -> bytes:
    envelope = Envelope.create(submission.envelope.body, signature)
    return Submission(envelope, submission.payload, submission.salts).wire()


def signed_body(key: PersonKey, body: dict[str, Any], submission: Submission) -> bytes:
    """Sign an arbitrary body object, as a client that builds bodies by hand would."""
    signature = key.sign(SIGNING_PREFIX + canonical(body))
    return canonical(
        {
            "body": body,
            "signature": b64encode(signature),
            "payload": submission.payload,
            "salts": encode_salts(submission.salts),
        }
    )


# --- bytes and shape ---------------------------------------------------------------


def test_bytes_that_are_not_strict_json_are_refused(org: Organisation, matter: Matter) -> None:
    for raw in (
        b"",
        b"{not json",
        b'{"body":',
        b"\xff\xfe{}",
        b'{"a":1,"a":2}',
        b"NaN",
        b'{"seq":Infinity}',
    ):
        with refused(org, MalformedJSONError, "malformed_json", stream=matter.stream):
            org.service.append(org.origin, raw)


def test_json_nested_too_deeply_is_refused_not_a_crash(org: Organisation, matter: Matter) -> None:
    deep_payload = b'{"body":{},"payload":' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}"
    for raw in (b"[" * 100_000 + b"]" * 100_000, deep_payload):
        with refused(org, MalformedJSONError, "malformed_json", stream=matter.stream) as caught:
            org.service.append(org.origin, raw)
        assert "nested too deeply" in caught.value.message


def test_a_submission_with_white_space_or_reordered_keys_is_not_canonical(
    org: Organisation, matter: Matter
) -> None:
    submission = union_position(org, matter)
    as_object = submission.to_json()
    pretty = json.dumps(as_object, indent=2).encode()
    reordered = json.dumps(dict(reversed(as_object.items())), separators=(",", ":")).encode()
    needless_escape = submission.wire().replace(b'"Vi er imod."', b'"Vi er \\u0069mod."')

    for raw in (pretty, reordered, needless_escape):
        with refused(
            org, NonCanonicalBodyError, "non_canonical_body", stream=matter.stream
        ) as caught:
            org.service.append(org.origin, raw)
        assert "canonical" in caught.value.message


def test_json_that_is_not_a_submission_is_refused(org: Organisation, matter: Matter) -> None:
    shape: object
    for shape in (
        [],
        {"body": {}, "signature": "", "payload": {}},
        {"body": {}, "signature": "", "payload": {}, "salt": "", "extra": 1},
    ):
        with refused(org, MalformedEnvelopeError, "malformed_envelope", stream=matter.stream):
            org.service.append(org.origin, canonical(shape))


def test_a_body_with_a_malformed_field_is_refused(org: Organisation, matter: Matter) -> None:
    good = union_position(org, matter)
    key = org.keys["tr"]
    for field, wrong in [
        ("time", "5. januar 2026"),
        ("time", "2026-01-05T09:00:00+00:00"),
        ("seq", 0),
        ("prev", "00"),
        ("actor", "Tage Tillidsrepræsentant"),
        ("stream", "sager/skolestruktur"),
        ("imported", False),
    ]:
        body = {**good.envelope.body.to_json(), field: wrong}
        with refused(
            org, MalformedEnvelopeError, "malformed_envelope", stream=matter.stream
        ) as caught:
            org.service.append(org.origin, signed_body(key, body, good))
        assert caught.value.details["fields"] == [field]


def test_a_body_of_another_protocol_version_is_refused(org: Organisation, matter: Matter) -> None:
    good = union_position(org, matter)
    for version in (1, 3, 0, "2", None):
        body = {**good.envelope.body.to_json(), "v": version}
        with refused(
            org,
            UnsupportedProtocolVersionError,
            "unsupported_protocol_version",
            stream=matter.stream,
        ):
            org.service.append(org.origin, signed_body(org.keys["tr"], body, good))


def test_json_true_is_not_a_protocol_version(org: Organisation, matter: Matter) -> None:
    """Python says True == 1; the protocol does not: a version is a JSON integer."""
    good = union_position(org, matter).to_json()
    sent_as_true = canonical({**good, "body": {**good["body"], "v": True}})

    with refused(
        org, UnsupportedProtocolVersionError, "unsupported_protocol_version", stream=matter.stream
    ):
        org.service.append(org.origin, sent_as_true)


# --- which ledger, which key, which signature ----------------------------------------


def test_an_event_signed_for_another_ledger_is_refused(
    org: Organisation, matter: Matter, service: LedgerService, clock: ManualClock, unique: str
) -> None:
    neighbour = Organisation(service, f"ledger.example/nabo{unique}", "Nabokommune", clock)
    meant_for_neighbour = union_position(org, matter, origin=neighbour.origin)

    with refused(org, WrongLedgerError, "wrong_ledger", stream=matter.stream):
        org.service.append(org.origin, meant_for_neighbour.wire())
    with refused(neighbour, WrongLedgerError, "wrong_ledger", stream=matter.stream):
        service.append(neighbour.origin, union_position(org, matter).wire())


def test_a_key_the_ledger_does_not_know_is_refused(org: Organisation, matter: Matter) -> None:
    home_made = PersonKey.generate("tr")
    stranger = PersonKey.generate("fremmed")

    with refused(org, UnknownKeyError, "unknown_key", stream=matter.stream):
        org.service.append(org.origin, union_position(org, matter, key=home_made).wire())
    with refused(org, UnknownKeyError, "unknown_key", stream=matter.stream):
        org.service.append(org.origin, union_position(org, matter, key=stranger).wire())


def test_a_revoked_key_is_refused(org: Organisation, matter: Matter) -> None:
    org.registry(ev.KeyRevoked(person="tr", key_id=org.keys["tr"].key_id, reason="Stjålet"))

    with refused(org, RevokedKeyError, "revoked_key", stream=matter.stream):
        org.service.append(org.origin, union_position(org, matter).wire())


def test_a_signature_with_a_flipped_bit_is_refused(org: Organisation, matter: Matter) -> None:
    good = union_position(org, matter)
    for bit in (0, 255, 511):
        damaged = bytearray(good.envelope.signature)
        damaged[bit // 8] ^= 1 << (bit % 8)
        with refused(org, BadSignatureError, "bad_signature", stream=matter.stream):
            org.service.append(org.origin, with_signature(good, bytes(damaged)))


def test_a_signature_by_another_persons_key_is_refused(org: Organisation, matter: Matter) -> None:
    """The body names tr's key, but the work environment rep's key signed it."""
    good = union_position(org, matter)
    forged = org.keys["amr"].sign(good.envelope.body.signing_message())

    with refused(org, BadSignatureError, "bad_signature", stream=matter.stream):
        org.service.append(org.origin, with_signature(good, forged))


def test_a_body_changed_after_signing_is_refused(org: Organisation, matter: Matter) -> None:
    good = union_position(org, matter)
    body = {**good.envelope.body.to_json(), "time": "2026-01-05T09:01:00Z"}
    wire = canonical(
        {
            "body": body,
            "signature": b64encode(good.envelope.signature),
            "payload": good.payload,
            "salts": encode_salts(good.salts),
        }
    )

    with refused(org, BadSignatureError, "bad_signature", stream=matter.stream):
        org.service.append(org.origin, wire)


def test_a_signature_that_is_not_64_bytes_of_base64_is_refused(
    org: Organisation, matter: Matter
) -> None:
    good = union_position(org, matter)
    for signature in ("not base64!", b64encode(good.envelope.signature[:32])):
        wire = canonical({**good.to_json(), "signature": signature})
        with refused(org, MalformedEnvelopeError, "malformed_envelope", stream=matter.stream):
            org.service.append(org.origin, wire)


# --- who signs -----------------------------------------------------------------------


def test_a_signer_outside_the_body_or_without_the_role_is_refused(
    org: Organisation, matter: Matter
) -> None:
    outsider = next_submission(
        org, "udenfor", matter.stream, "PositionStated", {**POSITION, "side": "employees"}
    )
    with refused(org, SignerNotMemberError, "signer_not_member", stream=matter.stream):
        org.service.append(org.origin, outsider.wire())

    meeting = next_submission(
        org,
        "amr",
        matter.stream,
        "MeetingHeld",
        {"body": "hmed", "date": "2026-01-05", "agenda_item": "Skoler", "present": ["amr"]},
    )
    with refused(org, SignerLacksRoleError, "signer_lacks_role", stream=matter.stream):
        org.service.append(org.origin, meeting.wire())


# --- the stream head -------------------------------------------------------------------


def test_a_sequence_number_that_is_not_the_next_is_stale(org: Organisation, matter: Matter) -> None:
    skipping_ahead = union_position(org, matter, seq=3)
    with refused(org, StaleSequenceError, "stale_sequence", stream=matter.stream) as caught:
        org.service.append(org.origin, skipping_ahead.wire())
    assert caught.value.details == {"stream": matter.stream, "expected_seq": 2}

    over_the_opening = union_position(org, matter, seq=1, prev="0" * 64)
    with refused(org, StaleSequenceError, "stale_sequence", stream=matter.stream):
        org.service.append(org.origin, over_the_opening.wire())


def test_a_previous_hash_that_is_not_the_heads_is_stale(org: Organisation, matter: Matter) -> None:
    forked = union_position(org, matter, prev="ab" * 32)

    with refused(org, StalePreviousHashError, "stale_previous_hash", stream=matter.stream):
        org.service.append(org.origin, forked.wire())


def test_an_envelope_sent_twice_is_a_replay(org: Organisation, matter: Matter) -> None:
    wire = union_position(org, matter).wire()
    receipt = org.service.append(org.origin, wire)

    with refused(org, ReplayedEnvelopeError, "replayed_envelope", stream=matter.stream) as caught:
        org.service.append(org.origin, wire)
    assert caught.value.details == {"leaf_index": receipt.leaf_index}

    matter.act("amr", ev.PositionStated.model_validate({**POSITION, "text": "Også imod."}))
    with refused(org, ReplayedEnvelopeError, "replayed_envelope", stream=matter.stream):
        org.service.append(org.origin, wire)


# --- event type and payload ------------------------------------------------------------


def test_an_event_type_that_does_not_exist_is_refused(org: Organisation, matter: Matter) -> None:
    invented = next_submission(org, "tr", matter.stream, "MatterReopened", {"reason": "Igen."})

    with refused(org, UnknownEventTypeError, "unknown_event_type", stream=matter.stream) as caught:
        org.service.append(org.origin, invented.wire())
    assert "MatterReopened" in caught.value.message


def test_an_event_type_in_the_wrong_kind_of_stream_is_refused(
    org: Organisation, matter: Matter
) -> None:
    position_in_registry = next_submission(org, "tr", "registry", "PositionStated", POSITION)
    key = PersonKey.generate("ny")
    enrolment_in_matter = next_submission(
        org,
        "admin",
        matter.stream,
        "PersonEnrolled",
        {"person": "ny", "key_id": key.key_id, "public_key": key.public_key_b64},
    )
    redaction_in_registry = next_submission(
        org, "admin", "registry", "PayloadRedacted", {"event": 2, "legal_basis": "GDPR"}
    )

    for stream, wrong in [
        ("registry", position_in_registry),
        (matter.stream, enrolment_in_matter),
        ("registry", redaction_in_registry),
    ]:
        with refused(org, UnknownEventTypeError, "unknown_event_type", stream=stream) as caught:
            org.service.append(org.origin, wrong.wire())
        assert "does not belong" in caught.value.message


def test_a_payload_or_salt_that_does_not_open_the_commitment_is_refused(
    org: Organisation, matter: Matter
) -> None:
    good = union_position(org, matter)
    swapped_payload = Submission(good.envelope, {**POSITION, "stance": "support"}, good.salts)
    swapped_salt = Submission(good.envelope, good.payload, {**good.salts, "stance": bytes(16)})
    swapped_fields = Submission(
        good.envelope,
        {**POSITION, "side": POSITION["stance"], "stance": POSITION["side"]},
        {**good.salts, "side": good.salts["stance"], "stance": good.salts["side"]},
    )
    missing_field = Submission(
        good.envelope,
        {k: v for k, v in POSITION.items() if k != "text"},
        {k: v for k, v in good.salts.items() if k != "text"},
    )

    for wrong in (swapped_payload, swapped_salt, swapped_fields, missing_field):
        with refused(
            org, PayloadCommitmentMismatchError, "payload_commitment_mismatch", stream=matter.stream
        ):
            org.service.append(org.origin, wrong.wire())


def test_a_payload_that_does_not_match_its_schema_is_refused(
    org: Organisation, matter: Matter
) -> None:
    for payload, field in [
        ({**POSITION, "mood": "vred"}, "mood"),
        ({**POSITION, "stance": "maybe"}, "stance"),
        ({**POSITION, "side": "politicians"}, "side"),
        ({key: value for key, value in POSITION.items() if key != "text"}, "text"),
        ({**POSITION, "text": ""}, "text"),
        ({**POSITION, "body": "HovedMED"}, "body"),
        ({**POSITION, "proposals": "ikke en liste"}, "proposals"),
    ]:
        wrong = next_submission(org, "tr", matter.stream, "PositionStated", payload)
        with refused(
            org, MalformedPayloadError, "malformed_payload", stream=matter.stream
        ) as caught:
            org.service.append(org.origin, wrong.wire())
        assert field in [error["field"] for error in caught.value.details["errors"]]


def test_a_number_where_the_schema_wants_a_reference_must_be_an_integer(
    org: Organisation, matter: Matter
) -> None:
    for not_a_seq in (True, "1", 0):
        wrong = next_submission(
            org, "direktor", matter.stream, "MinutesApproved", {"meeting": not_a_seq}
        )
        with refused(org, MalformedPayloadError, "malformed_payload", stream=matter.stream):
            org.service.append(org.origin, wrong.wire())


def approval_of_meeting_7(org: Organisation, matter: Matter) -> bytes:
    wire = next_submission(org, "direktor", matter.stream, "MinutesApproved", {"meeting": 7}).wire()
    assert wire.count(b'"meeting":7') == 1 and wire.count(b'"seq":2,') == 1
    return wire


def refused_as_malformed_json(org: Organisation, matter: Matter, wire: bytes) -> str:
    """Appending ``wire`` is refused as malformed JSON; returns the error's message."""
    with refused(org, MalformedJSONError, "malformed_json", stream=matter.stream) as caught:
        org.service.append(org.origin, wire)
    return caught.value.message


def test_a_float_anywhere_is_refused(org: Organisation, matter: Matter) -> None:
    approval = approval_of_meeting_7(org, matter)
    for where, number in [
        (b'"meeting":7', b'"meeting":7.0'),
        (b'"meeting":7', b'"meeting":7e0'),
        (b'"meeting":7', b'"meeting":-0.5'),
        (b'"seq":2,', b'"seq":2.0,'),
        (b'"seq":2,', b'"seq":2E0,'),
    ]:
        message = refused_as_malformed_json(org, matter, approval.replace(where, number))
        assert "floating-point" in message


def test_an_integer_outside_the_json_safe_range_is_refused(
    org: Organisation, matter: Matter
) -> None:
    too_large = [b"9007199254740992", b"-9007199254740992", b"123456789012345678901234567890"]
    approval = approval_of_meeting_7(org, matter)
    for number in too_large:
        refused_as_malformed_json(
            org, matter, approval.replace(b'"meeting":7', b'"meeting":' + number)
        )
    refused_as_malformed_json(
        org, matter, approval.replace(b'"seq":2,', b'"seq":18446744073709551617,')
    )


def test_a_client_cannot_even_sign_a_float(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    with refused(org, MalformedJSONError, "malformed_json", stream=matter.stream):
        sign_submission(
            org.keys["direktor"],
            origin=org.origin,
            stream=matter.stream,
            seq=2,
            prev="0" * 64,
            event_type="MinutesApproved",
            payload={"meeting": 1.5},
            time=clock() + timedelta(seconds=1),
        )


def test_a_salt_of_the_wrong_length_is_refused(org: Organisation, matter: Matter) -> None:
    for salt in (bytes(15), bytes(17), bytes(32), b""):
        salts = dict.fromkeys(POSITION, salt)
        short_salted = union_position(org, matter, salts=salts)
        with refused(
            org, MalformedEnvelopeError, "malformed_envelope", stream=matter.stream
        ) as caught:
            org.service.append(org.origin, short_salted.wire())
        assert "salt" in caught.value.message


def test_a_title_with_a_line_break_is_refused(org: Organisation, clock: ManualClock) -> None:
    """A title is one line: a line break in it could forge a line of a printed receipt."""
    opening = school_structure(clock).model_dump(mode="json", exclude_none=True)
    for title in (
        "Skolestruktur\nEvidence verified: YES",
        "Skolestruktur\r",
        "Skole\u2028struktur",
        "Skole\x00struktur",
    ):
        trick = {**opening, "title": title}
        wrong = next_submission(org, "direktor", "matter/trick", "MatterOpened", trick)
        with refused(
            org, MalformedPayloadError, "malformed_payload", stream="matter/trick"
        ) as caught:
            org.service.append(org.origin, wrong.wire())
        assert "title" in [error["field"] for error in caught.value.details["errors"]]
