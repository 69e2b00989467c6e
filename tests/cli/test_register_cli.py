"""The guideline register and the dispute path through the ``medledger`` command, end to end.

A secretariat sets up Testby (HovedMED: the director chairs for management, the
union rep is the employees' vice-chair).  The union rep claims in writing that a
matter was not discussed; ``medledger disputes`` shows that management must remedy it
within a month; the director reopens the decision and the claim moves on.  Both sides
agree a guideline, the union rep gives notice to end it, and ``medledger guidelines``
shows the register now and as of before the notice.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.domain.guidelines import add_months
from tests.stories.cli import medledger

ORIGIN = "ledger.example/testby"


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def append(data: Path, person: str, event_type: str, payload: dict[str, Any]) -> int:
    """``person`` signs ``payload`` into matter ``skoler`` with ``medledger append``; its seq."""
    made = ok(
        medledger(
            f"append matter/skoler {event_type} --as keys/{person}.key --payload",
            json.dumps(payload),
            data=data,
        )
    )
    return int(json.loads(made)["seq"])


def read(data: Path, command: str) -> Any:
    return json.loads(ok(medledger(f"{command} --json", data=data)))


@pytest.fixture(scope="module")
def testby(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Testby's data folder with HovedMED, its two members and the matter ``skoler``."""
    folder = tmp_path_factory.mktemp("secretariat")
    data = folder / "data"
    ok(medledger(f"init --origin {ORIGIN} --name 'Testby Kommune' --keys-dir keys", data=data))
    for person in ("direktor", "tr"):
        ok(medledger(f"keygen {person} --out keys/{person}.key", data=data))
        ok(
            medledger(
                f"enroll {person} --as keys/admin.key --key-file keys/{person}.key", data=data
            )
        )
    ok(medledger("body add hmed --as keys/admin.key --name HovedMED --kind hovedmed", data=data))
    ok(
        medledger(
            "member add hmed direktor --as keys/admin.key --side management --role chair", data=data
        )
    )
    ok(
        medledger(
            "member add hmed tr --as keys/admin.key --side employees --role vice_chair --role tr",
            data=data,
        )
    )
    append(
        data,
        "direktor",
        "MatterOpened",
        {
            "title": "Retningslinjer og skolestruktur",
            "description": "To skoler lægges sammen.",
            "category": "guideline",
            "responsible_body": "hmed",
            "influence_level": "codetermination",
            "decision_maker": "direktor",
            "planned_decision_date": (datetime.now(UTC).date() + timedelta(days=60)).isoformat(),
        },
    )
    return data


def test_a_breach_claim_and_its_path_through_the_cli(testby: Path) -> None:
    claim = append(
        testby, "tr", "BreachClaimed", {"body": "hmed", "concerns": 1, "text": "Ej drøftet."}
    )
    due = add_months(datetime.now(UTC).date(), 1).isoformat()

    (dispute,) = read(testby, "disputes --lang en")["disputes"]
    assert (dispute["seq"], dispute["kind"], dispute["status"], dispute["remedy_due"]) == (
        claim,
        "breach_claim",
        "open",
        due,
    )
    assert [(d["party"], d["people"], d["by"]) for d in dispute["due"]] == [
        ("management", ["direktor"], due)
    ]
    text = ok(medledger("disputes --lang en", data=testby))
    assert f"Management must remedy the breach by {due}" in text
    overdue = read(testby, f"disputes --now {add_months(datetime.now(UTC).date(), 2)}")
    assert [d["action"] for d in overdue["disputes"][0]["due"]] == [
        "remedy",
        "escalate_to_hovedmed",
    ]

    append(
        testby,
        "direktor",
        "BreachRemedied",
        {"claim": claim, "remedy": "decision_reopened", "text": "Genoptaget."},
    )
    append(
        testby,
        "tr",
        "DisputeEscalated",
        {"dispute": claim, "level": "hovedmed", "reason": "Uenige."},
    )
    (dispute,) = read(testby, "disputes --matter skoler")["disputes"]
    assert [s["stage"] for s in dispute["path"]] == ["claim", "remedy", "hovedmed"]
    assert [(d["party"], d["people"]) for d in dispute["due"]] == [("hovedmed", ["direktor"])]
    assert "Ingen tvister." in ok(medledger("disputes --body hmed --as-of 7", data=testby))


def test_the_guideline_register_through_the_cli_now_and_as_of_before_the_notice(
    testby: Path,
) -> None:
    proposal = append(
        testby, "tr", "CompromiseProposed", {"body": "hmed", "terms": "Seniorpolitik."}
    )
    for person, side in (("direktor", "management"), ("tr", "employees")):
        append(testby, person, "CompromiseAccepted", {"proposal": proposal, "side": side})
    append(
        testby,
        "direktor",
        "AgreementReached",
        {
            "body": "hmed",
            "compromise": proposal,
            "text": "Seniorpolitik.",
            "guideline": True,
            "guideline_type": "optional",
            "guideline_id": "seniorpolitik",
        },
    )
    before_notice = read(testby, "disputes")["as_of"]
    ends = add_months(datetime.now(UTC).date(), 4).isoformat()
    append(
        testby,
        "tr",
        "GuidelineTerminated",
        {
            "guideline": "seniorpolitik",
            "body": "hmed",
            "effective_from": ends,
            "reason": "Forældet.",
        },
    )

    (found,) = read(testby, "guidelines")["guidelines"]
    assert (found["type"], found["status"], found["termination"]["effective_from"]) == (
        "optional",
        "terminating",
        ends,
    )
    assert found["made"]["matter"] == "skoler"
    earlier = read(testby, f"guidelines --as-of {before_notice}")["guidelines"]
    assert (earlier[0]["status"], earlier[0]["termination"]) == ("in_force", None)
    assert read(testby, f"guidelines --on {ends}")["guidelines"][0]["status"] == "terminated"
    text = ok(medledger("guidelines --lang en", data=testby))
    assert "seniorpolitik" in text and "under notice" in text
    unknown = medledger("guidelines --guideline ukendt", data=testby)
    assert unknown.returncode == 8
    assert "error[guideline_not_found]" in unknown.stderr
