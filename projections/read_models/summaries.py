"""One-line summaries of matter events, in Danish and English.

Summaries name bodies by their registered names (part of the signed log)
and people only by id: personal names live in the directory and are added
at display time, so erasing them changes no stored summary.  Most event
types' wording is data (the ``summaries`` table of ``vocabulary.json``); the
few whose wording depends on the payload's flags are functions here.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from ledger.domain import events as ev
from projections.facts.matter import Fact
from projections.facts.registry import RegistryView
from projections.vocabulary import SUMMARIES, word, words

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
"""How a template's ``{field}`` is filled from the payload field of that name: one text for
both languages, or a (Danish, English) pair."""


def _plain(f: Fact, r: RegistryView, field: str) -> str:
    return str(f.get(field))


def _body(f: Fact, r: RegistryView, field: str) -> str:
    return r.body_name(f.get(field))


def _bodies(f: Fact, r: RegistryView, field: str) -> str:
    return _names(r, f.get(field, []))


def _count(f: Fact, r: RegistryView, field: str) -> str:
    return str(len(f.get(field, [])))


_BY_FIELD: dict[str, Value] = {
    "body": _body,
    "responsible_body": _body,
    "committee": _body,
    "from_body": _body,
    "to_body": _body,
    "bodies": _bodies,
    "present": _count,
    "absent": _count,
}
"""How a field without a format is shown: a body by its name, people by their count, any
other field as it is."""


def _value(field: str, spec: str) -> Value:
    """The value a template's ``{field:spec}`` stands for (``SUMMARIES``'s docstring)."""
    if not spec:
        return _BY_FIELD.get(field, _plain)
    if spec.isdigit():
        limit = int(spec)
        return lambda f, r, name: clip(f.get(name), limit)
    table, capitalised = words(spec.lower()), spec[0].isupper()

    def term(f: Fact, r: RegistryView, name: str) -> Pair:
        da, en = word(table, f.get(name), "da"), word(table, f.get(name), "en")
        return (da.capitalize(), en.capitalize()) if capitalised else (da, en)

    return term


class _Phrase:
    """A renderer of one event type's two templates, parsed once into positional formats: each
    field is filled once for both languages, and a word's pair is indexed by the language."""

    def __init__(self, da: str, en: str) -> None:
        self.values: list[tuple[str, Value]] = []
        at: dict[tuple[str, str], int] = {}
        self.da, self.en = self._positional(da, 0, at), self._positional(en, 1, at)

    def _positional(self, template: str, lang: int, at: dict[tuple[str, str], int]) -> str:
        """``template`` with each ``{field:spec}`` replaced by ``{i}`` (``{i[lang]}`` for a
        word), ``i`` its index in ``values`` (``at``: the indexes given so far)."""
        parts = []
        for literal, field, given, _ in string.Formatter().parse(template):
            parts.append(literal.replace("{", "{{").replace("}", "}}"))
            if field is None:
                continue
            spec = given or ""
            if (field, spec) not in at:
                at[field, spec] = len(self.values)
                self.values.append((field, _value(field, spec)))
            word_pair = bool(spec) and not spec.isdigit()
            index = at[field, spec]
            parts.append(f"{{{index}[{lang}]}}" if word_pair else f"{{{index}}}")
        return "".join(parts)

    def __call__(self, f: Fact, r: RegistryView) -> Pair:
        filled = [value(f, r, field) for field, value in self.values]
        return (self.da.format(*filled), self.en.format(*filled))


def _material(f: Fact, r: RegistryView) -> Pair:
    shared: ev.MaterialShared = f.data
    titles = "; ".join(clip(d.title, 50) for d in shared.documents)
    to = _names(r, shared.bodies)
    return (f"Til {to}: {titles}", f"To {to}: {titles}")


def _disagreement(f: Fact, r: RegistryView) -> Pair:
    disagreement: ev.DisagreementRecorded = f.data
    body = r.body_name(disagreement.body)
    points = len(disagreement.points)
    legit = disagreement.legitimate_difference
    return (
        f"I {body}: {points} punkt(er)" + (", legitim interesseforskel" if legit else ""),
        f"In {body}: {points} point(s)" + (", legitimate difference of interest" if legit else ""),
    )


def _agreement(f: Fact, r: RegistryView) -> Pair:
    agreement: ev.AgreementReached = f.data
    body = r.body_name(agreement.body)
    text = clip(agreement.text, 60)
    kind = agreement.guideline_type
    guideline = (
        (f" (retningslinje, {kind})", f" (guideline, {kind})") if agreement.guideline else ("", "")
    )
    return (f"I {body}{guideline[0]}: {text}", f"In {body}{guideline[1]}: {text}")


def _decision(f: Fact, r: RegistryView) -> Pair:
    decision: ev.DecisionMade = f.data
    outcome = clip(decision.outcome, 70)
    inputs = len(decision.inputs)
    prerogative = decision.management_prerogative
    return (
        f"{outcome} ({inputs} input behandlet" + (", ledelsesret)" if prerogative else ")"),
        f"{outcome} ({inputs} inputs treated"
        + (", management prerogative)" if prerogative else ")"),
    )


def _acknowledged(f: Fact, r: RegistryView) -> Pair:
    acknowledged: ev.ConsultationAcknowledged = f.data
    body = r.body_name(acknowledged.body)
    enough = acknowledged.adequate_time
    return (
        f"{body}: " + ("tilstrækkelig tid" if enough else "ikke tilstrækkelig tid"),
        f"{body}: " + ("adequate time" if enough else "not adequate time"),
    )


_RENDERERS: dict[str, Renderer] = {
    **{event_type: _Phrase(da, en) for event_type, (da, en) in SUMMARIES.items()},
    **{
        kind.__name__: render
        for kind, render in (
            (ev.MaterialShared, _material),
            (ev.DisagreementRecorded, _disagreement),
            (ev.AgreementReached, _agreement),
            (ev.DecisionMade, _decision),
            (ev.ConsultationAcknowledged, _acknowledged),
        )
    },
}
