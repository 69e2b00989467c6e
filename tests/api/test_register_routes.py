"""The guideline register, the dispute path and the organisation findings over HTTP, end to end
(SQLite and PostgreSQL): every step signed by its person through the SDK's HTTP transport,
then read back by those who may, and refused to those who may not.

The test municipality of ``org``: ``direktor`` chairs HovedMED (``hmed``) and decides;
``tr`` is the employees' vice-chair there, ``amr`` their work-environment representative;
``leder`` chairs the LokalMED below (``lmed``); ``udenfor`` sits in no body; ``revisor`` is
an auditor.
"""

from __future__ import annotations

from datetime import UTC, datetime

from demo.organisation import Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import matter_stream
from tests.api.conftest import Api, assert_error
from tests.stories.school import school_structure

MATTER = "skolestruktur"
STREAM = matter_stream(MATTER)


def signed(api: Api, org: Organisation, person: str, payload: ev.Payload) -> int:
    """``person`` signs ``payload`` into the school-structure matter over HTTP; its seq."""
    return int(api.client(org, person).append(STREAM, payload)["seq"])


def opened(api: Api, org: Organisation) -> None:
    signed(api, org, "direktor", school_structure(org.clock))


def test_a_breach_claim_over_http_from_claim_to_arbitration(api: Api, org: Organisation) -> None:
    opened(api, org)
    claim = signed(
        api, org, "tr", ev.BreachClaimed(body="hmed", concerns=1, text="Ikke drøftet i MED.")
    )
    found = api.get(org, "tr", f"/matters/{MATTER}/disputes", lang="en").json()
    (dispute,) = found["disputes"]
    assert (dispute["kind"], dispute["status"], dispute["remedy_due"]) == (
        "breach_claim",
        "open",
        "2026-02-05",
    )
    assert [(d["party"], d["action"], d["by"], d["overdue"]) for d in dispute["due"]] == [
        ("management", "remedy", "2026-02-05", False)
    ]
    assert "Management must remedy the breach by 2026-02-05" in dispute["due"][0]["explanation"]
    late = api.get(org, "tr", "/disputes", now="2026-02-06").json()["disputes"][0]
    assert [d["action"] for d in late["due"]] == ["remedy", "escalate_to_hovedmed"]

    org.clock.advance(days=35)
    for level in ("hovedmed", "central_parties", "arbitration"):
        signed(api, org, "tr", ev.DisputeEscalated(dispute=claim, level=level, reason="Uløst."))
    signed(
        api,
        org,
        "direktor",
        ev.BreachResolved(claim=claim, resolution="reprimand", level="arbitration"),
    )
    settled = api.get(org, "revisor", "/disputes", status="settled").json()
    (dispute,) = settled["disputes"]
    assert [s["stage"] for s in dispute["path"]] == [
        "claim",
        "hovedmed",
        "central_parties",
        "arbitration",
        "resolution",
    ]
    assert (dispute["resolution"], dispute["due"]) == ("reprimand", [])
    assert api.get(org, "revisor", "/disputes", status="open").json()["disputes"] == []
    before = api.get(org, "tr", "/disputes", as_of=str(settled["as_of"] - 1)).json()
    assert before["disputes"][0]["status"] == "open"
    assert before["disputes"][0]["level"] == "arbitration"


def test_disputes_are_read_only_by_who_may_read_the_matter(api: Api, org: Organisation) -> None:
    opened(api, org)
    signed(api, org, "tr", ev.BreachClaimed(body="hmed", concerns=1, text="Ikke drøftet."))
    assert_error(api.get(org, "leder", f"/matters/{MATTER}/disputes"), 403, "read_not_allowed")
    assert_error(api.get(org, "udenfor", "/disputes", matter=MATTER), 403, "read_not_allowed")
    assert api.get(org, "udenfor", "/disputes").json()["disputes"] == []
    assert [d["matter"] for d in api.get(org, "revisor", "/disputes").json()["disputes"]] == [
        MATTER
    ]
    assert_error(api.get(org, "tr", "/disputes", now="igår"), 400, "malformed_as_of")


def test_the_guideline_register_over_http_as_of_before_and_after(
    api: Api, org: Organisation
) -> None:
    signed(
        api,
        org,
        "direktor",
        school_structure(org.clock, category="guideline", influence_level="codetermination"),
    )
    proposal = signed(api, org, "tr", ev.CompromiseProposed(body="hmed", terms="Seniorpolitik."))
    signed(api, org, "direktor", ev.CompromiseAccepted(proposal=proposal, side="management"))
    signed(api, org, "tr", ev.CompromiseAccepted(proposal=proposal, side="employees"))
    before = api.get(org, "tr", "/guidelines").json()
    signed(
        api,
        org,
        "direktor",
        ev.AgreementReached(
            body="hmed",
            compromise=proposal,
            text="Seniorpolitik.",
            guideline=True,
            guideline_type="optional",
            guideline_id="seniorpolitik",
        ),
    )
    org.clock.advance(days=1)
    signed(
        api,
        org,
        "tr",
        ev.GuidelineTerminated(
            guideline="seniorpolitik", body="hmed", effective_from="2026-05-01", reason="Forældet."
        ),
    )

    assert before["guidelines"] == []
    now = api.get(org, "leder", "/guidelines").json()
    (found,) = now["guidelines"]
    assert (found["type"], found["status"], found["in_force"]) == ("optional", "terminating", True)
    assert found["termination"]["notice_given"] == "2026-01-06"
    assert (found["made"]["matter"], found["withheld"]) == (None, ["matter", "seq"])
    assert api.get(org, "tr", "/guidelines").json()["guidelines"][0]["made"]["matter"] == MATTER
    ended = api.get(org, "tr", "/guidelines", on="2026-05-01").json()
    assert (ended["on"], ended["guidelines"][0]["status"]) == ("2026-05-01", "terminated")
    made_only = api.get(org, "tr", "/guidelines", as_of=str(now["as_of"] - 1)).json()
    assert made_only["guidelines"][0]["termination"] is None
    assert_error(api.get(org, "tr", "/guidelines", guideline="ukendt"), 404, "guideline_not_found")
    assert_error(api.get(org, "tr", "/guidelines", on="maj"), 400, "malformed_as_of")


def test_an_organisation_finding_is_read_by_the_body_s_members_and_auditors(
    api: Api, org: Organisation
) -> None:
    """MED-15 (no annual work-environment discussion in HovedMED, which has an AMR) is about
    HovedMED as a whole: its members and the auditors read it, nobody else."""
    opened(api, org)
    org.clock.now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    org.person("nyansat", "Nyansat medarbejder")

    def med15(person: str) -> list[tuple[str, str]]:
        found = api.get(org, person, "/findings", rule="MED-15").json()["findings"]
        return [(f["matter"], f["body"]) for f in found]

    assert med15("amr") == med15("direktor") == med15("revisor") == [("", "hmed")]
    assert med15("leder") == med15("udenfor") == []
