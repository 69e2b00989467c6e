"""Fixtures of the core suite: one matter in the test municipality, opened and ready.

The ``org`` fixture (tests/conftest.py) gives the municipality; ``matter``
adds the school-structure matter that most stories here continue: opened by
the director in HovedMED, who is also its decision maker.
"""

from __future__ import annotations

import pytest

from ledger.organisation import ManualClock, Organisation
from tests.core.matter_story import Matter
from tests.stories import school_structure


@pytest.fixture
def matter(org: Organisation, clock: ManualClock) -> Matter:
    """The school-structure matter, opened in HovedMED by the director."""
    opened = Matter(org, "skolestruktur")
    opened.act("direktor", school_structure(clock))
    return opened
