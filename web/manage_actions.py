"""The management side's actions on a matter, in the shared signing pipeline.

Each is an ``Action`` of ``web.actions``: a form of its own (templates
``manage_fields_*.html``), what it offers, how the form becomes the
payload, the words signed, and to whom the matter page offers it.  The
offer follows the write-time rules (``ledger.domain.matters``) as of now;
they still decide when the event is signed.  Compromises are proposed and
accepted for management with the representatives' own forms (the seat's
side is chosen there).  Notice of terminating an optional guideline may
come from a member of either side of the body that agreed it; it is here
with the other guideline register actions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, get_args

from ledger.domain import events as ev
from ledger.domain.guidelines import Guideline
from ledger.domain.state import LedgerState
from web.actions import Action, Build, Choose, Offer, Say, register
from web.i18n import Lang, format_date, message, shown
from web.offers import (
    chairs_or_manages,
    decides,
    management_seat,
    manages,
    records_politics,
)

GUIDELINE_TYPE_CHOICES = get_args(ev.GuidelineType)
"""The kinds of guideline a form offers, as the event vocabulary names them."""


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _given(form: dict[str, str], *names: str) -> dict[str, Any]:
    """The named form fields that are filled in, stripped."""
    return {name: form[name].strip() for name in names if form.get(name, "").strip()}


def _seq(value: str) -> int | str:
    return int(value) if value.isdigit() else value


# --- what the forms offer -----------------------------------------------------


def med_bodies(state: LedgerState) -> list[tuple[str, str]]:
    """The MED bodies in force (no political committee), by id."""
    bodies = list(state.registry.bodies.items())
    return sorted(
        (b, body.name)
        for b, body in bodies
        if body.kind != "political_committee" and not body.dissolved
    )


def committees(state: LedgerState) -> list[tuple[str, str]]:
    bodies = list(state.registry.bodies.items())
    return sorted(
        (b, body.name)
        for b, body in bodies
        if body.kind == "political_committee" and not body.dissolved
    )


def _events(state: LedgerState, matter: str, *types: type[ev.Payload]) -> list[tuple[int, Any]]:
    return [
        (seq, info.payload)
        for seq, info in list(state.matters[matter].events.items())
        if isinstance(info.payload, types)
    ]


def _bodies(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    return {
        "med_bodies": med_bodies(state),
        "committees": committees(state),
        "responsible": state.matters[matter].responsible_body,
    }


def _open_disagreements(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    answered = state.matters[matter].answered
    return {
        "disagreements": [
            (seq, f"{seq}: {shown(p.points, lang)[:120]}")
            for seq, p in _events(state, matter, ev.DisagreementRecorded)
            if seq not in answered
        ]
    }


def _agreed_compromises(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    accepted = state.matters[matter].accepted_sides
    both = {"management", "employees"}
    return {
        "agreed_compromises": [
            (seq, f"{seq}: {shown(p.terms, lang)[:120]}", p.body)
            for seq, p in _events(state, matter, ev.CompromiseProposed)
            if accepted.get(seq, set()) == both
        ],
        "guideline_types": GUIDELINE_TYPE_CHOICES,
    }


# --- forms into payloads ------------------------------------------------------


_DOCUMENT_ROW = re.compile(r"^doc-sha256-([0-9]{1,4})$")


def _build_material(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    """Each document row ``doc-title-N``/``doc-sha256-N`` (the browser's digest of the file)."""
    documents = []
    rows = {int(found[1]) for key in form if (found := _DOCUMENT_ROW.match(key))}
    for index in sorted(rows):
        document = {
            "title": form.get(f"doc-title-{index}", "").strip(),
            "sha256": form.get(f"doc-sha256-{index}", "").strip(),
        }
        document.update(_given({"link": form.get(f"doc-link-{index}", "")}, "link"))
        documents.append(document)
    return {"documents": documents, "bodies": _lines(form.get("bodies"))}


def _build_consultation(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return _given(form, "body", "question", "respond_by")


def _build_hearing(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return {"bodies": _lines(form.get("bodies")), **_given(form, "respond_by")}


def _build_referral(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return _given(form, "committee", "date", "proposal_reference")


def _build_political(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return _given(form, "committee", "outcome", "date")


def _build_answer(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return {"disagreement": _seq(form.get("disagreement", "")), **_given(form, "response")}


def _build_agreement(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    found: dict[str, Any] = {"compromise": _seq(form.get("compromise", ""))}
    found.update(_given(form, "body", "text"))
    if form.get("guideline") == "yes":
        found["guideline"] = True
        found.update(_given(form, "guideline_type", "guideline_id", "effective_from"))
    return found


def _build_guideline_amend(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    found: dict[str, Any] = {"compromise": _seq(form.get("compromise", ""))}
    found.update(_given(form, "guideline", "body", "text", "guideline_type", "effective_from"))
    return found


def _build_guideline_terminate(
    form: dict[str, str], state: LedgerState, matter: str
) -> dict[str, Any]:
    found = _given(form, "guideline", "effective_from", "reason")
    guideline = state.guidelines.guidelines.get(found.get("guideline", ""))
    if guideline is not None:  # terminated in the body that agreed it
        found["body"] = guideline.body
    return found


def _build_communicated(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return _given(form, "to", "channel")


def _build_closed(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    return _given(form, "reason")


def _live_guidelines(state: LedgerState) -> list[tuple[str, Guideline]]:
    """The register's guidelines not terminated (an amendment may still change them)."""
    return sorted(
        (g, found) for g, found in list(state.guidelines.guidelines.items()) if not found.terminated
    )


def _guideline_label(guideline_id: str, found: Guideline, state: LedgerState, lang: Lang) -> str:
    body = state.registry.bodies.get(found.body)
    kind = message(lang, f"guideline.{found.type}")
    return f"{guideline_id} ({kind}, {body.name if body else found.body})"


def _amendable(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    return {
        **_agreed_compromises(state, person, matter, lang),
        "guidelines": [
            (g, _guideline_label(g, found, state, lang)) for g, found in _live_guidelines(state)
        ],
    }


def _terminable_by(state: LedgerState, person: str, matter: str) -> list[tuple[str, Guideline]]:
    """Optional guidelines in force agreed in a body the person sits in and the matter
    involves (a member of either side may give notice)."""
    involved = state.matters[matter].involved
    return [
        (g, found)
        for g, found in _live_guidelines(state)
        if found.type == "optional"
        and found.body in involved
        and state.registry.membership(found.body, person) is not None
    ]


def _terminable(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    return {
        "guidelines": [
            (g, _guideline_label(g, found, state, lang))
            for g, found in _terminable_by(state, person, matter)
        ]
    }


def _amends_guidelines(state: LedgerState, person: str, matter: str) -> bool:
    """Management of the matter, when the register has a guideline still in force."""
    return manages(state, person, matter) and bool(_live_guidelines(state))


def _terminates_guidelines(state: LedgerState, person: str, matter: str) -> bool:
    return bool(_terminable_by(state, person, matter))


# --- the words signed ---------------------------------------------------------


def _names(state: LedgerState, ids: list[str]) -> str:
    bodies = state.registry.bodies
    return ", ".join(bodies[b].name if b in bodies else b for b in ids)


Clauses = Callable[[dict[str, Any], str, Lang], dict[str, str]]
"""An action's own clauses of its words: (payload, its start date in words, language)."""


def _no_clauses(payload: dict[str, Any], starts: str, lang: Lang) -> dict[str, str]:
    return {}


def _agreement_clauses(payload: dict[str, Any], starts: str, lang: Lang) -> dict[str, str]:
    """Whether the agreement is a guideline (its type and id), and when it starts."""
    return {
        "guideline_words": _guideline_words(payload, lang),
        "effective_words": _starting(lang, "manage.sign.effective_from", starts),
    }


def _amendment_clauses(payload: dict[str, Any], starts: str, lang: Lang) -> dict[str, str]:
    """The guideline's type after the amendment, if it changes, and when the change starts."""
    kind = payload.get("guideline_type")
    return {
        "type_words": message(
            lang, "manage.sign.guideline_type_now", kind=message(lang, f"guideline.{kind}")
        )
        if kind
        else "",
        "effective_words": _starting(lang, "manage.sign.guideline_amend_from", starts),
    }


def _starting(lang: Lang, key: str, starts: str) -> str:
    return message(lang, key, date=starts) if starts else ""


def _say(name: str, clauses: Clauses = _no_clauses) -> Say:
    """Words from ``manage.sign.{name}`` with the payload's fields, the matter's title and
    the action's own ``clauses``."""

    def say(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
        values: dict[str, Any] = {**payload, "title": state.matters[matter].title}
        for field in ("body", "committee"):
            if field in payload:
                values[field] = _names(state, [str(payload[field])])
        if "bodies" in payload:
            values["bodies"] = _names(state, list(payload["bodies"]))
        for field in ("respond_by", "date", "effective_from"):
            if field in payload:
                values[field] = format_date(str(payload[field]), lang)
        if "documents" in payload:
            values["documents"] = "; ".join(_document_words(d, lang) for d in payload["documents"])
        values.update(clauses(payload, str(values.get("effective_from", "")), lang))
        return message(lang, f"manage.sign.{name}", **values)

    return say


def _document_words(document: dict[str, Any], lang: Lang) -> str:
    """One shared document: its title, its digest and, if given, its link."""
    key = "manage.sign.document_link" if document.get("link") else "manage.sign.document"
    return message(lang, key, **document)


def _guideline_words(payload: dict[str, Any], lang: Lang) -> str:
    if not payload.get("guideline"):
        return ""
    kind = message(lang, f"guideline.{payload.get('guideline_type', 'procedure')}")
    return message(
        lang, "manage.sign.guideline", kind=kind, guideline_id=payload.get("guideline_id", "")
    )


def _manage(
    name: str,
    event: type[ev.Payload],
    build: Build,
    offer: Offer,
    choose: Choose | None = None,
    clauses: Clauses = _no_clauses,
) -> Action:
    """A management action: form ``manage_fields_{name}.html``, words ``manage.sign.{name}``."""
    form = f"manage_fields_{name}.html"
    say = _say(name, clauses)
    return Action(name, event, (), form=form, choose=choose, build=build, say=say, offer=offer)


MANAGE_ACTIONS = (
    _manage("material", ev.MaterialShared, _build_material, management_seat, _bodies),
    _manage("consultation", ev.ConsultationOpened, _build_consultation, chairs_or_manages, _bodies),
    _manage("hearing_open", ev.HearingOpened, _build_hearing, management_seat, _bodies),
    _manage("referral", ev.ReferredToPolitics, _build_referral, management_seat, _bodies),
    _manage("political", ev.PoliticalDecisionRecorded, _build_political, records_politics, _bodies),
    _manage("answer", ev.DisagreementAnswered, _build_answer, manages, _open_disagreements),
    _manage(
        "agreement",
        ev.AgreementReached,
        _build_agreement,
        manages,
        _agreed_compromises,
        _agreement_clauses,
    ),
    _manage("communicated", ev.DecisionCommunicated, _build_communicated, management_seat),
    _manage("close", ev.MatterClosed, _build_closed, decides),
    _manage(
        "guideline_amend",
        ev.GuidelineAmended,
        _build_guideline_amend,
        _amends_guidelines,
        _amendable,
        _amendment_clauses,
    ),
    _manage(
        "guideline_terminate",
        ev.GuidelineTerminated,
        _build_guideline_terminate,
        _terminates_guidelines,
        _terminable,
    ),
)

register(*MANAGE_ACTIONS)
