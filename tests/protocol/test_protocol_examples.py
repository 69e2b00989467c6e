"""docs/PROTOCOL.md's worked example is what the code computes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.protocol import field_classes
from tests.protocol.worked_example import Step, compute

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"


@pytest.mark.parametrize("step", compute(), ids=lambda s: s.label)
def test_every_worked_example_value_is_printed_in_the_protocol(step: Step) -> None:
    text = PROTOCOL.read_text(encoding="utf-8")
    assert step.value in text, f"PROTOCOL.md does not show {step.label!r} as the code computes it"


@pytest.mark.parametrize("row", field_classes.rows(), ids=lambda r: r.split("`")[1])
def test_every_matter_events_routing_and_erasable_fields_are_printed(row: str) -> None:
    assert row in PROTOCOL.read_text(encoding="utf-8"), row
