"""What every read-model route shares: the point of the log it reads and reports.

A route opens a view of its ledger (live, or replayed ``as_of`` a past
tree size or date; ``projections.runner.reading.open_view``), asks a read
model, and answers with the record dated: which tree size it reflects, how
the as-of was asked, how far the live read models lag.  A ``Read`` carries
no reader: what the reader may see is the route's guard's (``api/access.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from api.access import Reader, ReaderDep
from api.caching import M, answer, etag_of
from api.deps import ApiContext, ContextDep
from api.patterns import AS_OF_PATTERN, NOW_PATTERN, matches
from api.read_schemas import Point
from api.responses import READ_ERRORS
from ledger.errors import MalformedAsOfError
from projections.read_models.source import DatabaseSource
from projections.runner.moments import parse_now
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
    _live: list[tuple[int, int]] = field(default_factory=list, compare=False, repr=False)
    """The live read models' (position, ledger size) once ``version`` has read them."""
    # Read once per request, kept here rather than in a functools.cached_property: on
    # Python 3.11 that holds one lock for all instances while it computes, so every
    # request thread waited for another's database read (py-spy of B5: 23 % of a
    # timeline read's wall time).
    _names_read: list[dict[str, str]] = field(default_factory=list, compare=False, repr=False)
    _version_read: list[tuple[object, ...]] = field(default_factory=list, compare=False, repr=False)

    def view(self, matters: set[str] | None = None) -> View:
        """The ledger as of ``as_of``, limited to ``matters`` if given.

        A live view reuses the position ``version`` read, so that the answer
        and its ETag reflect the same point and the lag is not read twice.
        Raises MalformedAsOfError or AsOfOutOfRangeError for an as-of point
        the ledger cannot show.
        """
        if self.as_of is None and self._live:
            position, size = self._live[0]
            source = DatabaseSource(self.context.projector.schema)
            return View(source, self.origin, None, max(0, size - position))
        return open_view(
            self.context.projector,
            self.origin,
            as_of=self.as_of,
            matters=matters,
            catch_up=self.context.settings.read_models_catch_up,
        )

    def names(self) -> dict[str, str]:
        """People's names from the directory, which lives outside the signed log
        (read once per request)."""
        if not self._names_read:
            self._names_read.append(self.context.service.directory_names(self.origin))
        return self._names_read[0]

    def _version_now(self) -> tuple[object, ...]:
        """``version`` read once for this request (pages remember several answers)."""
        if not self._version_read:
            self._version_read.append(self.version())
        return self._version_read[0]

    def version(self) -> tuple[object, ...]:
        """What the answer to this read depends on in the log, read cheaply.

        Live: the read models' lowest position and the ledger's size (after
        catching up where this process does).  As of a past point: the
        ledger's size (the point itself is in the query string), so that
        nothing is replayed to decide whether a cached answer still holds.
        """
        projector = self.context.projector
        if self.as_of is not None:
            return ("as_of", self.context.service.tree_size(self.origin))
        position, size = projector.lag(self.origin)
        catch_up = self.context.settings.read_models_catch_up
        if catch_up is None:
            catch_up = projector.reads_catch_up
        if catch_up and position < size:
            projector.catch_up_ledger(self.origin)
            position, size = projector.lag(self.origin)
        self._live[:] = [(position, size)]
        return ("live", position, size)

    def remembered(self, kind: str, compute: Callable[[], M]) -> M:
        """A read model's answer as an object, kept by what it depends on (``kind``: the
        view and its parameters; this read's ledger, as-of point, ``version`` and the
        directory's names), for pages that render several answers into one page."""
        version = self._version_now()
        key = (self.origin, kind, self.as_of, version, tuple(sorted(self.names().items())))
        return self.context.models.remembered(key, compute)

    def cached(
        self,
        request: Request,
        reader: Reader | None,
        compute: Callable[[], BaseModel],
        *,
        with_names: bool = True,
    ) -> Response:
        """The route's answer, cached by ETag (api/caching.py); 304 when the client has it.

        ``reader``: the reader the answer is filtered for (a list of what they
        may read), or None when it is the same for everyone the route's guard
        admits (which it has done by now).  ``with_names``: the answer shows
        names from the directory, so they are part of its ETag.
        """
        names = self.names() if with_names else None
        etag = etag_of(request, "" if reader is None else reader.person, self.version(), names)
        return answer(request, self.context.answers, etag, compute)


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


def moment_query(description: str) -> Any:
    """A ``now`` or ``on`` query: a date or time of at most 40 characters, described by
    ``description``.  Its pattern is published in the schema but checked by ``judged_at``,
    so that a refusal keeps its code malformed_as_of."""
    return Query(max_length=40, description=description, json_schema_extra={"pattern": NOW_PATTERN})


NowQuery = Annotated[
    str | None,
    moment_query(
        "Judge deadlines at this date or time (UTC unless it names an offset; "
        "years 1000 to 9998; default: the ledger's latest). Other text is `malformed_as_of`."
    ),
]


def judged_at(text: str | None, *, name: str = "now") -> datetime | None:
    """The moment a route's ``now`` (or ``on``) query names; None for the ledger's latest.

    The query's pattern is checked here rather than by FastAPI, so that a
    refusal keeps its code: raises MalformedAsOfError naming ``name``.
    """
    if text is not None and not matches(NOW_PATTERN, text):
        raise MalformedAsOfError(f"{name} {text!r} is not a date or time", **{name: text})
    return parse_now(text, name=name)


def read_router() -> APIRouter:
    """A router for read-model routes under one ledger; each route answers the read errors."""
    return APIRouter(prefix="/v1/ledgers/{ledger}", tags=["read models"], responses=READ_ERRORS)
