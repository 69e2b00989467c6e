"""Standard base64, the one encoding of keys, salts, signatures and hashes.

Every base64 text medledger reads is strict (RFC 4648 section 4: the
standard alphabet, with padding, nothing else) and canonical: re-encoding
the decoded bytes gives the same text.  Otherwise two texts would carry
the same bytes, and a signed or hashed line could be changed without
changing what it says (docs/PROTOCOL.md, notation).
"""

from __future__ import annotations

import base64
import binascii

from ledger.errors import MalformedError


def b64encode(data: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(data).decode("ascii")


def b64decode(
    text: object,
    *,
    what: str,
    error: type[MalformedError],
    length: int | None = None,
) -> bytes:
    """Decode strict, canonical standard base64 of ``length`` bytes if given.

    Raises ``error`` (a MalformedError, so that each caller keeps its own
    code) naming ``what`` when the text is not a string of such base64.
    """
    if not isinstance(text, str):
        raise error(f"{what} must be a base64 string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise error(f"{what} is not valid base64") from exc
    if b64encode(data) != text:
        raise error(f"{what} is not in canonical base64")
    if length is not None and len(data) != length:
        raise error(f"{what} must be {length} bytes, got {len(data)}")
    return data
