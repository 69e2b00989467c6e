"""The read models' words in Danish and English (DESIGN.md section 2).

Danish comes first everywhere: it is the users' language and the CLI's
default; English is for auditors and others outside Denmark.  The words
themselves are data, in ``vocabulary.json`` beside this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

Lang = Literal["da", "en"]
LANGS: tuple[Lang, ...] = ("da", "en")
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
"""Where the MED bodies meet: the days and hours people are shown and mailed are this zone's."""

Words = dict[str, tuple[str, str]]

_WORDS: dict[str, dict[str, list[str]]] = json.loads(
    Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8")
)
"""The word tables (``vocabulary.json``): each key's Danish and English, by table."""


def words(table: str) -> Words:
    """The word table ``table`` of ``vocabulary.json``: each key's Danish and English."""
    return {key: (da, en) for key, (da, en) in _WORDS[table].items()}


MONTHS: dict[Lang, tuple[str, ...]] = {lang: tuple(_WORDS["months"][lang]) for lang in LANGS}
"""The months' names, January first: dates are written in words in both languages."""

EVENT_TYPE_WORDS: Words = words("event_types")
SIDES: Words = words("sides")
ROLES: Words = words("roles")
STANCES: Words = words("stances")
TREATMENTS: Words = words("treatments")
INVOLVEMENT_KINDS: Words = words("involvement_kinds")
PARTS: Words = words("parts")
SEVERITIES: Words = words("severities")
STATUSES: Words = words("statuses")
INFLUENCE_LEVELS: Words = words("influence_levels")
CATEGORIES: Words = words("categories")
RESOLUTIONS: Words = words("resolutions")
GUIDELINE_TYPE_WORDS: Words = words("guideline_types")
GUIDELINE_STATUSES: Words = words("guideline_statuses")
DISPUTE_KINDS: Words = words("dispute_kinds")
DISPUTE_STATUSES: Words = words("dispute_statuses")

SUMMARIES: Words = words("summaries")
"""Each matter event's one-line summary (``projections.read_models.summaries``): templates whose
``{field}`` is the payload field of that name; ``{field:60}`` clips its text to 60 characters and
``{field:stances}`` is its word in that table (``{field:Stances}``, capitalised)."""

DETAILS: Words = {**STANCES, **SIDES, **RESOLUTIONS, **words("details")}
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
