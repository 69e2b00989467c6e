"""A person's involvement, matter by matter (the person themself and auditors read it)."""

from __future__ import annotations

from api.access import PersonAccess
from api.deps import PersonPath
from api.paging import FIRST_PAGE, PagingQuery
from api.read_schemas import InvolvementOut
from api.reading import IdFilter, ReadDep, dated, read_router
from projections.read_models.involvement import involvement, withhold_unreadable

router = read_router()


@router.get("/people/{person}/involvement", response_model=InvolvementOut)
def person_involvement(
    person: PersonPath,
    access: PersonAccess,
    read: ReadDep,
    matter: IdFilter = None,
    paging: PagingQuery = FIRST_PAGE,
) -> InvolvementOut:
    """A person's involvement, matter by matter: informed, present or absent, positions,
    disagreements, acknowledgements, decisions (the person themself and auditors).  The
    title of a matter the reader may not read is withheld."""
    view = read.view()
    found = involvement(view.source, read.origin, person, names=read.names())
    found = withhold_unreadable(found, access.may_read)
    chosen = [m for m in found.matters if matter is None or m.matter == matter]
    return dated(InvolvementOut, view, found, **paging.of(chosen).fields("matters"))
