"""``medledger disputes`` and ``medledger guidelines`` over the demo ledgers, on both backends.

In Copenhagen's BUF the union rep claimed in writing that the special-classes proposal
went to the committee before HovedMED discussed it; the director remedied it by
withdrawing the referral, and the claim was withdrawn.  As of the claim, the director of
BUF had a month to remedy it.  Ballerup's HovedMED agreed a procedure guideline on early
involvement.
"""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from demo.stories import Demo
from ledger.domain.guidelines import add_months
from ledger.protocol.envelope import ledger_id_of
from tests.stories.cli import run


def test_the_breach_claim_in_copenhagen_its_path_and_what_management_owed(
    medledger: CliRunner, demo: Demo
) -> None:
    buf = ledger_id_of(demo.buf.origin)
    found = json.loads(run(medledger, "disputes", "--ledger", buf, "--json", "--lang", "en"))
    (dispute,) = found["disputes"]
    assert (dispute["matter"], dispute["kind"], dispute["claimant"]) == (
        "skolestruktur",
        "breach_claim",
        "tr-laerer",
    )
    assert [s["stage"] for s in dispute["path"]] == ["claim", "remedy", "resolution"]
    assert (dispute["status"], dispute["due"]) == ("settled", [])

    due = add_months(date.fromisoformat(dispute["claimed_time"][:10]), 1).isoformat()
    then = str(dispute["leaf_index"] + 1)
    before = json.loads(
        run(medledger, "disputes", "--ledger", buf, "--as-of", then, "--json", "--lang", "en")
    )["disputes"][0]
    assert (before["status"], before["remedy_due"]) == ("open", due)
    assert [(d["party"], d["people"], d["by"]) for d in before["due"]] == [
        ("management", ["dir-buf"], due)
    ]
    text = run(medledger, "disputes", "--ledger", buf, "--lang", "en", "--as-of", then)
    assert f"Management must remedy the breach by {due}" in text
    assert "No disputes." in run(medledger, "disputes", "--lang", "en")


def test_ballerups_procedure_guideline_is_in_force_and_an_unknown_one_is_refused(
    medledger: CliRunner,
) -> None:
    (guideline,) = json.loads(run(medledger, "guidelines", "--json"))["guidelines"]
    assert (guideline["guideline"], guideline["type"], guideline["status"]) == (
        "tidlig-inddragelse",
        "procedure",
        "in_force",
    )
    assert "gældende" in run(medledger, "guidelines")
    assert "Ingen retningslinjer." in run(medledger, "guidelines", "--as-of", "1")
    refused = run(medledger, "guidelines", "--guideline", "ukendt", code=8)
    assert "error[guideline_not_found]" in refused
    assert "error[body_not_found]" in run(medledger, "disputes", "--body", "ukendt", code=8)
