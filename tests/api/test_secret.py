"""No well-known secret in any configuration.

A server given no ``MEDLEDGER_API_SECRET`` makes its own, random, in a file
only its owner reads, in the log-keys directory; every process of the
deployment reads that one file.  So a token sealed with any secret ever
printed in the repository is worthless, and a planted link or a file
others can read is refused before the server starts.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from api.credentials import TOKEN, seal
from api.settings import SECRET_FILE_NAME, ApiSettings
from demo.organisation import Organisation
from ledger.errors import UnsafeSecretFileError
from ledger.service.application import LedgerService
from ledger.service.settings import OpenedLedger
from ledger.storage.secret_files import shared_secret
from ledger.storage.store import Store
from tests.api.conftest import Api, assert_error, ledger_path, running

# The value ``medledger serve`` used when nothing was configured, before this
# test existed; it was printed in the repository, so anyone could seal with it.
FORMER_DEVELOPMENT_SECRET = "medledger-development-secret-do-not-use-in-production"


@pytest.fixture(autouse=True)
def no_secret_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDLEDGER_API_SECRET", raising=False)


def unconfigured(directory: Path) -> ApiSettings:
    """The settings of a server whose operator set no secret at all."""
    return ApiSettings(
        database_url=f"sqlite:///{directory}/unused.db",
        log_keys=directory / "log-keys",
        read_models_catch_up=True,
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_server_with_no_secret_refuses_what_the_former_default_sealed(
    service: LedgerService, store: Store, org: Organisation, tmp_path: Path
) -> None:
    now = int(service.clock().timestamp())
    key_id = org.keys["revisor"].key_id
    claims = {"origin": org.origin, "person": "revisor", "key": key_id, "iat": now}
    forged_token = seal(FORMER_DEVELOPMENT_SECRET.encode(), TOKEN, {**claims, "exp": now + 600})
    with running(unconfigured(tmp_path), OpenedLedger(store, service)) as api:
        response = api.http.get(
            f"{ledger_path(org)}/me", headers={"Authorization": f"Bearer {forged_token}"}
        )
        assert_error(response, 401, "token_invalid")
        assert api.get(org, "revisor", "/me").status_code == 200  # its own tokens work


def test_the_secret_made_at_first_start_is_random_0600_and_kept(tmp_path: Path) -> None:
    settings = unconfigured(tmp_path)
    secret = settings.secret_bytes()
    path = tmp_path / "log-keys" / SECRET_FILE_NAME
    assert settings.secret_file == path
    assert _mode(path) == 0o600
    assert len(secret) >= 32
    assert unconfigured(tmp_path).secret_bytes() == secret, "a restart reads the same secret"
    assert unconfigured(tmp_path / "elsewhere").secret_bytes() != secret
    assert [p.name for p in path.parent.iterdir()] == [SECRET_FILE_NAME], "no temporary left"


@pytest.mark.parametrize("target_exists", [True, False], ids=["to-a-file", "dangling"])
def test_a_linked_secret_file_is_refused(tmp_path: Path, target_exists: bool) -> None:
    target = tmp_path / "chosen-by-someone-else"
    if target_exists:
        target.write_text("k" * 64 + "\n")
        target.chmod(0o600)
    (tmp_path / "log-keys").mkdir()
    (tmp_path / "log-keys" / SECRET_FILE_NAME).symlink_to(target)
    with pytest.raises(UnsafeSecretFileError, match="symbolic link"):
        unconfigured(tmp_path).secret_bytes()
    assert target.exists() == target_exists
    if target_exists:
        assert target.read_text() == "k" * 64 + "\n"


@pytest.mark.parametrize(
    ("mode", "text", "words"),
    [
        (0o640, "k" * 64, "owner only"),
        (0o604, "k" * 64, "owner only"),
        (0o600, "k" * 31, "at least 32"),
    ],
)
def test_a_secret_file_others_can_read_or_too_short_is_refused(
    tmp_path: Path, mode: int, text: str, words: str
) -> None:
    path = tmp_path / "log-keys" / SECRET_FILE_NAME
    path.parent.mkdir()
    path.write_text(text)
    path.chmod(mode)
    with pytest.raises(UnsafeSecretFileError, match=words) as refused:
        unconfigured(tmp_path).secret_bytes()
    assert refused.value.code == "unsafe_secret_file"


def test_two_processes_over_one_data_directory_accept_each_others_credentials(
    service: LedgerService,
    store: Store,
    other_process: OpenedLedger,
    org: Organisation,
    tmp_path: Path,
) -> None:
    with (
        running(unconfigured(tmp_path), OpenedLedger(store, service)) as first,
        running(unconfigured(tmp_path), other_process) as second,
    ):
        token = first.token(org, "revisor")
        me = second.http.get(f"{ledger_path(org)}/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["person"] == "revisor"
        assert _sealer_secret(first) == _sealer_secret(second)


def _sealer_secret(api: Api) -> bytes:
    secret = api.app.state.context.sealer.secret
    assert isinstance(secret, bytes)
    return secret


def _make(path: str, queue: Any) -> None:
    queue.put(shared_secret(Path(path), min_length=32))


def test_processes_starting_together_agree_on_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "log-keys" / SECRET_FILE_NAME
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_make, args=(str(path), queue)) for _ in range(4)]
    for worker in workers:
        worker.start()
    made = {queue.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join(timeout=60)
    assert made == {path.read_text().strip()}
    assert sorted(os.listdir(path.parent)) == [SECRET_FILE_NAME]


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("short", "at least 32"),
        ("x" * 31, "at least 32"),
        (FORMER_DEVELOPMENT_SECRET, "once published"),
    ],
)
def test_a_configured_secret_must_be_long_and_never_published(secret: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        ApiSettings(api_secret=secret)


def test_a_long_configured_secret_is_used_as_given(tmp_path: Path) -> None:
    settings = ApiSettings(api_secret="x" * 48, log_keys=tmp_path / "log-keys")
    assert settings.secret_bytes() == b"x" * 48
    assert not settings.secret_file.exists(), "a configured secret makes no file"
