"""How facts are written into read-model rows: fixed-width times and deterministic JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def fixed_time(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ``: always 27 characters, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_text(value: Any) -> str:
    """Deterministic JSON text for a JSON column."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
