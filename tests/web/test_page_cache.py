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
