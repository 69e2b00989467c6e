"""The administration page's directory of names: an admin corrects a person's name and
address, then erases them when the person asks to be forgotten, after confirming it once
more (it cannot be undone); nobody else may (no browser; both backends)."""

from __future__ import annotations

from tests.web.browserless import Browserless, Site, site_fixture  # noqa: F401 (``site``)


def names(site: Site) -> dict[str, str]:
    return site.org.service.directory_names(site.org.origin)


def send(sender: Browserless, **fields: str) -> tuple[int, str]:
    """Submit the directory form as ``sender``; the answer's status and where it leads."""
    answer = sender.http.post(
        f"/l/{sender.ledger}/admin/navne", data={"csrf": sender.csrf, **fields}
    )
    return answer.status_code, answer.headers.get("location", "")


def test_an_admin_corrects_a_name_and_then_erases_it(site: Site) -> None:
    admin = site.person("admin")
    saved = send(admin, person="tr", name="Tage Rasmussen", email="tage@example.dk")
    assert saved == (303, f"/l/{admin.ledger}/admin?gemt=tr#directory-h")
    assert names(site)["tr"] == "Tage Rasmussen"
    asked = admin.http.post(
        f"/l/{admin.ledger}/admin/navne",
        data={"csrf": admin.csrf, "person": "tr", "name": "", "email": "", "erase": "1"},
    )
    assert asked.status_code == 200
    assert "Slet navn og e-mail for tr?" in asked.text
    assert "Tage Rasmussen" in asked.text and 'name="confirmed"' in asked.text
    assert names(site)["tr"] == "Tage Rasmussen"
    erased = send(admin, person="tr", erase="1", confirmed="1")
    assert erased == (303, f"/l/{admin.ledger}/admin?slettet=tr#directory-h")
    assert "tr" not in names(site)
    page = admin.http.get(erased[1]).text
    assert "Navn og e-mail for tr er slettet." in page


def test_only_an_admin_erases_and_only_someone_enrolled(site: Site) -> None:
    before = names(site)
    member = site.person("tr")
    for confirmed in ("", "1"):
        assert send(member, person="direktor", erase="1", confirmed=confirmed)[0] == 403
        admin = site.person("admin")
        assert send(admin, person="nobody", erase="1", confirmed=confirmed)[0] == 422
        forged = send(admin, person="direktor", erase="1", confirmed=confirmed, csrf="forged")
        assert forged[0] == 403
    assert names(site) == before
