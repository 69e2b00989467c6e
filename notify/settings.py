"""The notification worker's settings: the server's, plus the SMTP server and the timings.

Every name is read from the environment with the ``MEDLEDGER_`` prefix, as
the other processes' settings are (``api/settings.py``).  The worker signs
its unsubscribe links with the deployment's secret, so it reads the same
secret as the web application that checks them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from api.settings import ApiSettings


class NotifySettings(ApiSettings):
    """Everything ``medledger notify run`` reads from the environment."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=20.0, gt=0, le=600)
    mail_from: str = "medledger@localhost"
    web_base_url: str = "http://127.0.0.1:8000"
    notify_poll_seconds: float = Field(default=5.0, gt=0, le=3600)
    notify_max_attempts: int = Field(default=6, ge=1, le=50)
    notify_backoff_seconds: float = Field(default=60.0, gt=0, le=86_400)
    notify_lease_seconds: float = Field(default=300.0, gt=0, le=86_400)
    notify_max_age_days: int = Field(default=14, ge=1, le=3650)
    notify_digest_hour: int = Field(default=7, ge=0, le=23)
    notify_reminder_days: int = Field(default=2, ge=0, le=60)
