"""The read models over HTTP: timeline, dossier, findings, involvement, receipts and
statistics, live and as of a past point, paged, filtered, and only for those who may.

The director consults HovedMED on the school structure; the union
representative disagrees and states a position; the director decides
without answering the disagreement (MED-04).  Then each reads what is theirs.
"""

from __future__ import annotations

import pytest

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.api.conftest import Api
from tests.stories.evidence import trust_of
from tests.stories.http import decision, open_school_matter, position
from verifier.bundle import verify_bundle

MATTER = "skolestruktur"


@pytest.fixture
def decided(org: Organisation) -> Organisation:
    open_school_matter(org)
    org.clock.advance(days=2)
    org.act("tr", MATTER, ev.DisagreementRecorded(body="hmed", points=["For kort tid til høring."]))
    org.act("tr", MATTER, position("employees", "Vi foreslår en senere sammenlægning."))
    org.clock.advance(days=20)
    org.act(
        "direktor",
        MATTER,
        decision(
            "Skolerne lægges sammen.", "Elevtallet falder.", 4, "not_adopted", "Tidsplanen holder."
        ),
    )
    return org


def test_the_timeline_shows_each_event_with_who_and_where(api: Api, decided: Organisation) -> None:
    found = api.get(decided, "tr", f"/matters/{MATTER}/timeline", lang="en").json()
    assert found["matter"]["title"] == "Ny skolestruktur"
    assert [e["event_type"] for e in found["entries"]] == [
        "MatterOpened",
        "ConsultationOpened",
        "DisagreementRecorded",
        "PositionStated",
        "DecisionMade",
    ]
    disagreement = found["entries"][2]
    assert (disagreement["actor"], disagreement["body"], disagreement["side"]) == (
        "tr",
        "hmed",
        "employees",
    )
    assert found["as_of_asked"] is None
    assert found["behind"] == 0


def test_the_timeline_pages_and_filters(api: Api, decided: Organisation) -> None:
    first = api.get(decided, "tr", f"/matters/{MATTER}/timeline", limit=2).json()
    assert [e["seq"] for e in first["entries"]] == [1, 2]
    assert first["next_after_seq"] == 2
    rest = api.get(decided, "tr", f"/matters/{MATTER}/timeline", after_seq=2).json()
    assert [e["seq"] for e in rest["entries"]] == [3, 4, 5]
    assert rest["next_after_seq"] is None
    by_tr = api.get(decided, "tr", f"/matters/{MATTER}/timeline", actor="tr").json()
    assert {e["actor"] for e in by_tr["entries"]} == {"tr"}
    decisions = api.get(
        decided, "tr", f"/matters/{MATTER}/timeline", event_type="DecisionMade"
    ).json()
    assert [e["seq"] for e in decisions["entries"]] == [5]


def test_the_timeline_as_of_a_past_tree_size_is_what_it_was(
    api: Api, decided: Organisation
) -> None:
    before = decided.service.tree_size(decided.origin) - 1
    found = api.get(decided, "tr", f"/matters/{MATTER}/timeline", as_of=str(before)).json()
    assert found["as_of"] == before
    assert found["as_of_asked"] == str(before)
    assert "DecisionMade" not in [e["event_type"] for e in found["entries"]]
    bad = api.get(decided, "tr", f"/matters/{MATTER}/timeline", as_of="last tuesday")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "malformed_as_of")
    late = api.get(decided, "tr", f"/matters/{MATTER}/timeline", as_of="999999")
    assert (late.status_code, late.json()["error"]["code"]) == (400, "as_of_out_of_range")


def test_the_dossier_shows_the_decision_and_who_shares_responsibility(
    api: Api, decided: Organisation
) -> None:
    found = api.get(decided, "revisor", f"/matters/{MATTER}/dossier").json()
    assert found["document"]["decisions"]
    parts = {row["person"]: row["part"] for row in found["co_responsibility"]}
    assert parts["direktor"] == "decided"
    assert "tr" in parts


def test_findings_name_the_rule_and_are_filtered_by_what_the_reader_may_read(
    api: Api, decided: Organisation
) -> None:
    found = api.get(decided, "tr", "/findings", lang="en").json()
    rules = {f["rule"] for f in found["findings"]}
    assert "MED-04" in rules
    assert found["total"] == len(found["findings"])
    only = api.get(decided, "tr", "/findings", rule="MED-04").json()
    assert {f["rule"] for f in only["findings"]} == {"MED-04"}
    assert api.get(decided, "tr-lokal", "/findings").json()["findings"] == []
    refused = api.get(decided, "tr-lokal", "/findings", matter=MATTER)
    assert refused.status_code == 403
    paged = api.get(decided, "revisor", "/findings", limit=1).json()
    assert len(paged["findings"]) == 1
    assert paged["next_offset"] == (1 if paged["total"] > 1 else None)


def test_involvement_is_the_persons_own_and_the_auditors(api: Api, decided: Organisation) -> None:
    own = api.get(decided, "tr", "/people/tr/involvement").json()
    assert [m["matter"] for m in own["matters"]] == [MATTER]
    kinds = {item["kind"] for item in own["matters"][0]["items"]}
    assert kinds
    assert api.get(decided, "revisor", "/people/tr/involvement").status_code == 200
    refused = api.get(decided, "tr", "/people/direktor/involvement")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "read_not_allowed")
    unknown = api.get(decided, "revisor", "/people/nobody/involvement")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "person_not_found")


def test_a_receipt_comes_as_json_as_a_page_and_as_a_bundle(api: Api, decided: Organisation) -> None:
    base = f"/people/tr/receipts/{MATTER}"
    found = api.get(decided, "tr", base).json()
    assert found["person"] == "tr"
    assert found["leaf_indexes"]
    page = api.get(decided, "tr", f"{base}/page", lang="en")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/plain")
    assert "tr" in page.text
    bundle = api.get(decided, "tr", f"{base}/bundle").json()
    report = verify_bundle(bundle, trust_of(decided.service, decided.origin))
    assert {e.leaf_index for e in report.entries} >= set(found["leaf_indexes"])
    assert api.get(decided, "amr", base).status_code == 403


def test_a_person_gets_a_receipt_of_not_being_consulted(api: Api, decided: Organisation) -> None:
    found = api.get(decided, "tr-lokal", f"/people/tr-lokal/receipts/{MATTER}").json()
    assert found["verdict"]
    assert api.get(decided, "tr-lokal", f"/matters/{MATTER}/timeline").status_code == 403


def test_body_statistics_are_for_the_bodys_members_and_auditors(
    api: Api, decided: Organisation
) -> None:
    found = api.get(decided, "tr", "/bodies/hmed/statistics").json()
    assert found["body_name"] == "HovedMED"
    assert sum(year["matters"] for year in found["years"]) == 1
    assert api.get(decided, "revisor", "/bodies/hmed/statistics").status_code == 200
    refused = api.get(decided, "tr-lokal", "/bodies/hmed/statistics")
    assert refused.status_code == 403


def test_the_matter_list_shows_only_readable_matters(api: Api, decided: Organisation) -> None:
    mine = api.get(decided, "tr", "/matters").json()
    assert [m["matter"] for m in mine["matters"]] == [MATTER]
    assert api.get(decided, "tr-lokal", "/matters").json()["matters"] == []
    assert api.get(decided, "revisor", "/matters", body="lmed").json()["total"] == 0
