"""Reading the moment a reader names as "now": the time the rulebook judges deadlines at.

The CLI (``--now``) and the HTTP API (``now=``) take the same text, so both
read it here: an ISO 8601 date or time, UTC when it names no time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ledger.errors import MalformedAsOfError


def parse_now(text: str | None, *, name: str = "now") -> datetime | None:
    """The moment ``text`` names, or None (the ledger's latest time) when it names none.

    ``name`` is how the caller spells the value in the error (``--now`` on
    the command line).  Raises MalformedAsOfError for text that is not a date
    or time.
    """
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedAsOfError(f"{name} {text!r} is not a date or time", now=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
