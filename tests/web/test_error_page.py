"""The error page: under the logged-in reader's header, as every other page, and without
anything of anyone's for a visitor who is not logged in (no browser; both backends)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.browserless import Site, site_fixture  # noqa: F401 (the ``site`` fixture)


def test_a_logged_in_reader_sees_their_header_on_an_error_page(site: Site) -> None:
    reader = site.person("direktor")
    led = reader.ledger
    page = reader.http.get(f"/l/{led}/sager/no-such-matter")
    assert page.status_code == 404
    assert "unknown_stream" in page.text
    assert '<nav aria-label="Hovedmenu" class="main-nav">' in page.text, page.text
    assert f'<a href="/l/{led}/sager">' in page.text
    assert f'<form method="post" action="/l/{led}/logout" class="logout">' in page.text
    assert "Logget ind som Direktor" in page.text
    assert page.text.count('<main id="main"') == 1 and 'class="skip-link"' in page.text
    refused = reader.http.get(f"/l/{led}/overblik/lmed")
    assert refused.status_code == 403 and "Logget ind som Direktor" in refused.text
    # An address of the ledger that no page answers: the same header.
    mistyped = reader.http.get(f"/l/{led}/sagr", headers={"Accept": "text/html"})
    assert mistyped.status_code == 404 and "unknown_route" in mistyped.text
    assert "Logget ind som Direktor" in mistyped.text


def test_a_visitor_sees_no_ones_header_on_an_error_page(site: Site) -> None:
    led = site.person("direktor").ledger
    visitor = TestClient(site.app, raise_server_exceptions=False, follow_redirects=False)
    for path in (
        f"/l/{led}/beskeder/afmeld?t=forged",
        "/l/nowhere/beskeder/afmeld?t=x",
        f"/l/{led}/sagr",
    ):
        page = visitor.get(path, headers={"Accept": "text/html"})
        assert page.status_code in (400, 403, 404), (path, page.status_code)
        assert "Fejlkode:" in page.text
        assert 'class="main-nav"' not in page.text and "/logout" not in page.text, path
        assert "Logget ind som" not in page.text and "Direktor" not in page.text, path
        assert "Sidekommune" not in page.text, path


def test_a_page_asked_without_a_field_it_needs_is_an_error_page(site: Site) -> None:
    """The receipt chosen from a list with no matter chosen, or a matter id that is not one:
    the error page under the reader's header, not the API's JSON."""
    reader = site.person("direktor")
    led = reader.ledger
    for query in ("", "?matter=Ikke+et+id"):
        page = reader.http.get(f"/l/{led}/kvittering{query}", headers={"Accept": "text/html"})
        assert page.status_code == 400, (query, page.text)
        assert page.headers["content-type"].startswith("text/html")
        assert "malformed_request" in page.text
        assert "Siden kan ikke bruge forespørgslen" in page.text
        assert "Logget ind som Direktor" in page.text
        # A page's script (it asks for no page) gets the API's error, as before.
        script = reader.http.get(f"/l/{led}/kvittering{query}")
        assert script.status_code == 400
        assert script.json()["error"]["code"] == "malformed_request"
    chosen = reader.http.get(f"/l/{led}/kvittering?matter=hemmelig")
    assert chosen.status_code == 303 and chosen.headers["location"].endswith("/hemmelig")


def test_the_receipt_names_events_and_bodies_in_the_readers_words(site: Site) -> None:
    reader = site.person("tr")
    page = reader.http.get(f"/l/{reader.ledger}/kvittering/hemmelig")
    assert page.status_code == 200, page.text
    assert "<td>Holdning fremsat (HovedMED)</td>" in page.text
    assert "PositionStated" not in page.text and "(hmed)" not in page.text
