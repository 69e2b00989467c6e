"""Canonical JSON: RFC 8785 bytes for everything medledger hashes or signs."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import MalformedJSONError, NonCanonicalBodyError
from ledger.protocol.canonical import canonical, parse_canonical, parse_json

safe_ints = st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | safe_ints | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_canonical_bytes_are_what_the_rfc8785_package_produces(value: Any) -> None:
    assert canonical(value) == rfc8785.dumps(value)


def test_keys_sort_by_utf16_code_units_not_code_points() -> None:
    # U+E000 sorts after U+1F600 as code points, before it as UTF-16 units.
    value = {"\ue000": 1, "\U0001f600": 2, "a": 3}
    assert canonical(value) == rfc8785.dumps(value)
    assert canonical(value).index("\U0001f600".encode()) < canonical(value).index("\ue000".encode())


def test_escapes_follow_rfc8785() -> None:
    assert canonical({"t": 'a"b\\c\n\t\u0001\u007f\u2028é'}) == rfc8785.dumps(
        {"t": 'a"b\\c\n\t\u0001\u007f\u2028é'}
    )


@pytest.mark.parametrize("value", [1.5, {"a": [0.0]}, 2**53, -(2**53)])
def test_floats_and_unsafe_integers_are_refused(value: Any) -> None:
    with pytest.raises(MalformedJSONError):
        canonical(value)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b'{"a":1,"a":2}', MalformedJSONError),
        (b'{"a":1.0}', MalformedJSONError),
        (b'{"a":NaN}', MalformedJSONError),
        (b"{not json", MalformedJSONError),
        (b'{"b":1,"a":2}', NonCanonicalBodyError),
        (b'{"a": 1}', NonCanonicalBodyError),
        (b'{"a":"\\u00e9"}', NonCanonicalBodyError),
    ],
)
def test_bad_or_non_canonical_bytes_are_refused(raw: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_canonical(raw)


def test_parse_json_keeps_integers_exact() -> None:
    assert parse_json(b'{"n":9007199254740991}') == {"n": 2**53 - 1}
