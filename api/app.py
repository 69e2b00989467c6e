"""The FastAPI application: routers, error mapping, the request edge, OpenAPI.

``create_app`` builds one application over one ledger service; ``medledger
serve`` runs it with uvicorn on the configured database (SQLite by default,
PostgreSQL by ``MEDLEDGER_DATABASE_URL``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import Lifespan

from api import errors
from api.credentials import Sealer
from api.deps import ApiContext
from api.middleware import EdgeMiddleware
from api.payload_schemas import payload_components
from api.routers import (
    auth,
    bodies,
    bundles,
    checkpoints,
    disputes,
    documents,
    dry_run,
    events,
    findings,
    guidelines,
    involvement,
    ledgers,
    matters,
    people,
    proofs,
    receipts,
    streams,
)
from api.schemas import HealthOut
from api.settings import ApiSettings
from ledger.service.application import Clock, system_clock
from ledger.service.settings import OpenedLedger
from ledger.service.timer import ServingTimer
from projections.runner.projector import Projector

DESCRIPTION = """\
A signed, verifiable decision ledger for the Danish MED system.

Writes are signed envelopes (the signature authenticates them); reads need
a bearer token obtained by signing a login challenge with one's own
Ed25519 key. Every error is `{"error": {"code", "message", ...}}` with a
stable code. See docs/API.md and docs/PROTOCOL.md.
"""


def create_app(
    settings: ApiSettings | None = None,
    *,
    ledger: OpenedLedger | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """Build the API over ``ledger`` (or the database ``settings`` name, opened here).

    On SQLite the read models follow every write in this process; on
    PostgreSQL the projection worker (``medledger projections run``) does.
    """
    settings = settings or ApiSettings()
    owned = ledger is None
    opened = ledger or settings.open_ledger(clock=clock)
    app = FastAPI(
        title="medledger",
        version="1",
        description=DESCRIPTION,
        lifespan=_lifespan(opened, owned=owned),
        redoc_url=None,
    )
    app.state.context = _context(settings, opened)
    errors.install(app)
    _add_routes(app)
    app.add_middleware(
        EdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_document_bytes=settings.max_document_bytes,
        timeout=settings.request_timeout_seconds,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _lifespan(opened: OpenedLedger, *, owned: bool) -> Lifespan[FastAPI]:
    """Run the serving timer (checkpoints, owed scrubs) while serving; close the database at shutdown if the app opened it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        timer = ServingTimer(opened.service)
        timer.start()
        try:
            yield
        finally:
            timer.stop()
            if owned:
                opened.close()

    return lifespan


def _context(settings: ApiSettings, opened: OpenedLedger) -> ApiContext:
    """What every request reads through: the service, the sealer and the read models."""
    service = opened.service
    sealer = Sealer(
        settings.secret_bytes(),
        service.clock,
        token_ttl=settings.token_ttl_seconds,
        challenge_ttl=settings.challenge_ttl_seconds,
        use_nonce=service.use_nonce,
    )
    projector = Projector(opened.store)
    if opened.follows_own_writes:
        # The writer keeps its read models current (DESIGN.md 8).
        service.subscribe(projector.after_commit)
    return ApiContext(settings, service, sealer, projector)


def _add_routes(app: FastAPI) -> None:
    """Every resource's router, in the order the OpenAPI document lists them, and /healthz."""
    for module in (
        ledgers,
        events,
        auth,
        people,
        streams,
        checkpoints,
        proofs,
        bundles,
        matters,
        findings,
        guidelines,
        disputes,
        dry_run,
        documents,
        involvement,
        receipts,
        bodies,
    ):
        app.include_router(module.router)

    @app.get("/healthz", response_model=HealthOut, tags=["health"])
    def health() -> HealthOut:
        """The process is up (it does not touch the database)."""
        return HealthOut()


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with FastAPI's own 422 validation error replaced by our 400,
    the event payloads' schemas the submission refers to, and each query parameter's
    schema without the ``null`` no query string can carry."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _without_null(parameter["schema"])
            responses = operation.get("responses", {})
            found = responses.get("422", {})
            ref = str(
                found.get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            if ref.endswith("/HTTPValidationError"):
                del responses["422"]
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    payloads = payload_components()
    clash = set(payloads) & set(components)
    if clash:
        raise RuntimeError(f"payload schemas named like API schemas: {sorted(clash)}")
    components.update(payloads)
    app.openapi_schema = schema
    return schema


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter's ``anyOf [X, null]`` as X: absent is how it is left out."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or {"type": "null"} not in branches:
        return schema
    kept = [branch for branch in branches if branch != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}
