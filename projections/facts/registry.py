"""The registry as the read models see it: people, bodies and memberships over time.

Unlike ``ledger.domain.registry.RegistryState`` (the registry *now*, with keys,
for judging a write), this view keeps every appointment with the leaf
that started and ended it, so any question can be asked "as of" the
position of an event: who sat in a body, on which side, in which roles,
when that event was logged.  It holds no keys and does no I/O.

An appointment logged at leaf ``a`` and ended at leaf ``l`` is in force
for the events at leaves ``a < p < l``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ledger.domain import events as ev
from projections.facts.encoding import json_text
from projections.facts.logged import Logged
from projections.facts.organisation import OrganisationFacts

Row = dict[str, Any]


@dataclass
class Tenure:
    """One appointment of a person to a body."""

    body: str
    person: str
    side: str
    roles: tuple[str, ...]
    from_leaf: int
    appointed_time: str
    from_date: str | None
    imported: bool = False  # the appointment was imported (docs/PROTOCOL.md section 8)
    until_leaf: int | None = None
    until_date: str | None = None
    left_time: str | None = None

    def active_at(self, leaf: int) -> bool:
        return self.from_leaf < leaf and (self.until_leaf is None or leaf < self.until_leaf)


@dataclass
class BodyInfo:
    body: str
    name: str
    kind: str
    parent: str | None
    unit: str | None
    established_leaf: int
    established_time: str
    dissolved_leaf: int | None = None
    dissolved_time: str | None = None
    rulebooks: list[tuple[int, dict[str, int]]] = field(default_factory=list)
    """The body's local rule parameters (its forretningsorden) over time: each setting
    with the leaf that made it (``BodyEstablished``, then each ``BodyRulesSet``)."""

    def rulebook_at(self, leaf: int) -> dict[str, int]:
        """The body's own rule parameters in force at leaf ``leaf`` (set at a leaf before it)."""
        found: dict[str, int] = {}
        for set_at, rulebook in self.rulebooks:
            if set_at < leaf:
                found = rulebook
        return found


@dataclass
class PersonInfo:
    person: str
    roles: tuple[str, ...]
    enrolled_leaf: int
    enrolled_time: str


@dataclass
class LedgerInfo:
    origin: str
    name: str
    import_mode: bool
    rulebook: dict[str, int]
    created_leaf: int
    created_time: str
    import_completed_leaf: int | None = None


@dataclass
class RegistryChanges:
    """Which registry rows a batch of events changed."""

    ledger: bool = False
    people: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    tenures: set[tuple[str, str, int]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.ledger or bool(self.people or self.bodies or self.tenures)


class RegistryView:
    """People, bodies and appointments of one ledger, with their history."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.ledger: LedgerInfo | None = None
        self.people: dict[str, PersonInfo] = {}
        self.bodies: dict[str, BodyInfo] = {}
        self.tenures: dict[str, dict[str, list[Tenure]]] = {}
        self.organisation = OrganisationFacts()
        """What the organisation holds across matters (the guideline register, annual
        work-environment discussions): folded by ``LedgerFold``, asked by the rules."""

    # --- questions as of a position ----------------------------------------

    @property
    def rulebook(self) -> dict[str, int]:
        return {} if self.ledger is None else self.ledger.rulebook

    def rule_setting(self, body: str | None, key: str, default: int, at: int) -> int:
        """A rule parameter as ``body``'s local rules in force at leaf ``at`` set it, else
        as the ledger sets it, else ``default`` (``key`` as in ``med-07.material_days``).

        The same lookup order as ``ledger.domain.registry.RegistryState.rule_setting``,
        asked as of a position so that a later ``BodyRulesSet`` never changes how an
        earlier event was judged.
        """
        info = self.bodies.get(body) if body is not None else None
        if info is not None:
            local = info.rulebook_at(at)
            if key in local:
                return local[key]
        return self.rulebook.get(key, default)

    def body_below(self, body: str, top: str, at: int) -> bool:
        """Is ``body`` the body ``top`` or one below it (its parent chain at leaf ``at``)?"""
        seen: set[str] = set()
        current: str | None = body
        while current is not None and current not in seen:
            if current == top:
                return True
            seen.add(current)
            info = self.bodies.get(current)
            current = info.parent if info is not None and info.established_leaf < at else None
        return False

    def membership(self, body: str, person: str, at: int) -> Tenure | None:
        """The appointment of ``person`` in ``body`` in force at leaf ``at``."""
        for tenure in self.tenures.get(body, {}).get(person, ()):
            if tenure.active_at(at):
                return tenure
        return None

    def members(self, body: str, at: int) -> list[Tenure]:
        """Everyone sitting in ``body`` at leaf ``at``, in order of appointment."""
        found: list[Tenure] = []
        for tenures in self.tenures.get(body, {}).values():
            for tenure in tenures:
                if tenure.from_leaf < at and (tenure.until_leaf is None or at < tenure.until_leaf):
                    found.append(tenure)
                    break
        return found

    def bodies_of(self, person: str, at: int) -> list[Tenure]:
        """Every body ``person`` sits in at leaf ``at``, by body id."""
        found: list[Tenure] = []
        for body in sorted(self.tenures):
            tenure = self.membership(body, person, at)
            if tenure is not None:
                found.append(tenure)
        return found

    def body_name(self, body: str | None) -> str:
        if body is None:
            return "?"
        info = self.bodies.get(body)
        return body if info is None else info.name

    # --- folding registry events in ---------------------------------------

    def apply(self, event: Logged, changes: RegistryChanges) -> None:
        """Fold one registry event in, noting which rows it changes."""
        fold = _FOLDS.get(event.type)
        if fold is not None:
            fold(self, event.data, event, changes)

    def _ledger_created(
        self, payload: ev.LedgerCreated, event: Logged, changes: RegistryChanges
    ) -> None:
        leaf, when = event.leaf, event.time
        self.ledger = LedgerInfo(
            origin=payload.origin,
            name=payload.name,
            import_mode=payload.import_mode,
            rulebook=dict(payload.rulebook),
            created_leaf=leaf,
            created_time=when,
        )
        admin = payload.admin.person
        self.people[admin] = PersonInfo(admin, ("admin",), leaf, when)
        changes.ledger = True
        changes.people.add(admin)

    def _import_completed(
        self, payload: ev.ImportCompleted, event: Logged, changes: RegistryChanges
    ) -> None:
        if self.ledger is not None:
            self.ledger.import_mode = False
            self.ledger.import_completed_leaf = event.leaf
            changes.ledger = True

    def _person_enrolled(
        self, payload: ev.PersonEnrolled, event: Logged, changes: RegistryChanges
    ) -> None:
        person = payload.person
        self.people[person] = PersonInfo(
            person, tuple(sorted(payload.roles)), event.leaf, event.time
        )
        changes.people.add(person)

    def _body_established(
        self, payload: ev.BodyEstablished, event: Logged, changes: RegistryChanges
    ) -> None:
        leaf, when = event.leaf, event.time
        body = payload.body
        self.bodies[body] = BodyInfo(
            body,
            payload.name,
            payload.kind,
            payload.parent,
            payload.unit,
            leaf,
            when,
            rulebooks=[(leaf, dict(payload.rulebook))],
        )
        changes.bodies.add(body)

    def _body_rules_set(
        self, payload: ev.BodyRulesSet, event: Logged, changes: RegistryChanges
    ) -> None:
        info = self.bodies.get(payload.body)
        if info is not None:
            info.rulebooks.append((event.leaf, dict(payload.rulebook)))

    def _body_dissolved(
        self, payload: ev.BodyDissolved, event: Logged, changes: RegistryChanges
    ) -> None:
        leaf, when = event.leaf, event.time
        body = payload.body
        info = self.bodies.get(body)
        if info is not None:
            info.dissolved_leaf, info.dissolved_time = leaf, when
            changes.bodies.add(body)
        for person, tenures in self.tenures.get(body, {}).items():
            for tenure in tenures:
                if tenure.until_leaf is None:
                    tenure.until_leaf, tenure.left_time = leaf, when
                    changes.tenures.add((body, person, tenure.from_leaf))

    def _member_appointed(
        self, payload: ev.MemberAppointed, event: Logged, changes: RegistryChanges
    ) -> None:
        leaf, when = event.leaf, event.time
        body, person = payload.body, payload.person
        tenure = Tenure(
            body=body,
            person=person,
            side=payload.side,
            roles=tuple(sorted(payload.roles)),
            from_leaf=leaf,
            appointed_time=when,
            from_date=payload.from_date,
            imported=event.imported,
            until_date=payload.until,
        )
        self.tenures.setdefault(body, {}).setdefault(person, []).append(tenure)
        changes.tenures.add((body, person, leaf))

    def _member_left(self, payload: ev.MemberLeft, event: Logged, changes: RegistryChanges) -> None:
        leaf, when = event.leaf, event.time
        body, person = payload.body, payload.person
        for tenure in self.tenures.get(body, {}).get(person, ()):
            if tenure.until_leaf is None:
                tenure.until_leaf, tenure.left_time = leaf, when
                if payload.until:
                    tenure.until_date = payload.until
                changes.tenures.add((body, person, tenure.from_leaf))

    # --- rows of the registry read model -----------------------------------

    def rows(self, changes: RegistryChanges | None = None) -> dict[str, list[Row]]:
        """Rows of rm_ledgers, rm_people, rm_bodies, rm_memberships (all, or the changed)."""
        return {
            "rm_ledgers": self._ledger_rows(changes),
            "rm_people": [
                self._row(p)
                for key, p in sorted(self.people.items())
                if changes is None or key in changes.people
            ],
            "rm_bodies": [
                self._row(b)
                for key, b in sorted(self.bodies.items())
                if changes is None or key in changes.bodies
            ],
            "rm_memberships": [
                self._row(t)
                for body in sorted(self.tenures)
                for person in sorted(self.tenures[body])
                for t in self.tenures[body][person]
                if changes is None or (body, person, t.from_leaf) in changes.tenures
            ],
        }

    def _ledger_rows(self, changes: RegistryChanges | None) -> list[Row]:
        info = self.ledger
        if info is None or not (changes is None or changes.ledger):
            return []
        return [
            {
                "origin": self.origin,
                "name": info.name,
                "import_mode": info.import_mode,
                "import_completed_leaf": info.import_completed_leaf,
                "rulebook": json_text(info.rulebook),
                "created_leaf": info.created_leaf,
                "created_time": info.created_time,
            }
        ]

    def _row(self, record: PersonInfo | BodyInfo | Tenure) -> Row:
        """A person, body or appointment as its read-model row: the table's columns are
        named for the record's fields, under the ledger's origin, with roles as text."""
        row: Row = {"origin": self.origin, **asdict(record)}
        row.pop("rulebooks", None)  # read by the rules, not a column of rm_bodies
        if "roles" in row:
            row["roles"] = ",".join(row["roles"])
        return row


_FOLDS: dict[str, Callable[[RegistryView, Any, Logged, RegistryChanges], None]] = {
    kind.__name__: fold
    for kind, fold in (
        (ev.LedgerCreated, RegistryView._ledger_created),
        (ev.ImportCompleted, RegistryView._import_completed),
        (ev.PersonEnrolled, RegistryView._person_enrolled),
        (ev.BodyEstablished, RegistryView._body_established),
        (ev.BodyRulesSet, RegistryView._body_rules_set),
        (ev.BodyDissolved, RegistryView._body_dissolved),
        (ev.MemberAppointed, RegistryView._member_appointed),
        (ev.MemberLeft, RegistryView._member_left),
    )
}
"""How each registry event that changes a row is folded in (keys are not kept here)."""
