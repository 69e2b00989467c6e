"""An organisation in memory: a HovedMED, a LokalMED under it, a committee, and people."""

from __future__ import annotations

import pytest

from tests.domain.memory_ledger import MemoryLedger


@pytest.fixture(params=["kept", "lean"])
def ledger(request: pytest.FixtureRequest) -> MemoryLedger:
    """A ledger whose LokalMED has a management chair, a manager and a union representative.

    ``chef`` chairs the LokalMED for management and decides its matters;
    ``leder-bo`` sits on its management side; ``tr-anna`` is the employees'
    representative (tr); ``borger`` is enrolled but sits in no body.
    Every story runs twice: on the state the service keeps (every payload)
    and on the lean state a verification walk keeps; the verdicts must agree.
    """
    ledger = MemoryLedger(lean=request.param == "lean")
    for person in ("chef", "leder-bo", "tr-anna", "borger"):
        ledger.enrol(person)
    ledger.establish("hmed", "hovedmed")
    ledger.establish("lokal", "lokalmed", parent="hmed")
    ledger.establish("udvalg", "political_committee")
    ledger.appoint("lokal", "chef", "management", ("chair",))
    ledger.appoint("lokal", "leder-bo", "management")
    ledger.appoint("lokal", "tr-anna", "employees", ("tr",))
    return ledger


@pytest.fixture
def budget(ledger: MemoryLedger) -> str:
    """The stream of a budget matter of the LokalMED, opened by its chair, who decides it."""
    return ledger.open_matter(
        "budget-2026", "chef", responsible_body="lokal", decision_maker="chef"
    )
