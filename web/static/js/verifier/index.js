// The browser's verifier of medledger evidence bundles (docs/PROTOCOL.md).
export { verifyBundle, deriveVerdict, BUNDLE_FORMAT } from "./bundle.js";
export { describe } from "./describe.js";
export { parseTrustRoot, TRUST_FORMAT } from "./trust.js";
export { verifyCheckpoint, parseVerifierKey, checkpointText, headsLine } from "./note.js";
export { verifyInclusion, verifyConsistency, leafHash, nodeHash } from "./merkle.js";
export { canonical, canonicalText } from "./canonical.js";
export { VerificationError } from "./errors.js";
