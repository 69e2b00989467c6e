"""Commands that read the projections: timeline, dossier, involvement, receipt, findings,
forecast, dry run, stats.

Each reads the live read models (caught up first on SQLite) or, with
``--as-of``, a replay of the log up to a tree size or date; prints rich
tables in Danish (default) or English, or JSON with ``--json``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from cli.context import CliContext, LedgerOpt
from cli.errors import exit_code, handle_errors, stderr
from cli.key_files import load_person_key
from cli.ledger_cmds import read_payload
from ledger.errors import LedgerError, MalformedError
from ledger.protocol.envelope import format_time
from ledger.service.bundle import receipt_bundle
from projections.read_models.dossier import Dossier, dossier
from projections.read_models.dry_run import DryRun, dry_run, refused
from projections.read_models.findings import FindingsReport, FindingView, findings
from projections.read_models.forecast import Forecast, forecast
from projections.read_models.involvement import Involvement, MatterInvolvement, involvement
from projections.read_models.receipt import receipt, render_receipt
from projections.read_models.source import RowSource
from projections.read_models.statistics import BodyStatistics, statistics
from projections.read_models.timeline import MatterHeader, Timeline, TimelineEntry, timeline
from projections.runner.moments import parse_now
from projections.runner.reading import View, open_view
from projections.vocabulary import (
    CATEGORIES,
    DETAILS,
    EVENT_TYPE_WORDS,
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
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now", help="Judge deadlines and what is due at this time (default: the ledger's latest)."
    ),
]
MatterArg = Annotated[str, typer.Argument(help="Matter id.")]
MatterExampleArg = Annotated[str, typer.Argument(help="Matter id, e.g. skolestruktur.")]
PersonArg = Annotated[str, typer.Argument(help="Person id.")]


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline_cmd)
    app.command("dossier")(dossier_cmd)
    app.command("involvement")(involvement_cmd)
    app.command("receipt")(receipt_cmd)
    app.command("findings")(findings_cmd)
    app.command("forecast")(forecast_cmd)
    app.command("dry-run")(dry_run_cmd)
    app.command("stats")(stats_cmd)


_Args = ParamSpec("_Args")
_Found = TypeVar("_Found")


@dataclass(frozen=True)
class _Reading:
    """What a read command reads from: the view of the ledger, the directory's names, a language."""

    view: View
    names: dict[str, str]
    lang: Lang

    def read(
        self,
        model: Callable[Concatenate[RowSource, str, _Args], _Found],
        *args: _Args.args,
        **kwargs: _Args.kwargs,
    ) -> _Found:
        """What the read model ``model`` finds in this view of the ledger."""
        return model(self.view.source, self.view.origin, *args, **kwargs)

    def title(self, da: str, en: str) -> str:
        """A table's title in the reading's language, saying when the reading replays the log."""
        return _t(self.lang, da, en) + _as_of_note(self.view, self.lang)


def _reading(
    cli: CliContext,
    ledger: str | None,
    as_of: str | None,
    lang: Language,
    matters: set[str] | None = None,
) -> _Reading:
    """Open the chosen ledger for reading: the live read models, or a replay as of a point.

    Warns on stderr when the live read models lag behind the log (on
    PostgreSQL, when no projection worker runs).
    """
    origin = cli.origin(ledger)
    view = open_view(cli.projector(), origin, as_of=as_of, matters=matters)
    if view.behind:
        stderr.print(
            f"[yellow]note[/]: the read models are {view.behind} event(s) behind the log; "
            "is `medledger projections run` running?",
            highlight=False,
        )
    names = cli.service().directory_names(view.origin)
    return _Reading(view, names, "da" if lang == Language.da else "en")


def _answer(as_json: bool, found: Any, print_tables: Callable[[], None]) -> None:
    """Print ``found`` as JSON with ``--json``, else as ``print_tables`` shows it."""
    if as_json:
        _json(found)
    else:
        print_tables()


@dataclass(frozen=True)
class ReadOptions:
    """The options every read command takes: which ledger, as of when, JSON or tables, language."""

    ledger: str | None
    as_of: str | None
    as_json: bool
    lang: Language

    def open(self, cli: CliContext, matters: set[str] | None = None) -> _Reading:
        """Open the chosen ledger for reading (see ``_reading``)."""
        return _reading(cli, self.ledger, self.as_of, self.lang, matters)

    def answer(self, found: Any, print_tables: Callable[[], None]) -> None:
        """Print ``found`` as JSON with ``--json``, else as ``print_tables`` shows it."""
        _answer(self.as_json, found, print_tables)


_READ_OPTIONS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=option)
    for name, option, default in (
        ("ledger", LedgerOpt, None),
        ("as_of", AsOfOpt, None),
        ("as_json", JsonOpt, False),
        ("lang", LangOpt, Language.da),
    )
]


def read_command(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` the options every read command takes (--ledger, --as-of, --json,
    --lang), handed to it as one ``read: ReadOptions`` argument.

    Typer reads a command's options from its signature, so the signature
    shown to Typer is the command's own, less ``read``, plus the four options.
    """
    own = [
        parameter
        for parameter in inspect.signature(command, eval_str=True).parameters.values()
        if parameter.name != "read"
    ]

    @functools.wraps(command)
    def with_read_options(
        *args: Any, ledger: str | None, as_of: str | None, as_json: bool, lang: Language, **kw: Any
    ) -> None:
        command(*args, read=ReadOptions(ledger, as_of, as_json, lang), **kw)

    shown = inspect.Signature([*own, *_READ_OPTIONS], return_annotation=None)
    setattr(with_read_options, "__signature__", shown)  # noqa: B010 (mypy knows no __signature__)
    with_read_options.__annotations__ = {p.name: p.annotation for p in shown.parameters.values()}
    return with_read_options


def _json(value: Any) -> None:
    is_record = dataclasses.is_dataclass(value) and not isinstance(value, type)
    data = dataclasses.asdict(value) if is_record else value
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _t(lang: Lang, da: str, en: str) -> str:
    return da if lang == "da" else en


def _table(title: str, columns: str, *, left: bool = True, **column: Any) -> Table:
    """A table with the ``|``-separated ``columns``, each added with the options ``column``."""
    table = Table(title=title, title_justify="left" if left else "center")
    for name in columns.split("|"):
        table.add_column(name, **column)
    return table


def _print(text: str) -> None:
    """Print ``text`` with its markup, without highlighting numbers and names."""
    _console().print(text, highlight=False)


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
@read_command
def timeline_cmd(ctx: typer.Context, read: ReadOptions, matter: MatterExampleArg) -> None:
    """Show a matter's timeline: who did what, for which body, when."""
    reading = read.open(ctx.obj, {matter})
    found = reading.read(timeline, matter, lang=reading.lang, names=reading.names)
    read.answer(found, lambda: _print_timeline(found, reading))


def _print_timeline(found: Timeline, reading: _Reading) -> None:
    lang, h = reading.lang, found.matter
    table = _table(
        f"{h.title} [{h.matter}]" + _as_of_note(reading.view, lang),
        _t(lang, "#|leaf|tid|hændelse|aktør|resumé", "#|leaf|time|event|actor|summary"),
        overflow="fold",
    )
    for e in found.entries:
        seat = ", ".join(
            part
            for part in (e.body_name or "", word(SIDES, e.side, lang), roles_text(e.roles, lang))
            if part
        )
        table.add_row(
            str(e.seq),
            str(e.leaf_index),
            e.claimed_time[:16].replace("T", " "),
            _timeline_label(e, lang),
            f"{e.actor}\n[dim]{seat}[/]" if seat else e.actor,
            e.summary,
        )
    _console().print(table)
    _print(
        _t(
            lang,
            f"Ansvarligt udvalg: {h.responsible_body_name}; niveau: "
            f"{word(INFLUENCE_LEVELS, h.influence_level, lang)}; kategori: "
            f"{word(CATEGORIES, h.category, lang)}; status: {word(STATUSES, h.status, lang)}",
            f"Responsible body: {h.responsible_body_name}; level: "
            f"{word(INFLUENCE_LEVELS, h.influence_level, lang)}; category: "
            f"{word(CATEGORIES, h.category, lang)}; status: {word(STATUSES, h.status, lang)}",
        )
    )


def _timeline_label(entry: TimelineEntry, lang: Lang) -> str:
    """The event's name, marked when it was imported or corrected later."""
    label = word(EVENT_TYPE_WORDS, entry.event_type, lang)
    if entry.imported:
        label += _t(lang, " (importeret)", " (imported)")
    if entry.corrected_by:
        corrections = ", ".join(f"#{s}" for s in entry.corrected_by)
        label += _t(lang, f" (rettet i {corrections})", f" (corrected in {corrections})")
    return label


# --- dossier --------------------------------------------------------------------


@handle_errors
@read_command
def dossier_cmd(ctx: typer.Context, read: ReadOptions, matter: MatterArg) -> None:
    """Show a matter's decision dossier: decision, inputs, disagreements, co-responsibility."""
    reading = read.open(ctx.obj, {matter})
    found = reading.read(dossier, matter, names=reading.names)
    report = reading.read(findings, matter=matter, lang=reading.lang)
    read.answer(
        {"dossier": dataclasses.asdict(found), "findings": dataclasses.asdict(report)},
        lambda: _print_dossier(found, report, reading),
    )


def _print_dossier(found: Dossier, report: FindingsReport, reading: _Reading) -> None:
    lang, doc = reading.lang, found.document
    _print_dossier_head(found.matter, reading)
    if not doc["decisions"]:
        _console().print(_t(lang, "Ingen beslutning endnu.", "No decision yet."))
    for decision in doc["decisions"]:
        _print_decision(decision, found.body_names, reading)
    _print_unaddressed(doc["unaddressed_inputs"], found.body_names, reading)
    _print_disagreements(doc["disagreements"], reading)
    _print_settlements(doc, reading)
    _print_co_responsibility(found, reading)
    _print_findings(report, lang, title=_t(lang, "Fund i sagen", "Findings in the matter"))


def _print_dossier_head(h: MatterHeader, reading: _Reading) -> None:
    lang = reading.lang
    _print(f"[bold]{h.title}[/] [{h.matter}]" + _as_of_note(reading.view, lang))
    _print(
        _t(lang, "Ansvarligt udvalg", "Responsible body")
        + f": {h.responsible_body_name}; "
        + _t(lang, "beslutningstager", "decision maker")
        + f": {_person(h.decision_maker, reading.names)}; "
        + _t(lang, "niveau", "level")
        + f": {word(INFLUENCE_LEVELS, h.influence_level, lang)}; status: "
        + word(STATUSES, h.status, lang)
    )


def _print_decision(d: dict[str, Any], bodies: dict[str, str], reading: _Reading) -> None:
    """One decision: who made it and when, its outcome and rationale, how each input was treated."""
    lang, names = reading.lang, reading.names
    _print(
        f"\n[bold]{_t(lang, 'Beslutning', 'Decision')} #{d['seq']}[/] ({d['time']}, "
        f"{_person(d['actor'], names)})"
        + (
            _t(lang, " [ledelsesret]", " [management prerogative]")
            if d["management_prerogative"]
            else ""
        )
    )
    _print(f"  {d['outcome'] or '[—]'}")
    _print(f"  {_t(lang, 'Begrundelse', 'Rationale')}: {d['rationale'] or '—'}")
    if not d["inputs"]:
        return
    table = _table(
        _t(lang, "Input og behandling", "Inputs and their treatment"),
        _t(
            lang,
            "#|hændelse|fra|udvalg|behandling|begrundelse",
            "#|event|from|body|treatment|reason",
        ),
        left=False,
        overflow="fold",
    )
    for i in d["inputs"]:
        table.add_row(
            str(i["seq"]),
            word(EVENT_TYPE_WORDS, i.get("type"), lang),
            _person(i.get("actor"), names),
            bodies.get(i.get("body") or "", i.get("body") or ""),
            word(TREATMENTS, i["treatment"], lang),
            i["reason"],
        )
    _console().print(table)


def _print_unaddressed(
    inputs: list[dict[str, Any]], bodies: dict[str, str], reading: _Reading
) -> None:
    if not inputs:
        return
    lang = reading.lang
    _console().print(f"\n[bold]{_t(lang, 'Input uden behandling', 'Inputs not addressed')}[/]")
    for i in inputs:
        _print(
            f"  #{i['seq']} {word(EVENT_TYPE_WORDS, i['type'], lang)}, {_person(i['actor'], reading.names)}"
            f" ({bodies.get(i['body'] or '', i['body'] or '')})"
        )


def _print_disagreements(disagreements: list[dict[str, Any]], reading: _Reading) -> None:
    if not disagreements:
        return
    lang, names = reading.lang, reading.names
    _console().print(f"\n[bold]{_t(lang, 'Uenigheder', 'Disagreements')}[/]")
    for u in disagreements:
        legit = (
            _t(lang, " (legitim interesseforskel)", " (legitimate difference)")
            if u["legitimate_difference"]
            else ""
        )
        _print(f"  #{u['seq']} {_person(u['actor'], names)}{legit}:")
        for point in u["points"] or []:
            _print(f"    - {point}")
        answer = u["answer"]
        if answer is None:
            _console().print("    " + _t(lang, "[red]ubesvaret[/]", "[red]unanswered[/]"))
        else:
            _print(
                f"    {_t(lang, 'Svar', 'Answer')} #{answer['seq']} ({_person(answer['actor'], names)}): "
                f"{answer['response'] or '—'}"
            )


def _print_settlements(doc: dict[str, Any], reading: _Reading) -> None:
    """The compromises (and the sides that accepted them) and the agreements reached."""
    if not (doc["compromises"] or doc["agreements"]):
        return
    lang = reading.lang
    _console().print(
        f"\n[bold]{_t(lang, 'Kompromiser og aftaler', 'Compromises and agreements')}[/]"
    )
    for c in doc["compromises"]:
        sides = ", ".join(word(SIDES, s, lang) for s in c["accepted_by"]) or "—"
        _print(
            f"  #{c['seq']} {c['terms'] or '—'} ({_t(lang, 'accepteret af', 'accepted by')}: {sides})"
        )
    for a in doc["agreements"]:
        _print(f"  #{a['seq']} {_t(lang, 'Aftale', 'Agreement')}: {a['text'] or '—'}")


def _print_co_responsibility(found: Dossier, reading: _Reading) -> None:
    lang, bodies = reading.lang, found.body_names
    table = _table(
        _t(lang, "Medansvar", "Co-responsibility"),
        _t(lang, "person|del|side|udvalg|hændelser", "person|part|side|bodies|events"),
        overflow="fold",
    )
    for c in found.co_responsibility:
        table.add_row(
            _person(c.person, reading.names),
            word(PARTS, c.part, lang),
            word(SIDES, c.side, lang),
            ", ".join(bodies.get(b, b) for b in c.bodies),
            ", ".join(f"#{s}" for s in c.evidence),
        )
    _console().print(table)


# --- involvement ----------------------------------------------------------------


@handle_errors
@read_command
def involvement_cmd(ctx: typer.Context, read: ReadOptions, person: PersonArg) -> None:
    """Show a person's involvement: memberships, and per matter when and how."""
    reading = read.open(ctx.obj)
    found = reading.read(involvement, person, names=reading.names)
    read.answer(found, lambda: _print_involvement(found, reading))


def _print_involvement(found: Involvement, reading: _Reading) -> None:
    lang = reading.lang
    who = f"{found.name} ({found.person})" if found.name else found.person
    _print(f"[bold]{who}[/]" + _as_of_note(reading.view, lang))
    seats = _table(
        _t(lang, "Medlemskaber", "Memberships"),
        _t(lang, "udvalg|side|roller|fra|til", "body|side|roles|from|until"),
    )
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
        _print_matter_involvement(matter, lang)


def _print_matter_involvement(matter: MatterInvolvement, lang: Lang) -> None:
    table = _table(
        f"{matter.title} [{matter.matter}]",
        _t(
            lang,
            "#|leaf|tid|hvordan|hændelse|udvalg|side|roller|detalje",
            "#|leaf|time|how|event|body|side|roles|detail",
        ),
        overflow="fold",
    )
    for i in matter.items:
        table.add_row(
            str(i.seq),
            str(i.leaf_index),
            i.claimed_time,
            word(INVOLVEMENT_KINDS, i.kind, lang),
            word(EVENT_TYPE_WORDS, i.event_type, lang),
            i.body_name or "",
            word(SIDES, i.side, lang),
            roles_text(i.roles, lang),
            word(DETAILS, i.detail, lang),
        )
    _console().print(table)


# --- receipt --------------------------------------------------------------------


@handle_errors
@read_command
def receipt_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    person: PersonArg,
    matter: MatterArg,
    bundle: Annotated[
        Path | None,
        typer.Option("--bundle", help="Also write the evidence bundle (offline-verifiable) here."),
    ] = None,
) -> None:
    """Show a consultation receipt: the events proving a person's involvement, or its absence."""
    cli: CliContext = ctx.obj
    reading = read.open(cli, {matter})
    found = reading.read(receipt, person, matter, names=reading.names)
    if bundle is not None:
        # The operator reads everything: the full receipt, every field disclosed.
        evidence = receipt_bundle(
            cli.service(), reading.view.origin, person, matter, found.verdict, full=True
        )
        bundle.write_text(json.dumps(evidence, indent=2, ensure_ascii=False) + "\n")
        stderr.print(f"wrote {bundle}", highlight=False)
    read.answer(
        {**dataclasses.asdict(found), "leaf_indexes": found.leaf_indexes},
        lambda: _console().print(
            render_receipt(found, reading.lang), highlight=False, markup=False
        ),
    )


# --- findings ---------------------------------------------------------------------


@handle_errors
@read_command
def findings_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    body: Annotated[
        str | None, typer.Option("--body", help="Only findings about this body.")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule, e.g. MED-04.")] = None,
    now: NowOpt = None,
) -> None:
    """Show the MED rulebook's findings, each with the ground its rule rests on."""
    reading = read.open(ctx.obj)
    report = reading.read(
        findings, body=body, rule=rule, now=parse_now(now, name="--now"), lang=reading.lang
    )
    title = reading.title("Fund", "Findings")
    read.answer(report, lambda: _print_findings(report, reading.lang, title=title))


def _print_findings(report: FindingsReport, lang: Lang, *, title: str) -> None:
    if not report.findings:
        _console().print(_t(lang, "Ingen fund.", "No findings."))
        return
    table = _table(
        title,
        _t(
            lang,
            "regel|alvor|sag|udvalg|hændelser|forklaring",
            "rule|severity|matter|body|events|explanation",
        ),
        overflow="fold",
    )
    for f in report.findings:
        table.add_row(
            f"{f.rule}\n{f.title}\n({f.ground})",
            word(SEVERITIES, f.severity, lang),
            f.matter,
            f.body_name,
            ", ".join(f"#{e.seq} (leaf {e.leaf_index})" for e in f.evidence),
            f.explanation + (_t(lang, " [importeret]", " [imported]") if f.imported else ""),
        )
    _console().print(table)


@handle_errors
@read_command
def forecast_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    matter: MatterExampleArg,
    now: NowOpt = None,
) -> None:
    """Show a matter's findings due now and those that will fall due, and when, unless
    something happens first."""
    reading = read.open(ctx.obj, matters={matter})
    found = reading.read(forecast, matter, now=parse_now(now, name="--now"), lang=reading.lang)
    read.answer(found, lambda: _print_forecast(found, reading.view, reading.lang))


def _print_forecast(found: Forecast, view: View, lang: Lang) -> None:
    _print(
        f"[bold]{found.matter_title}[/] ({found.matter})"
        + _t(lang, f", bedømt {found.reference_time}", f", judged at {found.reference_time}")
        + _as_of_note(view, lang)
    )
    if found.due:
        _print_finding_rows(_t(lang, "Fund nu", "Findings now"), found.due, lang)
    else:
        _print(_t(lang, "Ingen fund nu.", "No findings now."))
    if not found.upcoming:
        _print(_t(lang, "Intet forfalder senere.", "Nothing falls due later."))
        return
    table = _table(
        _t(lang, "Forfalder, medmindre noget sker", "Falls due unless something happens"),
        _t(
            lang,
            "forfalder|dage|regel|alvor|udvalg|forklaring",
            "due|days|rule|severity|body|explanation",
        ),
        overflow="fold",
    )
    for item in found.upcoming:
        f = item.finding
        table.add_row(
            f.due_at[:16].replace("T", " "),
            str(item.days_left),
            f"{f.rule}\n{f.title}",
            word(SEVERITIES, f.severity, lang),
            f.body_name,
            f.explanation,
        )
    _console().print(table)


def _print_finding_rows(title: str, shown: list[FindingView], lang: Lang) -> None:
    table = _table(
        title,
        _t(
            lang, "regel|alvor|udvalg|hændelser|forklaring", "rule|severity|body|events|explanation"
        ),
        overflow="fold",
    )
    for f in shown:
        table.add_row(
            f"{f.rule}\n{f.title}",
            word(SEVERITIES, f.severity, lang),
            f.body_name,
            ", ".join(f"#{e.seq} (leaf {e.leaf_index})" for e in f.evidence),
            f.explanation,
        )
    _console().print(table)


@handle_errors
def dry_run_cmd(
    ctx: typer.Context,
    stream: Annotated[str, typer.Argument(help="registry or matter/<id>")],
    event_type: Annotated[str, typer.Argument(help="Event type, e.g. DecisionMade")],
    payload: Annotated[str, typer.Option(help="Payload JSON, @file, or - for stdin.")],
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who would sign (or give --as).")
    ] = None,
    signer: Annotated[
        Path | None, typer.Option("--as", help="Key file of the person who would sign.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--time", help="Claimed time, YYYY-MM-DDTHH:MM:SSZ (default: now)."),
    ] = None,
    ledger: LedgerOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = Language.da,
) -> None:
    """Tell whether an event not yet signed would be admitted, and which findings it
    would raise or close. Nothing is signed or written."""
    cli: CliContext = ctx.obj
    key_id: str | None = None
    if signer is not None:
        key = load_person_key(signer)
        if actor not in (None, key.person):
            raise MalformedError(f"--as is {key.person}'s key file, not {actor}'s")
        person, key_id = key.person, key.key_id
    elif actor is not None:
        person = actor
    else:
        raise MalformedError("say who would sign: --actor PERSON or --as KEY-FILE")
    service = cli.service()
    origin = cli.origin(ledger)
    state = service.state(origin)
    body = state.draft(
        stream,
        event_type,
        person,
        at or format_time(service.clock()),
        key=key_id,
    )
    fields = read_payload(payload)
    view = open_view(cli.projector(), origin)
    chosen: Lang = "da" if lang == Language.da else "en"
    try:
        size = service.judge_unsigned(origin, body, fields)
    except LedgerError as error:
        found = refused(origin, state.size, body, error)
        _answer(as_json, found, lambda: _print_dry_run(found, chosen))
        raise typer.Exit(exit_code(error)) from None
    found = dry_run(cli.projector().store, view.source, origin, size, body, fields, lang=chosen)
    _answer(as_json, found, lambda: _print_dry_run(found, chosen))


def _print_dry_run(found: DryRun, lang: Lang) -> None:
    what = f"{found.event_type} #{found.as_of} ({found.stream}, {found.actor}, {found.time})"
    if found.refusal is not None:
        _print(
            _t(lang, "[bold red]Ville blive afvist[/]: ", "[bold red]Would be refused[/]: ")
            + f"{what}\nerror[{found.refusal.code}]: {found.refusal.message}"
        )
        return
    _print(
        _t(lang, "[bold green]Ville blive optaget[/]: ", "[bold green]Would be admitted[/]: ")
        + what
    )
    if found.raised:
        _print_finding_rows(_t(lang, "Ville give fund", "Would raise"), found.raised, lang)
    if found.closed:
        _print_finding_rows(_t(lang, "Ville lukke fund", "Would close"), found.closed, lang)
    if not (found.raised or found.closed):
        _print(_t(lang, "Ingen fund ændres.", "No finding changes."))
    for item in found.upcoming:
        f = item.finding
        _print(
            _t(lang, "Forfalder derefter ", "Then falls due ")
            + f"{f.due_at[:16].replace('T', ' ')}: {f.rule} {f.title} ({f.body_name})"
        )


# --- statistics ---------------------------------------------------------------------


@handle_errors
@read_command
def stats_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    body: Annotated[str, typer.Argument(help="Body id, e.g. bal-hmed.")],
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
) -> None:
    """Show a body's statistics per year: matters, consultations, proposals, lead time, ..."""
    reading = read.open(ctx.obj)
    found = reading.read(statistics, body, year=year)
    read.answer(found, lambda: _print_stats(found, reading))


def _print_stats(found: BodyStatistics, reading: _Reading) -> None:
    lang = reading.lang
    if not found.years:
        _console().print(_t(lang, "Ingen tal.", "No figures."))
        return
    table = _table(
        f"{found.body_name} [{found.body}]" + _as_of_note(reading.view, lang),
        _t(
            lang,
            "år|sager|inddragelser|forslag fra MED|median varsel (dage)|beslutninger|"
            "heraf med åben uenighed|kvitteringsrate|for kort tid|nået lokalt ud",
            "year|matters|consultations|proposals from MED|median lead time (days)|decisions|"
            "with an open disagreement|acknowledgement rate|inadequate time|reached local bodies",
        ),
        justify="right",
    )
    for y in found.years:
        rate = "—" if y.acknowledgement_rate is None else f"{y.acknowledgement_rate:.0%}"
        lead = "—" if y.median_lead_time_days is None else f"{y.median_lead_time_days:g}"
        share = "—" if y.reached_local_share is None else f"{y.reached_local_share:.0%}"
        reached = f"{share} ({y.reached_local_matters}/{y.matters})"
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
            reached,
        )
    _console().print(table)
