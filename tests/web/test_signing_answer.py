"""The answer before signing (``…/ord``): the payload, its words and its dry run, or the
error as the API gives it (no browser; both backends)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.web.browserless import Browserless, Site, site_fixture  # noqa: F401 (the ``site`` fixture)


def ask(person: Browserless, path: str, form: dict[str, str]) -> httpx.Response:
    answer: httpx.Response = person.http.post(
        f"/l/{person.ledger}{path}", data={"csrf": person.csrf, **form}
    )
    return answer


def hearing_response(person: Browserless) -> int:
    """The sequence number of the hearing response, as the matter page shows it."""
    page = person.http.get(f"/l/{person.ledger}/sager/aaben").text
    marker = 'data-type="HearingResponseSubmitted"'
    before = page[: page.index(marker)]
    return int(before[before.rindex('id="seq-') + 8 :].split('"')[0])


def test_a_decision_with_an_input_untreated_is_refused_with_a_stable_code(site: Site) -> None:
    direktor = site.person("direktor")
    response = hearing_response(direktor)
    base = {"outcome": "Ja.", "rationale": "Fordi.", "management_prerogative": "yes"}
    refused = ask(direktor, "/sager/aaben/handling/decision/ord", base)
    assert refused.status_code == 400
    error: dict[str, Any] = refused.json()["error"]
    assert error["code"] == "decision_input_untreated"
    assert error["inputs"] == [response]
    treated = base | {f"treatment-{response}": "not_adopted", f"reason-{response}": "Nej."}
    answer = ask(direktor, "/sager/aaben/handling/decision/ord", treated)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["type"] == "DecisionMade" and found["stream"] == "matter/aaben"
    assert found["payload"]["inputs"] == [
        {"event": response, "treatment": "not_adopted", "reason": "Nej."}
    ]
    assert found["words"].startswith("Du underskriver: Beslutningen i sagen")
    dry_run = found["dry_run"]
    assert dry_run["admitted"] is True
    # Decided with no discussion in HovedMED, only material and a hearing: MED-01.
    raised = {line["rule"]: line for line in dry_run["raised"]}
    assert raised["MED-01"]["text"].startswith("Beslutningen vil udløse MED-01:")
    assert raised["MED-01"]["link"] == f"/l/{direktor.ledger}/regler#MED-01"


def test_a_refused_event_comes_with_its_refusal_code_and_nothing_is_signed(site: Site) -> None:
    tr = site.person("tr")
    answer = ask(tr, "/sager/aaben/handling/close/ord", {"reason": "Færdig."})
    assert answer.status_code == 200
    dry_run = answer.json()["dry_run"]
    assert dry_run["admitted"] is False
    assert dry_run["refusal"]["code"] == "signer_not_decision_maker"
    assert "Kun sagens beslutningstager" in dry_run["text"]


def test_opening_a_matter_asks_for_a_good_new_id(site: Site) -> None:
    direktor = site.person("direktor")
    form = {
        "title": "Ny sag",
        "description": "Om noget.",
        "category": "budget",
        "responsible_body": "hmed",
        "influence_level": "discussion",
        "decision_maker": "direktor",
        "planned_decision_date": "2030-01-15",
    }
    bad = ask(direktor, "/ny-sag/ord", form | {"matter": "Ikke Et Id"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "malformed_request"
    taken = ask(direktor, "/ny-sag/ord", form | {"matter": "aaben"})
    assert taken.json()["dry_run"]["refusal"]["code"] == "already_recorded"
    fresh = ask(direktor, "/ny-sag/ord", form | {"matter": "ny-sag-2030"})
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["stream"] == "matter/ny-sag-2030"
    assert fresh.json()["dry_run"]["admitted"] is True
    forged = direktor.http.post(
        f"/l/{direktor.ledger}/ny-sag/ord", data={"csrf": "0" * 64, "matter": "x", **form}
    )
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed"


def test_an_admins_form_shows_its_dry_run_too(site: Site) -> None:
    admin = site.person("admin")
    key_id = site.org.keys["tr"].key_id
    form = {"person": "tr", "key_id": key_id, "reason": "Mistet telefon."}
    answer = ask(admin, "/admin/handling/revoke/ord", form)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["type"] == "KeyRevoked" and found["dry_run"]["admitted"] is True
    wrong = ask(admin, "/admin/handling/revoke/ord", form | {"key_id": "0" * 16})
    assert wrong.json()["dry_run"]["admitted"] is False


def test_a_second_decision_that_treats_a_forgotten_input_closes_its_finding(site: Site) -> None:
    direktor = site.person("direktor")
    page = direktor.http.get(f"/l/{direktor.ledger}/sager/hemmelig/handling/decision").text
    required = [
        int(part.split('"')[0])
        for part in page.split('data-seq="')[1:]
        if 'data-required="yes"' in part.split(">")[0]
    ]
    assert required, "the proposal and the disagreement were never treated"
    form = {"outcome": "Igen.", "rationale": "Nu med alt.", "management_prerogative": "yes"}
    for seq in required:
        form |= {f"treatment-{seq}": "partly_adopted", f"reason-{seq}": "Delvist."}
    answer = ask(direktor, "/sager/hemmelig/handling/decision/ord", form)
    assert answer.status_code == 200, answer.text
    closed = {line["rule"]: line for line in answer.json()["dry_run"]["closed"]}
    assert closed["MED-05"]["text"].startswith("Beslutningen vil lukke MED-05:")
