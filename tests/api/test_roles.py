"""Who reads what: members read the matters of their bodies, auditors everything,
admins the registry's directory, and nobody another ledger (see test_auth.py).

The municipality has a HovedMED matter (school structure) and a LokalMED
matter (the school's work environment).  Each role asks for each.
"""

from __future__ import annotations

import pytest

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.api.conftest import Api, assert_error
from tests.stories.evidence import trust_of
from tests.stories.http import open_school_matter, position
from tests.stories.school import school_structure
from verifier.bundle import verify_bundle

SCHOOL = "matter/skolestruktur"
LOCAL = "matter/stoj"


@pytest.fixture
def matters(org: Organisation) -> Organisation:
    open_school_matter(org)
    org.act("tr", "skolestruktur", position("employees"))
    org.act(
        "leder",
        "stoj",
        school_structure(
            org.clock,
            title="Støj i indskolingen",
            category="work_environment",
            responsible_body="lmed",
            decision_maker="leder",
        ),
    )
    return org


def events_status(api: Api, org: Organisation, person: str, stream: str) -> tuple[int, str | None]:
    response = api.get(org, person, f"/streams/{stream}/events")
    code = None if response.status_code == 200 else response.json()["error"]["code"]
    return response.status_code, code


@pytest.mark.parametrize(
    ("person", "stream", "expected"),
    [
        ("tr", SCHOOL, (200, None)),  # member of HovedMED, the responsible body
        ("sekretaer", SCHOOL, (200, None)),
        ("tr-lokal", SCHOOL, (403, "read_not_allowed")),  # LokalMED only: not involved
        ("tr-lokal", LOCAL, (200, None)),
        ("tr", LOCAL, (403, "read_not_allowed")),
        ("revisor", SCHOOL, (200, None)),  # the auditor reads everything
        ("revisor", LOCAL, (200, None)),
        ("admin", SCHOOL, (403, "read_not_allowed")),  # admins manage the registry, not matters
        ("udenfor", SCHOOL, (403, "read_not_allowed")),
        ("udenfor", "registry", (200, None)),  # ids and public keys: what verifying needs
        ("revisor", "matter/findes-ikke", (404, "unknown_stream")),
    ],
)
def test_each_role_reads_what_it_may(
    api: Api, matters: Organisation, person: str, stream: str, expected: tuple[int, str | None]
) -> None:
    assert events_status(api, matters, person, stream) == expected


def test_a_body_brought_into_a_matter_may_read_it(api: Api, matters: Organisation) -> None:
    assert events_status(api, matters, "tr-lokal", SCHOOL)[0] == 403
    matters.act(
        "direktor",
        "skolestruktur",
        ev.MaterialShared(documents=[ev.Document(title="Notat", sha256="a" * 64)], bodies=["lmed"]),
    )
    assert events_status(api, matters, "tr-lokal", SCHOOL) == (200, None)


def test_a_proposal_into_another_bodys_matter_does_not_let_that_body_read_it(
    api: Api, matters: Organisation
) -> None:
    """A body speaks on a matter by its own proposal; only the management side brings it in."""
    matters.act(
        "tr-lokal",
        "skolestruktur",
        ev.ProposalSubmitted(body="lmed", title="Vores forslag", text="Behold begge skoler."),
    )
    assert events_status(api, matters, "tr-lokal", SCHOOL) == (403, "read_not_allowed")
    assert events_status(api, matters, "leder", SCHOOL) == (403, "read_not_allowed")
    timeline = api.get(matters, "tr-lokal", "/matters/skolestruktur/timeline")
    assert_error(timeline, 403, "read_not_allowed")
    listed = api.get(matters, "tr-lokal", "/matters").json()["matters"]
    assert [m["matter"] for m in listed] == ["stoj"]
    assert api.get(matters, "tr-lokal", "/me").json()["readable_matters"] == ["stoj"]


def test_a_receipt_of_a_matter_one_may_not_read_shows_its_routing_only(
    api: Api, matters: Organisation
) -> None:
    """Not consulted on HovedMED's matter, the LokalMED's representative may prove it, and
    learns from the receipt the matter's events' types, times and bodies, not its text."""
    base = "/people/tr-lokal/receipts/skolestruktur"
    found = api.get(matters, "tr-lokal", base)
    assert found.status_code == 200
    receipt = found.json()
    assert (receipt["title"], receipt["disclosure"], receipt["withheld"]) == (
        None,
        "routing",
        ["title"],
    )
    assert receipt["verdict"] == "not_a_member"
    items = [(i["seq"], i["event_type"], i["addressed"]) for i in receipt["items"]]
    assert items == [
        (1, "MatterOpened", []),
        (2, "ConsultationOpened", ["hmed"]),
        (3, "PositionStated", []),
    ]
    page = api.get(matters, "tr-lokal", f"{base}/page", lang="en").text
    assert "title withheld" in page
    for text in (found.text, page):
        assert "Ny skolestruktur" not in text and "Vi har bemærkninger" not in text
    bundle = api.get(matters, "tr-lokal", f"{base}/bundle")
    assert bundle.status_code == 200
    assert "Ny skolestruktur" not in bundle.text and "Vi har bemærkninger" not in bundle.text
    report = verify_bundle(bundle.json(), trust_of(matters.service, matters.origin))
    assert report.subject["verdict"] == "not_a_member"
    own = api.get(matters, "tr", "/people/tr/receipts/skolestruktur").json()
    assert (own["title"], own["disclosure"], own["withheld"]) == ("Ny skolestruktur", "full", [])


def test_who_left_the_body_no_longer_reads_its_matters_but_keeps_their_own_record(
    api: Api, matters: Organisation
) -> None:
    """Reading follows the seat: after leaving HovedMED the representative reads neither its
    old matters nor new ones, though they signed in them; their own involvement and
    receipts stay theirs, with the matter's title withheld."""
    matters.registry(ev.MemberLeft(body="hmed", person="tr"))
    assert events_status(api, matters, "tr", SCHOOL) == (403, "read_not_allowed")
    assert events_status(api, matters, "amr", SCHOOL) == (200, None)
    involvement = api.get(matters, "tr", "/people/tr/involvement").json()["matters"]
    assert [(m["matter"], m["title"], m["withheld"]) for m in involvement] == [
        ("skolestruktur", None, ["title"])
    ]
    receipt = api.get(matters, "tr", "/people/tr/receipts/skolestruktur").json()
    assert (receipt["verdict"], receipt["disclosure"]) == ("involved", "routing")
    auditor = api.get(matters, "revisor", "/people/tr/involvement").json()["matters"]
    assert auditor[0]["title"] == "Ny skolestruktur"


def test_anyone_in_the_ledger_reads_any_head(api: Api, matters: Organisation) -> None:
    head = api.get(matters, "tr-lokal", f"/streams/{SCHOOL}/head").json()
    assert head["seq"] == 3
    assert head["next_seq"] == 4
    logged = matters.service.head(matters.origin, SCHOOL)
    assert logged is not None
    assert head["prev"] == logged.hash
    empty = api.get(matters, "tr-lokal", "/streams/matter/ny-sag/head").json()
    assert (empty["seq"], empty["next_seq"], empty["time"]) == (0, 1, None)


def test_the_stream_list_shows_only_what_the_reader_may_read(
    api: Api, matters: Organisation
) -> None:
    def streams(person: str) -> list[str]:
        return [s["stream"] for s in api.get(matters, person, "/streams").json()["streams"]]

    assert streams("tr") == [SCHOOL, "registry"]
    assert streams("tr-lokal") == [LOCAL, "registry"]
    assert streams("revisor") == [SCHOOL, LOCAL, "registry"]
    assert streams("admin") == ["registry"]
    me = api.get(matters, "tr-lokal", "/me").json()
    assert me["readable_matters"] == ["stoj"]
    assert me["memberships"] == [
        {"body": "lmed", "side": "employees", "roles": ["tr", "vice_chair"]}
    ]


def test_admins_and_auditors_read_the_directory_members_do_not(
    api: Api, matters: Organisation
) -> None:
    names = {
        e["person"]: e["name"] for e in api.get(matters, "admin", "/directory").json()["entries"]
    }
    assert names["tr"] == "Tage Tillidsrepræsentant"
    assert api.get(matters, "revisor", "/directory").status_code == 200
    response = api.get(matters, "tr", "/directory")
    assert_error(response, 403, "read_not_allowed")


def test_only_an_admin_sets_a_directory_entry(api: Api, matters: Organisation) -> None:
    path = f"/v1/ledgers/{matters.origin.rsplit('/', 1)[-1]}/directory/tr"
    body = {"name": "Tage T. Rasmussen", "email": "tage@example.dk"}
    refused = api.http.put(path, json=body, headers=api.headers(matters, "tr"))
    assert_error(refused, 403, "admin_required")
    done = api.http.put(path, json=body, headers=api.headers(matters, "admin"))
    assert done.status_code == 200
    assert matters.service.store.directory_names(matters.origin)["tr"] == "Tage T. Rasmussen"
    unknown = api.http.put(path[:-2] + "nobody", json=body, headers=api.headers(matters, "admin"))
    assert_error(unknown, 422, "unknown_person")


def test_only_an_admin_erases_a_directory_entry(api: Api, matters: Organisation) -> None:
    path = f"/v1/ledgers/{matters.origin.rsplit('/', 1)[-1]}/directory/tr"
    refused = api.http.delete(path, headers=api.headers(matters, "tr"))
    assert_error(refused, 403, "admin_required")
    assert matters.service.directory_names(matters.origin)["tr"] == "Tage Tillidsrepræsentant"
    done = api.http.delete(path, headers=api.headers(matters, "admin"))
    assert (done.status_code, done.json()) == (200, {"person": "tr", "name": None})
    assert "tr" not in matters.service.directory_names(matters.origin)
    listed = api.get(matters, "admin", "/directory").json()["entries"]
    assert {"person": "tr", "name": None} in listed
    unknown = api.http.delete(path[:-2] + "nobody", headers=api.headers(matters, "admin"))
    assert_error(unknown, 422, "unknown_person")
