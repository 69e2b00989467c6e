"""docs/PROTOCOL.md's worked example is what the code computes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.protocol.worked_example import Step, compute

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"


@pytest.mark.parametrize("step", compute(), ids=lambda s: s.label)
def test_every_worked_example_value_is_printed_in_the_protocol(step: Step) -> None:
    text = PROTOCOL.read_text(encoding="utf-8")
    assert step.value in text, f"PROTOCOL.md does not show {step.label!r} as the code computes it"
