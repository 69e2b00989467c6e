"""The HTTP API's settings: the ledger's settings plus what a server needs.

Same ``MEDLEDGER_`` names as the CLI and the projection worker (they all
read :class:`ledger.service.settings.Settings`), so that one environment file or
``docker-compose.yml`` configures every process.  In production mode the
server refuses to start with the development secret, or with a short one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator

from ledger.service.settings import Settings

DEVELOPMENT_SECRET = "medledger-development-secret-do-not-use-in-production"  # noqa: S105
MIN_SECRET_LENGTH = 32


class InsecureSettingsError(ValueError):
    """Production mode with a secret anyone can read in this repository."""


class ApiSettings(Settings):
    """Everything ``medledger serve`` reads from the environment."""

    mode: Literal["development", "production"] = "development"
    api_secret: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    token_ttl_seconds: int = Field(default=900, ge=10, le=86_400)
    challenge_ttl_seconds: int = Field(default=120, ge=5, le=3600)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # Catch the read models up before each read: None means on SQLite only (on
    # PostgreSQL the projection worker keeps them current and reads report lag).
    read_models_catch_up: bool | None = None

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> ApiSettings:
        secret = self.api_secret.get_secret_value()
        if self.mode == "production":
            if secret == DEVELOPMENT_SECRET:
                raise InsecureSettingsError(
                    "MEDLEDGER_API_SECRET is the development default; set a random secret "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                    "before running in production mode"
                )
            if len(secret) < MIN_SECRET_LENGTH:
                raise InsecureSettingsError(
                    f"MEDLEDGER_API_SECRET must be at least {MIN_SECRET_LENGTH} characters "
                    "in production mode"
                )
        return self

    def secret_bytes(self) -> bytes:
        return self.api_secret.get_secret_value().encode()
