"""Canonical JSON against the examples of RFC 8785 (sections 3.2.2, 3.2.3, Appendix B).

medledger's canonical JSON is RFC 8785 without floats and without integers
beyond 2**53 - 1: the RFC's examples of those are kept in the vector file
as refused, and each must be refused here.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from ledger.errors import MalformedJSONError
from ledger.protocol.canonical import canonical, parse_canonical, parse_json

VECTOR_FILE = json.loads(
    (Path(__file__).parents[1] / "vectors" / "rfc8785-jcs.json").read_text("utf-8")
)
CASES: list[dict[str, Any]] = VECTOR_FILE["cases"] + VECTOR_FILE["numbers"]
ACCEPTED = [case for case in CASES if not case.get("refused")]
REFUSED = [case for case in CASES if case.get("refused")]


def _id(case: dict[str, Any]) -> str:
    return str(case.get("name") or case["ieee754"])


@pytest.mark.parametrize("case", ACCEPTED, ids=[_id(c) for c in ACCEPTED])
def test_canonical_json_produces_the_rfc_bytes(case: dict[str, Any]) -> None:
    expected = case["output"].encode("utf-8")
    assert canonical(parse_json(case["input"])) == expected
    assert canonical(parse_canonical(expected)) == expected


@pytest.mark.parametrize("case", REFUSED, ids=[_id(c) for c in REFUSED])
def test_canonical_json_refuses_what_medledger_does_not_sign(case: dict[str, Any]) -> None:
    with pytest.raises(MalformedJSONError):
        canonical(parse_json(case["input"]))


@pytest.mark.parametrize(
    "case",
    [c for c in VECTOR_FILE["numbers"] if c.get("rfc_output")],
    ids=lambda c: str(c["ieee754"]),
)
def test_the_refused_numbers_are_the_rfc_serializations_of_their_bits(
    case: dict[str, Any],
) -> None:
    # Checks the vector file itself: a typo in a refused case would go unnoticed otherwise.
    value = struct.unpack(">d", bytes.fromhex(case["ieee754"]))[0]
    assert rfc8785.dumps(value).decode() == case["rfc_output"]


def test_the_sorting_example_orders_keys_by_utf16_code_units() -> None:
    case = next(c for c in VECTOR_FILE["cases"] if c["source"] == "RFC 8785 section 3.2.3")
    keys = list(json.loads(canonical(parse_json(case["input"]))))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
