"""Person key files on disk: the CLI reads and writes them; the protocol only parses.

The file format (``medledger-person-key/v1``) is ``PersonKey.to_json`` and
``PersonKey.from_json`` in ``ledger/protocol/keys.py``, which do no I/O.  A key
file is created 0600 in one step, never over anything already at its path and
never through a link (``ledger/storage/secret_files.py``).
"""

from __future__ import annotations

from pathlib import Path

from ledger.errors import MalformedKeyError
from ledger.protocol.keys import PersonKey
from ledger.storage.secret_files import create_secret_file


def load_person_key(path: Path) -> PersonKey:
    """The person key in the key file at ``path``; raise MalformedKeyError if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedKeyError(f"cannot read key file {path}: {exc}") from exc
    return PersonKey.from_json(text)


def save_key(key: PersonKey, path: Path) -> None:
    """Write a person's key file: mode 0600, never over anything already at ``path``."""
    create_secret_file(path, key.to_json() + "\n")
