"""The ``medledger`` command: one typer application, commands grouped by module."""

from __future__ import annotations

import typer

from cli import (
    agreement_cmds,
    demo_cmd,
    ledger_cmds,
    log_cmds,
    notify_cmds,
    projection_cmds,
    read_cmds,
    registry_cmds,
    serve_cmd,
)
from cli.context import global_options

app = typer.Typer(
    name="medledger",
    help="A signed, verifiable decision ledger for the MED system.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ledger_cmds.register(app)
registry_cmds.register(app)
demo_cmd.register(app)
log_cmds.register(app)
serve_cmd.register(app)
read_cmds.register(app)
agreement_cmds.register(app)
projection_cmds.register(app)
notify_cmds.register(app)
app.callback()(global_options)
