"""``medledger projections run|rebuild|status``: keep the read models up to date.

``run`` is the projection worker (the PostgreSQL way; docker-compose runs
it beside the API); ``rebuild`` drops and replays some or all read models;
``status`` shows how far each read model is in each ledger.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.context import CliContext, EveryLedgerOpt
from cli.errors import handle_errors, stderr
from cli.progress import progress_bar
from cli.worker import stop_on_signals
from projections.read_models.schema import READ_MODELS
from projections.runner.projector import check_models


def _console() -> Console:
    """A console as wide as the terminal (or ``$COLUMNS``) when printing."""
    return Console()


projections_app = typer.Typer(
    help="Run, rebuild and inspect the read models (projections).", no_args_is_help=True
)

INTERRUPTED_EXIT = 9


def register(app: typer.Typer) -> None:
    app.add_typer(projections_app, name="projections")


@projections_app.command("run")
@handle_errors
def run(
    ctx: typer.Context,
    poll: Annotated[float, typer.Option("--poll", help="Seconds between polls of the log.")] = 0.5,
    once: Annotated[bool, typer.Option("--once", help="Catch up once and exit.")] = False,
    ledger: EveryLedgerOpt = None,
) -> None:
    """Follow every ledger's log and keep the read models caught up (until stopped)."""
    cli: CliContext = ctx.obj
    projector = cli.projector()
    if once:
        started = time.perf_counter()
        applied = projector.catch_up(cli.only_origin(ledger))
        _console().print(f"caught up: {applied} event(s) in {time.perf_counter() - started:.2f}s")
        return
    stop = stop_on_signals()
    stderr.print(
        f"projection worker following {projector.store.dialect} every {poll:g}s "
        f"(read models: {', '.join(READ_MODELS)}); stop with Ctrl-C",
        highlight=False,
    )

    def report(origin: str, applied: int) -> None:
        logging.getLogger("medledger.projections").info("%s: applied %d event(s)", origin, applied)

    projector.run_forever(
        poll_interval=poll, stop=stop, on_batch=report, origin=cli.only_origin(ledger)
    )
    stderr.print("projection worker stopped", highlight=False)


@projections_app.command("rebuild")
@handle_errors
def rebuild(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help=f"Read models to rebuild (default: all): {', '.join(READ_MODELS)}."),
    ] = None,
    ledger: EveryLedgerOpt = None,
) -> None:
    """Drop and rebuild read models from the log; the result is byte-identical."""
    cli: CliContext = ctx.obj
    models = check_models(names or None)
    origin = cli.only_origin(ledger)
    projector = cli.projector()
    done: dict[str, tuple[int, int]] = {}
    with progress_bar("rebuilding {task.description}") as progress:
        tasks: dict[str, object] = {}

        def advance(chosen: str, position: int, size: int) -> None:
            done[chosen] = (position, size)
            if chosen not in tasks:
                tasks[chosen] = progress.add_task(chosen, total=size)
            progress.update(tasks[chosen], completed=position, total=size)  # type: ignore[arg-type]

        try:
            report = projector.rebuild(models, origin, progress=advance)
        except KeyboardInterrupt:
            where = ", ".join(f"{o} at {p} of {s}" for o, (p, s) in done.items()) or "at the start"
            stderr.print(
                f"[bold red]error[rebuild_interrupted][/]: rebuild interrupted ({where}); "
                "every read model stopped at a batch boundary: `medledger projections run "
                "--once` resumes, `medledger projections rebuild` starts again",
                highlight=False,
            )
            raise typer.Exit(INTERRUPTED_EXIT) from None
    rate = report.events / report.seconds if report.seconds > 0 else 0.0
    _console().print(
        f"rebuilt {', '.join(models)} for {report.ledgers} ledger(s): {report.events} events "
        f"in {report.seconds:.2f}s ({rate:,.0f} events/s)"
    )


@projections_app.command("status")
@handle_errors
def status(ctx: typer.Context, ledger: EveryLedgerOpt = None) -> None:
    """Show each read model's position against each ledger's tree size."""
    cli: CliContext = ctx.obj
    projector = cli.projector()
    table = Table(title="read models")
    table.add_column("ledger")
    table.add_column("tree size", justify="right")
    for model in READ_MODELS:
        table.add_column(model, justify="right")
    for origin in projector.origins(cli.only_origin(ledger)):
        _, size = projector.lag(origin)
        positions = projector.tracking.positions(origin, READ_MODELS)
        table.add_row(origin, str(size), *(str(positions[m].position) for m in READ_MODELS))
    _console().print(table)
