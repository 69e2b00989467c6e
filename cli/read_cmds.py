"""Commands that read the projections: timeline, dossier, involvement, receipt, findings, stats.

Each reads the live read models (caught up first on SQLite) or, with
``--as-of``, a replay of the log up to a tree size or date; prints rich
tables in Danish (default) or English, or JSON with ``--json``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.context import ledger_id, service, store
from cli.errors import handle_errors, stderr
from ledger.service.bundle import build_bundle
from projections.read_models.dossier import Dossier, dossier
from projections.read_models.findings import FindingsReport, findings
from projections.read_models.involvement import Involvement, involvement
from projections.read_models.receipt import receipt, render_receipt
from projections.read_models.statistics import BodyStatistics, statistics
from projections.read_models.timeline import Timeline, timeline
from projections.runner.moments import parse_now
from projections.runner.projector import Projector
from projections.runner.reading import View, open_view
from projections.vocabulary import (
    CATEGORIES,
    DETAILS,
    EVENT_TYPES,
    INFLUENCE_LEVELS,
    INVOLVEMENT_KINDS,
    PARTS,
    SEVERITIES,
    SIDES,
    STATUSES,
    TREATMENTS,
    Lang,
    roles_text,
    word,
)


def _console() -> Console:
    """A console as wide as the terminal (or ``$COLUMNS``) when printing."""
    return Console()


class Language(StrEnum):
    da = "da"
    en = "en"


LedgerOpt = Annotated[
    str | None, typer.Option("--ledger", help="Ledger id (default: the only one).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Replay as of a tree size (e.g. 120) or a date or time "
        "(2026-03-01, 2026-03-01T12:00:00Z).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
LangOpt = Annotated[Language, typer.Option("--lang", help="Language: da (default) or en.")]


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline_cmd)
    app.command("dossier")(dossier_cmd)
    app.command("involvement")(involvement_cmd)
    app.command("receipt")(receipt_cmd)
    app.command("findings")(findings_cmd)
    app.command("stats")(stats_cmd)


@cache
def _projector() -> Projector:
    return Projector(store())


def _view(ledger: str | None, as_of: str | None, matters: set[str] | None = None) -> View:
    origin = service().origin_of(ledger_id(ledger))
    view = open_view(_projector(), origin, as_of=as_of, matters=matters)
    if view.behind:
        stderr.print(
            f"[yellow]note[/]: the read models are {view.behind} event(s) behind the log; "
            "is `medledger projections run` running?",
            highlight=False,
        )
    return view


def _names(origin: str) -> dict[str, str]:
    return service().directory_names(origin)


def _json(value: Any) -> None:
    is_record = dataclasses.is_dataclass(value) and not isinstance(value, type)
    data = dataclasses.asdict(value) if is_record else value
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _lang(value: Language) -> Lang:
    return "da" if value == Language.da else "en"


def _t(lang: Lang, da: str, en: str) -> str:
    return da if lang == "da" else en


def _as_of_note(view: View, lang: Lang) -> str:
    if view.as_of is None:
        return ""
    return _t(
        lang,
        f" (som af {view.as_of.asked}: de første {view.as_of.size} hændelser)",
        f" (as of {view.as_of.asked}: the first {view.as_of.size} events)",
    )


def _person(person: str | None, names: dict[str, str]) -> str:
    if person is None:
        return ""
    name = names.get(person)
    return f"{name} ({person})" if name else person


# --- timeline -----------------------------------------------------------------


@handle_errors
def timeline_cmd(
    matter: Annotated[str, typer.Argument(help="Matter id, e.g. skolestruktur.")],
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Show a matter's timeline: who did what, for which body, when."""
    chosen = _lang(lang)
    view = _view(ledger, as_of, {matter})
    names = _names(view.origin)
    found = timeline(view.source, view.origin, matter, lang=chosen, names=names)
    if as_json:
        _json(found)
        return
    _print_timeline(found, view, chosen, names)


def _print_timeline(found: Timeline, view: View, lang: Lang, names: dict[str, str]) -> None:
    h = found.matter
    title = f"{h.title} [{h.matter}]" + _as_of_note(view, lang)
    table = Table(title=title, title_justify="left")
    for column in _t(
        lang, "#|leaf|tid|hændelse|aktør|resumé", "#|leaf|time|event|actor|summary"
    ).split("|"):
        table.add_column(column, overflow="fold")
    for e in found.entries:
        label = word(EVENT_TYPES, e.event_type, lang)
        if e.imported:
            label += _t(lang, " (importeret)", " (imported)")
        if e.corrected_by:
            corrections = ", ".join(f"#{s}" for s in e.corrected_by)
            label += _t(lang, f" (rettet i {corrections})", f" (corrected in {corrections})")
        seat = ", ".join(
            part
            for part in (e.body_name or "", word(SIDES, e.side, lang), roles_text(e.roles, lang))
            if part
        )
        table.add_row(
            str(e.seq),
            str(e.leaf_index),
            e.claimed_time[:16].replace("T", " "),
            label,
            f"{e.actor}\n[dim]{seat}[/]" if seat else e.actor,
            e.summary,
        )
    _console().print(table)
    _console().print(
        _t(
            lang,
            f"Ansvarligt udvalg: {h.responsible_body_name}; niveau: "
            f"{word(INFLUENCE_LEVELS, h.influence_level, lang)}; kategori: "
            f"{word(CATEGORIES, h.category, lang)}; status: {word(STATUSES, h.status, lang)}",
            f"Responsible body: {h.responsible_body_name}; level: "
            f"{word(INFLUENCE_LEVELS, h.influence_level, lang)}; category: "
            f"{word(CATEGORIES, h.category, lang)}; status: {word(STATUSES, h.status, lang)}",
        ),
        highlight=False,
    )


# --- dossier --------------------------------------------------------------------


@handle_errors
def dossier_cmd(
    matter: Annotated[str, typer.Argument(help="Matter id.")],
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Show a matter's decision dossier: decision, inputs, disagreements, co-responsibility."""
    chosen = _lang(lang)
    view = _view(ledger, as_of, {matter})
    names = _names(view.origin)
    found = dossier(view.source, view.origin, matter, names=names)
    matter_findings = findings(view.source, view.origin, matter=matter, lang=chosen)
    if as_json:
        _json(
            {"dossier": dataclasses.asdict(found), "findings": dataclasses.asdict(matter_findings)}
        )
        return
    _print_dossier(found, matter_findings, view, chosen, names)


def _print_dossier(
    found: Dossier,
    report: FindingsReport,
    view: View,
    lang: Lang,
    names: dict[str, str],
) -> None:
    doc, h = found.document, found.matter
    bodies = found.body_names
    _console().print(f"[bold]{h.title}[/] [{h.matter}]" + _as_of_note(view, lang), highlight=False)
    _console().print(
        _t(lang, "Ansvarligt udvalg", "Responsible body")
        + f": {h.responsible_body_name}; "
        + _t(lang, "beslutningstager", "decision maker")
        + f": {_person(h.decision_maker, names)}; "
        + _t(lang, "niveau", "level")
        + f": {word(INFLUENCE_LEVELS, h.influence_level, lang)}; status: "
        + word(STATUSES, h.status, lang),
        highlight=False,
    )
    if not doc["decisions"]:
        _console().print(_t(lang, "Ingen beslutning endnu.", "No decision yet."))
    for d in doc["decisions"]:
        _console().print(
            f"\n[bold]{_t(lang, 'Beslutning', 'Decision')} #{d['seq']}[/] ({d['time']}, "
            f"{_person(d['actor'], names)})"
            + (
                _t(lang, " [ledelsesret]", " [management prerogative]")
                if d["management_prerogative"]
                else ""
            ),
            highlight=False,
        )
        _console().print(f"  {d['outcome'] or '[—]'}", highlight=False)
        _console().print(
            f"  {_t(lang, 'Begrundelse', 'Rationale')}: {d['rationale'] or '—'}", highlight=False
        )
        if d["inputs"]:
            table = Table(title=_t(lang, "Input og behandling", "Inputs and their treatment"))
            for column in _t(
                lang,
                "#|hændelse|fra|udvalg|behandling|begrundelse",
                "#|event|from|body|treatment|reason",
            ).split("|"):
                table.add_column(column, overflow="fold")
            for i in d["inputs"]:
                table.add_row(
                    str(i["seq"]),
                    word(EVENT_TYPES, i.get("type"), lang),
                    _person(i.get("actor"), names),
                    bodies.get(i.get("body") or "", i.get("body") or ""),
                    word(TREATMENTS, i["treatment"], lang),
                    i["reason"],
                )
            _console().print(table)
    if doc["unaddressed_inputs"]:
        _console().print(f"\n[bold]{_t(lang, 'Input uden behandling', 'Inputs not addressed')}[/]")
        for i in doc["unaddressed_inputs"]:
            _console().print(
                f"  #{i['seq']} {word(EVENT_TYPES, i['type'], lang)}, {_person(i['actor'], names)}"
                f" ({bodies.get(i['body'] or '', i['body'] or '')})",
                highlight=False,
            )
    if doc["disagreements"]:
        _console().print(f"\n[bold]{_t(lang, 'Uenigheder', 'Disagreements')}[/]")
        for u in doc["disagreements"]:
            legit = (
                _t(lang, " (legitim interesseforskel)", " (legitimate difference)")
                if u["legitimate_difference"]
                else ""
            )
            _console().print(f"  #{u['seq']} {_person(u['actor'], names)}{legit}:", highlight=False)
            for point in u["points"] or []:
                _console().print(f"    - {point}", highlight=False)
            answer = u["answer"]
            if answer is None:
                _console().print("    " + _t(lang, "[red]ubesvaret[/]", "[red]unanswered[/]"))
            else:
                _console().print(
                    f"    {_t(lang, 'Svar', 'Answer')} #{answer['seq']} ({_person(answer['actor'], names)}): "
                    f"{answer['response'] or '—'}",
                    highlight=False,
                )
    if doc["compromises"] or doc["agreements"]:
        _console().print(
            f"\n[bold]{_t(lang, 'Kompromiser og aftaler', 'Compromises and agreements')}[/]"
        )
        for c in doc["compromises"]:
            sides = ", ".join(word(SIDES, s, lang) for s in c["accepted_by"]) or "—"
            _console().print(
                f"  #{c['seq']} {c['terms'] or '—'} ({_t(lang, 'accepteret af', 'accepted by')}: {sides})",
                highlight=False,
            )
        for a in doc["agreements"]:
            _console().print(
                f"  #{a['seq']} {_t(lang, 'Aftale', 'Agreement')}: {a['text'] or '—'}",
                highlight=False,
            )
    table = Table(title=_t(lang, "Medansvar", "Co-responsibility"), title_justify="left")
    for column in _t(
        lang, "person|del|side|udvalg|hændelser", "person|part|side|bodies|events"
    ).split("|"):
        table.add_column(column, overflow="fold")
    for c in found.co_responsibility:
        table.add_row(
            _person(c.person, names),
            word(PARTS, c.part, lang),
            word(SIDES, c.side, lang),
            ", ".join(bodies.get(b, b) for b in c.bodies),
            ", ".join(f"#{s}" for s in c.evidence),
        )
    _console().print(table)
    _print_findings(report, lang, title=_t(lang, "Fund i sagen", "Findings in the matter"))


# --- involvement ----------------------------------------------------------------


@handle_errors
def involvement_cmd(
    person: Annotated[str, typer.Argument(help="Person id.")],
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Show a person's involvement: memberships, and per matter when and how."""
    chosen = _lang(lang)
    view = _view(ledger, as_of)
    names = _names(view.origin)
    found = involvement(view.source, view.origin, person, names=names)
    if as_json:
        _json(found)
        return
    _print_involvement(found, view, chosen)


def _print_involvement(found: Involvement, view: View, lang: Lang) -> None:
    who = f"{found.name} ({found.person})" if found.name else found.person
    _console().print(f"[bold]{who}[/]" + _as_of_note(view, lang), highlight=False)
    seats = Table(title=_t(lang, "Medlemskaber", "Memberships"), title_justify="left")
    for column in _t(lang, "udvalg|side|roller|fra|til", "body|side|roles|from|until").split("|"):
        seats.add_column(column)
    for m in found.memberships:
        seats.add_row(
            m.body_name,
            word(SIDES, m.side, lang),
            roles_text(m.roles, lang),
            f"{m.appointed_time} (leaf {m.from_leaf})",
            "" if m.until_leaf is None else f"{m.left_time} (leaf {m.until_leaf})",
        )
    _console().print(seats)
    if not found.matters:
        _console().print(_t(lang, "Ingen inddragelse i nogen sag.", "Not involved in any matter."))
    for matter in found.matters:
        table = Table(title=f"{matter.title} [{matter.matter}]", title_justify="left")
        for column in _t(
            lang,
            "#|leaf|tid|hvordan|hændelse|udvalg|side|roller|detalje",
            "#|leaf|time|how|event|body|side|roles|detail",
        ).split("|"):
            table.add_column(column, overflow="fold")
        for i in matter.items:
            table.add_row(
                str(i.seq),
                str(i.leaf_index),
                i.claimed_time,
                word(INVOLVEMENT_KINDS, i.kind, lang),
                word(EVENT_TYPES, i.event_type, lang),
                i.body_name or "",
                word(SIDES, i.side, lang),
                roles_text(i.roles, lang),
                word(DETAILS, i.detail, lang),
            )
        _console().print(table)


# --- receipt --------------------------------------------------------------------


@handle_errors
def receipt_cmd(
    person: Annotated[str, typer.Argument(help="Person id.")],
    matter: Annotated[str, typer.Argument(help="Matter id.")],
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
    bundle: Annotated[
        Path | None,
        typer.Option("--bundle", help="Also write the evidence bundle (offline-verifiable) here."),
    ] = None,
) -> None:
    """Show a consultation receipt: the events proving a person's involvement, or its absence."""
    chosen = _lang(lang)
    view = _view(ledger, as_of, {matter})
    found = receipt(view.source, view.origin, person, matter, names=_names(view.origin))
    if bundle is not None:
        evidence = build_bundle(
            service(),
            view.origin,
            found.leaf_indexes,
            kind="receipt",
            subject={"person": person, "matter": matter, "verdict": found.verdict},
        )
        bundle.write_text(json.dumps(evidence, indent=2, ensure_ascii=False) + "\n")
        stderr.print(f"wrote {bundle}", highlight=False)
    if as_json:
        _json({**dataclasses.asdict(found), "leaf_indexes": found.leaf_indexes})
        return
    _console().print(render_receipt(found, chosen), highlight=False, markup=False)


# --- findings ---------------------------------------------------------------------


@handle_errors
def findings_cmd(
    body: Annotated[
        str | None, typer.Option("--body", help="Only findings about this body.")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule, e.g. MED-04.")] = None,
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Judge deadlines at this time (default: the ledger's latest)."),
    ] = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Show the MED rulebook's findings (MED-01 to MED-12)."""
    chosen = _lang(lang)
    view = _view(ledger, as_of)
    report = findings(
        view.source,
        view.origin,
        body=body,
        rule=rule,
        now=parse_now(now, name="--now"),
        lang=chosen,
    )
    if as_json:
        _json(report)
        return
    _print_findings(
        report, chosen, title=_t(chosen, "Fund", "Findings") + _as_of_note(view, chosen)
    )


def _print_findings(report: FindingsReport, lang: Lang, *, title: str) -> None:
    if not report.findings:
        _console().print(_t(lang, "Ingen fund.", "No findings."))
        return
    table = Table(title=title, title_justify="left")
    for column in _t(
        lang,
        "regel|alvor|sag|udvalg|hændelser|forklaring",
        "rule|severity|matter|body|events|explanation",
    ).split("|"):
        table.add_column(column, overflow="fold")
    for f in report.findings:
        table.add_row(
            f"{f.rule}\n{f.title}",
            word(SEVERITIES, f.severity, lang),
            f.matter,
            f.body_name,
            ", ".join(f"#{e.seq} (leaf {e.leaf_index})" for e in f.evidence),
            f.explanation + (_t(lang, " [importeret]", " [imported]") if f.imported else ""),
        )
    _console().print(table)


# --- statistics ---------------------------------------------------------------------


@handle_errors
def stats_cmd(
    body: Annotated[str, typer.Argument(help="Body id, e.g. bal-hmed.")],
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    ledger: LedgerOpt = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Show a body's statistics per year: matters, consultations, proposals, lead time, ..."""
    chosen = _lang(lang)
    view = _view(ledger, as_of)
    found = statistics(view.source, view.origin, body, year=year)
    if as_json:
        _json(found)
        return
    _print_stats(found, view, chosen)


def _print_stats(found: BodyStatistics, view: View, lang: Lang) -> None:
    table = Table(
        title=f"{found.body_name} [{found.body}]" + _as_of_note(view, lang), title_justify="left"
    )
    for column in _t(
        lang,
        "år|sager|inddragelser|forslag fra MED|median varsel (dage)|beslutninger|"
        "heraf med åben uenighed|kvitteringsrate|for kort tid",
        "year|matters|consultations|proposals from MED|median lead time (days)|decisions|"
        "with an open disagreement|acknowledgement rate|inadequate time",
    ).split("|"):
        table.add_column(column, justify="right")
    for y in found.years:
        rate = "—" if y.acknowledgement_rate is None else f"{y.acknowledgement_rate:.0%}"
        lead = "—" if y.median_lead_time_days is None else f"{y.median_lead_time_days:g}"
        table.add_row(
            str(y.year),
            str(y.matters),
            str(y.consultations),
            str(y.proposals),
            lead,
            str(y.decisions),
            str(y.decided_with_open_disagreement),
            f"{rate} ({y.acknowledged_matters}/{y.consulted_matters})",
            str(y.inadequate_time),
        )
    if not found.years:
        _console().print(_t(lang, "Ingen tal.", "No figures."))
        return
    _console().print(table)
