"""Confidentiality (DESIGN.md section 10): every GET route, asked by every kind of reader.

The matrix below has an entry for each GET route of the application
(``app.routes``): a new route without one fails
``test_every_get_route_is_in_the_matrix``.  Each entry names the readers
that get 200; among the others, persons of the ledger get 403 (or the
entry's own refusal), a revoked key and no token 401, a token of another
ledger 403.  Every answer's raw bytes are searched for the markers of the
matters its reader may not read (tests/stories/confidential.py): a 200 must
disclose nothing of them, a refusal neither.

The story is told once per backend (a module fixture); each case is one
request.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient

from api.access import GUARDS
from api.app import create_app
from demo.organisation import ManualClock, Organisation
from ledger.domain import events as ev
from ledger.protocol.envelope import ledger_id_of
from ledger.service.application import LedgerService
from ledger.service.documents import keep_document
from ledger.service.settings import OpenedLedger
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store
from tests.api.conftest import Api, api_settings
from tests.conftest import EVERY_COMMIT
from tests.stories.confidential import MARKERS, MATTER_READERS, READERS, tell

PERSONS = frozenset({"responsible", "other", "consulted", "left", "auditor", "admin"})
LEDGER = "/v1/ledgers/{ledger}"
PUBLIC_ROUTES = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/healthz", LEDGER})


@dataclass(frozen=True)
class Case:
    """One request: a route (its template, as ``app.routes`` names it), a path (under the
    ledger unless the route is public; ``{me}`` is the reader's own person id) and query,
    and the readers answered 200 (None: everyone, a public route)."""

    route: str
    path: str
    allowed: frozenset[str] | None
    params: dict[str, Any] = field(default_factory=dict)
    refused: int = 403  # what a person of the ledger outside ``allowed`` gets

    @property
    def id(self) -> str:
        query = "".join(f"?{k}={v}" for k, v in self.params.items())
        return (self.path + query).strip("/") or "ledger"

    def expected(self, reader: str) -> int:
        if self.allowed is None:
            return 200
        if reader in ("revoked", "anonymous"):
            return 401
        if reader == "other_ledger":
            return 403
        return 200 if reader in self.allowed else self.refused


def _route(tail: str) -> str:
    return LEDGER + tail


def _public(route: str) -> Case:
    return Case(route, route, None)


def _matter_cases(tail: str, *matters: str, **params: Any) -> list[Case]:
    """The route ``tail`` for each of ``matters``, for whoever may read it (a ``{person}``
    in the route is the reader themself)."""
    return [
        Case(
            _route(tail),
            tail.replace("{matter}", m).replace("{person}", "{me}"),
            MATTER_READERS[m],
            params,
        )
        for m in matters
    ]


def _own(tail: str, *matters: str) -> list[Case]:
    """A route of the reader's own record: every person of the ledger reads their own."""
    return [
        Case(_route(tail), tail.replace("{person}", "{me}").replace("{matter}", m), PERSONS)
        for m in matters
    ]


def _digest(matter: str) -> str:
    """The SHA-256 of the document the story shares in ``matter`` (its bytes: the id)."""
    return hashlib.sha256(matter.encode()).hexdigest()


RECEIPT = "/people/{person}/receipts/{matter}"
DOCUMENT = "/documents/{sha256}"
STREAM = "/streams/{stream:path}"
MATRIX: list[Case] = [
    *(_public(route) for route in sorted(PUBLIC_ROUTES)),
    Case(_route("/me"), "/me", PERSONS),
    Case(_route("/directory"), "/directory", frozenset({"admin", "auditor"})),
    Case(_route("/streams"), "/streams", PERSONS),
    Case(_route(f"{STREAM}/head"), "/streams/matter/hemmelig/head", PERSONS),
    Case(_route(f"{STREAM}/events"), "/streams/registry/events", PERSONS),
    *(
        Case(_route(f"{STREAM}/events"), f"/streams/matter/{m}/events", MATTER_READERS[m])
        for m in MARKERS
    ),
    Case(_route("/checkpoint"), "/checkpoint", PERSONS),
    Case(_route("/trust"), "/trust", PERSONS),
    Case(_route("/proofs/inclusion"), "/proofs/inclusion", PERSONS, {"leaf_index": 0}),
    Case(_route("/proofs/consistency"), "/proofs/consistency", PERSONS, {"old_size": 1}),
    Case(_route("/bundle"), "/bundle", frozenset({"auditor"})),
    *_matter_cases("/matters/{matter}/bundle", "hemmelig", "aaben"),
    Case(_route("/matters"), "/matters", PERSONS),
    *_matter_cases("/matters/{matter}/timeline", *MARKERS),
    *_matter_cases("/matters/{matter}/timeline", "hemmelig", as_of="2026-01-26"),
    Case(
        _route("/matters/{matter}/timeline"),
        "/matters/findes-ikke/timeline",
        frozenset(),
        refused=404,
    ),
    *_matter_cases("/matters/{matter}/dossier", "hemmelig", "aaben"),
    *_matter_cases("/matters/{matter}/forecast", *MARKERS),
    Case(_route("/findings"), "/findings", PERSONS),
    Case(_route("/findings"), "/findings", MATTER_READERS["hemmelig"], {"matter": "hemmelig"}),
    Case(_route("/guidelines"), "/guidelines", PERSONS),
    Case(_route("/guidelines"), "/guidelines", PERSONS, {"as_of": "2026-01-05"}),
    Case(_route("/disputes"), "/disputes", PERSONS),
    Case(_route("/disputes"), "/disputes", MATTER_READERS["hemmelig"], {"matter": "hemmelig"}),
    *_matter_cases("/matters/{matter}/disputes", "hemmelig", "aaben"),
    Case(_route("/people/{person}/involvement"), "/people/{me}/involvement", PERSONS),
    Case(
        _route("/people/{person}/involvement"),
        "/people/tr/involvement",
        frozenset({"responsible", "auditor"}),
    ),
    *_own(RECEIPT, *MARKERS),
    *_own(f"{RECEIPT}/page", "hemmelig", "lokal"),
    Case(_route(RECEIPT), "/people/tr/receipts/hemmelig", frozenset({"responsible", "auditor"})),
    # A receipt bundle is every person's own: to a reader who may not read the matter it
    # is an absence receipt with the routing fields only (the markers never appear).
    *_own(f"{RECEIPT}/bundle", *MARKERS),
    # A document is read by the readers of a matter naming it; to everyone else of the
    # ledger it is unknown, as a digest never kept is.  ``lokal`` shares no material: its
    # document is named by no event, so only its uploader (no reader here) reads it.
    *(
        Case(_route(DOCUMENT), f"/documents/{_digest(m)}", MATTER_READERS[m], refused=404)
        for m in ("hemmelig", "aaben")
    ),
    Case(_route(DOCUMENT), f"/documents/{_digest('lokal')}", frozenset(), refused=404),
    Case(_route(DOCUMENT), f"/documents/{'0' * 64}", frozenset(), refused=404),
    Case(
        _route("/bodies/{body}/statistics"),
        "/bodies/hmed/statistics",
        frozenset({"responsible", "auditor"}),
    ),
    Case(
        _route("/bodies/{body}/statistics"),
        "/bodies/lmed/statistics",
        frozenset({"consulted", "auditor"}),
    ),
]


def forbidden_markers(reader: str) -> list[str]:
    """The markers of every matter ``reader`` may not read."""
    return [marker for m, marker in MARKERS.items() if reader not in MATTER_READERS[m]]


# --- the story, once per backend --------------------------------------------------


@dataclass
class Told:
    """The told story behind a running application, and each reader's token."""

    http: TestClient
    app: FastAPI
    org: Organisation
    tokens: dict[str, str]

    def ask(self, case: Case, reader: str) -> httpx.Response:
        """The case's request, as ``reader``."""
        if case.allowed is None:
            ledger = ledger_id_of(self.org.origin)
            return self.get(reader, case.path.replace("{ledger}", ledger), case.params)
        return self.get(reader, self.under_ledger(case.path), case.params)

    def under_ledger(self, path: str) -> str:
        return f"/v1/ledgers/{ledger_id_of(self.org.origin)}{path}"

    def get(self, reader: str, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """GET ``url`` with ``reader``'s token (none for ``anonymous``); ``{me}`` in it is
        the reader's own person id."""
        token = self.tokens.get(reader)
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        url = url.replace("{me}", READERS[reader] or "tr")
        response: httpx.Response = self.http.get(url, params=params or {}, headers=headers)
        return response

    def read(self, reader: str, path: str) -> Any:
        """The JSON answer to ``path`` under the ledger, as ``reader``."""
        return self.get(reader, self.under_ledger(path)).json()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def told(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Told]:
    tmp = tmp_path_factory.mktemp("matrix")
    if request.param == "postgres":
        store: Store = request.getfixturevalue("pg_store")
    else:
        store = Store(f"sqlite:///{tmp}/ledger.db")
    clock = ManualClock()
    service = LedgerService(
        store, LogKeyring(tmp / "log-keys"), clock=clock, checkpoints=EVERY_COMMIT
    )
    suffix = uuid.uuid4().hex[:8]
    org = Organisation(service, f"ledger.example/matrix-{suffix}", "Matrixkommune", clock)
    tell(org)
    for matter in MARKERS:  # the shared documents' bytes, uploaded by their sharer
        keep_document(service, org.origin, matter.encode(), media_type=None, uploaded_by="direktor")
    other = Organisation(service, f"ledger.example/nabo-{suffix}", "Nabokommune", clock)
    other.person("nabo-tr", "Nina Nabo")
    app = create_app(api_settings(tmp), ledger=OpenedLedger(store, service))
    with TestClient(app, raise_server_exceptions=False) as http:
        api = Api(app, http)
        tokens = {
            reader: api.token(other if reader == "other_ledger" else org, person)
            for reader, person in READERS.items()
            if person is not None
        }
        org.registry(
            ev.KeyRevoked(person="mistet", key_id=org.keys["mistet"].key_id, reason="Mistet"),
            by="mistet",
        )
        yield Told(http, app, org, tokens)
    if request.param == "sqlite":
        store.dispose()


# --- the matrix ---------------------------------------------------------------------


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("case", MATRIX, ids=[c.id for c in MATRIX])
def test_each_reader_gets_what_they_may_and_no_text_of_other_matters(
    told: Told, case: Case, reader: str
) -> None:
    response = told.ask(case, reader)
    assert response.status_code == case.expected(reader), response.text[:500]
    leaked = [marker for marker in forbidden_markers(reader) if marker.encode() in response.content]
    assert not leaked, f"{reader} reads {leaked} in {case.id}"


def _routes(app: FastAPI) -> list[Any]:
    """The application's routes, flat, each with ``path``, ``methods`` and (an API route)
    ``dependant``: FastAPI 0.16x keeps an included router's routes behind one entry."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # an older FastAPI lists them flat itself
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def test_every_get_route_is_in_the_matrix(told: Told) -> None:
    routes = {r.path for r in _routes(told.app) if "GET" in (r.methods or ())}
    assert len(routes) > len(PUBLIC_ROUTES)
    assert routes == {case.route for case in MATRIX}


def _depends_on_a_guard(dependant: Dependant) -> bool:
    return any(d.call in GUARDS or _depends_on_a_guard(d) for d in dependant.dependencies)


def test_every_route_that_needs_a_token_takes_a_guard(told: Told) -> None:
    """A route judges no access itself: it takes one of api/access.py's guards."""
    needing = [
        r
        for r in _routes(told.app)
        if r.path not in PUBLIC_ROUTES
        and not r.path.startswith(f"{LEDGER}/auth/")
        and r.path != f"{LEDGER}/events"  # a write: its envelope's signature authenticates it
    ]
    assert {r.path for r in needing} >= {c.route for c in MATRIX if c.allowed is not None}
    unguarded = [r.path for r in needing if not _depends_on_a_guard(r.dependant)]
    assert unguarded == []


def test_the_markers_are_there_for_those_who_may_read_them(told: Told) -> None:
    """The search above can fail: a reader of each matter finds its marker in its events
    and its timeline's header, and the auditor finds every marker in the whole bundle."""
    for matter, marker in MARKERS.items():
        reader = sorted(MATTER_READERS[matter] - {"auditor"})[0]
        for tail in ("events", "timeline"):
            path = (
                f"/streams/matter/{matter}/events"
                if tail == "events"
                else f"/matters/{matter}/timeline"
            )
            answer = told.get(reader, told.under_ledger(path))
            assert marker.encode() in answer.content, (matter, tail)
    whole = told.get("auditor", told.under_ledger("/bundle")).content
    assert all(marker.encode() in whole for marker in MARKERS.values())


def test_lists_show_each_reader_the_matters_they_may_read(told: Told) -> None:
    for reader in PERSONS:
        readable = sorted(m for m, allowed in MATTER_READERS.items() if reader in allowed)
        assert told.read(reader, "/me")["readable_matters"] == readable, reader
        listed = told.read(reader, "/matters")["matters"]
        assert sorted(m["matter"] for m in listed) == readable, reader
        streams = told.read(reader, "/streams")["streams"]
        assert [s["stream"] for s in streams] == [*(f"matter/{m}" for m in readable), "registry"]


def test_a_receipt_of_a_matter_the_reader_may_not_read_is_routing_only(told: Told) -> None:
    for reader in PERSONS:
        for matter, allowed in MATTER_READERS.items():
            found = told.read(reader, f"/people/{{me}}/receipts/{matter}")
            full = reader in allowed
            assert found["disclosure"] == ("full" if full else "routing"), (reader, matter)
            assert (found["title"] is None) != full
            assert [i["event_type"] for i in found["items"]]
    # Who left the LokalMED still proves, in routing terms, that it was sent material and
    # a hearing while they sat in it.
    left = told.read("left", "/people/{me}/receipts/aaben")
    assert left["verdict"] == "involved"
    assert {(i["kind"], tuple(i["addressed"])) for i in left["items"]} >= {
        ("informed", ("hmed", "lmed")),
        ("heard", ("lmed",)),
    }


def test_the_guideline_register_withholds_the_matter_from_who_may_not_read_it(
    told: Told,
) -> None:
    """Every person reads the register (guidelines bind the organisation); the matter that
    agreed it, and its event number, only who may read that matter."""
    for reader in PERSONS:
        (found,) = told.read(reader, "/guidelines")["guidelines"]
        assert (found["guideline"], found["type"], found["body"]) == (
            "hjemmearbejde",
            "optional",
            "hmed",
        )
        readable = reader in MATTER_READERS["hemmelig"]
        assert found["made"]["matter"] == ("hemmelig" if readable else None), reader
        assert (found["made"]["seq"] is None) != readable
        assert found["withheld"] == ([] if readable else ["matter", "seq"])


def test_the_dispute_list_shows_each_reader_the_disputes_of_matters_they_may_read(
    told: Told,
) -> None:
    for reader in PERSONS:
        listed = told.read(reader, "/disputes")["disputes"]
        expected = ["hemmelig"] if reader in MATTER_READERS["hemmelig"] else []
        assert [d["matter"] for d in listed] == expected, reader
