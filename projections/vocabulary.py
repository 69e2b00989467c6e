"""The read models' words in Danish and English (DESIGN.md section 2).

Danish comes first everywhere: it is the users' language and the CLI's
default; English is for auditors and others outside Denmark.  The words
themselves are data, in ``vocabulary.json`` beside this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")

Words = dict[str, tuple[str, str]]

_WORDS: dict[str, dict[str, list[str]]] = json.loads(
    Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8")
)
"""The word tables (``vocabulary.json``): each key's Danish and English, by table."""


def _words(table: str) -> Words:
    return {key: (da, en) for key, (da, en) in _WORDS[table].items()}


MONTHS: dict[Lang, tuple[str, ...]] = {lang: tuple(_WORDS["months"][lang]) for lang in LANGS}
"""The months' names, January first: dates are written in words in both languages."""

EVENT_TYPES: Words = _words("event_types")
SIDES: Words = _words("sides")
ROLES: Words = _words("roles")
STANCES: Words = _words("stances")
TREATMENTS: Words = _words("treatments")
INVOLVEMENT_KINDS: Words = _words("involvement_kinds")
PARTS: Words = _words("parts")
SEVERITIES: Words = _words("severities")
STATUSES: Words = _words("statuses")
INFLUENCE_LEVELS: Words = _words("influence_levels")
CATEGORIES: Words = _words("categories")
RESOLUTIONS: Words = _words("resolutions")
REMEDIES: Words = _words("remedies")
DISPUTE_LEVELS: Words = _words("dispute_levels")
GUIDELINE_TYPES: Words = _words("guideline_types")
GUIDELINE_STATUSES: Words = _words("guideline_statuses")
DISPUTE_KINDS: Words = _words("dispute_kinds")
DISPUTE_STATUSES: Words = _words("dispute_statuses")

DETAILS: Words = {**STANCES, **SIDES, **RESOLUTIONS, **_words("details")}
"""The one-word details of an act (``projections.read_models.timeline.act_detail``)."""


def word(words: Words, key: str | None, lang: Lang) -> str:
    """The word for ``key`` in ``lang``; the key itself when there is none."""
    if key is None:
        return ""
    pair = words.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "da" else pair[1]


def roles_text(roles: str | tuple[str, ...] | list[str], lang: Lang) -> str:
    """Comma-separated roles in ``lang``."""
    items = roles.split(",") if isinstance(roles, str) else list(roles)
    return ", ".join(word(ROLES, r, lang) for r in items if r)
