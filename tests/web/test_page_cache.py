"""A page remembers the read models it rendered only as long as the log and the directory
stand still: a new event or a changed name shows at once (no browser; both backends)."""

from __future__ import annotations

from demo.organisation import Organisation
from ledger.domain import events as ev
from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)


def test_a_matter_page_shows_what_was_signed_and_named_since_it_was_last_shown(
    site: Site,
) -> None:
    reader = site.person("tr")
    page = f"/l/{reader.ledger}/sager/aaben"
    assert "XQ7NEW" not in reader.http.get(page).text
    org: Organisation = site.org
    org.act(
        "tr",
        "aaben",
        ev.PositionStated(body="hmed", side="employees", stance="oppose", text="XQ7NEW position"),
    )
    assert "XQ7NEW position" in reader.http.get(page).text
    org.service.set_directory(org.origin, "tr", "Tove Omdøbt", None)
    assert "Tove Omdøbt" in reader.http.get(page).text


def _audit_findings(site: Site) -> tuple[int, int]:
    """(findings the audit page lists, findings the API gives the same auditor)."""
    auditor = site.person("revisor")
    page = auditor.http.get(f"/l/{auditor.ledger}/revision")
    assert page.status_code == 200
    listed = page.text.count('<span class="muted">Grundlag: ')
    token = auditor.http.cookies.get("medledger_session") or ""
    api = auditor.http.get(
        f"/v1/ledgers/{auditor.ledger}/findings",
        params={"limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 200, api.text
    return listed, len(api.json()["findings"])


def test_the_audit_page_remembers_its_findings_only_until_the_log_moves(site: Site) -> None:
    before = _audit_findings(site)
    assert before[0] == before[1]
    org: Organisation = site.org
    org.act(
        "direktor",
        "aaben",
        ev.DecisionMade(outcome="Vi gør det.", rationale="Straks.", inputs=[]),
    )
    after = _audit_findings(site)
    assert after[0] == after[1] > before[1]
