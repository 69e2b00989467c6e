"""Run the ``medledger`` command as a person would: a subprocess with its environment."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

MEDLEDGER = str(Path(sys.executable).with_name("medledger"))


def medledger(
    command_line: str, *args: str, data: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``medledger`` with a command line as typed in a shell, plus extra ``args``.

    The ledger is the SQLite file and log keys kept in ``data``; the working
    directory is ``data``'s parent, so relative paths are relative to it and
    no stray ``.env`` file is read.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEDLEDGER_")}
    env.update(
        {
            "MEDLEDGER_DATABASE_URL": f"sqlite:///{data}/ledger.db",
            "MEDLEDGER_LOG_KEYS": str(data / "log-keys"),
            "COLUMNS": "200",
            "NO_COLOR": "1",
        }
    )
    return subprocess.run(
        [MEDLEDGER, *shlex.split(command_line), *args],
        env=env,
        cwd=data.parent,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python_cli(
    env: Mapping[str, str], *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cli`` with ``args`` and exactly ``env``; nothing is checked here.

    Unlike ``medledger`` it adds nothing to the environment, so the caller
    decides which ledger (or server) the command reaches.
    """
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def demo_ledger(directory: Path) -> dict[str, str]:
    """Seed Ballerup's demo ledger in ``directory``; return the environment that reaches it."""
    env = {
        **os.environ,
        "MEDLEDGER_DATABASE_URL": f"sqlite:///{directory}/ledger.db",
        "MEDLEDGER_LOG_KEYS": f"{directory}/log-keys",
        "MEDLEDGER_LEDGER": "ballerup",
    }
    seeded = python_cli(env, "demo", "--dir", str(directory))
    assert seeded.returncode == 0, seeded.stderr
    return env


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    """Run the CLI in this process with ``args``; check its exit code and that nothing crashed."""
    result = runner.invoke(app, list(args))
    output = result.stdout + (result.stderr or "")
    assert result.exit_code == code, output
    assert "Traceback" not in output
    return output
