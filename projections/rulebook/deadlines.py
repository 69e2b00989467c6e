"""When a rule's deadline falls: the start of a UTC calendar day (a deadline in calendar
months adds them with ``ledger.domain.guidelines.add_months``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def midnight(day: date) -> datetime:
    """The start of ``day`` in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)
