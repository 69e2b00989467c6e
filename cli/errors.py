"""How the CLI reports errors: one exit code per kind of LedgerError.

Scripts rely on these codes; they never change.

| exit | meaning |
|---|---|
| 0 | success |
| 1 | verification failed (the ledger, a proof, a checkpoint or a bundle) |
| 2 | wrong command line (typer's own usage errors) |
| 3 | malformed input (JSON, envelope, payload, key, request) |
| 4 | signature or key not valid |
| 5 | signer not allowed |
| 6 | conflict: stale sequence or previous hash, replay |
| 7 | a write-time rule of the MED protocol |
| 8 | not found (ledger, stream, matter, person, body, leaf) |
| 9 | storage or any other ledger error |
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from ledger.errors import LedgerError

# Keyed by the stable code of each kind of error (the second level of the
# LedgerError hierarchy), so every subclass, even one the HTTP transport
# made for a code this version does not know, exits as its kind does.
EXIT_CODES: dict[str, int] = {
    "verification_failed": 1,
    "malformed": 3,
    "authentication_failed": 4,
    "not_allowed": 5,
    "conflict": 6,
    "rule_violation": 7,
    "not_found": 8,
}

stderr = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def exit_code(error: LedgerError) -> int:
    """The exit code of the most specific kind ``error`` is; 9 for any other ledger error."""
    for cls in type(error).__mro__:
        code = getattr(cls, "code", None)
        if code in EXIT_CODES:
            return EXIT_CODES[code]
    return 9


def report(error: LedgerError, *, as_json: bool = False) -> None:
    """Print ``error`` to stderr: ``error[code]: message`` or its JSON form."""
    if as_json:
        sys.stderr.write(
            json.dumps({"error": error.to_dict()}, ensure_ascii=False, default=str) + "\n"
        )
        return
    stderr.print(
        Text(f"error[{error.code}]: ", style="bold red") + Text(error.message), highlight=False
    )
    for key, value in error.details.items():
        if key != "errors":
            stderr.print(Text(f"  {key}: {value}"), highlight=False)
    for item in error.details.get("errors", []):
        stderr.print(Text(f"  - {item.get('field')}: {item.get('problem')}"), highlight=False)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a LedgerError into a message and its exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LedgerError as error:
            report(error, as_json=bool(kwargs.get("as_json")))
            raise typer.Exit(exit_code(error)) from None
        except OSError as error:
            stderr.print(
                Text("error[io_error]: ", style="bold red") + Text(str(error)), highlight=False
            )
            raise typer.Exit(9) from None

    return wrapper
