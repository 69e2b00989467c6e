"""Enrolment and administration: a browser-made key asks for access; an administrator
approves it by signing ``PersonEnrolled`` (or ``KeyAdded``) in their own browser,
revokes lost keys, and keeps the directory of names outside the signed log.

The enrolment request is text the person hands to an administrator (and a QR
code of the same text, made here as SVG): the ledger's origin, the person
id asked for, the key id and the public key.  Nothing is stored until an
administrator signs; the write-time rules decide whether they may.
"""

from __future__ import annotations

import io
import json
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.access import Access
from api.deps import LedgerId
from api.errors import AdminRequiredError, MalformedRequestError
from api.routers import people as people_routes
from api.schemas import DirectoryEntryIn
from ledger.domain.state import LedgerState
from ledger.errors import MalformedKeyError, UnknownStreamError
from ledger.protocol.canonical import parse_canonical
from ledger.protocol.envelope import REGISTRY_STREAM, Envelope, is_valid_id
from ledger.protocol.keys import key_id_for, load_public_key, public_key_bytes
from web.context import Site, logged_in, site_of
from web.dry_run_view import dry_run_words
from web.i18n import Lang, message
from web.render import PageRoute, render, render_page, request_lang
from web.session import Session, check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)

REQUEST_TYPE = "medledger-enrolment-request/v1"
PERSON_ROLES = ("admin", "auditor")


def enrolment_request(origin: str, person: str, public_key: str) -> dict[str, str]:
    """The request text's content, checked: a valid person id and Ed25519 public key."""
    if not is_valid_id(person):
        raise MalformedRequestError(
            "a person id is 1-64 of a-z, 0-9, '.', '_', '-'", field="person"
        )
    try:
        key = load_public_key(public_key)
    except MalformedKeyError as error:
        raise MalformedRequestError(str(error), field="public_key") from error
    return {
        "type": REQUEST_TYPE,
        "origin": origin,
        "person": person,
        "key_id": key_id_for(public_key_bytes(key)),
        "public_key": public_key,
    }


def request_text(request: dict[str, str]) -> str:
    return json.dumps(request, separators=(",", ":"), sort_keys=True)


@router.get("/l/{ledger}/tilmelding")
def enrol_page(request: Request, ledger: LedgerId) -> Response:
    """Make a key in this browser and show the enrolment request to hand an administrator."""
    site = site_of(request)
    return render(
        request,
        "enrol.html",
        ledger=ledger,
        origin=site.origin(ledger),
        ledger_name=site.ledger_name(ledger),
    )


@router.get("/l/{ledger}/tilmelding/qr.svg")
def enrol_qr(request: Request, ledger: LedgerId, person: str, public_key: str) -> Response:
    """The enrolment request as a QR code (SVG, made here with segno)."""
    site = site_of(request)
    asked = enrolment_request(site.origin(ledger), person, public_key)
    out = io.BytesIO()
    segno.make(request_text(asked), error="m").save(
        out,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgns=True,
        title=message(request_lang(request), "enrol.qr_title"),
    )
    return Response(
        out.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


def _admin(request: Request, ledger: str) -> tuple[Session, Access]:
    _, session, access = logged_in(request, ledger)
    if not access.reader.is_admin:
        raise AdminRequiredError(f"{session.person} is not an admin of this ledger")
    return session, access


def people_table(state: LedgerState, names: dict[str, str]) -> list[dict[str, Any]]:
    registry = state.registry
    return [
        {
            "person": person,
            "name": names.get(person),
            "roles": sorted(found.roles),
            "key_list": [
                {"key_id": key_id, "revoked": record.revoked}
                for key_id, record in sorted(found.keys.items())
            ],
        }
        for person, found in sorted(registry.people.items())
    ]


def body_tree(state: LedgerState) -> list[dict[str, Any]]:
    """The bodies as a tree (depth-first, each with its depth), with their members now."""
    registry = state.registry
    bodies = sorted(registry.bodies.values(), key=lambda b: b.name)
    children: dict[str | None, list[Any]] = {}
    for body in bodies:
        parent = body.parent if body.parent in registry.bodies else None
        children.setdefault(parent, []).append(body)
    ordered: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for body in children.get(parent, []):
            members = registry.members.get(body.body_id, {})
            ordered.append(
                {
                    "body": body.body_id,
                    "name": body.name,
                    "kind": body.kind,
                    "depth": depth,
                    "dissolved": body.dissolved,
                    "members": [
                        {"person": p, "side": m.side, "roles": sorted(m.roles)}
                        for p, m in sorted(members.items())
                    ],
                }
            )
            walk(body.body_id, depth + 1)

    walk(None, 0)
    return ordered


def membership_history(site: Site, origin: str) -> list[dict[str, Any]]:
    """Appointments and departures in the registry stream, oldest first."""
    found: list[dict[str, Any]] = []
    after = 0
    while True:
        records = site.context.service.records(origin, REGISTRY_STREAM, after, 1000)
        for record in records:
            if record.entry is None or record.payload is None:
                continue
            body = Envelope.from_entry(record.entry).body
            if body.type in ("MemberAppointed", "MemberLeft"):
                payload = parse_canonical(record.payload)
                found.append(
                    {
                        "type": body.type,
                        "time": body.time,
                        "leaf_index": record.leaf_index,
                        **(payload if isinstance(payload, dict) else {}),
                    }
                )
        if len(records) < 1000:
            return found
        after = records[-1].seq


@router.get("/l/{ledger}/admin")
def admin_page(request: Request, ledger: LedgerId) -> Response:
    """People and keys, bodies as a tree, memberships over time, the directory."""
    site = site_of(request)
    session, access = _admin(request, ledger)
    named = _directory_names(access, site)
    return render_page(
        request,
        "admin.html",
        session,
        site,
        names=named,
        people=people_table(session.state, named),
        bodies=body_tree(session.state),
        history=membership_history(site, session.origin),
        person_roles=PERSON_ROLES,
        saved=request.query_params.get("gemt"),
        erased=request.query_params.get("slettet"),
    )


@router.get("/l/{ledger}/admin/handling/{name}")
def admin_action(request: Request, ledger: LedgerId, name: str) -> Response:
    """Approve an enrolment request, or revoke a key: signed in the admin's browser."""
    site = site_of(request)
    session, _ = _admin(request, ledger)
    if name not in ("enrol", "revoke"):
        raise UnknownStreamError(f"no admin action {name!r}", action=name)
    return render_page(
        request,
        "admin_action.html",
        session,
        site,
        name=name,
        person_roles=PERSON_ROLES,
        person=request.query_params.get("person", ""),
        key_id=request.query_params.get("key_id", ""),
    )


def registry_payload(
    name: str, form: dict[str, str], state: LedgerState, origin: str
) -> tuple[str, dict[str, Any]]:
    """The registry event a filled-in admin form stands for: its type and payload."""
    registry = state.registry
    if name == "enrol":
        try:
            asked = json.loads(form.get("request", ""))
        except json.JSONDecodeError as error:
            raise MalformedRequestError(
                "the enrolment request is not the text a browser made", field="request"
            ) from error
        if not isinstance(asked, dict) or asked.get("type") != REQUEST_TYPE:
            raise MalformedRequestError(
                "the enrolment request is not the text a browser made", field="request"
            )
        checked = enrolment_request(origin, str(asked.get("person")), str(asked.get("public_key")))
        if asked.get("origin") != origin:
            raise MalformedRequestError(
                "the enrolment request is for another ledger", field="request"
            )
        if asked.get("key_id") != checked["key_id"]:
            raise MalformedRequestError("the request's key id is not its key's", field="request")
        person = checked["person"]
        key = {"person": person, "key_id": checked["key_id"], "public_key": checked["public_key"]}
        if person in registry.people:
            return "KeyAdded", key
        roles = [r for r in PERSON_ROLES if form.get(f"role_{r}") == "yes"]
        return "PersonEnrolled", {**key, "roles": roles}
    if name == "revoke":
        person, key_id = form.get("person", ""), form.get("key_id", "")
        reason = form.get("reason", "").strip()
        if not reason:
            raise MalformedRequestError("a revocation needs a reason", field="reason")
        return "KeyRevoked", {"person": person, "key_id": key_id, "reason": reason}
    raise UnknownStreamError(f"no admin action {name!r}", action=name)


def registry_words(event_type: str, payload: dict[str, Any], lang: Lang) -> str:
    fingerprint = " ".join(payload["key_id"][i : i + 4] for i in range(0, 16, 4))
    roles = ", ".join(payload.get("roles", [])) or message(lang, "sign.none")
    key = {
        "PersonEnrolled": "sign.enrol",
        "KeyAdded": "sign.key_added",
        "KeyRevoked": "sign.revoke",
    }[event_type]
    return (
        message(lang, "sign.prefix")
        + " "
        + message(
            lang,
            key,
            person=payload["person"],
            fingerprint=fingerprint,
            roles=roles,
            reason=payload.get("reason", ""),
        )
    )


@router.post("/l/{ledger}/admin/handling/{name}/ord")
async def admin_words(request: Request, ledger: LedgerId, name: str) -> Response:
    """The registry event an admin form stands for, in words, before the admin signs it."""
    session, _ = _admin(request, ledger)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, session, form.get("csrf"))
    event_type, payload = registry_payload(name, form, session.state, session.origin)
    lang = request_lang(request)
    dry_run = dry_run_words(
        site_of(request).context, session, REGISTRY_STREAM, event_type, payload, lang
    )
    return JSONResponse(
        {
            "type": event_type,
            "stream": REGISTRY_STREAM,
            "payload": payload,
            "words": registry_words(event_type, payload, lang),
            "dry_run": dry_run,
        },
        headers={"Cache-Control": "no-store"},
    )


def _directory_names(access: Access, site: Site) -> dict[str, str]:
    """The directory's names by person, as the admin reads them (those with a name)."""
    entries = people_routes.directory(access, site.context.service).entries
    return {e.person: e.name for e in entries if e.name}


def _confirm_erasure(
    request: Request, session: Session, site: Site, person: str, access: Access
) -> Response:
    """The erasure cannot be undone: ask once more, naming whose entry goes."""
    session.state.registry.require_person(person)
    named = _directory_names(access, site)
    return render_page(
        request,
        "admin_erase.html",
        session,
        site,
        names=named,
        person=person,
        name=named.get(person),
    )


@router.post("/l/{ledger}/admin/navne")
async def set_name(request: Request, ledger: LedgerId) -> Response:
    """Set a person's name and e-mail in the directory (outside the signed log), or erase
    them (the form's second button)."""
    site = site_of(request)
    session, access = _admin(request, ledger)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, session, form.get("csrf"))
    person = form.get("person", "")
    if form.get("erase") and not form.get("confirmed"):
        return _confirm_erasure(request, session, site, person, access)
    if form.get("erase"):  # the scrub may wait for the database: not on the event loop
        await run_in_threadpool(
            people_routes.erase_directory_entry, person, access, site.context.service
        )
        return RedirectResponse(f"/l/{ledger}/admin?slettet={person}#directory-h", status_code=303)
    entry = DirectoryEntryIn(name=form.get("name") or None, email=form.get("email") or None)
    people_routes.set_directory_entry(person, entry, access, site.context.service)
    return RedirectResponse(f"/l/{ledger}/admin?gemt={person}#directory-h", status_code=303)
