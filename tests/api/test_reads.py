"""Reads over HTTP: stream events page by page, the checkpoint as a signed note,
and proofs that check against it with nothing but RFC 9162 arithmetic.
"""

from __future__ import annotations

import base64

from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.protocol import merkle
from ledger.protocol.canonical import canonical
from ledger.protocol.cosignature import verify_checkpoint
from ledger.protocol.envelope import Envelope
from ledger.protocol.note import NoteVerifier
from tests.api.conftest import Api
from tests.stories.http import open_school_matter, position


def test_stream_events_come_in_pages_with_their_signatures(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    for text in ("Første", "Anden", "Tredje"):
        org.act("tr", "skolestruktur", position("employees", text))
    first = api.get(org, "tr", f"/streams/{stream}/events", limit=2).json()
    assert [e["body"]["seq"] for e in first["events"]] == [1, 2]
    assert first["next_after_seq"] == 2
    rest = api.get(org, "tr", f"/streams/{stream}/events", after_seq=2, limit=10).json()
    assert [e["body"]["seq"] for e in rest["events"]] == [3, 4, 5]
    assert rest["next_after_seq"] is None
    event = rest["events"][0]
    assert event["payload"]["text"] == "Første"
    record = org.service.store.record(org.origin, event["leaf_index"])
    assert record is not None and record.entry is not None
    assert Envelope.from_entry(record.entry).hash_hex == event["envelope_hash"]


def test_an_erased_field_reads_as_missing_and_the_rest_stays(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees", "Et navn der skal slettes"))
    org.act(
        "admin",
        "skolestruktur",
        ev.PayloadRedacted(event=3, fields=["text"], legal_basis="GDPR art. 17"),
    )
    events = api.get(org, "revisor", f"/streams/{stream}/events").json()["events"]
    assert "text" not in events[2]["payload"] and events[2]["payload"]["side"] == "employees"
    assert set(events[2]["salts"]) == set(events[2]["payload"])
    assert "Et navn der skal slettes" not in str(events)
    assert events[2]["redacted_by"] == events[3]["leaf_index"]


def test_the_checkpoint_is_the_signed_note_as_is(api: Api, org: Organisation) -> None:
    response = api.get(org, "tr", "/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    verifier = NoteVerifier.from_verifier_key(
        org.service.log_keys.signer(org.origin).verifier_key()
    )
    checkpoint = verify_checkpoint(response.text, verifier)
    assert checkpoint.origin == org.origin
    assert checkpoint.size == org.service.tree_size(org.origin)


def test_an_inclusion_proof_leads_to_the_checkpoint_root(api: Api, org: Organisation) -> None:
    stream = open_school_matter(org)
    verifier = NoteVerifier.from_verifier_key(
        org.service.log_keys.signer(org.origin).verifier_key()
    )
    checkpoint = verify_checkpoint(api.get(org, "tr", "/checkpoint").text, verifier)
    event = api.get(org, "tr", f"/streams/{stream}/events").json()["events"][0]
    proof = api.get(
        org, "tr", "/proofs/inclusion", leaf_index=event["leaf_index"], tree_size=checkpoint.size
    ).json()
    assert base64.b64decode(proof["root"]) == checkpoint.root
    record = org.service.store.record(org.origin, event["leaf_index"])
    assert record is not None and record.entry is not None
    merkle.verify_inclusion(
        merkle.leaf_hash(record.entry),
        event["leaf_index"],
        checkpoint.size,
        [base64.b64decode(h) for h in proof["hashes"]],
        checkpoint.root,
    )


def test_an_inclusion_proof_names_the_leaf_hash_of_the_event_it_proves(
    api: Api, org: Organisation
) -> None:
    """From the API's answers alone: the event's entry hashes to the proof's leaf hash,
    and the path from it leads to the signed checkpoint's root."""
    stream = open_school_matter(org)
    verifier = NoteVerifier.from_verifier_key(
        org.service.log_keys.signer(org.origin).verifier_key()
    )
    checkpoint = verify_checkpoint(api.get(org, "tr", "/checkpoint").text, verifier)
    for event in api.get(org, "tr", f"/streams/{stream}/events").json()["events"]:
        entry = canonical({"body": event["body"], "signature": event["signature"]})
        proof = api.get(
            org,
            "tr",
            "/proofs/inclusion",
            leaf_index=event["leaf_index"],
            tree_size=checkpoint.size,
        ).json()
        leaf = base64.b64decode(proof["leaf_hash"])
        assert leaf == merkle.leaf_hash(entry)
        merkle.verify_inclusion(
            leaf,
            event["leaf_index"],
            checkpoint.size,
            [base64.b64decode(h) for h in proof["hashes"]],
            checkpoint.root,
        )


def test_a_consistency_proof_links_an_old_checkpoint_to_the_new(
    api: Api, org: Organisation
) -> None:
    verifier = NoteVerifier.from_verifier_key(
        org.service.log_keys.signer(org.origin).verifier_key()
    )
    old = verify_checkpoint(api.get(org, "revisor", "/checkpoint").text, verifier)
    open_school_matter(org)
    new = verify_checkpoint(api.get(org, "revisor", "/checkpoint").text, verifier)
    assert new.size > old.size
    proof = api.get(
        org, "revisor", "/proofs/consistency", old_size=old.size, new_size=new.size
    ).json()
    merkle.verify_consistency(
        old.size, new.size, [base64.b64decode(h) for h in proof["hashes"]], old.root, new.root
    )


def test_proofs_for_sizes_the_tree_cannot_have_are_400(api: Api, org: Organisation) -> None:
    size = org.service.tree_size(org.origin)
    cases: list[tuple[str, dict[str, object]]] = [
        ("/proofs/inclusion", {"leaf_index": size, "tree_size": size}),
        ("/proofs/inclusion", {"leaf_index": 0, "tree_size": size + 1}),
        ("/proofs/consistency", {"old_size": size, "new_size": size - 1}),
        ("/proofs/inclusion", {"leaf_index": -1}),
        ("/proofs/consistency", {"old_size": "many"}),
    ]
    for path, params in cases:
        response = api.get(org, "tr", path, **params)
        assert response.status_code == 400, (path, params, response.text)
        assert response.json()["error"]["code"] in ("malformed_proof_request", "malformed_request")


def test_a_matter_bundle_from_the_api_verifies_offline(api: Api, org: Organisation) -> None:
    from tests.stories.evidence import trust_of
    from verifier.bundle import verify_bundle

    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    response = api.get(org, "tr", "/matters/skolestruktur/bundle")
    assert response.status_code == 200, response.text
    key = trust_of(org.service, org.origin)
    report = verify_bundle(response.json(), key)
    assert [e.type for e in report.entries if e.stream == "matter/skolestruktur"] == [
        "MatterOpened",
        "ConsultationOpened",
        "PositionStated",
    ]
    refused = api.get(org, "tr-lokal", "/matters/skolestruktur/bundle")
    assert refused.status_code == 403
    assert api.get(org, "tr", "/bundle").status_code == 403
    whole = api.get(org, "revisor", "/bundle")
    assert whole.status_code == 200
    assert verify_bundle(whole.json(), key).entries
