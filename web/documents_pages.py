"""Documents in the browser: upload the bytes whose SHA-256 the person is about to sign,
and download the material and minutes of the matters they may read.

The browser computes the digest itself (WebCrypto) and signs it; the upload
names it, so bytes that hash to anything else are refused
(``document_digest_mismatch``).  Both routes go through the API's own
document functions and access rule (``ledger.service.documents``,
``api.access.Access.may_read_document``), under the session cookie; the
upload carries the session's CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import DocumentDigest, LedgerId
from api.routers.documents import document_response
from ledger.service.documents import keep_document, kept_document
from web.context import logged_in, site_of
from web.render import PageRoute
from web.session import check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CSRF_HEADER = "x-csrf-token"


@router.post("/l/{ledger}/dokumenter")
async def upload(
    request: Request,
    ledger: LedgerId,
    sha256: Annotated[str, Query(pattern=r"^[0-9a-f]{64}$")],
) -> Response:
    """Keep the body's bytes under ``sha256``: 201, or 200 if this person had uploaded them."""
    site = site_of(request)
    session = site.session(request, ledger)
    check_csrf(request, session, request.headers.get(CSRF_HEADER))
    content = await request.body()
    kept = await run_in_threadpool(
        keep_document,
        site.context.service,
        session.origin,
        content,
        media_type=request.headers.get("content-type"),
        uploaded_by=session.person,
        expected_sha256=sha256,
    )
    return JSONResponse(
        {"sha256": kept.sha256, "size": kept.size, "media_type": kept.media_type},
        status_code=201 if kept.created else 200,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/l/{ledger}/dokument/{sha256}")
def download(request: Request, ledger: LedgerId, sha256: DocumentDigest) -> Response:
    """The document, to who may read a matter naming it (else the 404 error page)."""
    site, session, access = logged_in(request, ledger)
    document = kept_document(site.context.service, session.origin, sha256, access.may_read_document)
    return document_response(document)
