"""The log keys: one Ed25519 signed-note key per ledger, kept in files.

The log key signs checkpoints; it is not any person's key and never goes
into the database (DESIGN.md section 8).  A keyring is a directory named in
settings (``MEDLEDGER_LOG_KEYS``) holding ``<ledger id>.key`` files in the
signed-note private key format, created mode 0600 without following links.
"""

from __future__ import annotations

from pathlib import Path

from ledger.errors import MalformedKeyError, UnknownLedgerError
from ledger.protocol.envelope import ledger_id_of
from ledger.protocol.note import NoteSigner
from ledger.storage.secret_files import create_secret_file


class LogKeyring:
    """Log signing keys by ledger id, read from a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: dict[str, NoteSigner] = {}

    def path(self, ledger_id: str) -> Path:
        return self.directory / f"{ledger_id}.key"

    def create(self, origin: str) -> NoteSigner:
        """Generate and save the log key for a new ledger; refuse to overwrite one."""
        path = self.path(ledger_id_of(origin))
        signer = NoteSigner.generate(origin)
        try:
            create_secret_file(path, signer.to_signer_key() + "\n")
        except MalformedKeyError as exc:
            raise MalformedKeyError(f"a log key already exists at {path}") from exc
        self._cache[ledger_id_of(origin)] = signer
        return signer

    def signer(self, origin: str) -> NoteSigner:
        """The log key of a ledger; raise UnknownLedgerError if the file is missing."""
        ledger_id = ledger_id_of(origin)
        if ledger_id not in self._cache:
            path = self.path(ledger_id)
            try:
                text = path.read_text().strip()
            except OSError as exc:
                raise UnknownLedgerError(
                    f"no log key for ledger {ledger_id} at {path}", ledger=ledger_id
                ) from exc
            signer = NoteSigner.from_signer_key(text)
            if signer.name != origin:
                raise MalformedKeyError(f"log key at {path} is for {signer.name}, not {origin}")
            self._cache[ledger_id] = signer
        return self._cache[ledger_id]
