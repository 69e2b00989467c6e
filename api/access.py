"""Who may read what: the roles of DESIGN.md section 7, judged against the registry.

- every enrolled person with a valid key reads their own ledger's registry
  stream (ids and public keys: what anyone needs to verify a signature),
  stream heads, checkpoints and proofs (hashes only), and themselves;
- a member reads the matters of their bodies: a matter any of whose
  involved bodies they sit in now, or in which they signed an event;
- an auditor reads everything in their ledger;
- an admin manages the registry and reads the directory of names;
- nobody reads another ledger (a token is bound to one ledger's origin).

Pure functions over :class:`ledger.domain.state.LedgerState`; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.errors import AdminRequiredError, ReadNotAllowedError
from ledger.domain.registry import RegistryState
from ledger.domain.state import LedgerState
from ledger.errors import UnknownStreamError
from ledger.protocol.envelope import MATTER_PREFIX, REGISTRY_STREAM


@dataclass(frozen=True)
class Reader:
    """An authenticated person reading one ledger."""

    origin: str
    person: str
    key_id: str
    roles: frozenset[str]

    @property
    def is_auditor(self) -> bool:
        return "auditor" in self.roles

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


def bodies_of(registry: RegistryState, person: str) -> list[str]:
    """The bodies ``person`` sits in now, sorted."""
    # Snapshots (list(...) copies a dict in one step under the GIL): appends in
    # other threads fold events into this state while requests read it.
    return sorted(body for body, members in list(registry.members.items()) if person in members)


def may_read_matter(state: LedgerState, reader: Reader, matter_id: str) -> bool:
    if reader.is_auditor:
        return True
    matter = state.matters.get(matter_id)
    if matter is None:
        return False
    if set(bodies_of(state.registry, reader.person)) & set(matter.involved):
        return True
    return any(info.actor == reader.person for info in list(matter.events.values()))


def readable_matters(state: LedgerState, reader: Reader) -> list[str]:
    return sorted(m for m in list(state.matters) if may_read_matter(state, reader, m))


def require_matter(state: LedgerState, reader: Reader, matter_id: str) -> None:
    """Return None if ``reader`` may read the matter; raise UnknownStreamError or ReadNotAllowedError."""
    if matter_id not in state.matters:
        raise UnknownStreamError(f"no matter {matter_id} in this ledger", matter=matter_id)
    if not may_read_matter(state, reader, matter_id):
        raise ReadNotAllowedError(
            f"{reader.person} sits in none of the bodies involved in matter {matter_id}",
            matter=matter_id,
        )


def require_stream(state: LedgerState, reader: Reader, stream: str) -> None:
    """Return None if ``reader`` may read the events of ``stream``; raise otherwise."""
    if stream == REGISTRY_STREAM:
        return
    if stream.startswith(MATTER_PREFIX):
        require_matter(state, reader, stream.removeprefix(MATTER_PREFIX))
        return
    raise UnknownStreamError(f"no stream {stream!r}", stream=stream)


def require_person_view(reader: Reader, person: str) -> None:
    """A person's own involvement is theirs and the auditors' to read."""
    if reader.person != person and not reader.is_auditor:
        raise ReadNotAllowedError(
            f"only {person} and the ledger's auditors read {person}'s involvement", person=person
        )


def require_admin(reader: Reader) -> None:
    if not reader.is_admin:
        raise AdminRequiredError(f"{reader.person} is not an admin of this ledger")


def require_admin_or_auditor(reader: Reader) -> None:
    if not (reader.is_admin or reader.is_auditor):
        raise ReadNotAllowedError(f"{reader.person} is neither an admin nor an auditor")


def require_auditor(reader: Reader) -> None:
    if not reader.is_auditor:
        raise ReadNotAllowedError(f"{reader.person} is not an auditor of this ledger")
