"""When a notice may go out by e-mail: the person's digest, reminders ahead of deadlines.

Times are UTC in the outbox; days and the digest hour are Copenhagen's
(where the MED bodies meet).  A daily digest sends a day's notices together
the next morning at the digest hour; a weekly one on Monday morning;
immediate as soon as a notice is due.  Reminders (a respond-by date, a
breach claim's remedy window) are sent ``reminder_days`` before their day,
at the digest hour, whatever the digest: they are the reason to be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from projections.read_models.notices import NoticeKind
from projections.vocabulary import LOCAL_TIME

DIGESTS = ("immediate", "daily", "weekly")
DEFAULT_DIGEST = "daily"
REMINDERS = frozenset({NoticeKind.RESPOND_BY, NoticeKind.DEADLINE})


@dataclass(frozen=True)
class Timing:
    digest_hour: int = 7
    reminder_days: int = 2


def parse_fixed(text: str) -> datetime:
    """A fixed-width UTC time of the outbox as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def fixed(moment: datetime) -> str:
    """An aware datetime as the outbox's fixed-width UTC text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _morning(day: date, timing: Timing) -> datetime:
    return datetime.combine(day, time(timing.digest_hour), tzinfo=LOCAL_TIME).astimezone(UTC)


def due_moment(kind: str, due_at: str, timing: Timing) -> datetime:
    """When a notice becomes news: a reminder's morning, or the moment itself."""
    moment = parse_fixed(due_at)
    if kind in REMINDERS:
        return _morning(moment.date() - timedelta(days=timing.reminder_days), timing)
    return moment


def send_after(kind: str, due_at: str, digest: str, timing: Timing) -> datetime:
    """The earliest moment a notice may be sent to a person with ``digest``."""
    due = due_moment(kind, due_at, timing)
    if kind in REMINDERS or digest == "immediate":
        return due
    local_day = due.astimezone(LOCAL_TIME).date()
    if digest == "weekly":
        return _morning(local_day + timedelta(days=7 - local_day.weekday()), timing)
    return _morning(local_day + timedelta(days=1), timing)
