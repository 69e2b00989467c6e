"""What a read costs and when it is answered from cache: statement counts, ETags and 304.

A read-model answer must cost a number of database statements that does
not grow with the matter it shows, and a repeated read at the same point
of the log is answered from the cache (or with 304 to a client that holds
it) without a single read-model query.  A reader who may not read a
resource is refused exactly as before, whatever ETag they send.
"""

from __future__ import annotations

from typing import Any

from demo.organisation import Organisation
from ledger.storage.store import Store
from tests.api.conftest import Api, assert_error
from tests.stories.databases import sent
from tests.stories.http import open_school_matter, position


def reading(statements: list[str], table: str) -> int:
    """How many of ``statements`` name ``table``."""
    return sum(1 for text in statements if table in text)


def _forget_answers(api: Api) -> None:
    api.app.state.context.answers.clear()


def _timeline(api: Api, org: Organisation, matter: str, **headers: str) -> Any:
    token = api.headers(org, "tr")
    return api.http.get(
        f"/v1/ledgers/{org.origin.rsplit('/', 1)[-1]}/matters/{matter}/timeline",
        headers={**token, **headers},
    )


def test_a_timeline_costs_the_same_statements_for_a_small_and_a_large_matter(
    api: Api, org: Organisation, store: Store
) -> None:
    open_school_matter(org, "lille")
    open_school_matter(org, "stor")
    for number in range(40):
        org.act("tr", "stor", position("employees", f"Indlæg {number}"))
    for matter in ("lille", "stor"):  # warm: tokens issued, read models caught up
        assert _timeline(api, org, matter).status_code == 200
    api.token(org, "tr")
    counts: dict[str, list[str]] = {}
    for matter in ("lille", "stor"):
        _forget_answers(api)
        headers = api.headers(org, "tr")
        with sent(store.engine) as seen:
            response = api.http.get(
                f"/v1/ledgers/{org.origin.rsplit('/', 1)[-1]}/matters/{matter}/timeline",
                headers=headers,
            )
        assert response.status_code == 200
        counts[matter] = seen
    assert len(_timeline(api, org, "stor").json()["entries"]) == 42
    assert len(counts["lille"]) == len(counts["stor"]), counts


def test_a_repeated_read_is_answered_without_reading_the_read_models(
    api: Api, org: Organisation, store: Store
) -> None:
    open_school_matter(org)
    first = _timeline(api, org, "skolestruktur")
    headers = api.headers(org, "tr")
    with sent(store.engine) as seen:
        again = api.http.get(
            f"/v1/ledgers/{org.origin.rsplit('/', 1)[-1]}/matters/skolestruktur/timeline",
            headers=headers,
        )
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert reading(seen, "rm_timeline") == 0 and reading(seen, "rm_matters") == 0


def test_the_etag_answers_304_until_a_new_event_changes_it(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    first = _timeline(api, org, "skolestruktur")
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first.headers["cache-control"] == "private, no-cache"
    held = _timeline(api, org, "skolestruktur", **{"If-None-Match": etag})
    assert held.status_code == 304 and held.content == b"" and held.headers["etag"] == etag
    org.act("tr", "skolestruktur", position("employees", "Et nyt indlæg"))
    changed = _timeline(api, org, "skolestruktur", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["entries"][-1]["event_type"] == "PositionStated"


def test_another_query_has_another_etag_and_every_admitted_reader_the_same(
    api: Api, org: Organisation
) -> None:
    open_school_matter(org)
    path = "/matters/skolestruktur/timeline"
    danish = api.get(org, "tr", path)
    english = api.get(org, "tr", path, lang="en")
    director = api.get(org, "direktor", path)
    assert danish.headers["etag"] != english.headers["etag"]
    assert danish.json()["entries"][0]["summary"] != english.json()["entries"][0]["summary"]
    # A timeline is the same for everyone its guard admits, so they share one answer.
    assert (director.headers["etag"], director.content) == (danish.headers["etag"], danish.content)


def test_a_changed_name_in_the_directory_changes_the_etag(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    before = api.get(org, "tr", "/matters/skolestruktur/timeline")
    org.service.set_directory(org.origin, "direktor", "Dorthe Direktør", None)
    after = api.get(org, "tr", "/matters/skolestruktur/timeline")
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["entries"][0]["actor_name"] == "Dorthe Direktør"


def test_a_reader_without_access_never_gets_a_304(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    etag = api.get(org, "tr", "/matters/skolestruktur/timeline").headers["etag"]
    for matter, status, code in (
        ("skolestruktur", 403, "read_not_allowed"),
        ("findes-ikke", 404, "unknown_stream"),
    ):
        for tag in (etag, "*"):
            refused = api.http.get(
                f"/v1/ledgers/{org.origin.rsplit('/', 1)[-1]}/matters/{matter}/timeline",
                headers={**api.headers(org, "udenfor"), "If-None-Match": tag},
            )
            assert_error(refused, status, code)
            assert "etag" not in refused.headers


def test_the_matter_list_is_cached_per_reader(api: Api, org: Organisation) -> None:
    open_school_matter(org)
    mine = api.get(org, "tr", "/matters")
    outsider = api.get(org, "udenfor", "/matters")
    assert [m["matter"] for m in mine.json()["matters"]] == ["skolestruktur"]
    assert outsider.json()["matters"] == []
    assert mine.headers["etag"] != outsider.headers["etag"]
