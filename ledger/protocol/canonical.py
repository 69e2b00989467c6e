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


MAX_SAFE_INTEGER = 2**53 - 1


def canonical(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value``.

    Raises MalformedJSONError when ``value`` holds a float, an integer
    outside +-(2**53 - 1), or anything JSON cannot represent.

    For values whose object keys are all ASCII and whose strings have no
    lone surrogates, the C-accelerated ``json.dumps`` with sorted keys and
    no white space yields exactly the RFC 8785 bytes (same escapes, same
    integer form, and code-point order equals UTF-16 order for ASCII keys);
    everything else goes through the ``rfc8785`` package.  A property test
    checks the two agree.
    """
    if _plain(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise MalformedJSONError(f"cannot canonicalize: {exc}") from exc
    except RecursionError as exc:
        raise MalformedJSONError("JSON is nested too deeply") from exc


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
    except RecursionError as exc:  # a request must not be able to crash the parser
        raise MalformedJSONError("JSON is nested too deeply") from exc


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


def _plain(value: Any) -> bool:
    """True when ``json.dumps`` gives the canonical bytes; raise on floats.

    False sends the value to the ``rfc8785`` package, which also raises
    for integers out of range and other values JSON cannot represent.
    """
    if isinstance(value, str):
        return value.isascii() or not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if isinstance(value, float):
        raise MalformedJSONError(f"floating-point number {value!r} is not allowed")
    if isinstance(value, dict):
        plain = True
        for key, item in value.items():
            if not (isinstance(key, str) and key.isascii()):
                plain = False
            if not _plain(item):
                plain = False
        return plain
    if isinstance(value, (list, tuple)):
        plain = True
        for item in value:
            if not _plain(item):
                plain = False
        return plain
    return False
