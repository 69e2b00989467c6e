"""The trust root: what a verifier pins to know a ledger, independent of any bundle.

A ledger is identified by its origin, its log verifier key, the hash of its
genesis envelope (the ``LedgerCreated`` at leaf 0) and the witnesses whose
cosignatures a checkpoint needs, with their quorum.  ``medledger trust``
prints it; ``medledger verify --bundle B --trust T`` and
``verifier.bundle.verify_bundle`` refuse a bundle whose genesis differs or
whose checkpoint lacks the quorum, so that the log key alone cannot
fabricate evidence (docs/PROTOCOL.md section 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.errors import MalformedTrustRootError
from ledger.protocol.note import CosignatureVerifier, NoteVerifier

# The same format and fields as ``verifier.bundle``'s trust root, written again here
# on purpose: the ledger never imports the stand-alone verifier, so that the two
# implementations stay independent and each can check the other (docs/ARCHITECTURE.md).
TRUST_FORMAT = "medledger-trust/v1"


@dataclass(frozen=True)
class TrustRoot:
    """What a verifier pins: the ledger's identity, independent of any bundle.

    Its keys, quorum and genesis are checked when it is made: the ledger hands
    out only well-formed ones.
    """

    origin: str
    log_key: str
    genesis: str
    witnesses: tuple[str, ...] = ()
    quorum: int = 0

    def __post_init__(self) -> None:
        NoteVerifier.from_verifier_key(self.log_key)
        for witness in self.witnesses:
            CosignatureVerifier.from_verifier_key(witness)
        if len(set(self.witnesses)) != len(self.witnesses):
            raise MalformedTrustRootError("a witness is listed twice")
        if not 0 <= self.quorum <= len(self.witnesses):
            raise MalformedTrustRootError(
                f"quorum {self.quorum} is not between 0 and the {len(self.witnesses)} witnesses"
            )
        if len(self.genesis) != 64 or any(c not in "0123456789abcdef" for c in self.genesis):
            raise MalformedTrustRootError("genesis is the hex SHA-256 of the genesis envelope")

    def to_json(self) -> dict[str, Any]:
        return {
            "format": TRUST_FORMAT,
            "origin": self.origin,
            "log_key": self.log_key,
            "genesis": self.genesis,
            "witnesses": list(self.witnesses),
            "quorum": self.quorum,
        }

    @classmethod
    def from_json(cls, data: Any) -> TrustRoot:
        """Parse a trust root document; raise MalformedTrustRootError (or MalformedKeyError)."""
        fields = {"format", "origin", "log_key", "genesis", "witnesses", "quorum"}
        if not isinstance(data, dict) or set(data) != fields or data["format"] != TRUST_FORMAT:
            raise MalformedTrustRootError(
                f"a trust root is a {TRUST_FORMAT} object of {sorted(fields)}"
            )
        witnesses = data["witnesses"]
        if not (
            all(isinstance(data[k], str) for k in ("origin", "log_key", "genesis"))
            and isinstance(witnesses, list)
            and all(isinstance(w, str) for w in witnesses)
            and type(data["quorum"]) is int
        ):
            raise MalformedTrustRootError("trust root fields have the wrong types")
        return cls(
            data["origin"], data["log_key"], data["genesis"], tuple(witnesses), data["quorum"]
        )
