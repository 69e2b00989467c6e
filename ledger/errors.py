"""Every error the ledger raises, each with a stable machine-readable code.

All errors descend from :class:`LedgerError`.  The second level says what
kind of failure it is (malformed input, bad signature, signer not allowed,
stale write, broken write-time rule, unknown thing, failed verification);
the HTTP API and the CLI map those kinds to statuses and exit codes in one
place each.  The ``code`` of a class never changes once released: scripts
and other tools match on it.
"""

from __future__ import annotations

from typing import Any, ClassVar


class LedgerError(Exception):
    """Base of every error raised by medledger."""

    code: ClassVar[str] = "ledger_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready object: code, message and details."""
        return {"code": self.code, "message": self.message, **self.details}


# --- malformed input (HTTP 400) -------------------------------------------


class MalformedError(LedgerError):
    """The input cannot be parsed or does not have the required shape."""

    code = "malformed"


class MalformedJSONError(MalformedError):
    code = "malformed_json"


class NonCanonicalBodyError(MalformedError):
    """The body bytes are not the RFC 8785 canonical form of themselves."""

    code = "non_canonical_body"


class MalformedEnvelopeError(MalformedError):
    code = "malformed_envelope"


class UnknownEventTypeError(MalformedError):
    code = "unknown_event_type"


class MalformedPayloadError(MalformedError):
    """The payload does not match the schema of its event type."""

    code = "malformed_payload"


class MalformedTrustRootError(MalformedError):
    """A trust root document is not one ``medledger trust`` could have printed."""

    code = "malformed_trust_root"


class PayloadCommitmentMismatchError(MalformedError):
    """SHA-256(salt || canonical payload) is not the body's commitment."""

    code = "payload_commitment_mismatch"


class WrongLedgerError(MalformedError):
    """The body names another ledger origin than the one written to."""

    code = "wrong_ledger"


class UnsupportedProtocolVersionError(MalformedError):
    code = "unsupported_protocol_version"


class DocumentDigestMismatchError(MalformedError):
    """An uploaded document's bytes do not hash to the SHA-256 the uploader said they do."""

    code = "document_digest_mismatch"


class EmptyDocumentError(MalformedError):
    code = "empty_document"


class MalformedKeyError(MalformedError):
    code = "malformed_key"


class UnsafeSecretFileError(MalformedKeyError):
    """A secret file is a link, not a regular file, open to others, or too short."""

    code = "unsafe_secret_file"


class MalformedProofRequestError(MalformedError):
    """A proof was asked for sizes or indexes the tree cannot have."""

    code = "malformed_proof_request"


class MalformedCheckpointError(MalformedError):
    code = "malformed_checkpoint"


class MalformedBundleError(MalformedError):
    code = "malformed_bundle"


class MalformedAsOfError(MalformedError):
    """An ``as of`` point that is neither a tree size nor a date or time."""

    code = "malformed_as_of"


class AsOfOutOfRangeError(MalformedError):
    """An ``as of`` point before the ledger's first event or after its last."""

    code = "as_of_out_of_range"


# --- authentication (HTTP 401) --------------------------------------------


class AuthenticationError(LedgerError):
    """The signature or credential does not verify."""

    code = "authentication_failed"


class BadSignatureError(AuthenticationError):
    code = "bad_signature"


class UnknownKeyError(AuthenticationError):
    """The key id is not enrolled for the actor at this log position."""

    code = "unknown_key"


class RevokedKeyError(AuthenticationError):
    code = "revoked_key"


# --- authorisation (HTTP 403) ---------------------------------------------


class NotAllowedError(LedgerError):
    """The signer is known but may not sign this event."""

    code = "not_allowed"


class SignerNotAdminError(NotAllowedError):
    code = "signer_not_admin"


class SignerNotMemberError(NotAllowedError):
    """The signer is not a member of the body the event needs."""

    code = "signer_not_member"


class SignerWrongSideError(NotAllowedError):
    code = "signer_wrong_side"


class SignerLacksRoleError(NotAllowedError):
    """The signer is a member but lacks the role the event needs."""

    code = "signer_lacks_role"


class SignerNotDecisionMakerError(NotAllowedError):
    code = "signer_not_decision_maker"


class SignerNotOriginalActorError(NotAllowedError):
    code = "signer_not_original_actor"


# --- conflicts (HTTP 409) -------------------------------------------------


class ConflictError(LedgerError):
    """The write raced another one; re-read the stream head and retry."""

    code = "conflict"


class StaleSequenceError(ConflictError):
    code = "stale_sequence"


class StalePreviousHashError(ConflictError):
    code = "stale_previous_hash"


class ReplayedEnvelopeError(ConflictError):
    """This exact envelope is already in the log."""

    code = "replayed_envelope"


class NotYetCheckpointedError(ConflictError):
    """A leaf asked for lies beyond the newest signed checkpoint; ask again shortly.

    Reads never sign: the writer's checkpoint policy, the server's timer and
    ``medledger checkpoint`` do (details: ``checkpoint_size``, ``tree_size``).
    """

    code = "not_yet_checkpointed"


# --- write-time rules of the MED protocol (HTTP 422) ----------------------


class RuleViolationError(LedgerError):
    """The event is well formed and signed but breaks a write-time rule."""

    code = "rule_violation"


class ClaimedTimeOutOfToleranceError(RuleViolationError):
    code = "claimed_time_out_of_tolerance"


class ClaimedTimeDecreasedError(RuleViolationError):
    code = "claimed_time_decreased"


class ImportModeRequiredError(RuleViolationError):
    code = "import_mode_required"


class StreamNotStartedError(RuleViolationError):
    """The first event of a stream must be LedgerCreated or MatterOpened."""

    code = "stream_not_started"


class StreamAlreadyStartedError(RuleViolationError):
    code = "stream_already_started"


class MatterEndedError(RuleViolationError):
    """The matter was closed or withdrawn; nothing more can be added."""

    code = "matter_ended"


class UnknownPersonError(RuleViolationError):
    code = "unknown_person"


class DuplicatePersonError(RuleViolationError):
    code = "duplicate_person"


class DuplicateKeyError(RuleViolationError):
    code = "duplicate_key"


class KeyIdMismatchError(RuleViolationError):
    """A key id must be derived from its public key."""

    code = "key_id_mismatch"


class UnknownBodyError(RuleViolationError):
    code = "unknown_body"


class DuplicateBodyError(RuleViolationError):
    code = "duplicate_body"


class BodyDissolvedError(RuleViolationError):
    code = "body_dissolved"


class NotAMemberError(RuleViolationError):
    code = "not_a_member"


class AlreadyAMemberError(RuleViolationError):
    code = "already_a_member"


class UnknownEventReferenceError(RuleViolationError):
    """An event refers to an earlier event that does not exist or has the wrong type."""

    code = "unknown_event_reference"


class BodyNotInvolvedError(RuleViolationError):
    """The body named is not involved in the matter."""

    code = "body_not_involved"


class NotAnAncestorBodyError(RuleViolationError):
    code = "escalation_not_to_ancestor"


class AgreementNeedsBothSidesError(RuleViolationError):
    code = "agreement_needs_both_sides"


class AlreadyRecordedError(RuleViolationError):
    """The same acceptance, approval or answer was recorded before."""

    code = "already_recorded"


class AlreadyRedactedError(RuleViolationError):
    code = "already_redacted"


class NotRedactableError(RuleViolationError):
    """The event's payload carries structure later rules depend on; it stays."""

    code = "not_redactable"


class PoliticalCommitteeRequiredError(RuleViolationError):
    code = "political_committee_required"


class UnknownGuidelineError(RuleViolationError):
    """The guideline named is not in the ledger's guideline register."""

    code = "unknown_guideline"


class GuidelineExistsError(RuleViolationError):
    """A new guideline was given an id the register already holds."""

    code = "guideline_exists"


class GuidelineEndedError(RuleViolationError):
    """The guideline was terminated: it can no longer be amended or terminated again."""

    code = "guideline_ended"


class GuidelineNotTerminableError(RuleViolationError):
    """Procedure and mandatory guidelines are changed only by agreement, never terminated."""

    code = "guideline_not_terminable"


class TerminationNoticeTooShortError(RuleViolationError):
    """An optional guideline's termination takes effect sooner than the notice period allows."""

    code = "termination_notice_too_short"


class DisputePathError(RuleViolationError):
    """A step on a dispute's path out of order: escalated past a level, settled at a level
    it has not reached, an outcome that level cannot give, or a dispute already settled."""

    code = "dispute_path"


class MinutesDigestMismatchError(RuleViolationError):
    """An approval or publication signs another digest than the meeting's minutes (or the
    meeting recorded no minutes)."""

    code = "minutes_digest_mismatch"


# --- not found (HTTP 404) -------------------------------------------------


class NotFoundError(LedgerError):
    code = "not_found"


class UnknownLedgerError(NotFoundError):
    code = "unknown_ledger"


class UnknownStreamError(NotFoundError):
    code = "unknown_stream"


class UnknownCheckpointError(NotFoundError):
    code = "unknown_checkpoint"


class UnknownLeafError(NotFoundError):
    code = "unknown_leaf"


class MatterNotFoundError(NotFoundError):
    """No matter of that id in the ledger (as of the point asked about)."""

    code = "matter_not_found"


class PersonNotFoundError(NotFoundError):
    """No person of that id is enrolled in the ledger (as of the point asked about)."""

    code = "person_not_found"


class BodyNotFoundError(NotFoundError):
    """No body of that id is established in the ledger (as of the point asked about)."""

    code = "body_not_found"


class GuidelineNotFoundError(NotFoundError):
    """No guideline of that id in the ledger's guideline register (as of the point asked
    about)."""

    code = "guideline_not_found"


class UnknownDocumentError(NotFoundError):
    """No document of that digest that the reader may read (absent and unreadable alike)."""

    code = "unknown_document"


class ReadModelNotFoundError(NotFoundError):
    code = "read_model_not_found"


class RuleNotFoundError(NotFoundError):
    """No rule of that id in the MED rulebook (MED-01 to MED-12)."""

    code = "rule_not_found"


# --- verification of stored data, proofs and bundles ----------------------


class VerificationError(LedgerError):
    """Stored data, a proof, a checkpoint or a bundle does not verify.

    ``details`` names what failed: the leaf index, stream and sequence of
    the first bad event where there is one.
    """

    code = "verification_failed"


class ProofError(VerificationError):
    code = "proof_invalid"


class CheckpointSignatureError(VerificationError):
    code = "checkpoint_signature_invalid"


class InconsistentCheckpointError(VerificationError):
    """Two checkpoints that cannot both be views of one append-only log."""

    code = "inconsistent_checkpoint"


class WitnessQuorumError(VerificationError):
    code = "witness_quorum_not_met"


# --- storage --------------------------------------------------------------


class StorageError(LedgerError):
    """The database failed or holds something the ledger did not write."""

    code = "storage_error"


class StorageUnavailableError(StorageError):
    """The database cannot be used now (connection lost or refused, disk full); retry."""

    code = "storage_unavailable"


class DocumentCorruptError(StorageError):
    """A stored document's bytes no longer hash to the digest it is kept under."""

    code = "document_corrupt"


class LedgerExistsError(LedgerError):
    code = "ledger_exists"
