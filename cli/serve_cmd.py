"""``medledger serve``: the HTTP API; ``medledger prepare-ledger``: the operator's step before it.

``serve`` runs the FastAPI application with uvicorn on the database the
settings name (the embedded SQLite file by default, PostgreSQL by
``MEDLEDGER_DATABASE_URL``).  ``prepare-ledger`` runs on the server's host:
it makes the ledger's log key in ``MEDLEDGER_LOG_KEYS`` and prints a
creation ticket, bound to the founding admin's public key, with which that
admin creates the ledger over HTTP (``medledger --server URL init
--key-file ... --ticket ...``): the server never holds a person's private key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console

from api.credentials import creation_ticket
from api.logs import configure_logging
from api.settings import ApiSettings
from cli.errors import handle_errors, stderr
from ledger.errors import MalformedKeyError
from ledger.protocol.envelope import ledger_id_of
from ledger.protocol.keys import key_id_for, load_public_key, public_key_bytes
from ledger.service.application import system_clock
from ledger.storage.logkeys import LogKeyring
from web.site import create_site

console = Console()
KEY_ID = re.compile(r"[0-9a-f]{16}")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command("prepare-ledger")(prepare_ledger)


def _settings() -> ApiSettings:
    """The API's settings, or a clear refusal (exit 3) when they are not safe to run with."""
    try:
        return ApiSettings()
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]) or "settings"
            stderr.print(
                f"[bold red]error\\[settings_invalid][/]: {where}: {problem['msg']}",
                highlight=False,
            )
        raise typer.Exit(3) from None


@handle_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default MEDLEDGER_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default MEDLEDGER_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default MEDLEDGER_API_WORKERS).")
    ] = None,
) -> None:
    """Serve the web application at / and the HTTP API at /v1 (signed writes, reads, proofs)."""
    settings = _settings()
    configure_logging(settings.log_level)
    settings.secret_bytes()  # made (or refused) once, before any worker starts
    chosen_workers = workers or settings.api_workers
    options = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_config": None,
        "access_log": False,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
    }
    if chosen_workers > 1:
        factory = "web.site:create_site_from_env"
        uvicorn.run(factory, factory=True, workers=chosen_workers, **options)  # type: ignore[arg-type]
        return
    uvicorn.run(create_site(settings), **options)  # type: ignore[arg-type]


@handle_errors
def prepare_ledger(
    origin: Annotated[str, typer.Argument(help="Ledger origin, e.g. ledger.example/ballerup.")],
    admin_key: Annotated[
        str,
        typer.Option(
            help="The founding admin's key: its key id, its base64 public key, or a file "
            "holding its public key (what `medledger keygen` prints, or the key file)."
        ),
    ],
    ticket_hours: Annotated[int, typer.Option(help="How long the creation ticket is valid.")] = 24,
) -> None:
    """Make a ledger's log key on this host and print a creation ticket for its founding admin.

    The ticket founds the ledger only with a LedgerCreated signed by the key
    given in --admin-key: whoever else holds it can do nothing with it.
    """
    settings = _settings()
    key_id = founding_key_id(admin_key)
    secret = settings.secret_bytes()  # before the log key: refuse an unsafe secret file first
    signer = LogKeyring(settings.log_keys).create(origin)
    expires = int(system_clock().timestamp()) + ticket_hours * 3600
    console.print_json(
        json.dumps(
            {
                "ledger_id": ledger_id_of(origin),
                "origin": origin,
                "log_verifier_key": signer.verifier_key(),
                "founding_admin_key_id": key_id,
                "creation_ticket": creation_ticket(secret, origin, key_id, expires),
            }
        )
    )


def founding_key_id(admin_key: str) -> str:
    """The key id ``--admin-key`` names: a key id, a base64 public key, or a file with one.

    Raises MalformedKeyError if it is none of these.
    """
    if KEY_ID.fullmatch(admin_key):
        return admin_key
    path = Path(admin_key)
    try:
        if path.is_file():
            return _key_id_in_file(path)
        return key_id_for(public_key_bytes(load_public_key(admin_key)))
    except MalformedKeyError as exc:
        raise MalformedKeyError(
            "--admin-key must be a key id (16 hex digits), a base64 Ed25519 public key "
            f"or a file holding one: {exc.message}"
        ) from exc


def _key_id_in_file(path: Path) -> str:
    """The key id of the ``public_key`` in a JSON file (keygen's output or a key file)."""
    try:
        found = json.loads(path.read_text())
        public_key = found["public_key"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MalformedKeyError(f"{path} holds no public_key") from exc
    if not isinstance(public_key, str):
        raise MalformedKeyError(f"{path} holds no public_key")
    key_id = key_id_for(public_key_bytes(load_public_key(public_key)))
    if found.get("key_id", key_id) != key_id:
        raise MalformedKeyError(f"{path}: key_id does not match its public key")
    return key_id
