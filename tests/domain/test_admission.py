"""Admitting one signed event: ledger, key, signature, stream head and time, in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ledger import errors
from ledger.domain import events as ev
from ledger.domain.state import Prechecked
from ledger.protocol.envelope import REGISTRY_STREAM, Envelope
from ledger.protocol.keys import PersonKey
from tests.domain.memory_ledger import MemoryLedger


def _position(text: str = "Vi støtter forslaget.") -> ev.PositionStated:
    return ev.PositionStated(body="lokal", side="employees", stance="support", text=text)


def test_a_new_ledger_starts_with_its_founding_admin() -> None:
    ledger = MemoryLedger()
    assert ledger.state.size == 1
    assert ledger.state.registry.is_admin("admin")
    head = ledger.state.head(REGISTRY_STREAM)
    assert head is not None and head.seq == 1


def test_each_admitted_event_moves_the_stream_head_and_the_size(
    ledger: MemoryLedger, budget: str
) -> None:
    size = ledger.state.size
    submission = ledger.sign("tr-anna", budget, _position())
    ledger.submit(submission)
    head = ledger.state.head(budget)
    assert head is not None
    assert (head.seq, head.hash) == (2, submission.envelope.hash_hex)
    assert ledger.state.size == size + 1


def test_an_event_signed_for_a_stale_sequence_is_refused(ledger: MemoryLedger, budget: str) -> None:
    # Anna and Bo both sign event 2 of the matter; Bo's arrives second.
    annas = ledger.sign("tr-anna", budget, _position())
    bos = ledger.sign("leder-bo", budget, _position("Ledelsen er enig."))
    ledger.submit(annas)
    with pytest.raises(errors.StaleSequenceError) as refused:
        ledger.admit(bos)
    assert refused.value.details["expected_seq"] == 3


def test_an_event_that_names_the_wrong_previous_hash_is_refused(
    ledger: MemoryLedger, budget: str
) -> None:
    wrong = ledger.sign("tr-anna", budget, _position(), prev="ab" * 32)
    with pytest.raises(errors.StalePreviousHashError):
        ledger.admit(wrong)


def test_a_refused_event_changes_nothing(ledger: MemoryLedger, budget: str) -> None:
    size, head = ledger.state.size, ledger.state.head(budget)
    with pytest.raises(errors.StalePreviousHashError):
        ledger.submit(ledger.sign("tr-anna", budget, _position(), prev="ab" * 32))
    assert (ledger.state.size, ledger.state.head(budget)) == (size, head)


def test_a_revoked_key_signs_nothing_more_but_a_new_key_does(
    ledger: MemoryLedger, budget: str
) -> None:
    # Anna lost her laptop: the admin revokes her key and enrols a new one.
    old = ledger.key("tr-anna")
    ledger.write(
        "admin",
        REGISTRY_STREAM,
        ev.KeyRevoked(person="tr-anna", key_id=old.key_id, reason="Bærbar computer stjålet"),
    )
    with pytest.raises(errors.RevokedKeyError):
        ledger.admit(ledger.sign("tr-anna", budget, _position(), key=old))
    new = PersonKey.generate("tr-anna")
    ledger.write(
        "admin",
        REGISTRY_STREAM,
        ev.KeyAdded(person="tr-anna", key_id=new.key_id, public_key=new.public_key_b64),
    )
    ledger.submit(ledger.sign("tr-anna", budget, _position(), key=new))


def test_a_key_the_registry_does_not_know_signs_nothing(ledger: MemoryLedger, budget: str) -> None:
    stranger = PersonKey.generate("tr-anna")
    with pytest.raises(errors.UnknownKeyError):
        ledger.admit(ledger.sign("tr-anna", budget, _position(), key=stranger))


def test_a_signature_that_does_not_cover_the_body_is_refused(
    ledger: MemoryLedger, budget: str
) -> None:
    submission = ledger.sign("tr-anna", budget, _position())
    envelope = submission.envelope
    forged = Envelope.create(envelope.body, bytes(64))
    with pytest.raises(errors.BadSignatureError):
        ledger.admit(replace(submission, envelope=forged))


def test_a_signature_checked_elsewhere_counts_only_under_the_key_the_registry_names(
    ledger: MemoryLedger, budget: str
) -> None:
    """Full verification on worker processes hands ``admit`` the key a worker verified under;
    a claim for any other key is ignored and the signature is verified here."""
    submission = ledger.sign("tr-anna", budget, _position())
    forged = replace(submission, envelope=Envelope.create(submission.envelope.body, bytes(64)))
    someone_else = ledger.key("leder-bo").public_key
    claim = Prechecked(signed_by=someone_else, fields_open=True)
    with pytest.raises(errors.BadSignatureError):
        ledger.state.admit(forged.envelope, forged.payload, forged.salts, ledger.now, claim)
    annas = Prechecked(signed_by=ledger.key("tr-anna").public_key, fields_open=True)
    admitted = ledger.state.admit(forged.envelope, forged.payload, forged.salts, ledger.now, annas)
    assert admitted.envelope is forged.envelope  # her key's check was made elsewhere


def test_an_event_for_another_ledger_is_refused(ledger: MemoryLedger, budget: str) -> None:
    elsewhere = MemoryLedger(origin="ledger.example/andetsted")
    elsewhere.keys = ledger.keys
    with pytest.raises(errors.WrongLedgerError):
        ledger.admit(elsewhere.sign("tr-anna", budget, _position()))


def test_a_claimed_time_far_from_the_clock_is_refused(ledger: MemoryLedger, budget: str) -> None:
    submission = ledger.sign("tr-anna", budget, _position())
    ledger.now += timedelta(hours=1)
    with pytest.raises(errors.ClaimedTimeOutOfToleranceError):
        ledger.admit(submission)


def test_a_ledger_is_created_once(ledger: MemoryLedger) -> None:
    again = ledger.sign(
        "admin",
        REGISTRY_STREAM,
        ev.LedgerCreated(
            name="Igen",
            origin=ledger.origin,
            log_public_key=ledger.state.registry.log_public_key,
            admin=ev.FoundingAdmin(
                person="admin",
                key_id=ledger.key("admin").key_id,
                public_key=ledger.key("admin").public_key_b64,
            ),
        ),
    )
    with pytest.raises(errors.StreamAlreadyStartedError):
        ledger.admit(again)
