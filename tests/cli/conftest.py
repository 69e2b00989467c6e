"""The CLI run in this process over the demo ledgers in each test's database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo.stories import Demo
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from tests.stories.cli import run


@pytest.fixture
def medledger(
    demo: Demo, service: LedgerService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    """The CLI over the demo ledgers in this test's database."""
    store = service.store
    monkeypatch.setenv("MEDLEDGER_DATABASE_URL", store.url)
    if store.schema is not None:
        monkeypatch.setenv("MEDLEDGER_DATABASE_SCHEMA", store.schema)
    monkeypatch.setenv("MEDLEDGER_LOG_KEYS", str(tmp_path / "log-keys"))
    monkeypatch.setenv("MEDLEDGER_LEDGER", ledger_id_of(demo.ballerup.origin))
    monkeypatch.setenv("COLUMNS", "240")
    runner = CliRunner()
    # On PostgreSQL the worker keeps the read models up to date; on SQLite reads catch up.
    for origin in (demo.buf.origin, demo.ballerup.origin):
        run(runner, "projections", "run", "--once", "--ledger", ledger_id_of(origin))
    return runner
