"""Files that hold secrets: person keys, log keys, witness keys, the API's secret.

A secret file is created with mode 0600 in one step (``O_CREAT | O_EXCL |
O_NOFOLLOW``): nothing already at the path is ever overwritten or followed,
so a link planted where a key is about to be written is refused and its
target left untouched.  A secret file read back (the API's secret) must
still be a regular file, not a link, readable by its owner only, and long
enough.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ledger.errors import MalformedKeyError, UnsafeSecretFileError

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW


def create_secret_file(path: Path, text: str) -> None:
    """Write ``text`` to a new file at ``path``, mode 0600, never following a link.

    Raises MalformedKeyError if anything (a file, a directory, a link,
    dangling or not) is already at ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, _CREATE, 0o600)
    except FileExistsError as exc:
        raise MalformedKeyError(f"{path} exists; refusing to overwrite a key") from exc
    try:
        os.fchmod(fd, 0o600)  # the umask may only have taken bits away
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink()
        raise
    os.close(fd)


def read_secret_file(path: Path, *, min_length: int) -> str:
    """The stripped text of a private secret file at ``path``.

    Raises FileNotFoundError if there is none, and UnsafeSecretFileError if
    it is a link or not a regular file, if its group or others have any
    permission on it, or if it holds fewer than ``min_length`` characters.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP: the last component is a symbolic link
        if path.is_symlink():
            raise UnsafeSecretFileError(f"{path} is a symbolic link", path=str(path)) from exc
        raise UnsafeSecretFileError(f"cannot read {path}: {exc}", path=str(path)) from exc
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeSecretFileError(f"{path} is not a regular file", path=str(path))
        if status.st_mode & 0o077:
            raise UnsafeSecretFileError(
                f"{path} has mode {stat.S_IMODE(status.st_mode):04o}; "
                "a secret must be readable by its owner only (chmod 600)",
                path=str(path),
            )
        text = handle.read().decode("ascii", errors="replace").strip()
    if len(text) < min_length:
        raise UnsafeSecretFileError(
            f"{path} holds {len(text)} characters; a secret needs at least {min_length}",
            path=str(path),
        )
    return text


def shared_secret(path: Path, *, min_length: int) -> str:
    """The secret in ``path``, made there first (random, 0600) if the file does not exist.

    Safe when several processes start at once: each writes its candidate to
    a private temporary file and links it into place, which fails if
    another got there first; every process then reads the one that won.
    """
    try:
        return read_secret_file(path, min_length=min_length)
    except FileNotFoundError:
        pass
    candidate = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    create_secret_file(candidate, secrets.token_urlsafe(48) + "\n")
    try:
        os.link(candidate, path)
    except FileExistsError:
        pass  # another process made it (or something else is there: read refuses a link)
    finally:
        candidate.unlink()
    return read_secret_file(path, min_length=min_length)
