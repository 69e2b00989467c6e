"""What every command needs: settings, the ledger service, the ledger chosen."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ledger.application import LedgerService, system_clock
from ledger.errors import UnknownLedgerError
from ledger.keys import PersonKey
from ledger.sdk import LedgerClient, LocalTransport
from ledger.settings import Settings


@cache
def settings() -> Settings:
    return Settings()


@cache
def service() -> LedgerService:
    return settings().open_service()


def ledger_id(option: str | None) -> str:
    """The ledger a command works on: the option, the setting, or the only one."""
    chosen = option or settings().ledger
    if chosen:
        return chosen
    ledgers = service().store.ledgers_list()
    if len(ledgers) == 1:
        return ledgers[0].ledger_id
    if not ledgers:
        raise UnknownLedgerError("no ledger in this database; run `medledger init` first")
    names = ", ".join(row.ledger_id for row in ledgers)
    raise UnknownLedgerError(f"several ledgers ({names}); choose one with --ledger")


def load_key(path: Path) -> PersonKey:
    return PersonKey.load(path)


def transport() -> LocalTransport:
    """The SDK transport commands submit through: the local database."""
    return LocalTransport(service())


def client(key_file: Path, ledger: str | None) -> LedgerClient:
    """A client signing as the owner of ``key_file`` in the chosen ledger."""
    key = load_key(key_file)
    chosen = ledger_id(ledger)
    origin = service().origin_of(chosen)
    return LedgerClient(transport(), key, origin, clock=system_clock, ledger=chosen)
