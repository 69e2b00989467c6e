"""The HTTP API's settings: the ledger's settings plus what a server needs.

Same ``MEDLEDGER_`` names as the CLI and the projection worker (they all
read :class:`ledger.service.settings.Settings`), so that one environment file or
``docker-compose.yml`` configures every process.

There is no well-known secret in any configuration.  The secret that seals
challenges, tokens and creation tickets is ``MEDLEDGER_API_SECRET`` when it
is set (at least 32 characters), otherwise the file ``api.secret`` in the
log-keys directory (``MEDLEDGER_LOG_KEYS``, the server's directory of
secrets), which the first process to need it makes (48 random bytes, mode
0600) and every later one, and every worker of the deployment, reads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from ledger.service.settings import Settings
from ledger.storage.secret_files import shared_secret

MIN_SECRET_LENGTH = 32
SECRET_FILE_NAME = "api.secret"  # noqa: S105 (a file name, not a secret)
# SHA-256 of secrets once printed in this repository (a former development
# default and a former test value): refused even though they are long enough.
PUBLISHED_SECRET_DIGESTS = frozenset(
    {
        "2789e51d04761307a87f2d191aef416881a2fec641856afe2aa9558917f1f0c7",
        "98d5ee790c13dac04ad488db35ac8184a229751774471f01205d42176ff2a379",
    }
)


class InsecureSettingsError(ValueError):
    """A configured secret that is too short or was once published."""


class ApiSettings(Settings):
    """Everything ``medledger serve`` reads from the environment."""

    api_secret: SecretStr | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # A document (material, minutes) uploaded to be named by its SHA-256: 25 MiB.
    max_document_bytes: int = Field(default=26_214_400, ge=1024)
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    token_ttl_seconds: int = Field(default=900, ge=10, le=86_400)
    challenge_ttl_seconds: int = Field(default=120, ge=5, le=3600)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # Catch the read models up before each read: None means on SQLite only (on
    # PostgreSQL the projection worker keeps them current and reads report lag).
    read_models_catch_up: bool | None = None
    # The demo's key files (``medledger demo`` writes them): the web application's
    # start page offers the demo's people only when this is set (``make run``).
    demo_keys: Path | None = None

    @field_validator("api_secret")
    @classmethod
    def _refuse_weak_secret(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is None:
            return None
        text = secret.get_secret_value()
        if len(text) < MIN_SECRET_LENGTH:
            raise InsecureSettingsError(
                f"MEDLEDGER_API_SECRET must be at least {MIN_SECRET_LENGTH} characters; "
                "leave it unset and the server makes a random one in "
                f"MEDLEDGER_LOG_KEYS/{SECRET_FILE_NAME}"
            )
        if hashlib.sha256(text.encode()).hexdigest() in PUBLISHED_SECRET_DIGESTS:
            raise InsecureSettingsError(
                "MEDLEDGER_API_SECRET is a value once published in medledger's repository"
            )
        return secret

    @property
    def secret_file(self) -> Path:
        """Where the server keeps the secret it made itself (when none is configured)."""
        return self.log_keys / SECRET_FILE_NAME

    def secret_bytes(self) -> bytes:
        """The configured secret, or the deployment's own from ``secret_file`` (made if missing).

        Raises UnsafeSecretFileError if that file is a link, is readable by
        group or others, or is too short.
        """
        if self.api_secret is not None:
            return self.api_secret.get_secret_value().encode()
        return shared_secret(self.secret_file, min_length=MIN_SECRET_LENGTH).encode()
