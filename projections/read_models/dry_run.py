"""The dry run of an event not yet signed: would it be admitted, and which findings would
it raise or close?

A client that is about to sign an event (the web application, before
anyone signs) asks first.  The write-time rules have already judged the
event when this module is called (``LedgerService.judge_unsigned``: the
same checks, in the same order, with the same refusal codes as a real
append, less the signature); a refused event changes nothing.  For an
admitted one the rulebook is evaluated over its matter's facts with the
event folded in, as leaf ``size`` of the log, and compared with the
matter's findings without it; so are the organisation rules (MED-15, matter
``""``), whose facts an event may change in any stream (an AMR appointed,
an annual work-environment discussion held).

"Shown" means what the findings read model would show: a finding whose
``due_at`` is not after the reference time, the greatest claimed time in
the log.  Signing the event moves that time to the event's claimed time
if it is later, so findings of other matters that wait for time to pass
(docs/RULEBOOK.md, *Time*) may fall due with it: they are raised too.
Nothing is written, anywhere: the facts are read from the log and folded
in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ledger.errors import LedgerError
from ledger.protocol.canonical import JSONObject
from ledger.protocol.envelope import MATTER_PREFIX, REGISTRY_STREAM, Body
from ledger.storage.store import Store
from projections.facts.encoding import fixed_time
from projections.facts.fold import LedgerFold
from projections.facts.logged import Logged, LoggedEvent, parse_moment
from projections.read_models.findings import (
    FindingView,
    finding_view,
    matter_rows,
    organisation_rows,
)
from projections.read_models.forecast import Upcoming
from projections.read_models.source import Row, RowSource
from projections.read_models.timeline import body_names
from projections.rulebook.organisation import ORGANISATION
from projections.vocabulary import Lang

Identity = tuple[str, str, str]
"""A finding while it stands: matter, rule, key."""


@dataclass(frozen=True)
class Refusal:
    """Why the event would be refused: the error ``append`` would raise."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DryRun:
    origin: str
    as_of: int
    """The tree size the event was judged at: it would be leaf ``as_of``."""
    stream: str
    event_type: str
    actor: str
    time: str
    admitted: bool
    refusal: Refusal | None
    reference_time: str
    """The time findings are judged at now (the latest claimed time in the log)."""
    reference_time_after: str
    """The time findings would be judged at once the event is signed."""
    raised: list[FindingView]
    """Findings shown once the event is signed that are not shown now."""
    closed: list[FindingView]
    """Findings shown now that would no longer be shown."""
    upcoming: list[Upcoming]
    """The forecast of the event's matter once it is signed: findings due later."""


def refused(origin: str, size: int, body: Body, error: LedgerError) -> DryRun:
    """The dry run of an event the write-time rules refuse: no finding changes."""
    details = json.loads(json.dumps(error.details, default=str))
    return _dry_run(origin, size, body, refusal=Refusal(error.code, error.message, details))


def _dry_run(
    origin: str,
    size: int,
    body: Body,
    *,
    refusal: Refusal | None = None,
    reference_time: str = "",
    reference_time_after: str = "",
    raised: Iterable[FindingView] = (),
    closed: Iterable[FindingView] = (),
    upcoming: Iterable[Upcoming] = (),
) -> DryRun:
    """The dry run of ``body`` as leaf ``size`` of ``origin``'s log: admitted unless refused."""
    return DryRun(
        origin=origin,
        as_of=size,
        stream=body.stream,
        event_type=body.type,
        actor=body.actor,
        time=body.time,
        admitted=refusal is None,
        refusal=refusal,
        reference_time=reference_time,
        reference_time_after=reference_time_after,
        raised=list(raised),
        closed=list(closed),
        upcoming=list(upcoming),
    )


def dry_run(
    store: Store,
    source: RowSource,
    origin: str,
    size: int,
    body: Body,
    payload: JSONObject,
    *,
    lang: Lang = "da",
) -> DryRun:
    """Which findings the admitted event ``body`` with ``payload`` would raise or close as
    leaf ``size`` of ``origin``'s log.

    The event's own matter and the organisation rules are judged from the
    log: the projections' own fold (``LedgerFold.resume``) as of leaf
    ``size``, with the event folded in after it, exactly as the projector
    would fold it.  The stored findings of other matters come from
    ``source`` (the live read models), whose ``due_at`` alone decides
    whether moving the reference time shows them.
    """
    before_time = _latest_time(store, origin, size)
    after_time = max(before_time, fixed_time(body.claimed_time))
    matter = body.stream.removeprefix(MATTER_PREFIX) if body.stream != REGISTRY_STREAM else None
    judged = _judge(store, origin, size, body, payload, matter, before_time)
    titles = _titles(source, origin, matter, judged.title)
    others = [
        r for r in source.rows("rm_findings", origin) if r["matter"] not in {ORGANISATION, matter}
    ]
    shown_before = _shown([*judged.before, *others], before_time)
    shown_after = _shown([*judged.after, *others], after_time)
    names = body_names(source, origin)

    def views(identities: Iterable[Identity], rows: Mapping[Identity, Row]) -> list[FindingView]:
        return [finding_view(rows[i], lang, titles, names) for i in sorted(identities)]

    upcoming = sorted(
        (
            Upcoming(
                finding_view(r, lang, titles, names),
                (parse_moment(r["due_at"]).date() - parse_moment(after_time).date()).days,
            )
            for r in judged.after
            if r["due_at"] > after_time and r["matter"] == matter
        ),
        key=lambda u: (u.finding.due_at, u.finding.rule, u.finding.key),
    )
    return _dry_run(
        origin,
        size,
        body,
        reference_time=before_time,
        reference_time_after=after_time,
        raised=views(shown_after.keys() - shown_before.keys(), shown_after),
        closed=views(shown_before.keys() - shown_after.keys(), shown_before),
        upcoming=upcoming,
    )


def _titles(
    source: RowSource, origin: str, matter: str | None, title: str | None
) -> dict[str, str]:
    """Every matter's title by id, with the event's own matter's when it opens it."""
    titles = {str(r["matter"]): str(r["title"]) for r in source.rows("rm_matters", origin)}
    if matter is not None and title is not None:
        titles.setdefault(matter, title)
    return titles


@dataclass(frozen=True)
class _Judged:
    """The findings of the event's matter and of the organisation, without and with it."""

    before: list[Row]
    after: list[Row]
    title: str | None  # the matter's title, from its opening (None: no matter event)


def _judge(
    store: Store,
    origin: str,
    size: int,
    body: Body,
    payload: JSONObject,
    matter: str | None,
    before_time: str,
) -> _Judged:
    """Fold the log up to leaf ``size``, judge, fold the event in after it, judge again."""
    fold = LedgerFold.resume(store, origin, size, before_time, cache_size=1)
    event = _hypothetical(size, body, payload)
    before = organisation_rows(origin, fold.registry, fold.latest)["rm_findings"]
    facts = None if matter is None else fold.matter(matter, event)
    if facts is not None and facts.events:
        before += matter_rows(origin, facts, fold.registry)["rm_findings"]
    fold.apply_one(event, fold.apply([]))
    after = organisation_rows(origin, fold.registry, fold.latest)["rm_findings"]
    if facts is not None:
        after += matter_rows(origin, facts, fold.registry)["rm_findings"]
    title = None if facts is None else facts.title
    return _Judged(before, after, title)


def _shown(rows: Iterable[Row], reference: str) -> dict[Identity, Row]:
    """The findings among ``rows`` due at ``reference``, by identity."""
    return {
        (str(r["matter"]), str(r["rule"]), str(r["key"])): r
        for r in rows
        if r["due_at"] <= reference
    }


def _latest_time(store: Store, origin: str, size: int) -> str:
    """The greatest claimed time below leaf ``size``: claimed times never decrease within a
    stream, so it is the latest of the streams' heads."""
    times = [
        parse_moment(json.loads(record.entry.decode())["body"]["time"])
        for record in store.heads_at(origin, size)
        if record.entry is not None
    ]
    return fixed_time(max(times)) if times else ""


def _hypothetical(size: int, body: Body, payload: JSONObject) -> Logged:
    """The event as the read models would see it once logged as leaf ``size``."""
    return LoggedEvent(
        leaf=size,
        stream=body.stream,
        seq=body.seq,
        type=body.type,
        actor=body.actor,
        time=body.time,
        moment=parse_moment(body.time),
        recorded_at=body.time,
        imported=body.imported,
        payload=json.loads(json.dumps(payload)),
        redacted_leaf=None,
    )
