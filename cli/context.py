"""What every command needs: settings, the ledger service, the ledger chosen.

Commands write through the SDK's transport: the local database by default,
or a medledger server when ``--server URL`` or ``MEDLEDGER_SERVER`` is set.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import typer

from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient, LocalTransport
from ledger.errors import UnknownLedgerError
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService, system_clock
from ledger.service.settings import OpenedLedger, Settings
from ledger.storage.store import Store
from projections.runner.projector import Projector


class CliSettings(Settings):
    """The shared settings, plus the server the CLI may talk to instead of a database."""

    server: str | None = None


_server_option: list[str] = []


def global_options(
    server: Annotated[
        str | None,
        typer.Option("--server", help="Submit to a medledger server (or set MEDLEDGER_SERVER)."),
    ] = None,
) -> None:
    """A signed, verifiable decision ledger for the MED system."""
    _server_option[:] = [server] if server else []


@cache
def settings() -> CliSettings:
    return CliSettings()


def server() -> str | None:
    """The server URL commands submit to, or None for the local database."""
    return _server_option[0] if _server_option else settings().server


@cache
def opened() -> OpenedLedger:
    """The local database, opened once; on SQLite its read models follow every write."""
    ledger = settings().open_ledger()
    if ledger.follows_own_writes:
        # On PostgreSQL, `medledger projections run` follows the log.
        ledger.service.subscribe(Projector(ledger.store).after_commit)
    return ledger


def service() -> LedgerService:
    """The local ledger service."""
    return opened().service


def store() -> Store:
    """The local database's storage, for the read models' projectors (never for writes)."""
    return opened().store


def ledger_id(option: str | None) -> str:
    """The ledger a command works on: the option, the setting, or the only one."""
    chosen = option or settings().ledger
    if chosen:
        return chosen
    if server():
        raise UnknownLedgerError(
            "with a server, choose the ledger with --ledger or MEDLEDGER_LEDGER"
        )
    ledgers = service().ledgers()
    if len(ledgers) == 1:
        return ledgers[0].ledger_id
    if not ledgers:
        raise UnknownLedgerError("no ledger in this database; run `medledger init` first")
    names = ", ".join(row.ledger_id for row in ledgers)
    raise UnknownLedgerError(f"several ledgers ({names}); choose one with --ledger")


def load_key(path: Path) -> PersonKey:
    return PersonKey.load(path)


def transport(
    key: PersonKey | None = None, ticket: str | None = None
) -> LocalTransport | HttpTransport:
    """The SDK transport commands submit through: the server if one is set, else the local database."""
    url = server()
    if url:
        return HttpTransport(url, key=key, creation_ticket=ticket)
    return LocalTransport(service())


def client(key_file: Path, ledger: str | None) -> LedgerClient:
    """A client signing as the owner of ``key_file`` in the chosen ledger."""
    key = load_key(key_file)
    chosen = ledger_id(ledger)
    chosen_transport = transport(key)
    if isinstance(chosen_transport, HttpTransport):
        origin = chosen_transport.origin(chosen)
    else:
        origin = service().origin_of(chosen)
    return LedgerClient(chosen_transport, key, origin, clock=system_clock, ledger=chosen)


def set_directory(signer: LedgerClient, person: str, name: str | None, email: str | None) -> None:
    """Record a person's name and e-mail outside the signed log (locally, or on the server as an admin)."""
    if isinstance(signer.transport, HttpTransport):
        signer.transport.put(signer.ledger, f"/directory/{person}", {"name": name, "email": email})
    else:
        service().set_directory(signer.origin, person, name, email)
