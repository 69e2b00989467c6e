"""Keeping and handing out the documents behind signed digests (material, minutes).

The digest is what the person signs (their browser computed it); the
server recomputes it from the bytes it receives and refuses bytes that
hash to another digest than the uploader named.  On the way out the bytes
are hashed again, so a document changed in storage is refused
(``document_corrupt``) rather than served under a digest it no longer has.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ledger.domain.documents import StoredDocument
from ledger.errors import (
    DocumentCorruptError,
    DocumentDigestMismatchError,
    EmptyDocumentError,
    UnknownDocumentError,
)
from ledger.protocol.envelope import format_time
from ledger.service.application import LedgerService
from ledger.storage.documents import (
    document_uploaders,
    get_document,
    kept_digests,
    put_document,
)

DEFAULT_MEDIA_TYPE = "application/octet-stream"
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


@dataclass(frozen=True)
class Kept:
    """What an upload left: the digest it is kept under, and whether it is new."""

    sha256: str
    size: int
    media_type: str
    created: bool
    """True when this person had not uploaded these bytes before (whoever else had)."""


def media_type_of(declared: str | None) -> str:
    """The media type to keep: the declared one without parameters, if well-formed."""
    bare = (declared or "").split(";", 1)[0].strip().lower()
    return bare if _MEDIA_TYPE.fullmatch(bare) else DEFAULT_MEDIA_TYPE


def keep_document(
    service: LedgerService,
    ledger: str,
    content: bytes,
    *,
    media_type: str | None,
    uploaded_by: str,
    expected_sha256: str | None = None,
) -> Kept:
    """Keep ``content`` under its SHA-256 in ``ledger``; refuse empty or mismatched bytes."""
    if not content:
        raise EmptyDocumentError("an empty file is not a document")
    digest = hashlib.sha256(content).hexdigest()
    if expected_sha256 is not None and expected_sha256 != digest:
        raise DocumentDigestMismatchError(
            "the uploaded bytes hash to another SHA-256 than the one named",
            expected=expected_sha256,
            actual=digest,
        )
    kind = media_type_of(media_type)
    document = StoredDocument(digest, content, kind, uploaded_by, format_time(service.clock()))
    created = put_document(service.store, service.origin_of(ledger), document)
    return Kept(digest, len(content), kind, created)


def kept_document(
    service: LedgerService,
    ledger: str,
    sha256: str,
    may_read: Callable[[str, frozenset[str]], bool],
) -> StoredDocument:
    """The document kept under ``sha256``, for a reader ``may_read`` admits (given the
    digest and who uploaded those bytes), its bytes checked against the digest.

    UnknownDocumentError when none is kept or the reader may not read it (the
    two look alike, so a digest cannot be probed); DocumentCorruptError when
    the stored bytes no longer hash to ``sha256``.
    """
    origin = service.origin_of(ledger)
    uploaders = document_uploaders(service.store, origin, sha256)
    # Judged before the bytes are read, so a reader who may not read it costs no large read.
    if not uploaders or not may_read(sha256, uploaders):
        raise UnknownDocumentError(f"no document {sha256} that you may read", sha256=sha256)
    found = get_document(service.store, origin, sha256)
    if found is None:
        raise UnknownDocumentError(f"no document {sha256} that you may read", sha256=sha256)
    if hashlib.sha256(found.content).hexdigest() != sha256:
        raise DocumentCorruptError(
            f"the document kept under {sha256} no longer has that digest", sha256=sha256
        )
    return found


def documents_kept(service: LedgerService, ledger: str, digests: list[str]) -> set[str]:
    """Which of ``digests`` have their document kept (so a page can offer the download)."""
    return kept_digests(service.store, service.origin_of(ledger), digests)
