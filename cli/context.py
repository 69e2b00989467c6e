"""What every command needs: settings, the ledger service, the ledger chosen.

The app's callback builds one :class:`CliContext` per invocation and keeps
it in typer's ``ctx.obj``; each command takes ``ctx: typer.Context`` and
reads it from there.  Nothing lives in module globals, so one process (a
test) can run many invocations, each with its own settings and database.

Commands write through the SDK's transport: the local database by default,
or a medledger server when ``--server URL`` or ``MEDLEDGER_SERVER`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated

import typer

from cli.key_files import load_person_key
from ledger.client.http import HttpTransport
from ledger.client.sdk import LedgerClient, LocalTransport
from ledger.errors import UnknownLedgerError
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService, system_clock
from ledger.service.settings import OpenedLedger, Settings
from projections.runner.projector import Projector

LedgerOpt = Annotated[
    str | None, typer.Option("--ledger", help="Ledger id (default: the only one).")
]
EveryLedgerOpt = Annotated[
    str | None, typer.Option("--ledger", help="Only this ledger (default: every ledger).")
]


class CliSettings(Settings):
    """The shared settings, plus the server the CLI may talk to instead of a database."""

    server: str | None = None


@dataclass
class CliContext:
    """One invocation's settings and server, and the service and projector it opened.

    Settings are read, and the database opened, only when a command first
    asks: ``medledger serve`` or ``medledger demo`` never open the CLI's database.
    """

    server_option: str | None = None
    _opened: OpenedLedger | None = field(default=None, init=False)
    _projector: Projector | None = field(default=None, init=False)

    @cached_property
    def settings(self) -> CliSettings:
        return CliSettings()

    @property
    def server(self) -> str | None:
        """The server URL commands submit to, or None for the local database."""
        return self.server_option or self.settings.server

    def opened(self) -> OpenedLedger:
        """The local database, opened once; on SQLite its read models follow every write."""
        if self._opened is None:
            self._opened = self.settings.open_ledger()
            if self._opened.follows_own_writes:
                # On PostgreSQL, `medledger projections run` follows the log.
                self._opened.service.subscribe(self.projector().after_commit)
        return self._opened

    def service(self) -> LedgerService:
        """The local ledger service."""
        return self.opened().service

    def projector(self) -> Projector:
        """The read models' projector over the local database's log."""
        if self._projector is None:
            self._projector = Projector(self.opened().store)
        return self._projector

    def close(self) -> None:
        """Let go of the database connections this invocation opened."""
        if self._opened is not None:
            self._opened.close()

    def ledger_id(self, option: str | None) -> str:
        """The ledger a command works on: the option, the setting, or the only one."""
        chosen = option or self.settings.ledger
        if chosen:
            return chosen
        if self.server:
            raise UnknownLedgerError(
                "with a server, choose the ledger with --ledger or MEDLEDGER_LEDGER"
            )
        ledgers = self.service().ledgers()
        if len(ledgers) == 1:
            return ledgers[0].ledger_id
        if not ledgers:
            raise UnknownLedgerError("no ledger in this database; run `medledger init` first")
        names = ", ".join(row.ledger_id for row in ledgers)
        raise UnknownLedgerError(f"several ledgers ({names}); choose one with --ledger")

    def origin(self, option: str | None) -> str:
        """The origin of the ledger a command works on in the local database."""
        return self.service().origin_of(self.ledger_id(option))

    def only_origin(self, option: str | None) -> str | None:
        """The origin of the one ledger an ``EveryLedgerOpt`` names, or None for every ledger."""
        return None if option is None else self.origin(option)

    def transport(
        self, key: PersonKey | None = None, ticket: str | None = None
    ) -> LocalTransport | HttpTransport:
        """The SDK transport commands submit through: the server if one is set, else the local database."""
        url = self.server
        if url:
            return HttpTransport(url, key=key, creation_ticket=ticket)
        return LocalTransport(self.service())

    def client(self, key_file: Path, ledger: str | None) -> LedgerClient:
        """A client signing as the owner of ``key_file`` in the chosen ledger."""
        key = load_person_key(key_file)
        chosen = self.ledger_id(ledger)
        chosen_transport = self.transport(key)
        if isinstance(chosen_transport, HttpTransport):
            origin = chosen_transport.origin(chosen)
        else:
            origin = self.service().origin_of(chosen)
        return LedgerClient(chosen_transport, key, origin, clock=system_clock, ledger=chosen)

    def set_directory(
        self, signer: LedgerClient, person: str, name: str | None, email: str | None
    ) -> None:
        """Record a person's name and e-mail outside the signed log, as an admin (locally, or
        on the server); the person must be enrolled."""
        if isinstance(signer.transport, HttpTransport):
            signer.transport.put(
                signer.ledger, f"/directory/{person}", {"name": name, "email": email}
            )
            return
        self._admin_of(signer, person).set_directory(signer.origin, person, name, email)

    def erase_directory(self, signer: LedgerClient, person: str) -> None:
        """Erase a person's name and e-mail from the directory, as an admin (locally, or on
        the server); the person must be enrolled."""
        if isinstance(signer.transport, HttpTransport):
            signer.transport.delete(signer.ledger, f"/directory/{person}")
            return
        self._admin_of(signer, person).erase_directory(signer.origin, person)

    def _admin_of(self, signer: LedgerClient, person: str) -> LedgerService:
        """This machine's service, once the registry's part of the server's checks holds:
        ``signer`` names an admin and ``person`` is enrolled.  The key itself is not
        checked: whoever runs this holds the database anyway."""
        service = self.service()
        registry = service.state(signer.origin).registry
        registry.require_admin(signer.key.person)
        registry.require_person(person)
        return service


def global_options(
    ctx: typer.Context,
    server: Annotated[
        str | None,
        typer.Option("--server", help="Submit to a medledger server (or set MEDLEDGER_SERVER)."),
    ] = None,
) -> None:
    """A signed, verifiable decision ledger for the MED system."""
    invocation = CliContext(server_option=server)
    ctx.obj = invocation
    ctx.call_on_close(invocation.close)
