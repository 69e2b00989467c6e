"""A person's evidence: their involvement, their receipts (printable, and as a bundle),
and the proof that one event is in the log.

Read through the API's own routes and the same checks its guards make: a
person's record is theirs and the auditors'; a receipt of a matter they may
not read shows its routing only, and its bundle is refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.access import Access, ReceiptGrant
from api.deps import LedgerId, MatterId, PersonPath
from api.paging import Paging
from api.reading import AsOfQuery, Read
from api.routers import involvement as involvement_routes
from api.routers import proofs as proof_routes
from api.routers import receipts as receipt_routes
from ledger.errors import UnknownLeafError, UnknownStreamError
from ledger.protocol.envelope import MATTER_PREFIX, Envelope
from web.context import MatterQuery, logged_in, site_of
from web.render import PageRoute, json_download, render_page, request_lang

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _grant(access: Access, person: str, matter: str) -> ReceiptGrant:
    """What the API's receipt guard decides: own or auditor; in full only if readable."""
    access.require_own_or_auditor(person)
    if matter not in access.state.matters:
        raise UnknownStreamError(f"no matter {matter} in this ledger", matter=matter)
    return ReceiptGrant(access, access.may_read(matter))


@router.get("/l/{ledger}/mig")
def my_involvement(request: Request, ledger: LedgerId) -> Response:
    """My involvement: the bodies I sit in and, matter by matter, what I was part of."""
    site, session, access = logged_in(request, ledger)
    read = Read(session.origin, site.context, None)
    found = read.remembered(
        f"involvement {session.person}",
        lambda: involvement_routes.person_involvement(
            session.person, access, read, paging=Paging(0, 1000)
        ),
    )
    matters = sorted(session.state.matters)
    return render_page(
        request,
        "involvement.html",
        session,
        site,
        names=read.names(),
        involvement=found,
        all_matters=matters,
    )


@router.get("/l/{ledger}/kvittering/{matter}")
def receipt_page(
    request: Request, ledger: LedgerId, matter: MatterId, as_of: AsOfQuery = None
) -> Response:
    """My consultation receipt of a matter, printable, with its bundle to download."""
    return _receipt(request, ledger, None, matter, as_of)


def _receipt(
    request: Request, ledger: str, person: str | None, matter: str, as_of: str | None
) -> Response:
    site = site_of(request)
    session = site.session(request, ledger)
    who = person or session.person
    grant = _grant(Access(session.reader, session.state), who, matter)
    read = Read(session.origin, site.context, as_of or None)
    found = read.remembered(
        f"receipt {who} {matter} {grant.full}",
        lambda: receipt_routes.consultation_receipt(who, matter, grant, read),
    )
    lang = request_lang(request)
    return render_page(
        request,
        "receipt.html",
        session,
        site,
        names=read.names(),
        receipt=found,
        body_names=session.state.registry.body_names(),
        who=who,
        reasons=[item.reason_da if lang == "da" else item.reason_en for item in found.items],
        bundle_url=f"/l/{ledger}/kvittering/{matter}/bundle" + (f"?person={who}" if person else ""),
    )


@router.get("/l/{ledger}/kvittering/{matter}/bundle")
def receipt_bundle(request: Request, ledger: LedgerId, matter: MatterId) -> Response:
    """My receipt's evidence bundle, to keep and to verify offline."""
    site = site_of(request)
    session = site.session(request, ledger)
    who = request.query_params.get("person") or session.person
    grant = _grant(Access(session.reader, session.state), who, matter)
    read = Read(session.origin, site.context, None)
    bundle = receipt_routes.consultation_receipt_bundle(who, matter, grant, read)
    return json_download(bundle, f"kvittering-{ledger}-{matter}-{who}.json")


@router.get("/l/{ledger}/tillidsrod.json")
def trust_root(request: Request, ledger: LedgerId) -> Response:
    """The ledger's trust root as ``medledger trust`` prints it (without witnesses), to
    compare with the one the organisation publishes and pin."""
    site = site_of(request)
    session = site.session(request, ledger)
    root = site.context.service.trust_root(session.origin)
    return json_download(root.to_json(), f"tillidsrod-{ledger}.json", keep=True)


@router.get("/l/{ledger}/bevis/{leaf}")
def proof_page(request: Request, ledger: LedgerId, leaf: int) -> Response:
    """One event and the proof that it is in the log: its leaf, the audit path, the root."""
    site, session, access = logged_in(request, ledger)
    service = site.context.service
    record = service.record(session.origin, leaf) if leaf >= 0 else None
    if record is None or record.entry is None:
        raise UnknownLeafError(f"no event at leaf {leaf}", leaf_index=leaf)
    if record.stream.startswith(MATTER_PREFIX):
        access.require_matter(record.stream.removeprefix(MATTER_PREFIX))
    envelope = Envelope.from_entry(record.entry)
    proof = proof_routes.inclusion(access, service, leaf, None)
    checkpoint = service.latest_checkpoint(session.origin)
    return render_page(
        request,
        "proof.html",
        session,
        site,
        leaf=leaf,
        record=record,
        body=envelope.body,
        envelope_hash=envelope.hash_hex,
        proof=proof,
        checkpoint=checkpoint,
    )


@router.get("/l/{ledger}/kvittering")
def any_receipt(request: Request, ledger: LedgerId, matter: MatterQuery) -> Response:
    """The receipt of the matter chosen in a list (any matter of the ledger)."""
    return RedirectResponse(f"/l/{ledger}/kvittering/{matter}", status_code=303)


# After the bundle's route, which its path would otherwise match.
@router.get("/l/{ledger}/kvittering/{matter}/{person}")
def someones_receipt_page(
    request: Request, ledger: LedgerId, matter: MatterId, person: PersonPath
) -> Response:
    """Another person's receipt (auditors only, as in the API)."""
    return _receipt(request, ledger, person, matter, None)
