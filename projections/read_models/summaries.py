"""One-line summaries of matter events, in Danish and English.

Summaries name bodies by their registered names (part of the signed log)
and people only by id: personal names live in the directory and are added
at display time, so erasing them changes no stored summary.
"""

from __future__ import annotations

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


def _body_says(da: str, en: str, field: str, limit: int = 60) -> Renderer:
    """A renderer of "<da|en> <the body named>: <one text field, clipped>"."""

    def render(f: Fact, r: RegistryView) -> Pair:
        body = r.body_name(f.get("body"))
        text = clip(f.get(field), limit)
        return (f"{da} {body}: {text}", f"{en} {body}: {text}")

    return render


def _opened(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("responsible_body"))
    level = f.get("influence_level")
    title = clip(f.get("title"), 70)
    return (
        f"{title} ({body}, {word(INFLUENCE_LEVELS, level, 'da')}, "
        f"beslutning planlagt {f.get('planned_decision_date')})",
        f"{title} ({body}, {word(INFLUENCE_LEVELS, level, 'en')}, "
        f"decision planned {f.get('planned_decision_date')})",
    )


def _material(f: Fact, r: RegistryView) -> Pair:
    titles = "; ".join(clip(d.get("title", ""), 50) for d in f.get("documents", []))
    to = _names(r, f.get("bodies", []))
    return (f"Til {to}: {titles}", f"To {to}: {titles}")


def _consultation(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    question = clip(f.get("question"), 60)
    by = f.get("respond_by")
    return (f"{body}: {question} (svar senest {by})", f"{body}: {question} (respond by {by})")


def _meeting(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    present, absent = len(f.get("present", [])), len(f.get("absent", []))
    item = clip(f.get("agenda_item"), 50)
    return (
        f"{body} {f.get('date')}, {item}: {present} til stede, {absent} fraværende",
        f"{body} {f.get('date')}, {item}: {present} present, {absent} absent",
    )


def _minutes(f: Fact, r: RegistryView) -> Pair:
    meeting = f.get("meeting")
    return (
        f"Godkender referatet af møde #{meeting}",
        f"Approves the minutes of meeting #{meeting}",
    )


def _published(f: Fact, r: RegistryView) -> Pair:
    meeting, channel = f.get("meeting"), clip(f.get("channel"), 40)
    return (
        f"Referatet af møde #{meeting} offentliggjort via {channel}",
        f"Minutes of meeting #{meeting} published via {channel}",
    )


def _guideline_amended(f: Fact, r: RegistryView) -> Pair:
    guideline, text = f.get("guideline"), clip(f.get("text"), 50)
    return (f"Retningslinje {guideline} ændret: {text}", f"Guideline {guideline} amended: {text}")


def _guideline_terminated(f: Fact, r: RegistryView) -> Pair:
    guideline, ends = f.get("guideline"), f.get("effective_from")
    return (
        f"Retningslinje {guideline} opsagt til ophør {ends}",
        f"Guideline {guideline} terminated, ending {ends}",
    )


def _interpretation(f: Fact, r: RegistryView) -> Pair:
    body, question = r.body_name(f.get("body")), clip(f.get("question"), 50)
    return (
        f"Fortolkningsuenighed i {body}: {question}",
        f"Interpretation dispute in {body}: {question}",
    )


def _remedied(f: Fact, r: RegistryView) -> Pair:
    seq, remedy = f.get("claim"), f.get("remedy")
    return (
        f"Brudsag #{seq}: {word(REMEDIES, remedy, 'da')}",
        f"Breach claim #{seq}: {word(REMEDIES, remedy, 'en')}",
    )


def _dispute_escalated(f: Fact, r: RegistryView) -> Pair:
    seq, level = f.get("dispute"), f.get("level")
    return (
        f"Sag #{seq} sendt videre til {word(DISPUTE_LEVELS, level, 'da')}",
        f"Dispute #{seq} taken to {word(DISPUTE_LEVELS, level, 'en')}",
    )


def _position(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    side, stance = f.get("side"), f.get("stance")
    text = clip(f.get("text"), 60)
    return (
        f"{word(SIDES, side, 'da').capitalize()} i {body} {word(STANCES, stance, 'da')}: {text}",
        f"{word(SIDES, side, 'en').capitalize()} in {body} {word(STANCES, stance, 'en')}: {text}",
    )


def _disagreement(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    points = len(f.get("points", []))
    legit = bool(f.get("legitimate_difference"))
    return (
        f"I {body}: {points} punkt(er)" + (", legitim interesseforskel" if legit else ""),
        f"In {body}: {points} point(s)" + (", legitimate difference of interest" if legit else ""),
    )


def _answer(f: Fact, r: RegistryView) -> Pair:
    text = clip(f.get("response"), 60)
    seq = f.get("disagreement")
    return (f"Svar på uenighed #{seq}: {text}", f"Answer to disagreement #{seq}: {text}")


def _compromise_answer(f: Fact, r: RegistryView) -> Pair:
    side = f.get("side")
    seq = f.get("proposal")
    return (
        f"Kompromis #{seq}, {word(SIDES, side, 'da')}",
        f"Compromise #{seq}, {word(SIDES, side, 'en')}",
    )


def _agreement(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    text = clip(f.get("text"), 60)
    kind = f.get("guideline_type")
    guideline = (
        (f" (retningslinje, {kind})", f" (guideline, {kind})") if f.get("guideline") else ("", "")
    )
    return (f"I {body}{guideline[0]}: {text}", f"In {body}{guideline[1]}: {text}")


def _hearing(f: Fact, r: RegistryView) -> Pair:
    to = _names(r, f.get("bodies", []))
    by = f.get("respond_by")
    return (f"Til {to}, svar senest {by}", f"To {to}, respond by {by}")


def _decision(f: Fact, r: RegistryView) -> Pair:
    outcome = clip(f.get("outcome"), 70)
    inputs = len(f.get("inputs", []))
    prerogative = bool(f.get("management_prerogative"))
    return (
        f"{outcome} ({inputs} input behandlet" + (", ledelsesret)" if prerogative else ")"),
        f"{outcome} ({inputs} inputs treated"
        + (", management prerogative)" if prerogative else ")"),
    )


def _referral(f: Fact, r: RegistryView) -> Pair:
    committee = r.body_name(f.get("committee"))
    ref = clip(f.get("proposal_reference"), 40)
    return (f"{committee} {f.get('date')} ({ref})", f"{committee} {f.get('date')} ({ref})")


def _political(f: Fact, r: RegistryView) -> Pair:
    committee = r.body_name(f.get("committee"))
    outcome = clip(f.get("outcome"), 60)
    return (f"{committee} {f.get('date')}: {outcome}", f"{committee} {f.get('date')}: {outcome}")


def _acknowledged(f: Fact, r: RegistryView) -> Pair:
    body = r.body_name(f.get("body"))
    enough = bool(f.get("adequate_time"))
    return (
        f"{body}: " + ("tilstrækkelig tid" if enough else "ikke tilstrækkelig tid"),
        f"{body}: " + ("adequate time" if enough else "not adequate time"),
    )


def _escalated(f: Fact, r: RegistryView) -> Pair:
    src, dst = r.body_name(f.get("from_body")), r.body_name(f.get("to_body"))
    return (f"Fra {src} til {dst}", f"From {src} to {dst}")


def _breach_resolved(f: Fact, r: RegistryView) -> Pair:
    seq, resolution = f.get("claim"), f.get("resolution")
    return (
        f"Brudsag #{seq}: {word(RESOLUTIONS, resolution, 'da')}",
        f"Breach claim #{seq}: {word(RESOLUTIONS, resolution, 'en')}",
    )


def _communicated(f: Fact, r: RegistryView) -> Pair:
    to, channel = clip(f.get("to"), 40), clip(f.get("channel"), 40)
    return (f"Til {to} via {channel}", f"To {to} via {channel}")


def _reason(f: Fact, r: RegistryView) -> Pair:
    text = clip(f.get("reason"), 70)
    return (text, text)


def _correction(f: Fact, r: RegistryView) -> Pair:
    seq, text = f.get("event"), clip(f.get("correction"), 60)
    return (f"Retter #{seq}: {text}", f"Corrects #{seq}: {text}")


def _redaction(f: Fact, r: RegistryView) -> Pair:
    seq = f.get("event")
    return (f"Indholdet af #{seq} er slettet", f"The payload of #{seq} was erased")


_RENDERERS: dict[str, Renderer] = {
    "MatterOpened": _opened,
    "MaterialShared": _material,
    "ConsultationOpened": _consultation,
    "MeetingHeld": _meeting,
    "MinutesApproved": _minutes,
    "MinutesPublished": _published,
    "GuidelineAmended": _guideline_amended,
    "GuidelineTerminated": _guideline_terminated,
    "InterpretationDisputed": _interpretation,
    "BreachRemedied": _remedied,
    "DisputeEscalated": _dispute_escalated,
    "PositionStated": _position,
    "ProposalSubmitted": _body_says("Fra", "From", "title", 70),
    "DisagreementRecorded": _disagreement,
    "DisagreementAnswered": _answer,
    "CompromiseProposed": _body_says("I", "In", "terms"),
    "CompromiseAccepted": _compromise_answer,
    "CompromiseRejected": _compromise_answer,
    "AgreementReached": _agreement,
    "HearingOpened": _hearing,
    "HearingResponseSubmitted": _body_says("Fra", "From", "text"),
    "DecisionMade": _decision,
    "ReferredToPolitics": _referral,
    "PoliticalDecisionRecorded": _political,
    "ConsultationAcknowledged": _acknowledged,
    "EscalatedToBody": _escalated,
    "BreachClaimed": _body_says("I", "In", "text"),
    "BreachResolved": _breach_resolved,
    "DecisionCommunicated": _communicated,
    "MatterClosed": _reason,
    "MatterWithdrawn": _reason,
    "CorrectionIssued": _correction,
    "PayloadRedacted": _redaction,
}
