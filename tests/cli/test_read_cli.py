"""The read commands and ``medledger projections`` as a user runs them, on both backends.

A secretary asks for a timeline in Danish, an auditor for findings as of a
past date in English, a union representative for a receipt with its
bundle; bad input (an unknown matter, person, body or rule, an as-of point
outside the ledger) gets a clear message and the documented exit code,
never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo.stories import Demo
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from tests.stories.cli import run
from tests.stories.evidence import trust_of
from verifier.bundle import verify_bundle


def test_the_projection_worker_catches_up_and_reports_status(
    medledger: CliRunner, demo: Demo
) -> None:
    ballerup = ledger_id_of(demo.ballerup.origin)
    assert "caught up: 0 event(s)" in run(
        medledger, "projections", "run", "--once", "--ledger", ballerup
    )
    status = run(medledger, "projections", "status", "--ledger", ballerup)
    assert "timeline" in status and "ballerup" in status


def test_a_timeline_in_danish_and_in_english(medledger: CliRunner) -> None:
    danish = run(medledger, "timeline", "budget-forslag")
    assert "Budgetforslag fra råd" in danish and "Uenighed noteret" in danish
    english = run(medledger, "timeline", "budget-forslag", "--lang", "en")
    assert "Disagreement recorded" in english
    data = json.loads(run(medledger, "timeline", "budget-forslag", "--json"))
    assert [e["event_type"] for e in data["entries"]][:2] == ["MatterOpened", "MaterialShared"]


def test_the_dossier_names_the_unanswered_disagreement(medledger: CliRunner) -> None:
    text = run(medledger, "dossier", "budget-forslag", "--lang", "en")
    assert "unanswered" in text and "Co-responsibility" in text and "MED-04" in text
    data = json.loads(run(medledger, "dossier", "budget-forslag", "--json"))
    assert data["dossier"]["document"]["decisions"][0]["management_prerogative"] is True


def test_involvement_receipt_and_bundle(
    medledger: CliRunner, tmp_path: Path, service: LedgerService, demo: Demo
) -> None:
    assert "Hjemmeplejen flytter" not in run(medledger, "involvement", "hmed-nfmd")
    data = json.loads(run(medledger, "involvement", "tr-hjemmepleje", "--json"))
    assert {m["matter"] for m in data["matters"]} >= {"budget-forslag"}
    out = tmp_path / "receipt.json"
    page = run(
        medledger, "receipt", "hmed-nfmd", "budget-forslag", "--lang", "en", "--bundle", str(out)
    )
    assert "CONSULTATION RECEIPT" in page and "Conclusion: involved" in page
    bundle = json.loads(out.read_text())
    report = verify_bundle(bundle, trust_of(service, demo.ballerup.origin))
    assert report.kind == "receipt" and report.subject["verdict"] == "involved"


def test_findings_filtered_by_rule_and_body_and_as_of_a_past_point(medledger: CliRunner) -> None:
    by_rule = json.loads(run(medledger, "findings", "--rule", "med-4", "--json"))
    assert [f["rule"] for f in by_rule["findings"]] == ["MED-04"]
    by_body = json.loads(run(medledger, "findings", "--body", "bal-hjemmepleje", "--json"))
    assert {f["rule"] for f in by_body["findings"]} == {"MED-05", "MED-10"}
    early = json.loads(run(medledger, "findings", "--as-of", "30", "--json"))
    assert early["as_of"] == 30 and early["findings"] == []
    assert "MED-04" in run(medledger, "findings", "--lang", "en")


def test_statistics_of_hovedmed(medledger: CliRunner) -> None:
    text = run(medledger, "stats", "bal-hmed", "--lang", "en")
    assert "acknowledgement rate" in text
    data = json.loads(run(medledger, "stats", "bal-hjemmepleje", "--json"))
    assert sum(y["proposals"] for y in data["years"]) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("timeline", "ukendt-sag"), 8, "error[matter_not_found]"),
        (("dossier", "ukendt-sag"), 8, "error[matter_not_found]"),
        (("involvement", "ingen"), 8, "error[person_not_found]"),
        (("receipt", "ingen", "budget-forslag"), 8, "error[person_not_found]"),
        (("stats", "ukendt-udvalg"), 8, "error[body_not_found]"),
        (("findings", "--body", "ukendt-udvalg"), 8, "error[body_not_found]"),
        (("findings", "--rule", "MED-99"), 8, "error[rule_not_found]"),
        (("timeline", "budget-forslag", "--ledger", "ingen"), 8, "error[unknown_ledger]"),
        (("findings", "--as-of", "0"), 3, "error[as_of_out_of_range]"),
        (("findings", "--as-of", "2019-12-31"), 3, "before this ledger's first event"),
        (("timeline", "budget-forslag", "--as-of", "2099-01-01"), 3, "after this ledger's last"),
        (("findings", "--as-of", "snart"), 3, "error[malformed_as_of]"),
        (("projections", "rebuild", "tidslinje"), 8, "error[read_model_not_found]"),
        (("projections", "rebuild", "tidslinje"), 8, "read_models: ['registry', 'timeline',"),
    ],
)
def test_bad_input_gets_a_clear_message_and_its_exit_code(
    medledger: CliRunner, args: tuple[str, ...], code: int, message: str
) -> None:
    assert message in run(medledger, *args, code=code)


def test_an_unknown_matter_as_of_before_it_was_opened(medledger: CliRunner) -> None:
    assert "error[matter_not_found]" in run(
        medledger, "timeline", "teknologi-dialog", "--as-of", "20", code=8
    )


def test_rebuilding_from_the_command_line(medledger: CliRunner, demo: Demo) -> None:
    ballerup = ledger_id_of(demo.ballerup.origin)
    before = run(medledger, "findings", "--json")
    assert "rebuilt timeline, findings for 1 ledger(s)" in run(
        medledger, "projections", "rebuild", "findings", "timeline", "--ledger", ballerup
    )
    assert "rebuilt registry, timeline" in run(
        medledger, "projections", "rebuild", "--ledger", ballerup
    )
    assert run(medledger, "findings", "--json") == before
