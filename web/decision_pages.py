"""The decision form and the dossier page that follows it.

The decision form (``…/handling/decision``, an action of the shared
signing pipeline) lists every input of the matter the domain lets a
decision name (``DECISION_INPUT_TYPES``): positions, proposals, hearing
responses and disagreements must each be given a treatment and a reason
(unless an earlier decision treated them); agreements, compromises,
acknowledgements and political decisions may be.  A form with a required
input left untreated is refused with ``decision_input_untreated``, naming
the inputs, before anything is signed; the browser blocks it first.  Where
the matter has no agreement, management prerogative must be declared
(``decision_prerogative_undeclared``).

The dossier page shows the API's dossier read model with its
co-responsibility table, read through the API's own route and guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.access import Access
from api.deps import LedgerId, MatterId
from api.reading import Read
from api.routers import matters as matter_routes
from ledger.domain import events as ev
from ledger.domain.groupings import DECISION_INPUT_TYPES, INPUTS_TO_ADDRESS
from ledger.domain.state import LedgerState
from ledger.errors import MalformedError
from web.actions import Action, register
from web.context import site_of
from web.i18n import Lang, message, shown
from web.offers import decides
from web.render import PageRoute, render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)

REQUIRED_TYPES = INPUTS_TO_ADDRESS | {ev.DisagreementRecorded.__name__}
"""Inputs every decision must say how it treated (unless an earlier decision did): those
MED-05 asks to be addressed, and disagreements."""
TREATMENTS = ("adopted", "partly_adopted", "not_adopted")


class DecisionInputUntreatedError(MalformedError):
    """The decision form leaves an input without a treatment or a reason."""

    code = "decision_input_untreated"


class PrerogativeUndeclaredError(MalformedError):
    """A decision without an agreement in the matter does not declare management
    prerogative."""

    code = "decision_prerogative_undeclared"


@dataclass(frozen=True)
class Input:
    """One input the decision form lists: the event, who gave it, what it said."""

    seq: int
    type: str
    actor: str
    body: str
    text: str
    required: bool


def _text_of(payload: ev.Payload | None) -> str:
    """What an input said, as the decision form quotes it (nothing where it was erased)."""
    match payload:
        case ev.PositionStated(text=text) | ev.HearingResponseSubmitted(text=text):
            return shown(text)
        case ev.ProposalSubmitted(title=title, text=text):
            return ": ".join(part for part in (shown(title), shown(text)) if part)
        case ev.DisagreementRecorded(points=points):
            return shown(points)
        case ev.CompromiseProposed(terms=text) | ev.AgreementReached(text=text):
            return shown(text)
        case ev.ConsultationAcknowledged(comment=comment):
            return shown(comment)
        case ev.PoliticalDecisionRecorded(outcome=outcome):
            return shown(outcome)
    return ""


def decision_inputs(state: LedgerState, matter: str) -> list[Input]:
    """Every event of the matter a decision may name, in order; ``required`` where the
    decision must treat it."""
    found = state.matters[matter]
    events = list(found.events.items())
    treated = {
        item.event
        for _, info in events
        if isinstance(info.payload, ev.DecisionMade)
        for item in info.payload.inputs
    }
    names = state.registry.body_names()
    return [
        Input(
            seq,
            info.type,
            info.actor,
            names.get(body := str(getattr(info.payload, "body", "") or ""), body),
            _text_of(info.payload),
            info.type in REQUIRED_TYPES and seq not in treated,
        )
        for seq, info in events
        if info.type in DECISION_INPUT_TYPES
    ]


def has_agreement(state: LedgerState, matter: str) -> bool:
    events = list(state.matters[matter].events.values())
    return any(info.type == "AgreementReached" for info in events)


def _choose(state: LedgerState, person: str, matter: str, lang: Lang) -> dict[str, Any]:
    return {
        "inputs": decision_inputs(state, matter),
        "treatments": TREATMENTS,
        "agreement": has_agreement(state, matter),
        # Relative to the form (…/sager/{matter}/handling/decision): the dossier page.
        "next_page": ("../dossier", message(lang, "decision.to_dossier")),
    }


def _build(form: dict[str, str], state: LedgerState, matter: str) -> dict[str, Any]:
    """The DecisionMade payload; the named error when an input or the prerogative is
    missing."""
    inputs: list[dict[str, Any]] = []
    missing: list[int] = []
    for given in decision_inputs(state, matter):
        treatment = form.get(f"treatment-{given.seq}", "").strip()
        reason = form.get(f"reason-{given.seq}", "").strip()
        if treatment in TREATMENTS and reason:
            inputs.append({"event": given.seq, "treatment": treatment, "reason": reason})
        elif given.required or (treatment in TREATMENTS) != bool(reason):
            missing.append(given.seq)
    if missing:
        listed = ", ".join(f"#{seq}" for seq in missing)
        raise DecisionInputUntreatedError(
            f"give each input a treatment and a reason: {listed}", inputs=missing
        )
    prerogative = form.get("management_prerogative") == "yes"
    if not prerogative and not has_agreement(state, matter):
        raise PrerogativeUndeclaredError(
            "the matter has no agreement: declare management prerogative to decide"
        )
    payload: dict[str, Any] = {
        "outcome": form.get("outcome", "").strip(),
        "rationale": form.get("rationale", "").strip(),
        "inputs": inputs,
    }
    if prerogative:
        payload["management_prerogative"] = True
    return payload


def _say(payload: dict[str, Any], state: LedgerState, matter: str, lang: Lang) -> str:
    treated = "; ".join(
        message(
            lang,
            "decision.sign.input",
            seq=item["event"],
            treatment=message(lang, f"treatment.{item['treatment']}"),
            reason=item["reason"],
        )
        for item in payload["inputs"]
    )
    return message(
        lang,
        "decision.sign",
        title=state.matters[matter].title,
        outcome=payload["outcome"],
        rationale=payload["rationale"],
        inputs=treated or message(lang, "sign.none"),
        prerogative=message(lang, "decision.sign.prerogative")
        if payload.get("management_prerogative")
        else "",
    )


register(
    Action(
        "decision",
        ev.DecisionMade,
        (),
        form="decision_fields.html",
        choose=_choose,
        build=_build,
        say=_say,
        offer=decides,
    )
)


@router.get("/l/{ledger}/sager/{matter}/dossier")
def dossier_page(request: Request, ledger: LedgerId, matter: MatterId) -> Response:
    """The decision dossier: decisions with each input's treatment, disagreements and
    their answers, agreements, and who shares responsibility (the API's dossier)."""
    site = site_of(request)
    session = site.session(request, ledger)
    Access(session.reader, session.state).require_matter(matter)
    read = Read(session.origin, site.context, None)
    found = read.remembered(f"dossier {matter}", lambda: matter_routes.read_dossier(read, matter))
    return render_page(
        request,
        "dossier.html",
        session,
        site,
        names=read.names(),
        matter=found.matter,
        dossier=found.document,
        unaddressed=", ".join(
            f"#{given['seq']}" for given in found.document.get("unaddressed_inputs", [])
        ),
        people=found.co_responsibility,
        body_names=found.body_names,
        as_of=found.as_of,
    )
