"""RFC 8785 (JCS) canonical JSON: the only JSON medledger hashes or signs.

Floats are refused everywhere (DESIGN.md section 4): every number in a
signed object is an integer in the I-JSON safe range, so that independent
verifiers in any language produce the same bytes.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

import rfc8785

from ledger.errors import MalformedJSONError, NonCanonicalBodyError

JSONObject = dict[str, Any]


def canonical(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value``.

    Raises MalformedJSONError when ``value`` holds a float, an integer
    outside +-(2**53 - 1), or anything JSON cannot represent.
    """
    _refuse_floats(value)
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise MalformedJSONError(f"cannot canonicalize: {exc}") from exc


def parse_json(raw: bytes | str) -> Any:
    """Parse JSON strictly: no duplicate keys, no floats, no NaN or Infinity.

    Raises MalformedJSONError naming what is wrong.
    """
    try:
        return json.loads(
            raw,
            object_pairs_hook=_unique_keys,
            parse_float=_no_float,
            parse_constant=_no_constant,
        )
    except MalformedJSONError:
        raise
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedJSONError(f"not valid JSON: {exc}") from exc


def parse_canonical(raw: bytes) -> Any:
    """Parse ``raw`` and insist that it is already in canonical form.

    Raises MalformedJSONError for bad JSON and NonCanonicalBodyError when
    the bytes parse but differ from their own canonical form (key order,
    white space, escapes, number spelling).
    """
    value = parse_json(raw)
    if canonical(value) != raw:
        raise NonCanonicalBodyError(
            "JSON is not in RFC 8785 canonical form; canonicalize it before signing"
        )
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> JSONObject:
    result: JSONObject = {}
    for key, value in pairs:
        if key in result:
            raise MalformedJSONError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_float(text: str) -> NoReturn:
    raise MalformedJSONError(f"floating-point number {text} is not allowed")


def _no_constant(text: str) -> NoReturn:
    raise MalformedJSONError(f"{text} is not allowed")


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise MalformedJSONError(f"floating-point number {value!r} is not allowed")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_floats(item)
