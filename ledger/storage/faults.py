"""Which database failures mean "the database cannot be used now", and their one error.

A dropped or refused connection, a database that does not accept
connections, a full disk or a locked SQLite file all surface as the DB-API's
``OperationalError`` (or ``InterfaceError`` for a connection already
closed), as SQLAlchemy's pool errors, or as ``eventsourcing``'s wrappings of
them.  The store turns each into :class:`StorageUnavailableError` (HTTP
503 ``storage_unavailable``, CLI exit 9) at the edge of every session it
opens, so no caller sees a driver's exception.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Generic, TypeVar

import eventsourcing.persistence as es
import sqlalchemy.exc

from ledger.errors import StorageUnavailableError

logger = logging.getLogger(__name__)

UNAVAILABLE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,
    es.OperationalError,
    es.InterfaceError,
)
"""The failures that mean the database cannot be reached or written now."""

T = TypeVar("T")


def unavailable(cause: BaseException) -> StorageUnavailableError:
    """The one error of an unusable database (the driver's message goes to the log only)."""
    logger.error("database unavailable: %s", str(cause).splitlines()[0] if str(cause) else cause)
    return StorageUnavailableError("the database cannot be used now; try again shortly")


class Guarded(Generic[T]):
    """A context manager whose entry and exit turn ``UNAVAILABLE`` failures into one error."""

    __slots__ = ("_inner",)

    def __init__(self, inner: AbstractContextManager[T]) -> None:
        self._inner = inner

    def __enter__(self) -> T:
        try:
            return self._inner.__enter__()
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool | None:
        try:
            return self._inner.__exit__(kind, error, trace)
        except UNAVAILABLE as exc:
            raise unavailable(exc) from exc
