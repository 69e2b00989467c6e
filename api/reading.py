"""What every read-model route shares: the point of the log it reads and reports.

A route opens a view of its ledger (live, or replayed ``as_of`` a past
tree size or date; ``projections.runner.reading.open_view``), asks a read
model, and answers with the record dated: which tree size it reflects, how
the as-of was asked, how far the live read models lag.  A ``Read`` carries
no reader: what the reader may see is the route's guard's (``api/access.py``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, Query

from api.access import ReaderDep
from api.deps import ApiContext, ContextDep
from api.patterns import AS_OF_PATTERN, matches
from api.read_schemas import Point
from ledger.errors import MalformedAsOfError
from projections.runner.reading import View, open_view

AsOfQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=40,
        description="Replay as of a tree size (`120`), or a date or time of recording "
        "(`2026-03-01`, `2026-03-01T12:00:00Z`, `2026-03-01T13:00:00+01:00`; years 1000 to "
        "9998); default: now. Other text is `malformed_as_of`.",
        examples=["2026-03-01"],
        # Checked by get_read, so that a refusal keeps its code malformed_as_of.
        json_schema_extra={"pattern": AS_OF_PATTERN},
    ),
]
LangQuery = Annotated[Literal["da", "en"], Query(description="Language of summaries.")]
IdFilter = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]

OutT = TypeVar("OutT", bound=Point)


@dataclass(frozen=True)
class Read:
    """One read-model request: the ledger it reads, the API it runs in, and the as-of
    point it asked for (None: live)."""

    origin: str
    context: ApiContext
    as_of: str | None

    def view(self, matters: set[str] | None = None) -> View:
        """The ledger as of ``as_of``, limited to ``matters`` if given.

        Raises MalformedAsOfError or AsOfOutOfRangeError for an as-of point
        the ledger cannot show.
        """
        return open_view(
            self.context.projector,
            self.origin,
            as_of=self.as_of,
            matters=matters,
            catch_up=self.context.settings.read_models_catch_up,
        )

    def names(self) -> dict[str, str]:
        """People's names from the directory, which lives outside the signed log."""
        return self.context.service.directory_names(self.origin)


async def get_read(reader: ReaderDep, context: ContextDep, as_of: AsOfQuery = None) -> Read:
    """The parameters every read-model route takes, gathered (it only looks them up).

    Authenticated (a read model is never public), but not a guard: the route
    takes its guard beside it.  Raises MalformedAsOfError for an ``as_of`` of
    another form than the published one.
    """
    if as_of is not None and not matches(AS_OF_PATTERN, as_of):
        raise MalformedAsOfError(
            f"as_of {as_of!r} is neither a tree size nor a date (YYYY-MM-DD) or a time "
            "(YYYY-MM-DDTHH:MM:SS[.ffffff] with Z or an offset)",
            as_of=as_of,
        )
    return Read(reader.origin, context, as_of)


ReadDep = Annotated[Read, Depends(get_read)]


def point(view: View, as_of: int) -> dict[str, Any]:
    """The ``Point`` fields of an answer that reflects ``as_of`` leaves of ``view``."""
    return {
        "as_of": view.as_of.size if view.as_of is not None else as_of,
        "as_of_asked": view.as_of.asked if view.as_of is not None else None,
        "behind": view.behind,
    }


def dated(model: type[OutT], view: View, found: Any, **fields: Any) -> OutT:
    """``model`` filled from a read model's record ``found`` (a dataclass with ``as_of``)
    and dated by ``view``; ``fields`` add to the record's own or replace them (a page)."""
    own = {f.name: getattr(found, f.name) for f in dataclasses.fields(found)}
    return model(**{**own, **point(view, found.as_of), **fields})
