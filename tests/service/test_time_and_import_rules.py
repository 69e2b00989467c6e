"""Claimed time: near the server's clock, never backwards in a stream, past only when imported.

A ledger opened in import mode takes earlier systems' history with claimed
times in the past, every such event marked as imported; ``ImportCompleted``
ends that, and from then on imported events are refused like anywhere else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from demo.organisation import ManualClock, Organisation
from ledger import errors
from ledger.domain import events as ev
from ledger.protocol.envelope import REGISTRY_STREAM, Submission
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from ledger.service.verification import verify_ledger
from tests.stories.log_assertions import (
    first_registry_submission,
    next_submission,
    refused,
    stored_entries,
)
from tests.stories.matter import Matter
from tests.stories.school import school_structure


def union_position(text: str = "Vi er imod.") -> ev.PositionStated:
    return ev.PositionStated(body="hmed", side="employees", stance="oppose", text=text)


def test_a_claimed_time_far_from_the_servers_clock_is_refused(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    for off_by in (timedelta(minutes=6), -timedelta(minutes=6), timedelta(days=30)):
        too_far = next_submission(
            org, "tr", matter.stream, "PositionStated", union_position(), time=clock() + off_by
        )
        with refused(
            org,
            errors.ClaimedTimeOutOfToleranceError,
            "claimed_time_out_of_tolerance",
            stream=matter.stream,
        ) as caught:
            org.service.append(org.origin, too_far.wire())
        assert caught.value.details["claimed"] == too_far.envelope.body.time


def test_five_minutes_either_way_is_within_tolerance(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    slow_laptop = next_submission(
        org,
        "direktor",
        "matter/ny-sag",
        "MatterOpened",
        school_structure(clock),
        time=clock() - timedelta(minutes=5),
    )
    fast_laptop = next_submission(
        org,
        "tr",
        matter.stream,
        "PositionStated",
        union_position(),
        time=clock() + timedelta(minutes=5),
    )

    org.service.append(org.origin, slow_laptop.wire())
    org.service.append(org.origin, fast_laptop.wire())


def test_the_ledgers_rulebook_sets_the_tolerance(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    strict = Organisation(
        service,
        f"ledger.example/streng{unique}",
        "Streng kommune",
        clock,
        rulebook={"time_tolerance_seconds": 60},
    )
    body = ev.BodyEstablished(body="hmed", name="HovedMED", kind="hovedmed")

    def minutes_ahead(minutes: int) -> Submission:
        return next_submission(
            strict,
            "admin",
            REGISTRY_STREAM,
            "BodyEstablished",
            body,
            time=clock() + timedelta(minutes=minutes),
        )

    with refused(strict, errors.ClaimedTimeOutOfToleranceError, "claimed_time_out_of_tolerance"):
        service.append(strict.origin, minutes_ahead(2).wire())
    service.append(strict.origin, minutes_ahead(1).wire())


def test_claimed_times_never_go_back_within_a_stream(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    clock.advance(minutes=2)
    matter.act("tr", union_position("Først."))

    backdated = next_submission(
        org,
        "amr",
        matter.stream,
        "PositionStated",
        union_position("Bagud."),
        time=clock() - timedelta(minutes=1),
    )
    with refused(
        org, errors.ClaimedTimeDecreasedError, "claimed_time_decreased", stream=matter.stream
    ):
        org.service.append(org.origin, backdated.wire())

    # The same moment is not going back; and other streams have their own order.
    same_moment = next_submission(
        org, "amr", matter.stream, "PositionStated", union_position("Samtidig."), time=clock()
    )
    org.service.append(org.origin, same_moment.wire())
    other_stream = next_submission(
        org,
        "admin",
        REGISTRY_STREAM,
        "BodyEstablished",
        ev.BodyEstablished(body="trio", name="Trio", kind="trio", parent="lmed"),
        time=clock() - timedelta(minutes=1),
    )
    org.service.append(org.origin, other_stream.wire())


def test_imported_events_need_a_ledger_in_import_mode(
    org: Organisation, matter: Matter, clock: ManualClock
) -> None:
    with refused(org, errors.ImportModeRequiredError, "import_mode_required", stream=matter.stream):
        org.client("tr").append(matter.stream, union_position(), imported=True)

    a_year_ago = next_submission(
        org,
        "tr",
        matter.stream,
        "PositionStated",
        union_position(),
        time=clock() - timedelta(days=365),
        imported=True,
    )
    with refused(org, errors.ImportModeRequiredError, "import_mode_required", stream=matter.stream):
        org.service.append(org.origin, a_year_ago.wire())


def municipality_migrating_history(
    service: LedgerService, clock: ManualClock, unique: str
) -> Organisation:
    """A municipality that moves its old MED minutes into a new ledger."""
    migrating = Organisation(
        service, f"ledger.example/migrering{unique}", "Migreringskommune", clock, import_mode=True
    )
    for person in ("direktor", "tr"):
        migrating.person(person, person.title())
    migrating.body("hmed", "HovedMED", "hovedmed")
    migrating.appoint("hmed", "direktor", "management", "chair")
    migrating.appoint("hmed", "tr", "employees", "vice_chair")
    return migrating


def old_matter_imported(
    service: LedgerService, clock: ManualClock, unique: str
) -> tuple[Organisation, Matter, datetime]:
    """The migrating municipality imports the opening of its 2024 budget matter, dated
    about a year before now; returns the organisation, the matter and that date."""
    migrating = municipality_migrating_history(service, clock, unique)
    old = Matter(migrating, "budget-2024")
    last_year = clock() - timedelta(days=400)
    migrating.client("direktor").append(
        old.stream, school_structure(clock), imported=True, time=last_year
    )
    return migrating, old, last_year


def test_history_is_imported_with_past_times_and_marked_imported(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    migrating, old, last_year = old_matter_imported(service, clock, unique)
    migrating.client("tr").append(
        old.stream, union_position(), imported=True, time=last_year + timedelta(days=14)
    )
    imported_via_raw_submission = next_submission(
        migrating,
        "direktor",
        old.stream,
        "DecisionMade",
        ev.DecisionMade(outcome="Vedtaget.", rationale="Budgettet skal balancere."),
        time=last_year + timedelta(days=30),
        imported=True,
    )
    service.append(migrating.origin, imported_via_raw_submission.wire())

    assert [entry.body.imported for entry in stored_entries(migrating, old.stream)] == [True] * 3
    assert verify_ledger(service.store, migrating.origin).imported == 3


def test_import_mode_keeps_the_other_time_rules(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    migrating, old, last_year = old_matter_imported(service, clock, unique)

    not_marked_imported = next_submission(
        migrating, "tr", old.stream, "PositionStated", union_position(), time=last_year
    )
    with refused(
        migrating,
        errors.ClaimedTimeOutOfToleranceError,
        "claimed_time_out_of_tolerance",
        stream=old.stream,
    ):
        service.append(migrating.origin, not_marked_imported.wire())

    before_the_opening = next_submission(
        migrating,
        "tr",
        old.stream,
        "PositionStated",
        union_position(),
        time=last_year - timedelta(days=1),
        imported=True,
    )
    with refused(
        migrating, errors.ClaimedTimeDecreasedError, "claimed_time_decreased", stream=old.stream
    ):
        service.append(migrating.origin, before_the_opening.wire())


def test_the_admin_completes_the_import_and_imported_events_are_refused_after(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    migrating, old, last_year = old_matter_imported(service, clock, unique)

    with refused(migrating, errors.SignerNotAdminError, "signer_not_admin"):
        migrating.registry(ev.ImportCompleted(imported_events=1), by="direktor")
    migrating.registry(ev.ImportCompleted(imported_events=1))

    with refused(
        migrating, errors.ImportModeRequiredError, "import_mode_required", stream=old.stream
    ):
        migrating.client("tr").append(
            old.stream, union_position(), imported=True, time=last_year + timedelta(days=1)
        )
    migrating.act("tr", "budget-2024", union_position("Efter importen."))
    report = verify_ledger(service.store, migrating.origin)
    assert report.imported == 1


def test_imported_history_lies_in_the_past_not_the_future(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    """A claimed time far ahead would block the stream for everyone until that day."""
    migrating = municipality_migrating_history(service, clock, unique)
    stream = "matter/budget-2024"

    def imported_opening_dated(ahead: timedelta) -> Submission:
        opened = school_structure(clock)
        return next_submission(
            migrating,
            "direktor",
            stream,
            "MatterOpened",
            opened,
            time=clock() + ahead,
            imported=True,
        )

    next_year = imported_opening_dated(timedelta(days=365))
    with refused(
        migrating,
        errors.ClaimedTimeOutOfToleranceError,
        "claimed_time_out_of_tolerance",
        stream=stream,
    ):
        service.append(migrating.origin, next_year.wire())

    a_fast_clock = imported_opening_dated(timedelta(minutes=4))
    service.append(migrating.origin, a_fast_clock.wire())


def test_a_genesis_marked_imported_needs_a_ledger_in_import_mode(
    service: LedgerService, clock: ManualClock, unique: str
) -> None:
    for import_mode in (False, True):
        origin = f"ledger.example/gammel-{str(import_mode).lower()}{unique}"
        founder = PersonKey.generate("admin")
        created = ev.LedgerCreated(
            name="Gammel kommune",
            origin=origin,
            log_public_key=service.log_keys.create(origin).verifier_key(),
            admin=ev.FoundingAdmin(
                person="admin", key_id=founder.key_id, public_key=founder.public_key_b64
            ),
            import_mode=import_mode,
        )
        backdated_genesis = first_registry_submission(
            founder,
            origin,
            "LedgerCreated",
            created,
            time=clock() - timedelta(days=3000),
            imported=True,
        )
        if import_mode:
            service.append(origin, backdated_genesis.wire())
            assert verify_ledger(service.store, origin).imported == 1
        else:
            with pytest.raises(errors.ImportModeRequiredError) as caught:
                service.append(origin, backdated_genesis.wire())
            assert caught.value.code == "import_mode_required"
            assert service.store.ledger(origin) is None
