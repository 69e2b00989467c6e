"""The involvement of a person (DESIGN.md section 5): per matter, when and how.

Two tables:

- ``rm_involvement``, one row per person, event and kind: ``acted`` (the
  person signed the event: a position, a disagreement, an acknowledgement,
  a decision, ... with the body, side and roles they held there then),
  ``present`` and ``absent`` (named so in a meeting's record);
- ``rm_body_involvement``, one row per body reached by an event:
  ``informed`` (material shared with it), ``consulted`` (a consultation
  opened in it), ``heard`` (a hearing sent to it).

A person was informed, consulted or heard when they sat in such a body at
that event's position: the query joins the body rows with the person's
appointments (``rm_memberships``), so a body of thirty members receiving
material costs one row, not thirty, and membership is always the one in
force at the event, never today's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ledger.domain import events as ev
from ledger.errors import PersonNotFoundError
from projections.facts.matter import Fact, MatterFacts
from projections.facts.registry import RegistryView
from projections.read_models.schema import ReadModel
from projections.read_models.source import Row, RowSource, split_list
from projections.read_models.timeline import body_names

BODY_KINDS = {
    ev.MaterialShared.__name__: "informed",
    ev.ConsultationOpened.__name__: "consulted",
    ev.HearingOpened.__name__: "heard",
}


def event_rows(
    origin: str, matter: MatterFacts, facts: list[Fact], registry: RegistryView
) -> dict[str, list[Row]]:
    """The involvement rows some events of a matter give."""
    people: list[Row] = []
    bodies: list[Row] = []
    for fact in facts:
        kind = BODY_KINDS.get(fact.type)
        if kind is not None:
            bodies.extend(_body_rows(origin, matter.matter, fact, kind))
        elif fact.is_(ev.MeetingHeld):
            people.extend(_meeting_rows(origin, matter.matter, fact, registry))
    return {"rm_involvement": people, "rm_body_involvement": bodies}


def _body_rows(origin: str, matter_id: str, fact: Fact, kind: str) -> list[Row]:
    """One row per body the event reached (informed, consulted or heard)."""
    return [
        {
            "origin": origin,
            "matter": matter_id,
            "seq": fact.seq,
            "body": body,
            "kind": kind,
            "leaf_index": fact.leaf,
            "claimed_time": fact.time,
            "event_type": fact.type,
            "imported": fact.imported,
        }
        for body in sorted(set(fact.bodies))
    ]


def _meeting_rows(origin: str, matter_id: str, fact: Fact, registry: RegistryView) -> list[Row]:
    """One row per person a meeting record names present or absent, with their seat then."""
    body = str(fact.get("body"))
    people: dict[tuple[str, str], Row] = {}
    for kind in ("present", "absent"):
        for person in fact.get(kind, []):
            tenure = registry.membership(body, person, fact.leaf)
            people[(person, kind)] = {
                "origin": origin,
                "matter": matter_id,
                "seq": fact.seq,
                "person": person,
                "kind": kind,
                "body": body,
                "leaf_index": fact.leaf,
                "claimed_time": fact.time,
                "event_type": fact.type,
                "side": None if tenure is None else tenure.side,
                "roles": "" if tenure is None else ",".join(tenure.roles),
                "imported": fact.imported,
            }
    return [people[k] for k in sorted(people)]


# --- the query -----------------------------------------------------------------


@dataclass(frozen=True)
class InvolvementItem:
    seq: int
    leaf_index: int
    claimed_time: str
    event_type: str
    kind: str
    body: str | None
    body_name: str | None
    side: str | None
    roles: list[str]
    imported: bool
    detail: str


@dataclass(frozen=True)
class MatterInvolvement:
    matter: str
    title: str | None  # None when withheld (``withhold_unreadable``)
    responsible_body: str
    items: list[InvolvementItem]
    withheld: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class MembershipLine:
    body: str
    body_name: str
    side: str
    roles: list[str]
    from_leaf: int
    until_leaf: int | None
    appointed_time: str
    left_time: str | None
    imported: bool


@dataclass(frozen=True)
class Involvement:
    origin: str
    as_of: int
    person: str
    name: str | None
    memberships: list[MembershipLine]
    matters: list[MatterInvolvement]


def require_person(source: RowSource, origin: str, person: str) -> None:
    """Raise PersonNotFoundError unless ``person`` is enrolled (as of the source)."""
    if not source.rows("rm_people", origin, person=person):
        raise PersonNotFoundError(f"no person {person!r} in {origin}", person=person)


def memberships(source: RowSource, origin: str, person: str) -> list[MembershipLine]:
    """Every appointment ``person`` has held, by body and start."""
    names = body_names(source, origin)
    found = [
        MembershipLine(
            body=r["body"],
            body_name=str(names.get(r["body"], r["body"])),
            side=r["side"],
            roles=split_list(r["roles"]),
            from_leaf=int(r["from_leaf"]),
            until_leaf=None if r["until_leaf"] is None else int(r["until_leaf"]),
            appointed_time=r["appointed_time"],
            left_time=r["left_time"],
            imported=bool(r["imported"]),
        )
        for r in source.rows("rm_memberships", origin, person=person)
    ]
    return sorted(found, key=lambda m: (m.from_leaf, m.body))


def person_items(
    source: RowSource, origin: str, person: str, *, matter: str | None = None
) -> list[tuple[str, InvolvementItem]]:
    """``(matter, item)`` for everything ``person`` was part of (in ``matter`` only, if given).

    What they signed comes from the timeline (``rm_timeline``, by actor);
    meeting records from ``rm_involvement``; and the body rows are joined
    with the person's appointments in force at each event.
    """
    bodies = body_names(source, origin)
    by_matter: dict[str, object] = {} if matter is None else {"matter": matter}
    found = [
        _item(r, "acted", r["body"], r, bodies, detail=r["detail"])
        for r in source.rows("rm_timeline", origin, actor=person, **by_matter)
    ]
    found += [
        _item(r, r["kind"], r["body"], r, bodies)
        for r in source.rows("rm_involvement", origin, person=person, **by_matter)
    ]
    for seat in source.rows("rm_memberships", origin, person=person):
        found += [
            _item(r, r["kind"], seat["body"], seat, bodies)
            for r in source.rows("rm_body_involvement", origin, body=seat["body"], **by_matter)
            if _in_force(seat, int(r["leaf_index"]))
        ]
    found.sort(key=lambda pair: (pair[1].leaf_index, pair[1].kind, pair[1].body or ""))
    return found


def _in_force(seat: Row, leaf: int) -> bool:
    """Was the appointment ``seat`` in force at the event at ``leaf``?"""
    until = seat["until_leaf"]
    return int(seat["from_leaf"]) < leaf and (until is None or leaf < int(until))


def _item(
    event: Row,
    kind: str,
    body: str | None,
    seat: Row,
    bodies: Mapping[str, str],
    *,
    detail: str = "",
) -> tuple[str, InvolvementItem]:
    """``(matter, item)`` for an event row, with the side and roles ``seat`` gives."""
    return (
        event["matter"],
        InvolvementItem(
            seq=int(event["seq"]),
            leaf_index=int(event["leaf_index"]),
            claimed_time=event["claimed_time"],
            event_type=event["event_type"],
            kind=kind,
            body=body,
            body_name=None if body is None else bodies.get(body, body),
            side=seat["side"],
            roles=split_list(seat["roles"]),
            imported=bool(event["imported"]),
            detail=detail,
        ),
    )


def withhold_unreadable(found: Involvement, may_read: Callable[[str], bool]) -> Involvement:
    """``found`` with the title of each matter ``may_read`` refuses withheld, and so stated.

    A person keeps their own involvement in a matter they may no longer (or
    never could) read, such as one their body sent a proposal to, or one of a
    body they left: what they did and when, which is routing information
    only.  The matter's title is its one free text here.
    """
    matters = [
        m if may_read(m.matter) else dataclasses.replace(m, title=None, withheld=["title"])
        for m in found.matters
    ]
    return dataclasses.replace(found, matters=matters)


def involvement(
    source: RowSource,
    origin: str,
    person: str,
    *,
    names: Mapping[str, str] | None = None,
) -> Involvement:
    """Everything ``person`` was part of, matter by matter; raises PersonNotFoundError."""
    require_person(source, origin, person)
    by_matter: dict[str, list[InvolvementItem]] = {}
    for matter_id, item in person_items(source, origin, person):
        by_matter.setdefault(matter_id, []).append(item)
    headers = {r["matter"]: r for r in source.rows("rm_matters", origin)}
    matters = []
    for matter_id, items in by_matter.items():
        header = headers.get(matter_id, {})
        matters.append(
            MatterInvolvement(
                matter=matter_id,
                title=str(header.get("title", matter_id)),
                responsible_body=str(header.get("responsible_body", "")),
                items=items,
            )
        )
    matters.sort(key=lambda m: (m.items[0].leaf_index, m.matter))
    return Involvement(
        origin=origin,
        as_of=source.tracking(origin, ReadModel.INVOLVEMENT).position,
        person=person,
        name=(names or {}).get(person),
        memberships=memberships(source, origin, person),
        matters=matters,
    )
