"""The form that opens a matter: only for the management side, and it names only whom it
may offer as decision maker, never the whole directory (no browser; both backends)."""

from __future__ import annotations

from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)


def test_the_open_form_is_for_the_management_side_and_shows_no_directory(site: Site) -> None:
    site.org.service.set_directory(site.org.origin, "revisor", "Rikke Revisor", None)
    site.org.service.set_directory(site.org.origin, "direktor", "Dorte Direktør", None)
    representative = site.person("tr-anden")
    refused = representative.http.get(f"/l/{representative.ledger}/ny-sag")
    assert refused.status_code == 403
    assert "read_not_allowed" in refused.text
    assert "Rikke Revisor" not in refused.text
    manager = site.person("direktor")
    form = manager.http.get(f"/l/{manager.ledger}/ny-sag")
    assert form.status_code == 200
    assert "Dorte Direktør" in form.text  # a decision maker on offer
    assert "Rikke Revisor" not in form.text  # an auditor, no seat: not in the list
    assert 'value="tr-anden"' not in form.text  # employee side: not a decision maker
