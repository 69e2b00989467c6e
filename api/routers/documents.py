"""Documents behind signed digests: uploaded before the event that names them, served to
who may read a matter that names them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.access import DocumentAccess, LedgerAccess
from api.deps import ContextDep
from api.responses import errors, json_errors
from api.schemas import DocumentOut
from ledger.domain.documents import StoredDocument
from ledger.service.documents import keep_document

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["documents"])

ExpectedDigest = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9a-f]{64}$",
        description="The SHA-256 the uploader computed (and will sign): bytes that hash to "
        "another digest are refused with 400 `document_digest_mismatch`.",
    ),
]


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentOut,
    responses={
        200: {"model": DocumentOut, "description": "You had uploaded those bytes already."},
        **errors(400, 401, 403, 404, 413, 503),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def upload_document(
    request: Request,
    response: Response,
    access: LedgerAccess,
    context: ContextDep,
    sha256: ExpectedDigest = None,
) -> DocumentOut:
    """Keep a document (material, minutes) under its SHA-256, before the event naming it
    is signed.

    The body is the file's bytes; `Content-Type` its media type (kept, or
    `application/octet-stream` when it is not a well-formed one).  Any
    person of the ledger may upload; until an event names the digest only
    those who uploaded it may read it back.  201 when this person uploads
    those bytes for the first time, 200 when they had already: whether
    anyone else uploaded them is not said.  400 `empty_document` for no bytes,
    `document_digest_mismatch` when `sha256` is given and differs; 413
    above the server's document size limit.
    """
    content = await request.body()
    kept = await run_in_threadpool(
        keep_document,
        context.service,
        access.origin,
        content,
        media_type=request.headers.get("content-type"),
        uploaded_by=access.reader.person,
        expected_sha256=sha256,
    )
    if not kept.created:
        response.status_code = 200
    return DocumentOut(sha256=kept.sha256, size=kept.size, media_type=kept.media_type)


@router.get(
    "/documents/{sha256}",
    response_class=Response,
    responses={
        200: {
            "description": "The document's bytes, checked against the digest before sending.",
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        },
        **json_errors(400, 401, 403, 404, 500, 503),
    },
)
async def read_document(document: DocumentAccess) -> Response:
    """The document kept under `sha256`, to those who uploaded its bytes and to who may
    read a matter that shares it (named there by one of them, or by someone who could read it
    already); 404 `unknown_document` to everyone else, as for a digest never kept.
    500 `document_corrupt` when the stored bytes no longer hash to the digest: they
    are never served under it."""
    return document_response(document)


def document_response(document: StoredDocument) -> Response:
    """The bytes as a download that a browser never renders in the site's origin."""
    return Response(
        document.content,
        media_type=document.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.sha256}"',
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=0, must-revalidate",
            "ETag": f'"{document.sha256}"',
        },
    )
