"""tlog-cosignature: witnesses cosign checkpoints, and verifiers count them.

A witness adds a timestamped Ed25519 cosignature (signature type 0x04,
https://c2sp.org/tlog-cosignature) over ``cosignature/v1\\ntime <T>\\n``
followed by the checkpoint text; a verifier checks the log's signature
and requires a quorum of known witnesses.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.errors import (
    CheckpointSignatureError,
    MalformedCheckpointError,
    WitnessQuorumError,
)
from ledger.protocol.checkpoint import Checkpoint
from ledger.protocol.keys import public_key_bytes
from ledger.protocol.note import (
    ED25519_SIGNATURE_SIZE,
    MAX_TIMESTAMP,
    TIMESTAMP_SIZE,
    CosignatureVerifier,
    NoteSignature,
    NoteSigner,
    NoteVerifier,
    cosigned_message,
    open_note,
    parse_signature_line,
)


def cosign(checkpoint_text: str, witness: NoteSigner, timestamp: int) -> str:
    """Return the witness's cosignature line (with its newline) for a checkpoint.

    The checkpoint text is parsed first: a witness only ever cosigns
    checkpoints.

    Raises:
        MalformedCheckpointError: the text is not a checkpoint.
        ValueError: the timestamp is not in ``[0, 2**63 - 1]``.
    """
    Checkpoint.parse(checkpoint_text)
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"timestamp {timestamp} is out of range")
    message = cosigned_message(checkpoint_text.encode("utf-8"), timestamp)
    signature = timestamp.to_bytes(TIMESTAMP_SIZE, "big") + witness.sign(message)
    return NoteSignature(witness.name, witness.cosignature_key_hash, signature).line()


def cosignature_timestamp(signature: NoteSignature) -> int:
    """Return the timestamp a cosignature/v1 signature claims (unverified).

    Raises:
        MalformedCheckpointError: the signature is not the size of one.
    """
    if len(signature.signature) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
        raise MalformedCheckpointError("not a cosignature/v1 signature")
    return int.from_bytes(signature.signature[:TIMESTAMP_SIZE], "big")


def verify_cosignature(
    checkpoint_text: str, signature_line: str, witness: CosignatureVerifier
) -> None:
    """Check one cosignature line against a checkpoint text and a witness key.

    Raises:
        MalformedCheckpointError: the line is not a signature line.
        CheckpointSignatureError: the line is not by this witness key or
            does not verify.
    """
    signature = parse_signature_line(signature_line.removesuffix("\n"))
    if (signature.name, signature.key_hash) != (witness.name, witness.key_hash):
        raise CheckpointSignatureError(
            "cosignature is not by this witness key", key_name=signature.name
        )
    if not witness.verify(checkpoint_text.encode("utf-8"), signature.signature):
        raise CheckpointSignatureError("cosignature does not verify", key_name=signature.name)


def verify_checkpoint(
    note: str,
    log_verifier: NoteVerifier,
    witnesses: Sequence[CosignatureVerifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """Verify a signed checkpoint and its witness cosignatures; return the checkpoint.

    The log key must have signed the note, and at least ``quorum``
    witnesses among ``witnesses`` must have cosigned it.  Witnesses are
    counted by public key, so one key listed twice counts once, and the
    log's own key never counts.  A cosignature by a listed witness that
    does not verify rejects the note.

    Raises:
        MalformedCheckpointError: the note or its text is malformed.
        CheckpointSignatureError: the log did not sign it, or a signature
            by a known key does not verify.
        WitnessQuorumError: fewer than ``quorum`` witnesses cosigned it.
        MalformedKeyError: two keys given share a name and key hash.
        ValueError: ``quorum`` is negative.
    """
    if quorum < 0:
        raise ValueError("quorum must not be negative")
    opened = open_note(note, [log_verifier, *witnesses])
    signers = {(signature.name, signature.key_hash) for signature in opened.signatures}
    if (log_verifier.name, log_verifier.key_hash) not in signers:
        raise CheckpointSignatureError(
            f"checkpoint is not signed by the log key {log_verifier.name}",
            key_name=log_verifier.name,
        )
    checkpoint = Checkpoint.parse(opened.text)
    cosigned = _count_witnesses(signers, log_verifier, witnesses)
    if cosigned < quorum:
        raise WitnessQuorumError(
            f"checkpoint has {cosigned} witness cosignatures, {quorum} required",
            cosignatures=cosigned,
            quorum=quorum,
        )
    return checkpoint


def _count_witnesses(
    signers: set[tuple[str, int]],
    log_verifier: NoteVerifier,
    witnesses: Sequence[CosignatureVerifier],
) -> int:
    """How many distinct witness public keys, other than the log's, are among ``signers``."""
    witness_keys = {
        (witness.name, witness.key_hash): public_key_bytes(witness.public_key)
        for witness in witnesses
    }
    found = {witness_keys[signer] for signer in signers if signer in witness_keys}
    return len(found - {public_key_bytes(log_verifier.public_key)})
