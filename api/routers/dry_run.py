"""The dry run of an event not yet signed: would it be admitted, which findings would it
raise or close.  Nothing is written."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter

from api.access import Access, LedgerAccess
from api.deps import ContextDep
from api.read_schemas import DryRunOut
from api.reading import LangQuery
from api.responses import errors
from api.schemas import DryRunIn
from ledger.errors import LedgerError
from ledger.protocol.envelope import MATTER_PREFIX, format_time
from projections.read_models.dry_run import DryRun, dry_run, refused
from projections.runner.reading import open_view

router = APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"])


@router.post("/dry-run", response_model=DryRunOut, responses=errors(400, 401, 403, 404, 503))
def dry_run_event(
    draft: DryRunIn, access: LedgerAccess, context: ContextDep, lang: LangQuery = "da"
) -> DryRunOut:
    """Would an event not yet signed be admitted, and which findings would it raise or close?

    The event is judged as the next of its stream; findings are those of the
    matters the reader may read.  The answer is 200 whether or not the event would be admitted: ``admitted``
    false with the ``refusal`` a real append would give (its code, message
    and details), or the findings ``raised`` and ``closed`` and the matter's
    forecast once signed.  A matter's events may be dry run by whoever may
    read the matter (404 ``unknown_stream`` / 403 ``read_not_allowed``, as
    for reading it); a new matter's opening, and registry events, by any
    person of the ledger.  Nothing is written.
    """
    new_matter = None
    if draft.stream.startswith(MATTER_PREFIX):
        matter = draft.stream.removeprefix(MATTER_PREFIX)
        if matter in access.state.matters:
            access.require_matter(matter)
        else:
            new_matter = matter
    service = context.service
    state = service.state(access.origin)
    actor = draft.actor or access.reader.person
    body = state.draft(
        draft.stream,
        draft.type,
        actor,
        draft.time or format_time(service.clock()),
        key=draft.key or (access.reader.key_id if actor == access.reader.person else None),
        seq=draft.seq,
        prev=draft.prev,
        imported=draft.imported,
    )
    view = open_view(
        context.projector, access.origin, catch_up=context.settings.read_models_catch_up
    )
    try:
        size = service.judge_unsigned(access.origin, body, draft.payload)
    except LedgerError as error:
        found = refused(access.origin, state.size, body, error)
    else:
        found = dry_run(
            context.projector.store,
            view.source,
            access.origin,
            size,
            body,
            draft.payload,
            lang=lang,
        )
    return DryRunOut(**_readable(found, access, new_matter), behind=view.behind)


def _readable(found: DryRun, access: Access, new_matter: str | None) -> dict[str, object]:
    """The dry run's fields, with findings only of matters the reader may read."""

    def readable(matter: str) -> bool:
        return matter == new_matter or access.may_read(matter)

    fields = {f.name: getattr(found, f.name) for f in dataclasses.fields(found)}
    fields["raised"] = [f for f in found.raised if readable(f.matter)]
    fields["closed"] = [f for f in found.closed if readable(f.matter)]
    fields["upcoming"] = [u for u in found.upcoming if readable(u.finding.matter)]
    return fields
