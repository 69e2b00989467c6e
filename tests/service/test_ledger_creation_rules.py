"""Creating a ledger: only its founding admin's genesis event, once, for its own log key.

A refused genesis leaves no ledger row and no event behind; a genesis event
sent to an existing ledger is refused without touching it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, Unpack

import pytest

from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.errors import (
    KeyIdMismatchError,
    LedgerError,
    LedgerExistsError,
    MalformedPayloadError,
    StreamAlreadyStartedError,
    StreamNotStartedError,
    UnknownLedgerError,
    WrongLedgerError,
)
from ledger.protocol.envelope import REGISTRY_STREAM, Submission
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import stream_uuid
from tests.stories.log_assertions import first_registry_submission, next_submission, refused
from tests.stories.school import school_structure


class WrongGenesis(TypedDict, total=False):
    """The one way a genesis submission is wrong (``genesis``'s keyword arguments)."""

    signer: PersonKey
    public_key: str
    payload_origin: str
    log_public_key: str


def genesis(
    service: LedgerService,
    clock: ManualClock,
    origin: str,
    founder: PersonKey,
    **wrong: Unpack[WrongGenesis],
) -> Submission:
    """The LedgerCreated submission for ``origin``, founded by ``founder``.

    The keyword arguments (``WrongGenesis``) make it wrong in one way: signed
    by another key, naming another founding key, origin or log key.
    """
    try:
        log_key = service.log_keys.signer(origin)
    except UnknownLedgerError:
        log_key = service.log_keys.create(origin)
    created: dict[str, Any] = {
        "name": "Nykommune",
        "origin": wrong.get("payload_origin") or origin,
        "log_public_key": wrong.get("log_public_key") or log_key.verifier_key(),
        "admin": {
            "person": founder.person,
            "key_id": founder.key_id,
            "public_key": wrong.get("public_key") or founder.public_key_b64,
        },
    }
    return first_registry_submission(
        wrong.get("signer") or founder, origin, "LedgerCreated", created, time=clock()
    )


def assert_no_ledger(service: LedgerService, origin: str) -> None:
    assert service.store.ledger(origin) is None
    registry = stream_uuid(origin, REGISTRY_STREAM)
    assert service.store.event_store_counts({registry: REGISTRY_STREAM}) == {}


def refused_genesis(
    service: LedgerService, submission: Submission, error: type[LedgerError], code: str
) -> None:
    origin = submission.envelope.body.origin
    with pytest.raises(LedgerError) as caught:
        service.append(origin, submission.wire())
    assert type(caught.value) is error, repr(caught.value)
    assert caught.value.code == code
    assert_no_ledger(service, origin)


def test_the_founding_admin_signs_the_genesis_event(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    origin = f"ledger.example/ny{unique}"
    founder = PersonKey.generate("grundlaegger")

    receipt = service.append(origin, genesis(service, clock, origin, founder).wire())

    assert (receipt.stream, receipt.seq, receipt.leaf_index) == (REGISTRY_STREAM, 1, 0)
    assert service.tree_size(origin) == 1


def signed_by_another_key(founder: PersonKey, service: LedgerService, unique: str) -> WrongGenesis:
    return {"signer": PersonKey.generate("grundlaegger")}


def naming_a_key_id_not_derived_from_the_key(
    founder: PersonKey, service: LedgerService, unique: str
) -> WrongGenesis:
    return {"public_key": PersonKey.generate("grundlaegger").public_key_b64}


def naming_the_key_in_non_canonical_base64(
    founder: PersonKey, service: LedgerService, unique: str
) -> WrongGenesis:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    key = founder.public_key_b64
    same_bytes_other_spelling = key[:42] + alphabet[alphabet.index(key[42]) ^ 1] + "="
    return {"public_key": same_bytes_other_spelling}


def naming_another_origin(founder: PersonKey, service: LedgerService, unique: str) -> WrongGenesis:
    return {"payload_origin": f"ledger.example/anden{unique}"}


def naming_another_ledgers_log_key(
    founder: PersonKey, service: LedgerService, unique: str
) -> WrongGenesis:
    someone_elses_log_key = service.log_keys.create(f"ledger.example/anden{unique}")
    return {"log_public_key": someone_elses_log_key.verifier_key()}


@pytest.mark.parametrize(
    ("wrong", "error", "code"),
    [
        (signed_by_another_key, KeyIdMismatchError, "key_id_mismatch"),
        (naming_a_key_id_not_derived_from_the_key, KeyIdMismatchError, "key_id_mismatch"),
        (naming_the_key_in_non_canonical_base64, MalformedPayloadError, "malformed_payload"),
        (naming_another_origin, WrongLedgerError, "wrong_ledger"),
        (naming_another_ledgers_log_key, WrongLedgerError, "wrong_ledger"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_a_genesis_must_be_the_founding_admins_own_for_its_own_ledger(
    service: LedgerService,
    clock: ManualClock,
    unique: str,
    wrong: Callable[[PersonKey, LedgerService, str], WrongGenesis],
    error: type[LedgerError],
    code: str,
) -> None:
    """Signed by the founding admin's own key, naming that key canonically and its
    own origin and log key: each way of being wrong is refused and leaves no ledger."""
    origin = f"ledger.example/ny{unique}"
    founder = PersonKey.generate("grundlaegger")

    submission = genesis(service, clock, origin, founder, **wrong(founder, service, unique))

    refused_genesis(service, submission, error, code)


def test_a_ledger_needs_its_log_key_before_it_is_created(
    service: LedgerService, clock: ManualClock, unique: str, tmp_path: Path
) -> None:
    origin = f"ledger.example/ny{unique}"
    founder = PersonKey.generate("grundlaegger")
    # The log key was made on another machine and never installed on this server.
    elsewhere = LedgerService(service.store, LogKeyring(tmp_path / "andre-noegler"), clock=clock)
    submission = genesis(elsewhere, clock, origin, founder)

    refused_genesis(service, submission, UnknownLedgerError, "unknown_ledger")


def test_a_ledger_is_created_only_once(
    org: Organisation, service: LedgerService, clock: ManualClock
) -> None:
    usurper = PersonKey.generate("usurpator")

    with refused(org, LedgerExistsError, "ledger_exists"):
        service.append(org.origin, genesis(service, clock, org.origin, usurper).wire())


def test_a_second_ledger_created_event_is_refused_in_a_running_ledger(org: Organisation) -> None:
    usurper = PersonKey.generate("usurpator")
    created = ev.LedgerCreated(
        name="Overtaget",
        origin=org.origin,
        log_public_key=org.service.log_keys.signer(org.origin).verifier_key(),
        admin=ev.FoundingAdmin(
            person="usurpator", key_id=usurper.key_id, public_key=usurper.public_key_b64
        ),
    )
    second_genesis = next_submission(
        org, "admin", REGISTRY_STREAM, "LedgerCreated", created, key=usurper
    )

    with refused(org, StreamAlreadyStartedError, "stream_already_started"):
        org.service.append(org.origin, second_genesis.wire())


def test_events_for_a_ledger_that_does_not_exist_are_refused(
    org: Organisation, unique: str
) -> None:
    position = next_submission(
        org,
        "admin",
        REGISTRY_STREAM,
        "BodyEstablished",
        ev.BodyEstablished(body="trio", name="Trio", kind="trio"),
    )

    with refused(org, UnknownLedgerError, "unknown_ledger"):
        org.service.append(f"ledger.example/findes-ikke{unique}", position.wire())


def test_a_ledger_cannot_be_created_by_any_other_first_event(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    origin = f"ledger.example/ny{unique}"
    founder = PersonKey.generate("grundlaegger")
    service.log_keys.create(origin)
    not_a_genesis = first_registry_submission(
        founder,
        origin,
        "BodyEstablished",
        {"body": "hmed", "name": "HovedMED", "kind": "hovedmed"},
        time=clock(),
    )

    with pytest.raises(StreamNotStartedError) as caught:
        service.create_ledger(not_a_genesis)
    assert caught.value.code == "stream_not_started"
    assert_no_ledger(service, origin)
    refused_genesis(service, not_a_genesis, UnknownLedgerError, "unknown_ledger")


def test_structure_events_without_their_payload_cannot_be_judged(
    org: Organisation, clock: ManualClock
) -> None:
    """What a verifier meets if an opening or registry payload went missing from storage."""
    for stream, event_type, payload in [
        ("matter/ny-sag", "MatterOpened", school_structure(clock)),
        (REGISTRY_STREAM, "BodyEstablished", ev.BodyEstablished(body="t", name="T", kind="trio")),
    ]:
        person = "direktor" if event_type == "MatterOpened" else "admin"
        submission = next_submission(org, person, stream, event_type, payload)
        state = copy.deepcopy(org.service.state(org.origin))
        with pytest.raises(StreamNotStartedError) as caught:
            state.admit(submission.envelope, None, None, clock())
        assert caught.value.code == "stream_not_started"
