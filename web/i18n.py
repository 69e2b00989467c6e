"""Words and dates in Danish (first) and English: the message catalogues.

Every text a page shows is a key in the catalogue of each language: the
files ``web/messages/da/*.json`` and ``web/messages/en/*.json``, one file
per area of the application (``core.json`` for the first pages), merged;
a key may be defined in one file only, and both languages hold the same
keys (tests/web/test_words.py).  Dates are shown in Danish local time
(Europe/Copenhagen), in each language's own format: ``28. november 2026
kl. 17.05`` and ``28 November 2026, 17:05``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from projections.vocabulary import LANGS as LANGS
from projections.vocabulary import LOCAL_TIME as LOCAL_TIME
from projections.vocabulary import MONTHS
from projections.vocabulary import Lang as Lang


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    """The message catalogue of ``lang``: key -> text (``{name}`` placeholders)."""
    folder = resources.files("web").joinpath("messages", lang)
    parts = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=_name)
    return merge_catalogue_files(lang, parts)


def merge_catalogue_files(lang: str, parts: Iterable[Traversable]) -> dict[str, str]:
    """One catalogue from its files; ValueError if two files define the same key."""
    merged: dict[str, str] = {}
    for part in parts:
        loaded = json.loads(part.read_text("utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{lang}/{part.name} is not a JSON object")
        twice = merged.keys() & loaded.keys()
        if twice:
            raise ValueError(f"{lang}/{part.name} defines keys defined before: {sorted(twice)}")
        merged.update({str(k): str(v) for k, v in loaded.items()})
    return merged


def _name(item: Traversable) -> str:
    return item.name


def message(lang: Lang, name: str, /, **values: object) -> str:
    """The text of ``name`` in ``lang`` with its placeholders filled; KeyError if missing."""
    text = catalogue(lang)[name]
    return text.format(**values) if values else text


def shown(value: str | Sequence[str] | None, lang: Lang | None = None) -> str:
    """An event's free-text field as a page shows it: a list joined with " / ", and an erased
    field (None once ``PayloadRedacted`` took it) as the word for erased in ``lang``, or as
    nothing where no language is given (the template then leaves it out)."""
    if value is None:
        return "" if lang is None else message(lang, "text.erased")
    return value if isinstance(value, str) else " / ".join(value)


def as_lang(value: str | None) -> Lang:
    """``value`` if it is a language we speak, else Danish."""
    return "en" if value == "en" else "da"


def _moment(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TIME)


def format_date(value: str | date | datetime, lang: Lang) -> str:
    """A date as ``3. marts 2026`` (da) or ``3 March 2026`` (en)."""
    if isinstance(value, str) and len(value) == 10:
        day = date.fromisoformat(value)
    elif isinstance(value, datetime | str):
        day = _moment(value).date()
    else:
        day = value
    month = MONTHS[lang][day.month - 1]
    if lang == "da":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_time(value: str | datetime, lang: Lang) -> str:
    """A moment in Danish local time: ``3. marts 2026 kl. 14.05`` or ``3 March 2026, 14:05``."""
    moment = _moment(value)
    day = format_date(moment, lang)
    if lang == "da":
        return f"{day} kl. {moment.hour:02d}.{moment.minute:02d}"
    return f"{day}, {moment.hour:02d}:{moment.minute:02d}"


def format_number(value: int, lang: Lang) -> str:
    """An integer with thousands separated: ``12.345`` (da) or ``12,345`` (en)."""
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if lang == "da" else grouped
