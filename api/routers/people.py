"""The reader themself, and the directory of names kept outside the signed log."""

from __future__ import annotations

from fastapi import APIRouter

from api.access import AdminAccess, DirectoryAccess, LedgerAccess
from api.deps import PersonPath, ServiceDep
from api.responses import READ_ERRORS, errors
from api.schemas import DirectoryEntryIn, DirectoryEntryOut, DirectoryOut, MembershipOut, MeOut

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["people"])


@router.get("/me", response_model=MeOut, responses=READ_ERRORS)
def me(access: LedgerAccess) -> MeOut:
    """Who the token stands for: roles, memberships, and the matters they may read."""
    reader, registry = access.reader, access.state.registry
    memberships = []
    for body in access.bodies:
        found = registry.membership(body, reader.person)
        if found is not None:
            memberships.append(MembershipOut(body=body, side=found.side, roles=sorted(found.roles)))
    return MeOut(
        origin=reader.origin,
        person=reader.person,
        key_id=reader.key_id,
        roles=sorted(reader.roles),
        memberships=memberships,
        readable_matters=access.readable_matters(),
    )


@router.get("/directory", response_model=DirectoryOut, responses=READ_ERRORS)
def directory(access: DirectoryAccess, service: ServiceDep) -> DirectoryOut:
    """Names of the ledger's people (admins and auditors only)."""
    names = service.directory_names(access.origin)
    people = sorted(access.state.registry.people)
    return DirectoryOut(entries=[DirectoryEntryOut(person=p, name=names.get(p)) for p in people])


@router.put(
    "/directory/{person}",
    response_model=DirectoryEntryOut,
    responses={**READ_ERRORS, **errors(422)},
)
def set_directory_entry(
    person: PersonPath,
    entry: DirectoryEntryIn,
    access: AdminAccess,
    service: ServiceDep,
) -> DirectoryEntryOut:
    """Set an enrolled person's name and e-mail (admins only; not part of the signed log)."""
    access.state.registry.require_person(person)
    service.set_directory(access.origin, person, entry.name, entry.email)
    return DirectoryEntryOut(person=person, name=entry.name)


@router.delete(
    "/directory/{person}",
    response_model=DirectoryEntryOut,
    responses={**READ_ERRORS, **errors(422)},
)
def erase_directory_entry(
    person: PersonPath, access: AdminAccess, service: ServiceDep
) -> DirectoryEntryOut:
    """Erase an enrolled person's name and e-mail (admins only): no mail is sent to them, and
    no copy is left in the database files."""
    access.state.registry.require_person(person)
    service.erase_directory(access.origin, person)
    return DirectoryEntryOut(person=person, name=None)
