"""Who reads what over HTTP: the one place where every read route's access is judged.

A route never judges access itself.  It takes exactly one *guard*, a
FastAPI dependency for its kind of resource, which authenticates the
reader (a bearer token, checked against the registry now) and refuses what
they may not read:

===================  ================================================  ==========================
guard                resource                                          who passes
===================  ================================================  ==========================
LedgerAccess         the registry stream, stream heads, checkpoint,    every person of the ledger
                     proofs, ``/me``, the guideline register; lists,   with a valid key
                     filtered by ``may_read``
MatterAccess         one matter: timeline, dossier, bundle             who may read the matter
StreamAccess         a stream's signed events                          registry: everyone; a
                                                                       matter: as MatterAccess
PersonAccess         a person's involvement                            the person, auditors
ReceiptAccess        a person's receipt of a matter                    the person, auditors; in
                                                                       full only to who may read
                                                                       the matter, else routing
BodyAccess           a body's statistics (and, in the findings list,   its members now, auditors
                     the findings about a body as a whole)
AuditorAccess        the whole ledger as a bundle                      auditors
DirectoryAccess      the directory of names                            admins and auditors
AdminAccess          setting or erasing a directory entry              admins
DocumentAccess       a document (material, minutes) by its SHA-256     who may read a matter whose
                                                                       events name it, and who
                                                                       uploaded it; else 404
===================  ================================================  ==========================

Who may read a matter is one rule of the domain (``ledger.domain.readers``):
members, now, of the bodies the matter's management side addressed, the
decision maker, and the ledger's auditors.  Admins manage the registry and
read matters only as members.  Nobody reads another ledger: a token is
bound to one ledger's origin.  ``tests/api/test_read_matrix.py`` asks
every GET route as every kind of reader; a route without a guard fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from fastapi import Depends

from api.deps import (
    ApiContext,
    BearerDep,
    BodyPath,
    ContextDep,
    DocumentDigest,
    MatterId,
    OriginDep,
    PersonPath,
    StateDep,
)
from api.deps import StreamId as StreamPath
from api.errors import (
    AdminRequiredError,
    OtherLedgerError,
    ReadNotAllowedError,
    TokenRequiredError,
)
from ledger.domain.documents import StoredDocument, matters_sharing
from ledger.domain.readers import may_read_matter
from ledger.domain.state import LedgerState
from ledger.errors import UnknownStreamError
from ledger.protocol.envelope import MATTER_PREFIX, REGISTRY_STREAM
from ledger.service.documents import kept_document


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


async def get_reader(
    origin: OriginDep, state: StateDep, context: ContextDep, credentials: BearerDep
) -> Reader:
    """The person a bearer token stands for, checked against the registry now.

    Raises TokenRequiredError, TokenInvalidError, TokenExpiredError (401),
    UnknownKeyError or RevokedKeyError (401: a revoked key's tokens stop
    working at once) and OtherLedgerError (403).  Authentication only: what
    the reader may read is a guard's to judge.
    """
    if credentials is None:
        raise TokenRequiredError("this read needs `Authorization: Bearer <token>`")
    return reader_from_token(origin, state, context, credentials.credentials)


def reader_from_token(origin: str, state: LedgerState, context: ApiContext, token: str) -> Reader:
    """The person ``token`` stands for in ``origin``, checked against the registry now.

    What ``get_reader`` checks for a bearer token, and the web application for the
    token its session cookie carries: one way to authenticate a reader.
    """
    claims = context.sealer.open_token(token)
    if claims["origin"] != origin:
        raise OtherLedgerError(
            "the token was issued for another ledger", token_origin=claims["origin"]
        )
    registry = state.registry
    person, key_id = str(claims["person"]), str(claims["key"])
    registry.signing_key(person, key_id)
    return Reader(origin, person, key_id, frozenset(registry.people[person].roles))


ReaderDep = Annotated[Reader, Depends(get_reader)]


@dataclass(frozen=True)
class Access:
    """An authenticated reader, and the ledger state (read once per request) their reads
    are judged on."""

    reader: Reader
    state: LedgerState

    @property
    def origin(self) -> str:
        return self.reader.origin

    @cached_property
    def bodies(self) -> list[str]:
        """The bodies the reader sits in now, sorted."""
        # Snapshots (list(...) copies a dict in one step under the GIL): appends in
        # other threads fold events into this state while requests read it.
        members = list(self.state.registry.members.items())
        return sorted(body for body, seats in members if self.reader.person in seats)

    def may_read(self, matter_id: str) -> bool:
        """May the reader read ``matter_id`` in full (an unknown matter: no)?"""
        return may_read_matter(self.state, self.reader.person, matter_id)

    def may_read_body(self, body: str) -> bool:
        """May the reader read what concerns a body as a whole (its statistics, an
        organisation finding about it): its members now, and auditors."""
        return self.reader.is_auditor or body in self.bodies

    def readable_matters(self) -> list[str]:
        return sorted(m for m in list(self.state.matters) if self.may_read(m))

    def require_matter(self, matter_id: str) -> None:
        """Raise UnknownStreamError (404) or ReadNotAllowedError (403) unless readable."""
        if matter_id not in self.state.matters:
            raise UnknownStreamError(f"no matter {matter_id} in this ledger", matter=matter_id)
        if not self.may_read(matter_id):
            raise ReadNotAllowedError(
                f"{self.reader.person} sits in none of the bodies that read matter {matter_id}",
                matter=matter_id,
            )

    def may_read_document(self, sha256: str, uploaders: frozenset[str]) -> bool:
        """May the reader read the document ``sha256``: they are one of those who uploaded
        its bytes, or may read a matter that shares it (named there by an uploader, or by
        someone who could read it already: ``ledger.domain.documents.matters_sharing``)?"""
        if self.reader.person in uploaders:
            return True
        shared = matters_sharing(self.state, sha256, uploaders)
        return any(self.may_read(m) for m in shared)

    def require_own_or_auditor(self, person: str) -> None:
        """A person's own record (involvement, receipts) is theirs and the auditors'."""
        if self.reader.person != person and not self.reader.is_auditor:
            raise ReadNotAllowedError(
                f"only {person} and the ledger's auditors read {person}'s own record",
                person=person,
            )


@dataclass(frozen=True)
class ReceiptGrant:
    """What a receipt may show its reader: in full, or routing information only."""

    access: Access
    full: bool


# --- the guards: one per kind of resource -----------------------------------------


async def ledger_access(reader: ReaderDep, state: StateDep) -> Access:
    """Any person of this ledger with a valid key (lists are filtered with ``may_read``)."""
    return Access(reader, state)


LedgerAccess = Annotated[Access, Depends(ledger_access)]


async def matter_access(matter: MatterId, access: LedgerAccess) -> Access:
    """Who may read the matter in the path; 404 for an unknown matter, else 403."""
    access.require_matter(matter)
    return access


async def stream_access(stream: StreamPath, access: LedgerAccess) -> Access:
    """The registry stream: anyone of the ledger; a matter's stream: who may read it."""
    if stream.startswith(MATTER_PREFIX):
        access.require_matter(stream.removeprefix(MATTER_PREFIX))
    elif stream != REGISTRY_STREAM:
        raise UnknownStreamError(f"no stream {stream!r}", stream=stream)
    return access


async def person_access(person: PersonPath, access: LedgerAccess) -> Access:
    """The person in the path themself, or an auditor."""
    access.require_own_or_auditor(person)
    return access


async def receipt_access(
    person: PersonPath, matter: MatterId, access: LedgerAccess
) -> ReceiptGrant:
    """A person's own receipt of any matter of their ledger (or an auditor reading anyone's).

    It may prove they were *not* consulted on a matter they may not read:
    then it shows routing information only (``full`` is False).
    """
    access.require_own_or_auditor(person)
    if matter not in access.state.matters:
        raise UnknownStreamError(f"no matter {matter} in this ledger", matter=matter)
    return ReceiptGrant(access, access.may_read(matter))


ReceiptAccess = Annotated[ReceiptGrant, Depends(receipt_access)]


async def body_access(body: BodyPath, access: LedgerAccess) -> Access:
    """The members of the body in the path (now), and auditors."""
    if not access.may_read_body(body):
        raise ReadNotAllowedError(f"{access.reader.person} does not sit in {body}", body=body)
    return access


async def auditor_access(access: LedgerAccess) -> Access:
    if not access.reader.is_auditor:
        raise ReadNotAllowedError(f"{access.reader.person} is not an auditor of this ledger")
    return access


async def directory_access(access: LedgerAccess) -> Access:
    if not (access.reader.is_admin or access.reader.is_auditor):
        raise ReadNotAllowedError(f"{access.reader.person} is neither an admin nor an auditor")
    return access


async def admin_access(access: LedgerAccess) -> Access:
    if not access.reader.is_admin:
        raise AdminRequiredError(f"{access.reader.person} is not an admin of this ledger")
    return access


async def document_access(
    sha256: DocumentDigest, access: LedgerAccess, context: ContextDep
) -> StoredDocument:
    """The document in the path, its bytes checked, for who may read it; else 404
    ``unknown_document`` (whether it is kept or not)."""
    return kept_document(context.service, access.origin, sha256, access.may_read_document)


MatterAccess = Annotated[Access, Depends(matter_access)]
StreamAccess = Annotated[Access, Depends(stream_access)]
PersonAccess = Annotated[Access, Depends(person_access)]
BodyAccess = Annotated[Access, Depends(body_access)]
AuditorAccess = Annotated[Access, Depends(auditor_access)]
DirectoryAccess = Annotated[Access, Depends(directory_access)]
AdminAccess = Annotated[Access, Depends(admin_access)]
DocumentAccess = Annotated[StoredDocument, Depends(document_access)]

# Every guard; each route that needs a token depends on one (tests/api/test_read_matrix.py).
GUARDS = frozenset(
    {
        ledger_access,
        matter_access,
        stream_access,
        person_access,
        receipt_access,
        body_access,
        auditor_access,
        directory_access,
        admin_access,
        document_access,
    }
)
