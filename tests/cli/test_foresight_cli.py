"""``medledger forecast`` and ``medledger dry-run`` as a secretary runs them, on both backends.

Ballerup's technology dialogue ends the demo with its meeting's minutes
not yet approved: the forecast tells when that falls due (MED-12).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from demo.stories import Demo
from ledger.service.application import LedgerService
from tests.stories.cli import python_cli, run


def test_the_forecast_tells_when_the_minutes_fall_due(medledger: CliRunner) -> None:
    found = json.loads(run(medledger, "forecast", "teknologi-dialog", "--json", "--lang", "en"))
    assert found["matter"] == "teknologi-dialog"
    assert [u["finding"]["rule"] for u in found["upcoming"]] == ["MED-12"]
    (minutes,) = found["upcoming"]
    assert minutes["days_left"] > 0
    table = run(medledger, "forecast", "teknologi-dialog", "--lang", "en")
    assert "Falls due unless something happens" in table
    assert "MED-12" in table
    assert minutes["finding"]["due_at"][:10] in table
    # At the day it falls due, it is a finding.
    later = json.loads(
        run(
            medledger,
            "forecast",
            "teknologi-dialog",
            "--json",
            "--now",
            minutes["finding"]["due_at"],
        )
    )
    assert [f["rule"] for f in later["due"]] == ["MED-12"]
    assert later["upcoming"] == []


def test_the_forecast_refuses_an_unknown_matter(medledger: CliRunner) -> None:
    output = run(medledger, "forecast", "findes-ikke", code=8)
    assert "matter_not_found" in output
    assert "findes-ikke" in output


def test_a_dry_run_tells_what_signing_would_do_and_writes_nothing(
    medledger: CliRunner, demo: Demo, service: LedgerService
) -> None:
    origin = demo.ballerup.origin
    size = service.tree_size(origin)
    position = json.dumps(
        {"body": "bal-hmed", "side": "employees", "stance": "support", "text": "Godt oplæg."}
    )
    # HovedMED's vice-chair may state a position: admitted, and nothing is written.
    found = json.loads(
        run(
            medledger,
            *("dry-run", "matter/teknologi-dialog", "PositionStated", "--actor", "hmed-nfmd"),
            *("--payload", position, "--json", "--lang", "en"),
        )
    )
    assert found["admitted"] is True and found["refusal"] is None
    assert (found["event_type"], found["actor"], found["as_of"]) == (
        "PositionStated",
        "hmed-nfmd",
        size,
    )
    assert found["reference_time_after"] >= found["reference_time"]
    table = run(
        medledger,
        *("dry-run", "matter/teknologi-dialog", "PositionStated", "--actor", "hmed-nfmd"),
        *("--payload", position, "--lang", "en"),
    )
    assert "Would be admitted" in table
    # Someone outside HovedMED may not: refused with the append's code and exit code.
    output = run(
        medledger,
        *("dry-run", "matter/teknologi-dialog", "PositionStated", "--actor", "tr-okonomi"),
        *("--payload", position, "--lang", "en"),
        code=5,
    )
    assert "Would be refused" in output
    assert service.tree_size(origin) == size


def test_a_dry_run_needs_to_know_who_would_sign(medledger: CliRunner) -> None:
    output = run(
        medledger,
        "dry-run",
        "matter/teknologi-dialog",
        "MinutesApproved",
        "--payload",
        "{}",
        code=3,
    )
    assert "--actor" in output


def test_the_demo_summary_tells_how_far_hovedmeds_matters_reached(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MEDLEDGER_DATABASE_URL": f"sqlite:///{tmp_path}/ledger.db",
        "MEDLEDGER_LOG_KEYS": f"{tmp_path}/log-keys",
        "COLUMNS": "200",
    }
    built = python_cli(env, "demo", "--dir", str(tmp_path / "demo"))
    assert built.returncode == 0, built.stderr
    summary = " ".join(built.stdout.split())
    assert "ledger.example/kk-buf buf-hmed 2026: 1 of 3 matters reached the MED bodies" in summary
    assert "medledger forecast teknologi-dialog" in summary
