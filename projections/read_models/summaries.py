"""One-line summaries of matter events, in Danish and English.

Summaries name bodies by their registered names (part of the signed log)
and people only by id: personal names live in the directory and are added
at display time, so erasing them changes no stored summary.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from projections.facts.matter import Fact
from projections.facts.registry import RegistryView
from projections.vocabulary import (
    DISPUTE_LEVELS,
    INFLUENCE_LEVELS,
    REMEDIES,
    RESOLUTIONS,
    SIDES,
    STANCES,
    Words,
    word,
)

MAX_TEXT = 90
REDACTED = ("[indhold slettet]", "[content erased]")

Pair = tuple[str, str]
Renderer = Callable[[Fact, RegistryView], Pair]


def clip(text: object, limit: int = MAX_TEXT) -> str:
    """A free text on one line, cut to ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def summarise(fact: Fact, registry: RegistryView) -> Pair:
    """The (Danish, English) one-line summary of ``fact``."""
    if fact.erased:
        return REDACTED
    render = _RENDERERS.get(fact.type)
    if render is None:
        return (fact.type, fact.type)
    return render(fact, registry)


def _names(registry: RegistryView, bodies: list[str]) -> str:
    return ", ".join(registry.body_name(b) for b in bodies)


Value = Callable[[Fact, RegistryView, str], str | Pair]
"""How a phrase's placeholder is filled from the payload field of the same name: one text for
both languages, or a (Danish, English) pair."""


def _plain(f: Fact, r: RegistryView, field: str) -> str:
    return str(f.get(field))


def _body(f: Fact, r: RegistryView, field: str) -> str:
    return r.body_name(f.get(field))


def _bodies(f: Fact, r: RegistryView, field: str) -> str:
    return _names(r, f.get(field, []))


def _count(f: Fact, r: RegistryView, field: str) -> str:
    return str(len(f.get(field, [])))


def _clipped(limit: int) -> Value:
    """The free text, on one line and cut to ``limit`` characters."""
    return lambda f, r, field: clip(f.get(field), limit)


def _term(words: Words, *, capitalised: bool = False) -> Value:
    """The vocabulary's words for the field's value."""

    def value(f: Fact, r: RegistryView, field: str) -> Pair:
        da, en = word(words, f.get(field), "da"), word(words, f.get(field), "en")
        return (da.capitalize(), en.capitalize()) if capitalised else (da, en)

    return value


def _phrase(da: str, en: str, **values: Value) -> Renderer:
    """A renderer of the two templates: each ``{field}`` is the payload field of that name,
    filled by its kind of value in ``values``, or as it is."""
    names = {name for text in (da, en) for _, name, _, _ in string.Formatter().parse(text) if name}
    fill = [(name, values.get(name, _plain)) for name in sorted(names)]

    def render(f: Fact, r: RegistryView) -> Pair:
        in_da: dict[str, str] = {}
        in_en: dict[str, str] = {}
        for name, value in fill:
            filled = value(f, r, name)
            if isinstance(filled, str):
                in_da[name] = in_en[name] = filled
            else:
                in_da[name], in_en[name] = filled
        return (da.format_map(in_da), en.format_map(in_en))

    return render


def _material(f: Fact, r: RegistryView) -> Pair:
    titles = "; ".join(clip(d.get("title", ""), 50) for d in f.get("documents", []))
    to = _names(r, f.get("bodies", []))
    return (f"Til {to}: {titles}", f"To {to}: {titles}")


def _disagreement(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    points = len(f.get("points", []))
    legit = bool(f.get("legitimate_difference"))
    return (
        f"I {body}: {points} punkt(er)" + (", legitim interesseforskel" if legit else ""),
        f"In {body}: {points} point(s)" + (", legitimate difference of interest" if legit else ""),
    )


def _agreement(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    text = clip(f.get("text"), 60)
    kind = f.get("guideline_type")
    guideline = (
        (f" (retningslinje, {kind})", f" (guideline, {kind})") if f.get("guideline") else ("", "")
    )
    return (f"I {body}{guideline[0]}: {text}", f"In {body}{guideline[1]}: {text}")


def _decision(f: Fact, r: RegistryView) -> Pair:
    outcome = clip(f.get("outcome"), 70)
    inputs = len(f.get("inputs", []))
    prerogative = bool(f.get("management_prerogative"))
    return (
        f"{outcome} ({inputs} input behandlet" + (", ledelsesret)" if prerogative else ")"),
        f"{outcome} ({inputs} inputs treated"
        + (", management prerogative)" if prerogative else ")"),
    )


def _acknowledged(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    enough = bool(f.get("adequate_time"))
    return (
        f"{body}: " + ("tilstrækkelig tid" if enough else "ikke tilstrækkelig tid"),
        f"{body}: " + ("adequate time" if enough else "not adequate time"),
    )


_REASON = _phrase("{reason}", "{reason}", reason=_clipped(70))
_COMPROMISE_ANSWER = _phrase(
    "Kompromis #{proposal}, {side}", "Compromise #{proposal}, {side}", side=_term(SIDES)
)

_RENDERERS: dict[str, Renderer] = {
    "MatterOpened": _phrase(
        "{title} ({responsible_body}, {influence_level}, "
        "beslutning planlagt {planned_decision_date})",
        "{title} ({responsible_body}, {influence_level}, decision planned {planned_decision_date})",
        title=_clipped(70),
        responsible_body=_body,
        influence_level=_term(INFLUENCE_LEVELS),
    ),
    "MaterialShared": _material,
    "ConsultationOpened": _phrase(
        "{body}: {question} (svar senest {respond_by})",
        "{body}: {question} (respond by {respond_by})",
        body=_body,
        question=_clipped(60),
    ),
    "MeetingHeld": _phrase(
        "{body} {date}, {agenda_item}: {present} til stede, {absent} fraværende",
        "{body} {date}, {agenda_item}: {present} present, {absent} absent",
        body=_body,
        agenda_item=_clipped(50),
        present=_count,
        absent=_count,
    ),
    "MinutesApproved": _phrase(
        "Godkender referatet af møde #{meeting}",
        "Approves the minutes of meeting #{meeting}",
    ),
    "MinutesPublished": _phrase(
        "Referatet af møde #{meeting} offentliggjort via {channel}",
        "Minutes of meeting #{meeting} published via {channel}",
        channel=_clipped(40),
    ),
    "GuidelineAmended": _phrase(
        "Retningslinje {guideline} ændret: {text}",
        "Guideline {guideline} amended: {text}",
        text=_clipped(50),
    ),
    "GuidelineTerminated": _phrase(
        "Retningslinje {guideline} opsagt til ophør {effective_from}",
        "Guideline {guideline} terminated, ending {effective_from}",
    ),
    "InterpretationDisputed": _phrase(
        "Fortolkningsuenighed i {body}: {question}",
        "Interpretation dispute in {body}: {question}",
        body=_body,
        question=_clipped(50),
    ),
    "BreachRemedied": _phrase(
        "Brudsag #{claim}: {remedy}",
        "Breach claim #{claim}: {remedy}",
        remedy=_term(REMEDIES),
    ),
    "DisputeEscalated": _phrase(
        "Sag #{dispute} sendt videre til {level}",
        "Dispute #{dispute} taken to {level}",
        level=_term(DISPUTE_LEVELS),
    ),
    "PositionStated": _phrase(
        "{side} i {body} {stance}: {text}",
        "{side} in {body} {stance}: {text}",
        side=_term(SIDES, capitalised=True),
        body=_body,
        stance=_term(STANCES),
        text=_clipped(60),
    ),
    "ProposalSubmitted": _phrase(
        "Fra {body}: {title}", "From {body}: {title}", body=_body, title=_clipped(70)
    ),
    "DisagreementRecorded": _disagreement,
    "DisagreementAnswered": _phrase(
        "Svar på uenighed #{disagreement}: {response}",
        "Answer to disagreement #{disagreement}: {response}",
        response=_clipped(60),
    ),
    "CompromiseProposed": _phrase(
        "I {body}: {terms}", "In {body}: {terms}", body=_body, terms=_clipped(60)
    ),
    "CompromiseAccepted": _COMPROMISE_ANSWER,
    "CompromiseRejected": _COMPROMISE_ANSWER,
    "AgreementReached": _agreement,
    "HearingOpened": _phrase(
        "Til {bodies}, svar senest {respond_by}",
        "To {bodies}, respond by {respond_by}",
        bodies=_bodies,
    ),
    "HearingResponseSubmitted": _phrase(
        "Fra {body}: {text}", "From {body}: {text}", body=_body, text=_clipped(60)
    ),
    "DecisionMade": _decision,
    "ReferredToPolitics": _phrase(
        "{committee} {date} ({proposal_reference})",
        "{committee} {date} ({proposal_reference})",
        committee=_body,
        proposal_reference=_clipped(40),
    ),
    "PoliticalDecisionRecorded": _phrase(
        "{committee} {date}: {outcome}",
        "{committee} {date}: {outcome}",
        committee=_body,
        outcome=_clipped(60),
    ),
    "ConsultationAcknowledged": _acknowledged,
    "EscalatedToBody": _phrase(
        "Fra {from_body} til {to_body}",
        "From {from_body} to {to_body}",
        from_body=_body,
        to_body=_body,
    ),
    "BreachClaimed": _phrase(
        "I {body}: {text}", "In {body}: {text}", body=_body, text=_clipped(60)
    ),
    "BreachResolved": _phrase(
        "Brudsag #{claim}: {resolution}",
        "Breach claim #{claim}: {resolution}",
        resolution=_term(RESOLUTIONS),
    ),
    "DecisionCommunicated": _phrase(
        "Til {to} via {channel}", "To {to} via {channel}", to=_clipped(40), channel=_clipped(40)
    ),
    "MatterClosed": _REASON,
    "MatterWithdrawn": _REASON,
    "CorrectionIssued": _phrase(
        "Retter #{event}: {correction}",
        "Corrects #{event}: {correction}",
        correction=_clipped(60),
    ),
    "PayloadRedacted": _phrase(
        "Indholdet af #{event} er slettet", "The payload of #{event} was erased"
    ),
}
