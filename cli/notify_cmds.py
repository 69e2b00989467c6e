"""``medledger notify run``: the notification worker (docker-compose runs it as ``notify``).

It reads the ``MEDLEDGER_`` settings of ``notify/settings.py`` (the SMTP
server, the web application's address for links, the timings), catches the
read models up before each pass, so that the outbox it reads is current, and
sends until stopped.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from cli.context import CliContext, EveryLedgerOpt
from cli.errors import handle_errors, stderr
from cli.worker import stop_on_signals
from notify.delivery import Backoff
from notify.schedule import Timing
from notify.settings import NotifySettings
from notify.smtp import SmtpSender, SmtpServer
from notify.worker import Notifier, WorkerConfig

notify_app = typer.Typer(help="Send notifications by e-mail.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")


def build_notifier(
    cli: CliContext, settings: NotifySettings, origin: str | None = None
) -> Notifier:
    """The worker over the CLI's database, with the configured SMTP server and timings."""
    opened = cli.opened()
    password = settings.smtp_password
    server = SmtpServer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_tls,
        settings.smtp_username,
        None if password is None else password.get_secret_value(),
        settings.smtp_timeout_seconds,
    )
    config = WorkerConfig(
        mail_from=settings.mail_from,
        base_url=settings.web_base_url,
        secret=settings.secret_bytes(),
        timing=Timing(settings.notify_digest_hour, settings.notify_reminder_days),
        backoff=Backoff(
            settings.notify_max_attempts,
            settings.notify_backoff_seconds,
            settings.notify_lease_seconds,
        ),
        max_age=timedelta(days=settings.notify_max_age_days),
    )
    projector = cli.projector()
    return Notifier(
        opened.store,
        opened.service,
        SmtpSender(server),
        config,
        before_pass=lambda: projector.catch_up(origin),
        origin=origin,
    )


@notify_app.command("run")
@handle_errors
def run(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Do one pass and exit.")] = False,
    poll: Annotated[
        float | None, typer.Option("--poll", help="Seconds between passes (default: settings).")
    ] = None,
    ledger: EveryLedgerOpt = None,
) -> None:
    """Plan, send and retry notifications by e-mail (until stopped)."""
    cli: CliContext = ctx.obj
    settings = NotifySettings()
    notifier = build_notifier(cli, settings, cli.only_origin(ledger))
    if once:
        report = notifier.run_once()
        typer.echo(f"planned {report.planned} message(s); outcomes {report.outcomes}")
        return
    stop = stop_on_signals()
    interval = settings.notify_poll_seconds if poll is None else poll
    stderr.print(
        f"notification worker sending through {settings.smtp_host}:{settings.smtp_port} "
        f"every {interval:g}s; stop with Ctrl-C",
        highlight=False,
    )
    notifier.run_forever(poll_seconds=interval, stop=stop)
    stderr.print("notification worker stopped", highlight=False)
