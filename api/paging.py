"""Pages of a long answer, the same way on every route that pages.

Two kinds: by offset (``offset``, ``limit``; the answer says ``total`` and
the ``next_offset`` to ask for) over lists the route has in full, and by
sequence (``after_seq``, ``limit``; the answer says ``next_after_seq``) over
a stream or a timeline, read one row past the page to know whether more
follow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import Depends, Query

Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]

T = TypeVar("T")
U = TypeVar("U")


class Sequenced(Protocol):
    """A row with its sequence number in a stream."""

    @property
    def seq(self) -> int: ...


S = TypeVar("S", bound=Sequenced)


@dataclass(frozen=True)
class OffsetPage(Generic[T]):
    """``limit`` rows from ``offset`` on, out of ``total``."""

    items: list[T]
    total: int
    next_offset: int | None

    @classmethod
    def of(cls, rows: Sequence[T], offset: int, limit: int) -> OffsetPage[T]:
        """The page of ``rows`` from ``offset``; ``next_offset`` is None on the last page."""
        following = offset + limit
        return cls(
            list(rows[offset:following]),
            len(rows),
            following if following < len(rows) else None,
        )

    def map(self, convert: Callable[[T], U]) -> OffsetPage[U]:
        """The same page with each row converted (to its output schema, say)."""
        return OffsetPage([convert(item) for item in self.items], self.total, self.next_offset)

    def fields(self, name: str) -> dict[str, Any]:
        """The page as an output schema's fields, its rows under ``name``."""
        return {name: self.items, "total": self.total, "next_offset": self.next_offset}


@dataclass(frozen=True)
class Paging:
    """What a route that pages by offset was asked: ``limit`` rows from ``offset`` on."""

    offset: int
    limit: int

    def of(self, rows: Sequence[T]) -> OffsetPage[T]:
        """The page of ``rows`` asked for."""
        return OffsetPage.of(rows, self.offset, self.limit)


FIRST_PAGE = Paging(0, 100)
"""The page a route answers when no ``offset`` or ``limit`` is asked."""


async def _paging(offset: Offset = FIRST_PAGE.offset, limit: Limit = FIRST_PAGE.limit) -> Paging:
    return Paging(offset, limit)


PagingQuery = Annotated[Paging, Depends(_paging)]
"""The ``offset`` and ``limit`` query parameters of a route that pages by offset."""


@dataclass(frozen=True)
class SeqPage(Generic[S]):
    """The first ``limit`` rows after a sequence number, and where the next page starts."""

    items: list[S]
    next_after_seq: int | None

    @classmethod
    def of(cls, rows: Sequence[S], limit: int) -> SeqPage[S]:
        """The first ``limit`` of ``rows``; ``rows`` may hold more (read ``limit + 1`` to know)."""
        page = list(rows[:limit])
        return cls(page, page[-1].seq if len(rows) > limit and page else None)
