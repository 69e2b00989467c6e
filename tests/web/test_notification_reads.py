"""Marking notices read: only a cause of the shape the outbox writes is kept (no browser)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from notify.tables import NotifyDatabase
from tests.web.browserless import Browserless, Site, site_fixture  # noqa: F401 (``site``)


def _reads(site: Site, person: str) -> list[str]:
    db = site.app.state.notify
    assert isinstance(db, NotifyDatabase)
    r = db.t.reads
    with db.store.read() as session:
        mine = (r.c.origin == site.org.origin) & (r.c.person == person)
        return list(session.execute(select(r.c.cause).where(mine)).scalars())


def _mark(reader: Browserless, cause: str) -> httpx.Response:
    answer: httpx.Response = reader.http.post(
        f"/l/{reader.ledger}/beskeder/laest", data={"csrf": reader.csrf, "cause": cause}
    )
    return answer


@pytest.mark.parametrize(
    "cause",
    [
        "",
        "leaf:",
        "leaf:-1",
        "leaf:12:later",
        "leaf:1" + "0" * 30,
        "finding:hemmelig:MED-04",
        "finding:Hemmelig:MED-04:meeting-3",
        "finding:hemmelig:MED-04:" + "k" * 200,
        "<script>alert(1)</script>",
        "x" * 10_000,
    ],
)
def test_a_cause_the_outbox_never_writes_is_refused_and_nothing_is_kept(
    site: Site, cause: str
) -> None:
    reader = site.person("tr")
    refused = _mark(reader, cause)
    assert refused.status_code == 400
    assert "notice_cause_malformed" in refused.text
    assert "ikke en besked fra denne liste" in refused.text
    assert _reads(site, "tr") == []


def test_the_causes_the_outbox_writes_are_kept_read(site: Site) -> None:
    reader = site.person("tr")
    kept = [
        "leaf:0",
        "leaf:12",
        "leaf:12:deadline",
        "leaf:12:respond_by",
        "leaf:12:minutes",
        "finding:hemmelig:MED-04:material-3-meeting-5",
        "finding:okonomi-4mio:MED-14:bal-okonomi-2026",
    ]
    for cause in kept:
        answer = _mark(reader, cause)
        assert answer.status_code == 303, (cause, answer.text)
    assert sorted(_reads(site, "tr")) == sorted(kept)
