"""The operator's ``prepare-ledger``: a creation ticket bound to the founding admin's key.

The operator names the admin's public key however the admin handed it over
(the key id, the base64 key, or the JSON ``keygen`` printed); the ticket's
claims carry that key id, so only that key can found the ledger with it.
Nothing is made for a key that is not one.
"""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from tests.stories.cli import medledger

ORIGIN = "ledger.example/forberedt"


def _claims(ticket: str) -> dict[str, object]:
    kind, claims, _ = ticket.split(".")
    assert kind == "mlk1"
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert isinstance(decoded, dict)
    return decoded


@pytest.fixture
def admin(tmp_path: Path) -> dict[str, str]:
    made = medledger("keygen stifter --out keys/stifter.key", data=tmp_path / "admin")
    assert made.returncode == 0, made.stderr
    (tmp_path / "stifter.pub.json").write_text(made.stdout)
    printed = json.loads(made.stdout)
    assert isinstance(printed, dict)
    return {str(k): str(v) for k, v in printed.items()}


@pytest.mark.parametrize("form", ["key_id", "public_key", "printed_json", "key_file"])
def test_the_ticket_names_the_founding_admins_key(
    tmp_path: Path, admin: dict[str, str], form: str
) -> None:
    given = {
        "key_id": admin["key_id"],
        "public_key": admin["public_key"],
        "printed_json": str(tmp_path / "stifter.pub.json"),
        "key_file": str(tmp_path / "keys" / "stifter.key"),
    }[form]
    data = tmp_path / "server"
    done = medledger(f"prepare-ledger {ORIGIN} --admin-key", given, data=data)
    assert done.returncode == 0, done.stderr
    prepared = json.loads(done.stdout)
    assert prepared["founding_admin_key_id"] == admin["key_id"]
    claims = _claims(prepared["creation_ticket"])
    assert claims["origin"] == ORIGIN
    assert claims["key"] == admin["key_id"]
    secret = data / "log-keys" / "api.secret"
    assert stat.S_IMODE(secret.lstat().st_mode) == 0o600, "the secret is made, owner-only"


@pytest.mark.parametrize("given", ["stifter", "QUJD", "0123456789abcdeF"])
def test_no_ticket_and_no_log_key_for_something_that_is_no_key(tmp_path: Path, given: str) -> None:
    data = tmp_path / "server"
    done = medledger(f"prepare-ledger {ORIGIN} --admin-key", given, data=data)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "error[malformed_key]" in done.stderr
    assert "--admin-key" in done.stderr
    assert not (data / "log-keys" / "forberedt.key").exists()


def test_a_ticket_cannot_be_made_without_naming_the_admins_key(tmp_path: Path) -> None:
    done = medledger(f"prepare-ledger {ORIGIN}", data=tmp_path / "server")
    assert done.returncode == 2
    assert "--admin-key" in done.stderr


def test_founding_over_http_needs_the_key_the_ticket_names(tmp_path: Path) -> None:
    done = medledger(
        f"--server http://127.0.0.1:9 init --origin {ORIGIN} --name X --ticket mlk1.e30.AAAA",
        data=tmp_path / "admin",
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "--key-file" in done.stderr
    assert not (tmp_path / "medledger-data").exists()
