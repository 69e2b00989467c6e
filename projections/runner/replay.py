"""Replay "as of" a past point: the read models computed from a prefix of the log.

An as-of point is a tree size (``120``: the first 120 events) or a date or
time (``2026-03-01``, ``2026-03-01T12:00:00Z``): the longest prefix of the
log whose events were all *recorded* by then, which is what the live read
models showed at that moment.  The replay folds that prefix in memory with
the same code as the live projector and hands the rows to the same query
functions, so the two agree by construction (and the tests check it).

One difference is deliberate: a payload erased later (``PayloadRedacted``)
is gone from the log, so a replay to a point before the erasure shows the
event as erased, where the live model showed it at the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from ledger.errors import AsOfOutOfRangeError, MalformedAsOfError, UnknownLedgerError
from ledger.protocol.envelope import MATTER_PREFIX
from ledger.storage.store import Store
from projections.facts.fold import LedgerFold
from projections.facts.logged import decode, parse_moment
from projections.read_models.materialise import all_rows
from projections.read_models.schema import READ_MODELS, ReadModelSchema
from projections.read_models.source import MemorySource

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AsOf:
    """A resolved as-of point: the tree size it stands for, and how it was asked."""

    size: int
    asked: str


def resolve_as_of(store: Store, origin: str, asked: str) -> AsOf:
    """Turn ``--as-of`` text into a tree size of ``origin``'s log.

    Raises MalformedAsOfError for text that is neither a size nor a date or
    time, AsOfOutOfRangeError for a point before the ledger's first event or
    after its last, UnknownLedgerError for an unknown ledger.
    """
    row = store.ledger(origin)
    if row is None:
        raise UnknownLedgerError(f"no ledger {origin!r} in this store", ledger=origin)
    text = asked.strip()
    if text.isdigit():
        return AsOf(_within(int(text), text, row.tree_size), text)
    return AsOf(_size_at_time(store, origin, row.tree_size, text), text)


def _within(wanted: int, text: str, size: int) -> int:
    """``wanted``, a tree size of a log of ``size`` leaves; raise AsOfOutOfRangeError."""
    if not 1 <= wanted <= size:
        raise AsOfOutOfRangeError(
            f"as-of tree size {wanted} is outside this ledger's 1..{size}",
            as_of=text,
            tree_size=size,
        )
    return wanted


def _size_at_time(store: Store, origin: str, size: int, text: str) -> int:
    """The tree size as of a date or time; raise AsOfOutOfRangeError outside the log's span."""
    moment, whole_day = _moment(text)
    first, last = store.record(origin, 0), store.record(origin, size - 1)
    assert first is not None and last is not None
    start, end = parse_moment(first.recorded_at), parse_moment(last.recorded_at)
    if whole_day:
        before, after = moment.date() < start.date(), moment.date() > end.date()
    else:
        before, after = moment < start, moment > end
    if before:
        raise AsOfOutOfRangeError(
            f"as-of {text} is before this ledger's first event ({first.recorded_at})",
            as_of=text,
            first=first.recorded_at,
        )
    if after:
        raise AsOfOutOfRangeError(
            f"as-of {text} is after this ledger's last event ({last.recorded_at}); "
            "leave out --as-of for the current state",
            as_of=text,
            last=last.recorded_at,
        )
    return _size_at(store, origin, size, moment)


def _moment(text: str) -> tuple[datetime, bool]:
    """The end of a day, or a moment; and whether a whole day was given."""
    try:
        if _DATE.fullmatch(text):
            day = datetime.fromisoformat(text).date()
            return datetime.combine(day, time.max, tzinfo=UTC), True
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedAsOfError(
            f"as-of {text!r} is neither a tree size nor a date (YYYY-MM-DD) or "
            "time (YYYY-MM-DDTHH:MM:SSZ)",
            as_of=text,
        ) from None
    if moment.tzinfo is None:
        raise MalformedAsOfError(f"as-of time {text!r} needs a time zone (Z for UTC)", as_of=text)
    return moment.astimezone(UTC), False


def _size_at(store: Store, origin: str, size: int, moment: datetime) -> int:
    """The number of leading leaves recorded at or before ``moment`` (binary search)."""
    low, high = 0, size  # the answer lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        record = store.record(origin, middle)
        assert record is not None
        if parse_moment(record.recorded_at) <= moment:
            low = middle + 1
        else:
            high = middle
    return low


def replay(
    store: Store,
    origin: str,
    size: int,
    *,
    matters: set[str] | None = None,
    schema: ReadModelSchema | None = None,
) -> MemorySource:
    """Every read model of ``origin`` as of tree size ``size``, computed in memory.

    ``matters`` limits the matters folded (the registry always is) when a
    query needs only some; the reference time still counts every event.
    """
    fold = LedgerFold(origin)
    changes_sink = fold.apply([])  # an empty change set to fold into
    for record in store.entries(origin, 0, size):
        skipped = (
            matters is not None
            and record.stream.startswith(MATTER_PREFIX)
            and record.stream[len(MATTER_PREFIX) :] not in matters
        )
        if skipped:
            fold.skip(decode(record))
            continue
        fold.apply_one(decode(record), changes_sink)
    tables = all_rows(fold, READ_MODELS)
    return MemorySource(
        schema or ReadModelSchema(store), origin, tables, fold.position, fold.latest_time
    )
