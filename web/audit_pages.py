"""The auditor's pages: the ledger at a glance, findings by body and rule with their
grounds, any matter replayed as of a tree size or a date, the whole-ledger bundle, and
the newest checkpoint and a consistency proof for the browser to check a checkpoint
held from earlier against (``web/static/js/audit-consistency.js``).

Read through the API's own routes and guards: the whole-ledger bundle is the
auditors' alone (``AuditorAccess`` in the API), findings are filtered by who
may read each matter, as in the API.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.access import Access
from api.deps import LedgerId
from api.errors import ReadNotAllowedError
from api.paging import Paging
from api.reading import AsOfQuery, Read
from api.routers import findings as finding_routes
from api.routers import proofs as proof_routes
from ledger.errors import NotYetCheckpointedError
from ledger.service.bundle import ledger_bundle
from web.context import MatterQuery, logged_in, site_of
from web.render import PageRoute, json_download, render_page, request_lang
from web.session import Session

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _auditor(request: Request, ledger: str) -> tuple[Session, Access]:
    _, session, access = logged_in(request, ledger)
    if not access.reader.is_auditor:
        raise ReadNotAllowedError(f"{session.person} is not an auditor of this ledger")
    return session, access


def checkpoint_summary(note: str) -> dict[str, Any]:
    """A C2SP signed note's origin, size and root, and who signed it (log and witnesses)."""
    text, _, signatures = note.partition("\n\n")
    lines = text.split("\n")
    signers = [line.split(" ")[1] for line in signatures.split("\n") if line.startswith("\u2014 ")]
    return {
        "origin": lines[0] if lines else "",
        "size": int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0,
        "root": lines[2] if len(lines) > 2 else "",
        "signers": signers,
        "text": note,
    }


@router.get("/l/{ledger}/revision")
def audit_page(request: Request, ledger: LedgerId) -> Response:
    """The ledger at a glance, its findings, and the way into any matter as of any point."""
    site = site_of(request)
    session, access = _auditor(request, ledger)
    service = site.context.service
    read = Read(session.origin, site.context, None)
    lang = request_lang(request)
    # Judged at the ledger's latest time, so they change only with the log: remembered.
    report = read.remembered(
        f"audit findings {lang} {session.person}",
        lambda: finding_routes.rule_findings(access, read, lang, paging=Paging(0, 1000)),
    )
    by_body: dict[str, dict[str, list[Any]]] = {}
    for finding in report.findings:
        by_body.setdefault(finding.body_name, {}).setdefault(finding.rule, []).append(finding)
    try:
        checkpoint: dict[str, Any] | None = checkpoint_summary(
            service.latest_checkpoint(session.origin)
        )
    except NotYetCheckpointedError:
        checkpoint = None
    matters = sorted((m.title, matter_id) for matter_id, m in list(session.state.matters.items()))
    return render_page(
        request,
        "audit.html",
        session,
        site,
        names=read.names(),
        tree_size=service.tree_size(session.origin),
        checkpoint=checkpoint,
        trust=json.dumps(service.trust_root(session.origin).to_json(), indent=1),
        findings=report,
        by_body=by_body,
        matters=matters,
    )


@router.get("/l/{ledger}/revision/som")
def replay(
    request: Request, ledger: LedgerId, matter: MatterQuery, as_of: AsOfQuery = None
) -> Response:
    """A matter as it stood at a tree size or a date (the matter page, replayed)."""
    target = f"/l/{ledger}/sager/{matter}"
    return RedirectResponse(target + (f"?as_of={as_of}" if as_of else ""), status_code=303)


@router.get("/l/{ledger}/revision/bundle.json")
async def whole_ledger_bundle(request: Request, ledger: LedgerId) -> Response:
    """Every event up to the newest checkpoint, as one bundle (auditors only)."""
    site = site_of(request)
    session, _ = await run_in_threadpool(_auditor, request, ledger)
    bundle = await run_in_threadpool(ledger_bundle, site.context.service, session.origin)
    return json_download(bundle, f"log-{ledger}.json")


@router.get("/l/{ledger}/revision/kontrolpunkt")
def newest_checkpoint(request: Request, ledger: LedgerId) -> Response:
    """The newest signed checkpoint, byte for byte, as the API's ``…/checkpoint`` serves it
    (the browser cannot send the session's token to the API itself)."""
    site = site_of(request)
    session, _ = _auditor(request, ledger)
    note = site.context.service.latest_checkpoint(session.origin)
    return PlainTextResponse(
        note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"}
    )


@router.get("/l/{ledger}/revision/konsistens")
def consistency_proof(
    request: Request, ledger: LedgerId, old_size: proof_routes.Size, new_size: proof_routes.Size
) -> Response:
    """The API's consistency proof from ``old_size`` to ``new_size``, as it answers it."""
    site = site_of(request)
    _, access = _auditor(request, ledger)
    proof = proof_routes.consistency(access, site.context.service, old_size, new_size)
    return JSONResponse(proof.model_dump(), headers={"Cache-Control": "no-store"})
