"""Read answers cached by the point of the log they reflect, with ETag and 304.

A read-model answer is a function of the request (path and query), the
reader (lists are filtered by what they may read), the read models'
position and the ledger's size (``Read.version``) and the directory's
names, which live outside the signed log.  ``answer`` hashes these into an
ETag before anything is computed: a client that sends it back in
``If-None-Match`` gets ``304 Not Modified`` with no body, and any other
client asking the same gets the stored bytes without the read models being
queried or the answer serialised again.  A new event moves the ledger's
size and so every ETag of that ledger.

The route's guard runs before ``answer`` (FastAPI resolves it as a
dependency), so a reader without access is refused as before and never
learns from a 304 that a resource exists.  Web pages use the same helper.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

M = TypeVar("M")

CACHE_CONTROL = "private, no-cache"
"""Readers' browsers may keep an answer but must ask again (with its ETag) before use."""


@dataclass(frozen=True)
class CachedBody:
    body: bytes
    media_type: str


class AnswerCache:
    """The most recently used answers of one API process, by ETag (thread-safe)."""

    def __init__(self, capacity: int = 2048, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedBody] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> CachedBody | None:
        with self._lock:
            found = self._entries.get(etag)
            if found is not None:
                self._entries.move_to_end(etag)
            return found

    def put(self, etag: str, cached: CachedBody) -> None:
        if len(cached.body) > self.max_bytes // 8:
            return  # one huge answer must not push out everything else
        with self._lock:
            previous = self._entries.pop(etag, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            self._entries[etag] = cached
            self._bytes += len(cached.body)
            while len(self._entries) > self.capacity or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class ModelCache:
    """The most recently computed read-model answers of one API process, as objects, by
    what they depend on (thread-safe).  For pages, which render several answers into
    HTML of their own and so cannot reuse the API's cached bytes.  The objects are
    shared: whoever takes one must not change it."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def remembered(self, key: Hashable, compute: Callable[[], M]) -> M:
        """The object kept under ``key``, computing and keeping it if there is none."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found  # type: ignore[return-value]
        made = compute()
        with self._lock:
            self._entries[key] = made
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def etag_of(
    request: Request,
    reader: str,
    version: tuple[object, ...],
    names: Mapping[str, str] | None = None,
) -> str:
    """A strong ETag for what ``reader`` reads at ``request``'s URL at ``version``."""
    digest = hashlib.sha256()
    for part in (
        request.method,
        request.url.path,
        "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items())),
        reader,
        repr(version),
        repr(sorted(names.items())) if names is not None else "",
    ):
        digest.update(part.encode())
        digest.update(b"\x00")
    return f'"{digest.hexdigest()[:40]}"'


def not_modified(request: Request, etag: str) -> bool:
    """Does the request's ``If-None-Match`` name ``etag`` (or ``*``)?"""
    sent = request.headers.get("if-none-match")
    if sent is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    return etag in tags or "*" in tags


def answer(
    request: Request,
    cache: AnswerCache,
    etag: str,
    compute: Callable[[], BaseModel],
) -> Response:
    """304 if the client holds ``etag``; else the cached or freshly computed JSON answer.

    ``compute`` builds the route's response model; its JSON is what FastAPI
    itself would send for that model.
    """
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    found = cache.get(etag)
    if found is None:
        rendered = JSONResponse(compute().model_dump(mode="json", by_alias=True))
        found = CachedBody(bytes(rendered.body), "application/json")
        cache.put(etag, found)
    return Response(content=found.body, media_type=found.media_type, headers=headers)
