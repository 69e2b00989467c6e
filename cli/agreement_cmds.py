"""Commands that read the guideline register and the dispute view: ``guidelines``, ``disputes``.

Like the other read commands (cli/read_cmds.py) each reads the live read
models (caught up first on SQLite) or, with ``--as-of``, a replay of the log
up to a tree size or date, and prints rich tables in Danish (default) or
English, or JSON with ``--json``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.errors import handle_errors
from cli.read_cmds import (
    NowOpt,
    ReadOptions,
    _console,
    _person,
    _t,
    _table,
    read_command,
)
from projections.read_models.disputes import DisputesReport, disputes
from projections.read_models.guidelines import GuidelineRegisterReport, guideline_register
from projections.runner.moments import parse_now
from projections.vocabulary import (
    DISPUTE_KINDS,
    DISPUTE_STATUSES,
    GUIDELINE_STATUSES,
    GUIDELINE_TYPE_WORDS,
    Lang,
    word,
)


def register(app: typer.Typer) -> None:
    app.command("guidelines")(guidelines_cmd)
    app.command("disputes")(disputes_cmd)


# --- the guideline register -------------------------------------------------------


@handle_errors
@read_command
def guidelines_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    guideline: Annotated[
        str | None, typer.Option("--guideline", help="Only this guideline, e.g. trivsel.")
    ] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Only guidelines agreed in this body.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Each guideline's state on this day (default: the latest)."),
    ] = None,
) -> None:
    """Show the guideline register: type, agreement, amendments, notice and state."""
    reading = read.open(ctx.obj)
    report = reading.read(
        guideline_register, guideline=guideline, body=body, on=parse_now(on, name="--on")
    )
    title = reading.title("Retningslinjer", "Guidelines")
    read.answer(report, lambda: _print_register(report, reading.lang, title, reading.names))


def _print_register(
    report: GuidelineRegisterReport, lang: Lang, title: str, names: dict[str, str]
) -> None:
    if not report.guidelines:
        _console().print(_t(lang, "Ingen retningslinjer.", "No guidelines."))
        return
    table = _table(
        f"{title} ({_t(lang, 'pr.', 'on')} {report.on})",
        _t(
            lang,
            "retningslinje|type|udvalg|status|aftalt|ændringer|opsigelse",
            "guideline|type|body|state|agreed|amendments|termination",
        ),
        overflow="fold",
    )
    for g in report.guidelines:
        made = g.made
        agreed = (
            f"{made.matter} #{made.seq} (leaf {made.leaf_index}), "
            f"{_person(made.actor, names)}, {_t(lang, 'fra', 'from')} {g.effective_from}"
        )
        amendments = "\n".join(f"{a.matter} #{a.seq} (leaf {a.leaf_index})" for a in g.amendments)
        ended = g.termination
        notice = (
            ""
            if ended is None
            else _t(
                lang,
                f"varslet {ended.notice_given}, ophører {ended.effective_from}",
                f"notice {ended.notice_given}, ends {ended.effective_from}",
            )
        )
        table.add_row(
            g.guideline + (_t(lang, " [importeret]", " [imported]") if g.imported else ""),
            word(GUIDELINE_TYPE_WORDS, g.type, lang),
            g.body_name,
            word(GUIDELINE_STATUSES, g.status, lang),
            agreed,
            amendments,
            notice,
        )
    _console().print(table)


# --- the dispute view ---------------------------------------------------------------


@handle_errors
@read_command
def disputes_cmd(
    ctx: typer.Context,
    read: ReadOptions,
    matter: Annotated[str | None, typer.Option("--matter", help="Only this matter.")] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Only disputes raised in or about this body.")
    ] = None,
    now: NowOpt = None,
) -> None:
    """Show breach claims and interpretation disputes: their path and what is due."""
    reading = read.open(ctx.obj, {matter} if matter else None)
    report = reading.read(
        disputes, matter=matter, body=body, now=parse_now(now, name="--now"), lang=reading.lang
    )
    title = reading.title("Tvister", "Disputes")
    read.answer(report, lambda: _print_disputes(report, reading.lang, title, reading.names))


def _print_disputes(report: DisputesReport, lang: Lang, title: str, names: dict[str, str]) -> None:
    if not report.disputes:
        _console().print(_t(lang, "Ingen tvister.", "No disputes."))
        return
    table = _table(
        title,
        _t(
            lang,
            "sag|tvist|udvalg|status|forløb|hvad skal ske",
            "matter|dispute|body|state|path|what is due",
        ),
        overflow="fold",
    )
    for d in report.disputes:
        path = " → ".join(
            f"{step.stage} #{step.seq}" + (f" ({step.detail})" if step.detail else "")
            for step in d.path
        )
        due = "\n".join(
            (f"{', '.join(_person(p, names) for p in item.people)}: " if item.people else "")
            + item.explanation
            + (_t(lang, " [overskredet]", " [overdue]") if item.overdue else "")
            for item in d.due
        )
        table.add_row(
            d.matter,
            f"{word(DISPUTE_KINDS, d.kind, lang)} #{d.seq}\n{_person(d.claimant, names)}",
            d.body_name,
            f"{word(DISPUTE_STATUSES, d.status, lang)} ({d.level})",
            path,
            due,
        )
    _console().print(table)
