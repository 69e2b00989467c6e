"""Real bundles from the Ballerup demo ledger, built once per test session.

Building the demo ledger takes seconds; the verifier's tests only read the
bundles it hands out (each test deep-copies what it damages), so they share
one SQLite ledger.  The tests that check the server's bundles on both
backends keep using the per-test ``demo`` fixture.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demo.organisation import ManualClock
from demo.stories import build_ballerup
from ledger.service.application import LedgerService
from ledger.service.bundle import ledger_bundle, matter_bundle
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.stories.evidence import trust_of
from verifier.bundle import TrustRoot

SAVINGS = "okonomi-4mio"


@dataclass(frozen=True)
class RealBundles:
    """Ballerup's savings matter bundle, its whole-ledger bundle and its trust root."""

    matter: dict[str, Any]
    ledger: dict[str, Any]
    trust: TrustRoot

    def fresh_matter(self) -> dict[str, Any]:
        """A copy of the matter bundle that a test may damage."""
        return copy.deepcopy(self.matter)


def _on_the_stick(bundle: dict[str, Any]) -> dict[str, Any]:
    roundtrip: dict[str, Any] = json.loads(json.dumps(bundle))  # what a USB stick holds
    return roundtrip


@pytest.fixture(scope="session")
def real_bundles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealBundles]:
    folder: Path = tmp_path_factory.mktemp("ballerup")
    store = Store(f"sqlite:///{folder / 'ledger.db'}")
    clock = ManualClock()
    service = LedgerService(store, LogKeyring(folder / "log-keys"), clock=clock)
    org = build_ballerup(service, clock)
    yield RealBundles(
        _on_the_stick(matter_bundle(service, org.origin, SAVINGS)),
        _on_the_stick(ledger_bundle(service, org.origin)),
        trust_of(service, org.origin),
    )
    store.dispose()


_LEDGER_FIXTURES = frozenset({"store", "service", "org", "demo", "real_bundles"})
_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the verifier's tests that need no ledger first: they take milliseconds each, so a
    broken rule (or a mutant, in a mutation run) fails within a second."""
    ours = [item for item in items if item.path.is_relative_to(_HERE)]
    fast = [item for item in ours if not _LEDGER_FIXTURES & set(getattr(item, "fixturenames", ()))]
    chosen = set(map(id, fast))
    items[:] = fast + [item for item in items if id(item) not in chosen]
