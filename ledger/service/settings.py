"""Settings shared by the CLI, the HTTP API and the projection worker.

Every setting is read from the environment with the ``MEDLEDGER_`` prefix
(or a ``.env`` file), so that ``docker-compose.yml``, the CLI and the API
use the same names.  The embedded default is one SQLite file and a log-key
directory beside it; nothing else has to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ledger.service.application import Clock, LedgerService, system_clock
from ledger.service.checkpoint_policy import DEFAULT_EVERY, DEFAULT_INTERVAL, CheckpointPolicy
from ledger.storage.logkeys import LogKeyring
from ledger.storage.store import Store

DEFAULT_DATA_DIR = Path("medledger-data")


@dataclass(frozen=True)
class OpenedLedger:
    """One database, opened once: the service writes through it, projectors read its log.

    The composition roots (the CLI, the API, the site) hand ``store`` to those
    that keep tables of their own, the read models' projector and the
    notifier; the API and the pages reach the log through ``service`` and
    read those tables through the projector and the notifier, never through
    a storage module of their own.
    """

    store: Store
    service: LedgerService

    @property
    def follows_own_writes(self) -> bool:
        """True on SQLite, where read models catch up in the writing process."""
        return self.store.dialect == "sqlite"

    def close(self) -> None:
        """Release the database connections."""
        self.store.dispose()


class Settings(BaseSettings):
    """Where the ledger lives and how it behaves."""

    model_config = SettingsConfigDict(env_prefix="MEDLEDGER_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR}/ledger.db"
    database_schema: str | None = None
    log_keys: Path = DEFAULT_DATA_DIR / "log-keys"
    ledger: str | None = None
    # The writer signs a checkpoint every N events or T seconds; the server's
    # timer signs a quiet ledger's tail T seconds after its last checkpoint.
    checkpoint_every: int = Field(default=DEFAULT_EVERY, ge=1)
    checkpoint_interval_seconds: float = Field(
        default=DEFAULT_INTERVAL.total_seconds(), gt=0, le=86_400
    )

    def open_store(self) -> Store:
        """Open (and create the tables of) the configured database."""
        if self.database_url.startswith("sqlite:///"):
            path = Path(self.database_url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
        return Store(self.database_url, schema=self.database_schema)

    def open_ledger(self, clock: Clock = system_clock) -> OpenedLedger:
        """Open the configured database once, with the ledger service over it."""
        store = self.open_store()
        service = LedgerService(
            store,
            LogKeyring(self.log_keys),
            clock=clock,
            checkpoints=CheckpointPolicy(
                self.checkpoint_every, timedelta(seconds=self.checkpoint_interval_seconds)
            ),
        )
        return OpenedLedger(store, service)
