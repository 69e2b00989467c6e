"""What every page shares: the running API's context, the server's secret, the demo door."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request

from api.access import Access
from api.deps import ApiContext
from ledger.protocol.envelope import ID_PATTERN
from web.demo_door import DemoDoor
from web.session import CSRF_FIELD, Session, open_session

MatterQuery = Annotated[str, Query(pattern=rf"^{ID_PATTERN}$", description="A matter id.")]


@dataclass(frozen=True)
class Site:
    """What the pages share: the API's context, the server's secret, the demo door."""

    context: ApiContext
    secret: bytes
    door: DemoDoor

    def origin(self, ledger: str) -> str:
        """The ledger's origin; UnknownLedgerError (404) if there is none."""
        return self.context.service.origin_of(ledger)

    def session(self, request: Request, ledger: str) -> Session:
        """The logged-in person of ``ledger``; LoginRequiredError otherwise."""
        return open_session(request, self.context, self.secret, ledger, self.origin(ledger))

    def ledger_name(self, ledger: str) -> str:
        row = self.context.service.ledger_info(ledger)
        return row.name if row is not None else ledger


def site_of(request: Request) -> Site:
    site = request.app.state.site
    assert isinstance(site, Site)
    return site


def logged_in(request: Request, ledger: str) -> tuple[Site, Session, Access]:
    """The site, the logged-in person's session of ``ledger`` and what the API lets them
    read; LoginRequiredError without a session."""
    site = site_of(request)
    session = site.session(request, ledger)
    return site, session, Access(session.reader, session.state)


def page_context(
    session: Session, site: Site, *, names: Mapping[str, str] | None = None, **more: Any
) -> dict[str, Any]:
    """What every logged-in page's layout shows: who, in which ledger, the CSRF token; and
    the ledger's origin, which the signing pages sign for.

    ``names``: the directory's names if the page has read them already (``Read.names()``,
    the admin's directory), so that a request reads the directory once; else read here.
    """
    if names is None:
        names = site.context.service.directory_names(session.ledger)
    return {
        "session": session,
        "person_name": names.get(session.person) or session.person,
        "ledger": session.ledger,
        "origin": session.origin,
        "ledger_name": site.ledger_name(session.ledger),
        "csrf_field": CSRF_FIELD,
        **more,
    }
