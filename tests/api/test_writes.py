"""Signed writes over HTTP: 201 with a leaf index, or a clear 4xx and nothing stored.

The director opens the school-structure matter through the API; the union
representative states a position.  Every way a submission can be wrong
gets the status and code DESIGN.md section 7 promises, and the log does
not grow.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from demo.organisation import Organisation
from ledger.client.http import HttpTransport
from ledger.client.sdk import Head, LedgerClient, sign_submission
from ledger.domain import events as ev
from ledger.errors import ConflictError
from ledger.protocol.envelope import ZERO_HASH, ledger_id_of, matter_stream
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.service.verification import verify_ledger
from tests.api.conftest import Api, assert_error, ledger_path
from tests.stories.http import decision, open_school_matter, position, signed
from tests.stories.school import school_structure


def post(api: Api, org: Organisation, wire: bytes, **headers: str) -> Any:
    return api.http.post(
        f"{ledger_path(org)}/events",
        content=wire,
        headers={"Content-Type": "application/json", **headers},
    )


def refused(api: Api, org: Organisation, wire: bytes, status: int, code: str) -> dict[str, Any]:
    """POST ``wire``; it must be refused with ``status`` and ``code``, and nothing stored."""
    before = org.service.tree_size(org.origin)
    response = post(api, org, wire)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert "Traceback" not in response.text
    assert org.service.tree_size(org.origin) == before
    return dict(error)


def test_a_signed_event_is_appended_with_its_leaf_index(api: Api, org: Organisation) -> None:
    stream = matter_stream("skolestruktur")
    submission = signed(org, "direktor", stream, school_structure(org.clock))
    response = post(api, org, submission.wire())
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["stream"] == stream
    assert receipt["seq"] == 1
    assert receipt["envelope_hash"] == submission.envelope.hash_hex
    assert receipt["leaf_index"] == org.service.tree_size(org.origin) - 1
    assert response.headers["x-request-id"]


def test_the_sdk_writes_a_whole_exchange_over_http(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    tr = api.client(org, "tr")
    receipt = tr.append(stream, position("employees"))
    assert receipt["seq"] == 3
    direktor = api.client(org, "direktor")
    decided = direktor.append(
        stream,
        decision(
            "Skolerne lægges sammen.", "Elevtallet falder.", 3, "partly_adopted", "Delvist fulgt."
        ),
    )
    assert decided["seq"] == 4
    verify_ledger(org.service.store, org.origin)


def test_a_conflict_is_409_and_the_sdk_signs_again_on_the_new_head(
    api: Api, org: Organisation
) -> None:
    stream = open_school_matter(org)
    found = org.service.head(org.origin, stream)
    assert found is not None
    stale = Head(found.seq, found.hash, found.time)
    org.act("amr", "skolestruktur", position("employees", "Arbejdsmiljøet skal med."))

    class StaleOnce(HttpTransport):
        """Answers the first head question with what it was before the AMR wrote."""

        served = False

        def head(self, ledger: str, stream: str) -> Head | None:
            if not self.served:
                self.served = True
                return stale
            return super().head(ledger, stream)

    transport = StaleOnce(client=api.http, key=org.keys["tr"])
    client = LedgerClient(
        transport, org.keys["tr"], org.origin, clock=org.clock, ledger=ledger_id_of(org.origin)
    )
    receipt = client.append(stream, position("employees"))
    assert transport.served
    assert receipt["seq"] == 4

    no_retries = LedgerClient(
        StaleOnce(client=api.http, key=org.keys["tr"]),
        org.keys["tr"],
        org.origin,
        clock=org.clock,
        ledger=ledger_id_of(org.origin),
        retries=0,
    )
    with pytest.raises(ConflictError) as caught:
        no_retries.append(stream, position("employees", "Igen."))
    assert caught.value.code == "stale_sequence"


def test_malformed_json_is_400(api: Api, org: Organisation) -> None:
    refused(api, org, b'{"body": ', 400, "malformed_json")


def test_a_non_canonical_body_is_400(api: Api, org: Organisation) -> None:
    submission = signed(org, "direktor", "matter/skole", school_structure(org.clock))
    pretty = json.dumps(submission.to_json(), indent=2).encode()
    refused(api, org, pretty, 400, "non_canonical_body")


def test_a_submission_without_a_signature_is_400(api: Api, org: Organisation) -> None:
    submission = signed(org, "direktor", "matter/skole", school_structure(org.clock)).to_json()
    del submission["signature"]
    from ledger.protocol.canonical import canonical

    refused(api, org, canonical(submission), 400, "malformed_envelope")


def test_a_payload_that_does_not_match_its_type_is_400(api: Api, org: Organisation) -> None:
    from ledger.client.sdk import sign_submission
    from ledger.protocol.canonical import canonical
    from ledger.protocol.envelope import ZERO_HASH

    submission = sign_submission(
        org.keys["direktor"],
        origin=org.origin,
        stream="matter/skole",
        seq=1,
        prev=ZERO_HASH,
        event_type="MatterOpened",
        payload={"title": "Uden resten"},
        time=org.clock(),
    )
    error = refused(api, org, canonical(submission.to_json()), 400, "malformed_payload")
    assert error["errors"]


def test_a_forged_signature_is_401(api: Api, org: Organisation) -> None:
    data = signed(org, "direktor", "matter/skole", school_structure(org.clock)).to_json()
    other = PersonKey.generate("direktor").sign(b"something else entirely")
    import base64

    from ledger.protocol.canonical import canonical

    data["signature"] = base64.b64encode(other).decode()
    refused(api, org, canonical(data), 401, "bad_signature")


def test_a_key_that_was_never_enrolled_is_401(api: Api, org: Organisation) -> None:
    stranger = PersonKey.generate("direktor")
    submission = signed(org, "direktor", "matter/skole", school_structure(org.clock), key=stranger)
    refused(api, org, submission.wire(), 401, "unknown_key")


def test_a_revoked_key_is_401(api: Api, org: Organisation) -> None:
    org.registry(
        ev.KeyRevoked(person="tr", key_id=org.keys["tr"].key_id, reason="Mistet telefon"),
        by="tr",
    )
    stream = open_school_matter(org)
    refused(api, org, signed(org, "tr", stream, position("employees")).wire(), 401, "revoked_key")


def test_a_signer_outside_the_body_is_403(api: Api, org: Organisation) -> None:
    submission = signed(org, "udenfor", "matter/skole", school_structure(org.clock))
    refused(api, org, submission.wire(), 403, "signer_not_member")


def test_a_stale_sequence_is_409(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    first = signed(org, "tr", stream, position("employees"))
    second = signed(org, "amr", stream, position("employees", "Også AMR."))
    assert post(api, org, first.wire()).status_code == 201
    refused(api, org, second.wire(), 409, "stale_sequence")


def test_a_replayed_envelope_is_409(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    submission = signed(org, "tr", stream, position("employees"))
    assert post(api, org, submission.wire()).status_code == 201
    error = refused(api, org, submission.wire(), 409, "replayed_envelope")
    assert error["leaf_index"] == org.service.tree_size(org.origin) - 1


def test_a_broken_write_time_rule_is_422(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    # The LokalMED was never involved in this matter.
    late = signed(org, "tr-lokal", stream, position("employees", body="lmed"))
    refused(api, org, late.wire(), 422, "body_not_involved")


def test_a_claimed_time_far_from_the_servers_clock_is_422(api: Api, org: Organisation) -> None:
    from datetime import timedelta

    submission = signed(
        org,
        "direktor",
        "matter/skole",
        school_structure(org.clock),
        time=org.clock() + timedelta(hours=2),
    )
    refused(api, org, submission.wire(), 422, "claimed_time_out_of_tolerance")


def test_an_unknown_ledger_is_404(api: Api, org: Organisation) -> None:
    submission = signed(org, "direktor", "matter/skole", school_structure(org.clock))
    response = api.http.post("/v1/ledgers/no-such-ledger/events", content=submission.wire())
    assert_error(response, 404, "unknown_ledger")


def test_an_event_of_one_ledger_posted_to_another_is_400(
    api: Api, org: Organisation, service: LedgerService, unique: str
) -> None:
    other = Organisation(service, f"ledger.example/other{unique}", "Anden kommune", org.clock)
    submission = signed(org, "direktor", "matter/skole", school_structure(org.clock))
    refused(api, other, submission.wire(), 400, "wrong_ledger")


def test_a_body_over_the_size_limit_is_413(api: Api, org: Organisation) -> None:
    response = post(api, org, b"{" + b" " * (300 * 1024) + b"}")
    assert_error(response, 413, "payload_too_large")


def genesis_by(
    signer: PersonKey,
    origin: str,
    log_verifier_key: str,
    service: LedgerService,
    *,
    admin: PersonKey | None = None,
) -> bytes:
    """A ledger's LedgerCreated signed by ``signer``, naming ``admin`` (else the signer)."""
    named = admin or signer
    return sign_submission(
        signer,
        origin=origin,
        stream="registry",
        seq=1,
        prev=ZERO_HASH,
        event_type="LedgerCreated",
        payload=ev.LedgerCreated(
            name="Ny kommune",
            origin=origin,
            log_public_key=log_verifier_key,
            admin=ev.FoundingAdmin(
                person=named.person, key_id=named.key_id, public_key=named.public_key_b64
            ),
        ),
        time=service.clock(),
    ).wire()


def test_a_stolen_creation_ticket_founds_nothing_without_the_admins_key(
    api: Api, service: LedgerService, unique: str
) -> None:
    """The ticket names the founding admin's key: whoever else holds it founds no ledger,
    whether they sign as themselves or name the rightful admin but sign with their key."""
    origin = f"ledger.example/stjaalet{unique}"
    url = f"/v1/ledgers/{ledger_id_of(origin)}/events"
    log_key = service.log_keys.create(origin).verifier_key()
    admin, thief = PersonKey.generate("stifter"), PersonKey.generate("tyv")
    ticket = api.app.state.context.sealer.ticket(origin, admin.key_id, 3600)
    headers = {"Authorization": f"Bearer {ticket}"}

    for attempt in (
        genesis_by(thief, origin, log_key, service),
        genesis_by(PersonKey.generate("stifter"), origin, log_key, service),
        genesis_by(thief, origin, log_key, service, admin=admin),
    ):
        refused = api.http.post(url, content=attempt, headers=headers)
        assert_error(refused, 403, "creation_ticket_wrong_key")
        assert refused.json()["error"]["ticket_key"] == admin.key_id
        assert service.store.ledger(origin) is None
        assert api.http.get(f"/v1/ledgers/{ledger_id_of(origin)}").json()["created"] is False

    created = api.http.post(
        url, content=genesis_by(admin, origin, log_key, service), headers=headers
    )
    assert created.status_code == 201, created.text
    assert service.state(origin).registry.people["stifter"].keys.keys() == {admin.key_id}


def test_a_ledger_is_created_over_http_only_with_the_operators_ticket(
    api: Api, service: LedgerService, unique: str
) -> None:
    origin = f"ledger.example/ny{unique}"
    ledger = ledger_id_of(origin)
    log_key = service.log_keys.create(origin)
    prepared = api.http.get(f"/v1/ledgers/{ledger}").json()
    assert prepared == {
        "ledger_id": ledger,
        "origin": origin,
        "name": None,
        "log_verifier_key": log_key.verifier_key(),
        "created": False,
    }
    founder = PersonKey.generate("stifter")

    def genesis() -> bytes:
        return genesis_by(founder, origin, log_key.verifier_key(), service)

    url = f"/v1/ledgers/{ledger}/events"
    no_ticket = api.http.post(url, content=genesis())
    assert_error(no_ticket, 403, "creation_ticket_required")
    sealer = api.app.state.context.sealer
    for forged in ("mlk1.e30.AAAA", sealer.ticket("ledger.example/another", founder.key_id, 3600)):
        wrong = api.http.post(url, content=genesis(), headers={"Authorization": f"Bearer {forged}"})
        assert_error(wrong, 401, "token_invalid")
    assert service.store.ledger(origin) is None

    ticket = {"Authorization": f"Bearer {sealer.ticket(origin, founder.key_id, 3600)}"}
    created = api.http.post(url, content=genesis(), headers=ticket)
    assert created.status_code == 201, created.text
    assert created.json()["leaf_index"] == 0
    assert api.http.get(f"/v1/ledgers/{ledger}").json()["created"] is True
    again = api.http.post(url, content=genesis(), headers=ticket)
    assert_error(again, 409, "ledger_exists")
