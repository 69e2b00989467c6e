"""Every key file the CLI writes is created 0600 and never through a planted link,
and reads back as the key it holds (the format byte for byte).

Someone who can write to the folder where a key is about to be made plants
a symbolic link there (to a file of theirs, or to nowhere yet): the CLI
refuses, writes no key, and the link's target is left exactly as it was.
"""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cli.demo_cmd import write_demo_keys
from cli.key_files import load_person_key, save_key
from demo.organisation import Organisation
from ledger.errors import MalformedKeyError
from ledger.protocol.keys import PersonKey
from ledger.service.application import LedgerService
from tests.stories.cli import medledger

ORIGIN = "ledger.example/noegler"


def _refused_as_existing(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "error[malformed_key]" in result.stderr
    assert "exists" in result.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_keygen_writes_a_key_only_its_owner_reads(data: Path, tmp_path: Path) -> None:
    made = medledger("keygen tr --out keys/tr.key", data=data)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["person"] == "tr"
    assert _mode(tmp_path / "keys" / "tr.key") == 0o600


@pytest.mark.parametrize("target_exists", [True, False], ids=["to-a-file", "dangling"])
def test_keygen_refuses_a_planted_link(data: Path, tmp_path: Path, target_exists: bool) -> None:
    target = tmp_path / "elsewhere" / "collected.txt"
    target.parent.mkdir()
    if target_exists:
        target.write_text("the attacker's file\n")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "tr.key").symlink_to(target)

    _refused_as_existing(medledger("keygen tr --out keys/tr.key", data=data))

    assert (tmp_path / "keys" / "tr.key").is_symlink()
    if target_exists:
        assert target.read_text() == "the attacker's file\n"
    else:
        assert not target.exists()


def test_init_refuses_a_link_planted_where_the_log_key_goes(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "collected.txt"
    (data / "log-keys").mkdir(parents=True)
    (data / "log-keys" / "noegler.key").symlink_to(target)

    _refused_as_existing(medledger(f"init --origin {ORIGIN} --name X --keys-dir keys", data=data))

    assert not target.exists()
    assert not (tmp_path / "keys" / "admin.key").exists()


def test_init_refuses_a_link_planted_where_the_admin_key_goes(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "collected.txt"
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "admin.key").symlink_to(target)

    _refused_as_existing(medledger(f"init --origin {ORIGIN} --name X --keys-dir keys", data=data))

    assert not target.exists()
    assert not (data / "log-keys" / "noegler.key").exists(), "no log key for a ledger not made"


def test_a_witness_key_is_0600_and_never_written_through_a_link(data: Path, tmp_path: Path) -> None:
    made = medledger("witness init --dir witness --name witness.example/a", data=data)
    assert made.returncode == 0, made.stderr
    assert _mode(tmp_path / "witness" / "witness.key") == 0o600

    target = tmp_path / "collected.txt"
    (tmp_path / "planted").mkdir()
    (tmp_path / "planted" / "witness.key").symlink_to(target)
    _refused_as_existing(
        medledger("witness init --dir planted --name witness.example/b", data=data)
    )
    assert not target.exists()


KEY_FILE = (
    "{\n"
    '  "type": "medledger-person-key/v1",\n'
    '  "person": "tr-anna",\n'
    '  "key_id": "56475aa75463474c",\n'
    '  "public_key": "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",\n'
    '  "private_key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="\n'
    "}\n"
)


def test_a_key_file_keeps_its_format_byte_for_byte(tmp_path: Path) -> None:
    key = PersonKey("tr-anna", Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
    save_key(key, tmp_path / "keys" / "tr-anna.key")

    assert (tmp_path / "keys" / "tr-anna.key").read_bytes() == KEY_FILE.encode()
    assert _mode(tmp_path / "keys" / "tr-anna.key") == 0o600
    loaded = load_person_key(tmp_path / "keys" / "tr-anna.key")
    assert (loaded.person, loaded.key_id) == ("tr-anna", key.key_id)


@pytest.mark.parametrize(
    "content",
    [None, "not json", KEY_FILE.replace("56475aa75463474c", "0" * 16)],
    ids=["missing", "not-json", "wrong-key-id"],
)
def test_a_missing_or_malformed_key_file_is_a_malformed_key(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "tr.key"
    if content is not None:
        path.write_text(content)
    with pytest.raises(MalformedKeyError):
        load_person_key(path)


def test_the_demo_keys_are_0600_and_read_back(
    service: LedgerService, org: Organisation, tmp_path: Path
) -> None:
    write_demo_keys(tmp_path / "demo-keys", service, (org,))

    ledger = org.origin.rsplit("/", 1)[-1]
    for person, key in org.keys.items():
        path = tmp_path / "demo-keys" / ledger / f"{person}.key"
        assert _mode(path) == 0o600
        assert path.read_bytes() == (key.to_json() + "\n").encode()
    people = tmp_path / "demo-keys" / "people.json"
    assert _mode(people) == 0o600
    assert {p["person"] for p in json.loads(people.read_text("utf-8"))} == set(org.keys)


def test_the_demo_never_writes_a_key_through_a_planted_link(
    service: LedgerService, org: Organisation, tmp_path: Path
) -> None:
    target = tmp_path / "collected.txt"
    target.write_text("the attacker's file\n")
    folder = tmp_path / "demo-keys" / org.origin.rsplit("/", 1)[-1]
    folder.mkdir(parents=True)
    (folder / f"{next(iter(org.keys))}.key").symlink_to(target)

    with pytest.raises(MalformedKeyError, match="exists"):
        write_demo_keys(tmp_path / "demo-keys", service, (org,))

    assert target.read_text() == "the attacker's file\n"
