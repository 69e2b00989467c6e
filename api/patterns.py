"""The exact text forms the server accepts, as regular expressions.

Each pattern means the same in Python's ``re``, in pydantic's Rust engine
and in ECMA 262 (the dialect of the OpenAPI document's JSON Schema): only
``[0-9]`` (``\\d`` matches every Unicode digit in the first two and only
ASCII in the third), no look-around, no inline flags.  So the published
schema admits exactly what the server's own check admits, and the test
``tests/api/test_openapi_exact.py`` holds the two to that.

Dates are calendar-exact (no 30 February; 29 February only in leap years),
because the server parses them with ``datetime`` after matching.
"""

from __future__ import annotations

import re

MAX_SAFE_INTEGER = 2**53 - 1

_MONTH_DAY = (
    "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"  # every month has days 1 to 28
    "|(0[13-9]|1[0-2])-(29|30)"  # every month but February has 29 and 30
    "|(0[13578]|1[02])-31)"
)
_LEAP_MULTIPLE_OF_4 = "(0[48]|[2468][048]|[13579][26])"
_CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
_MICROSECONDS = (
    r"\.([1-9][0-9]{5}|0[1-9][0-9]{4}|00[1-9][0-9]{3}|000[1-9][0-9]{2}|0000[1-9][0-9]|00000[1-9])"
)
_OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"


_LEAP_YEAR = f"([1-9][0-9]{_LEAP_MULTIPLE_OF_4}|([13579][26]|[2468][048])00)"
"""The leap years from 1000 on: multiples of 4 but not of 100, and multiples of 400."""


def _date(year: str) -> str:
    """A calendar date ``YYYY-MM-DD`` of a year that ``year`` matches (1000 or later)."""
    return f"({year}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"


CLAIMED_TIME_PATTERN = f"^{_date('[1-9][0-9]{3}')}T{_CLOCK}({_MICROSECONDS})?Z$"
"""A body's claimed time: ``parse_time``'s one form, ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``.

Exactly what ``format_time`` writes: the fraction has six digits, not all
zero, or is left out; years below 1000 have no four-digit form there."""

# Years 1000 to 9998: a time with an offset then stays within datetime's range in UTC.
_READ_DATE = _date("([1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])")
_MOMENT = f"{_READ_DATE}T{_CLOCK}(\\.[0-9]{{1,6}})?"

AS_OF_PATTERN = f"^([0-9]+|{_READ_DATE}|{_MOMENT}{_OFFSET})$"
"""``as_of``: a tree size, a date, or a time with its offset (``Z`` for UTC)."""

NOW_PATTERN = f"^({_READ_DATE}|{_MOMENT}{_OFFSET}?)$"
"""``now``: a date, or a time (UTC when it names no offset)."""

RULE_PATTERN = "^[Mm][Ee][Dd]-?[0-9]{1,2}$"
"""A rule of the MED rulebook: ``MED-04``, ``med4`` ..."""

_BASE64 = "[A-Za-z0-9+/]"
# The last character before padding carries bits past the data, which must be zero.
_TWO_BITS_FREE = "[AEIMQUYcgkosw048]"
_FOUR_BITS_FREE = "[AQgw]"


def canonical_base64_pattern(length: int) -> str:
    """The canonical standard base64 (with padding) of exactly ``length`` bytes."""
    whole, rest = divmod(length, 3)
    head = f"{_BASE64}{{{4 * whole + rest}}}" if rest else f"{_BASE64}{{{4 * whole}}}"
    if rest == 1:
        return f"^{head}{_FOUR_BITS_FREE}==$"
    if rest == 2:
        return f"^{head}{_TWO_BITS_FREE}=$"
    return f"^{head}$"


def matches(pattern: str, text: str) -> bool:
    """Does ``text`` match ``pattern`` (anchored), as the schema's validator would judge?"""
    return re.fullmatch(pattern.removeprefix("^").removesuffix("$"), text) is not None
