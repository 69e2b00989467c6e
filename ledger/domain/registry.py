"""The registry: people and their keys, MED bodies, memberships and roles.

``RegistryState`` is the registry as of one position in the log.  It is
pure (no I/O): the ledger application folds registry events into it in log
order, and so does the verifier, so that "who may sign" is always judged
as of the event's position, never by wall-clock time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.domain import events as ev
from ledger.errors import (
    AlreadyAMemberError,
    BodyDissolvedError,
    DuplicateBodyError,
    DuplicateKeyError,
    DuplicatePersonError,
    KeyIdMismatchError,
    NotAMemberError,
    RevokedKeyError,
    SignerLacksRoleError,
    SignerNotAdminError,
    SignerNotMemberError,
    SignerWrongSideError,
    UnknownBodyError,
    UnknownKeyError,
    UnknownPersonError,
)
from ledger.protocol.keys import key_id_for, load_public_key, public_key_bytes


@dataclass
class KeyRecord:
    public_key: Ed25519PublicKey
    public_key_b64: str
    revoked: bool = False


@dataclass
class Person:
    roles: frozenset[str]
    keys: dict[str, KeyRecord] = field(default_factory=dict)


@dataclass
class Body:
    body_id: str
    name: str
    kind: str
    parent: str | None
    unit: str | None
    dissolved: bool = False
    rulebook: dict[str, int] = field(default_factory=dict)
    """The body's own rule parameters (its forretningsorden), over the ledger's."""


@dataclass(frozen=True)
class Membership:
    side: str
    roles: frozenset[str]


@dataclass
class RegistryState:
    """People, keys, bodies and memberships as of one log position."""

    origin: str = ""
    name: str = ""
    log_public_key: str = ""
    import_mode: bool = False
    rulebook: dict[str, int] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    members: dict[str, dict[str, Membership]] = field(default_factory=dict)

    # --- questions the rules ask ------------------------------------------

    def signing_key(self, person: str, key_id: str) -> Ed25519PublicKey:
        """The public key ``person`` signs with under ``key_id``.

        Raises UnknownKeyError or RevokedKeyError.
        """
        holder = self.people.get(person)
        record = holder.keys.get(key_id) if holder else None
        if record is None:
            raise UnknownKeyError(
                f"key {key_id} is not enrolled for {person}", person=person, key=key_id
            )
        if record.revoked:
            raise RevokedKeyError(
                f"key {key_id} of {person} was revoked", person=person, key=key_id
            )
        return record.public_key

    def is_admin(self, person: str) -> bool:
        holder = self.people.get(person)
        return holder is not None and "admin" in holder.roles

    def is_auditor(self, person: str) -> bool:
        holder = self.people.get(person)
        return holder is not None and "auditor" in holder.roles

    def require_admin(self, person: str) -> None:
        if not self.is_admin(person):
            raise SignerNotAdminError(f"{person} is not an admin of this ledger", person=person)

    def require_person(self, person: str) -> None:
        if person not in self.people:
            raise UnknownPersonError(f"no person {person} is enrolled", person=person)

    def body(self, body_id: str) -> Body:
        """The body, which must exist and not be dissolved."""
        found = self.bodies.get(body_id)
        if found is None:
            raise UnknownBodyError(f"no body {body_id} is established", body=body_id)
        if found.dissolved:
            raise BodyDissolvedError(f"body {body_id} was dissolved", body=body_id)
        return found

    def membership(self, body_id: str, person: str) -> Membership | None:
        return self.members.get(body_id, {}).get(person)

    def require_member(
        self,
        body_id: str,
        person: str,
        *,
        side: str | None = None,
        roles: Iterable[str] = (),
    ) -> Membership:
        """Check that ``person`` sits in ``body_id`` (on ``side``, holding one of ``roles``).

        Raises SignerNotMemberError, SignerWrongSideError or SignerLacksRoleError.
        """
        self.body(body_id)
        found = self.membership(body_id, person)
        if found is None:
            raise SignerNotMemberError(
                f"{person} is not a member of {body_id}", person=person, body=body_id
            )
        if side is not None and found.side != side:
            raise SignerWrongSideError(
                f"{person} sits on the {found.side} side of {body_id}, not {side}",
                person=person,
                body=body_id,
            )
        wanted = frozenset(roles)
        if wanted and not wanted & found.roles:
            raise SignerLacksRoleError(
                f"{person} holds none of the roles {', '.join(sorted(wanted))} in {body_id}",
                person=person,
                body=body_id,
            )
        return found

    def body_names(self) -> dict[str, str]:
        """Every body's name by its id, dissolved bodies included: a copy, taken in one pass
        so that a page may read it while the ledger's state moves on."""
        return {body_id: body.name for body_id, body in list(self.bodies.items())}

    def ancestors(self, body_id: str) -> list[str]:
        """The parent chain of a body, nearest first."""
        chain: list[str] = []
        current = self.bodies.get(body_id)
        while current is not None and current.parent is not None and current.parent not in chain:
            chain.append(current.parent)
            current = self.bodies.get(current.parent)
        return chain

    def hovedmed_for(self, body_id: str) -> list[str]:
        """The HovedMED above a body (or every HovedMED, if it has none above it)."""
        for candidate in [body_id, *self.ancestors(body_id)]:
            found = self.bodies.get(candidate)
            if found is not None and found.kind == "hovedmed" and not found.dissolved:
                return [candidate]
        return [b.body_id for b in self.bodies.values() if b.kind == "hovedmed" and not b.dissolved]

    def rule_setting(self, body_id: str | None, key: str, default: int) -> int:
        """A rule parameter as ``body_id``'s local rules set it, else the ledger's, else
        ``default`` (``key`` as in ``med-16.notice_months``)."""
        body = self.bodies.get(body_id) if body_id is not None else None
        if body is not None and key in body.rulebook:
            return body.rulebook[key]
        return self.rulebook.get(key, default)

    # --- write-time rules -------------------------------------------------

    def check(self, actor: str, payload: ev.Payload) -> None:
        """Raise the named error if ``actor`` may not sign ``payload`` now."""
        match payload:
            case ev.LedgerCreated():
                return  # genesis: checked by LedgerState
            case ev.ImportCompleted():
                self.require_admin(actor)
            case ev.PersonEnrolled(person=person, key_id=key_id, public_key=public_key):
                self.require_admin(actor)
                if person in self.people:
                    raise DuplicatePersonError(f"{person} is already enrolled", person=person)
                self._check_new_key(key_id, public_key)
            case ev.KeyAdded(person=person, key_id=key_id, public_key=public_key):
                self.require_admin(actor)
                self.require_person(person)
                self._check_new_key(key_id, public_key)
            case ev.KeyRevoked(person=person, key_id=key_id):
                if actor != person:
                    self.require_admin(actor)
                self.signing_key(person, key_id)
            case ev.BodyEstablished(body=body_id, parent=parent):
                self.require_admin(actor)
                if body_id in self.bodies:
                    raise DuplicateBodyError(f"body {body_id} already exists", body=body_id)
                if parent is not None:
                    self.body(parent)
            case ev.BodyDissolved(body=body_id):
                self.require_admin(actor)
                self.body(body_id)
            case ev.BodyRulesSet(body=body_id):
                self.body(body_id)
                if not self.is_admin(actor):
                    self.require_member(body_id, actor, roles=("chair",))
            case ev.MemberAppointed(body=body_id, person=person):
                self.body(body_id)
                if not self.is_admin(actor):
                    self.require_member(body_id, actor, roles=("chair",))
                self.require_person(person)
                if self.membership(body_id, person) is not None:
                    raise AlreadyAMemberError(
                        f"{person} is already a member of {body_id}", person=person, body=body_id
                    )
            case ev.MemberLeft(body=body_id, person=person):
                self.body(body_id)
                if not self.is_admin(actor):
                    self.require_member(body_id, actor, roles=("chair",))
                if self.membership(body_id, person) is None:
                    raise NotAMemberError(
                        f"{person} is not a member of {body_id}", person=person, body=body_id
                    )

    def _check_new_key(self, key_id: str, public_key: str) -> None:
        # load_public_key refuses non-canonical base64 with MalformedKeyError.
        if key_id_for(public_key_bytes(load_public_key(public_key))) != key_id:
            raise KeyIdMismatchError(f"key id {key_id} is not derived from its public key")
        for holder in self.people.values():
            if key_id in holder.keys:
                raise DuplicateKeyError(f"key {key_id} is already enrolled", key=key_id)

    # --- folding events in ------------------------------------------------

    def apply(self, payload: ev.Payload) -> None:
        """Fold one admitted registry event into the state."""
        match payload:
            case ev.LedgerCreated():
                self.origin = payload.origin
                self.name = payload.name
                self.log_public_key = payload.log_public_key
                self.import_mode = payload.import_mode
                self.rulebook = dict(payload.rulebook)
                admin = payload.admin
                self.people[admin.person] = Person(roles=frozenset({"admin"}))
                self._add_key(admin.person, admin.key_id, admin.public_key)
            case ev.ImportCompleted():
                self.import_mode = False
            case ev.PersonEnrolled():
                self.people[payload.person] = Person(roles=frozenset(payload.roles))
                self._add_key(payload.person, payload.key_id, payload.public_key)
            case ev.KeyAdded():
                self._add_key(payload.person, payload.key_id, payload.public_key)
            case ev.KeyRevoked():
                self.people[payload.person].keys[payload.key_id].revoked = True
            case ev.BodyEstablished():
                self.bodies[payload.body] = Body(
                    payload.body,
                    payload.name,
                    payload.kind,
                    payload.parent,
                    payload.unit,
                    rulebook=dict(payload.rulebook),
                )
            case ev.BodyRulesSet():
                self.bodies[payload.body].rulebook = dict(payload.rulebook)
            case ev.BodyDissolved():
                self.bodies[payload.body].dissolved = True
                self.members.pop(payload.body, None)
            case ev.MemberAppointed():
                self.members.setdefault(payload.body, {})[payload.person] = Membership(
                    payload.side, frozenset(payload.roles)
                )
            case ev.MemberLeft():
                self.members.get(payload.body, {}).pop(payload.person, None)

    def _add_key(self, person: str, key_id: str, public_key: str) -> None:
        self.people[person].keys[key_id] = KeyRecord(load_public_key(public_key), public_key)
