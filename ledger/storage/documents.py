"""Documents kept under their SHA-256: the files behind the digests signed events name.

A manager's material (``MaterialShared.documents``) and a meeting's minutes
(``MeetingHeld.minutes_sha256``) are signed as digests; the files themselves
live here, outside the signed log, one row per ledger and digest.  Storing
the same bytes twice stores them once; each person who uploaded them is
recorded (``ml_document_uploads``), since each holds them.  Who may read a document is the
service's and the HTTP edge's to judge; this module only keeps bytes.
"""

from __future__ import annotations

import sqlalchemy.exc
from eventsourcing.persistence import IntegrityError
from sqlalchemy import and_, insert, select

from ledger.domain.documents import StoredDocument
from ledger.storage.store import Store


def put_document(store: Store, origin: str, document: StoredDocument) -> bool:
    """Keep ``document`` under its digest, uploaded by ``document.uploaded_by``; False if
    that person had uploaded those bytes already.

    Bytes someone else uploaded first are not stored again, but the upload is
    recorded as this person's too: whoever holds the bytes may read them back
    and share them, and the answer says nothing of anyone else's uploads.
    """
    table = store.documents
    try:
        with store.write() as session:
            session.execute(
                insert(table).values(
                    origin=origin,
                    sha256=document.sha256,
                    content=document.content,
                    media_type=document.media_type,
                    size=len(document.content),
                    uploaded_by=document.uploaded_by,
                    uploaded_at=document.uploaded_at,
                )
            )
    except (IntegrityError, sqlalchemy.exc.IntegrityError):
        pass  # those bytes are kept already
    try:
        with store.write() as session:
            session.execute(
                insert(store.document_uploads).values(
                    origin=origin,
                    sha256=document.sha256,
                    person=document.uploaded_by,
                    uploaded_at=document.uploaded_at,
                )
            )
    except (IntegrityError, sqlalchemy.exc.IntegrityError):
        return False
    return True


def get_document(store: Store, origin: str, sha256: str) -> StoredDocument | None:
    """The document kept under ``sha256`` in ``origin``, as stored (not yet checked)."""
    table = store.documents
    with store.read() as session:
        row = session.execute(
            select(
                table.c.content, table.c.media_type, table.c.uploaded_by, table.c.uploaded_at
            ).where(and_(table.c.origin == origin, table.c.sha256 == sha256))
        ).first()
    if row is None:
        return None
    return StoredDocument(sha256, bytes(row[0]), str(row[1]), str(row[2]), str(row[3]))


def document_uploaders(store: Store, origin: str, sha256: str) -> frozenset[str]:
    """Everyone who uploaded the document kept under ``sha256`` (empty: none is kept),
    without reading its bytes.  The first uploader is on the document's own row (the
    only record of uploads before ``ml_document_uploads`` existed)."""
    table, uploads = store.documents, store.document_uploads
    with store.read() as session:
        first = session.execute(
            select(table.c.uploaded_by).where(
                and_(table.c.origin == origin, table.c.sha256 == sha256)
            )
        ).scalar()
        if first is None:
            return frozenset()
        others = session.execute(
            select(uploads.c.person).where(
                and_(uploads.c.origin == origin, uploads.c.sha256 == sha256)
            )
        ).scalars()
        return frozenset({str(first), *(str(person) for person in others)})


def kept_digests(store: Store, origin: str, digests: list[str]) -> set[str]:
    """Which of ``digests`` have their document kept in ``origin`` (one query)."""
    if not digests:
        return set()
    table = store.documents
    with store.read() as session:
        rows = session.execute(
            select(table.c.sha256).where(
                and_(table.c.origin == origin, table.c.sha256.in_(sorted(set(digests))))
            )
        ).all()
    return {str(row[0]) for row in rows}
