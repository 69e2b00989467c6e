"""What a person is told: one line per notice, and an e-mail (plain text and HTML) of several.

Composition is given only what its recipient may read: ``Reading`` holds
the titles (and finding explanations) of the matters the person may read
now, by the rule every read obeys (``ledger.domain.readers``), and nothing
of the others, so a line about a matter they may not read names only its
body and date.  The outbox itself holds no text at all.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date

from notify.schedule import parse_fixed
from notify.words import FRAME, KIND_NAMES, LINES
from projections.read_models.notices import NoticeKind
from projections.vocabulary import LOCAL_TIME, MONTHS, Lang


@dataclass(frozen=True)
class Notice:
    """One outbox row: one person should hear of one cause."""

    origin: str
    person: str
    cause: str
    kind: str
    matter: str
    body: str
    leaf_index: int
    event_time: str
    due_at: str
    detail: dict[str, object]

    @classmethod
    def of_row(cls, row: dict[str, object]) -> Notice:
        detail = json.loads(str(row["detail"]))
        fields = {name: row[name] for name in cls.__dataclass_fields__ if name != "detail"}
        return cls(**fields, detail=detail)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Reading:
    """What one recipient may be told, in their language."""

    ledger_id: str
    ledger_name: str
    base_url: str
    lang: Lang
    name: str
    titles: dict[str, str] = field(default_factory=dict)
    """Titles of the matters the recipient may read now, and only those."""
    body_names: dict[str, str] = field(default_factory=dict)

    def link(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/l/{self.ledger_id}/{path}"


@dataclass(frozen=True)
class Line:
    notice: Notice
    text: str
    link: str


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str
    kinds: tuple[str, ...]


def show_date(day: str, lang: Lang) -> str:
    """An ISO date in the reader's words (``1. februar 2026``, ``1 February 2026``)."""
    d = date.fromisoformat(day[:10])
    if lang == "da":
        return f"{d.day}. {MONTHS['da'][d.month - 1]} {d.year}"
    return f"{d.day} {d.strftime('%B')} {d.year}"


def describe(notice: Notice, reading: Reading) -> Line:
    """The line of one notice, with its link, within what the reader may read."""
    frame = FRAME[reading.lang]
    readable = notice.matter in reading.titles
    title = reading.titles[notice.matter] if readable else frame["unreadable"]
    if notice.matter == "":
        title, readable = frame["organisation"], False
    body = reading.body_names.get(notice.body, notice.body) if notice.body else ""
    due_day = parse_fixed(notice.due_at).astimezone(LOCAL_TIME).date().isoformat()
    respond_by = str(notice.detail.get("respond_by", due_day))
    text = LINES[reading.lang][notice.kind].format(
        body=body,
        title=title,
        respond_by=show_date(respond_by, reading.lang),
        due=show_date(due_day, reading.lang),
        rule=str(notice.detail.get("rule", "")),
    )
    if readable:
        link = reading.link(f"sager/{notice.matter}")
    elif notice.kind == NoticeKind.FINDING_DUE:
        link = reading.link("sager")
    else:
        link = reading.link("beskeder")
    return Line(notice, text, link)


def compose(notices: list[Notice], reading: Reading, unsubscribe_links: dict[str, str]) -> Composed:
    """One e-mail of ``notices`` to one reader; ``unsubscribe_links`` maps kind -> link."""
    frame = FRAME[reading.lang]
    lines = [describe(n, reading) for n in notices]
    kinds = tuple(dict.fromkeys(n.kind for n in notices))
    ledger = reading.ledger_name
    if len(lines) == 1:
        subject = frame["subject_one"].format(ledger=ledger, line=lines[0].text)
    else:
        subject = frame["subject_many"].format(ledger=ledger, count=len(lines))
    everything = reading.link("beskeder")
    footer = [
        frame["unsubscribe"].format(kind=KIND_NAMES[reading.lang][k], link=unsubscribe_links[k])
        for k in kinds
    ]
    text = "\n".join(
        [
            frame["greeting"].format(name=reading.name) + ",",
            "",
            frame["intro"].format(ledger=ledger),
            "",
            *(f"- {line.text}\n  {line.link}" for line in lines),
            "",
            frame["all"].format(link=everything),
            "",
            "-- ",
            frame["why"].format(ledger=ledger),
            *footer,
            "",
        ]
    )
    return Composed(subject, text, _html(lines, reading, kinds, unsubscribe_links), kinds)


def _html(
    lines: list[Line], reading: Reading, kinds: tuple[str, ...], unsubscribe: dict[str, str]
) -> str:
    frame = FRAME[reading.lang]
    e = html.escape
    items = "".join(
        f'<li>{e(line.text)} <a href="{e(line.link)}">{e(frame["open"])}</a></li>' for line in lines
    )
    everything = reading.link("beskeder")
    footer = "".join(
        "<p>"
        + e(frame["unsubscribe"].format(kind=KIND_NAMES[reading.lang][k], link=""))
        + f'<a href="{e(unsubscribe[k])}">{e(unsubscribe[k])}</a></p>'
        for k in kinds
    )
    return (
        f'<!DOCTYPE html><html lang="{reading.lang}"><head><meta charset="utf-8">'
        f"<title>{e(reading.ledger_name)}</title></head><body>"
        f"<p>{e(frame['greeting'].format(name=reading.name))},</p>"
        f"<p>{e(frame['intro'].format(ledger=reading.ledger_name))}</p><ul>{items}</ul>"
        f'<p><a href="{e(everything)}">{e(frame["all"].format(link="").rstrip(": "))}</a></p>'
        f"<hr><p>{e(frame['why'].format(ledger=reading.ledger_name))}</p>{footer}</body></html>"
    )
