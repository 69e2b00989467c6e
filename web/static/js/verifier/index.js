// The browser's verifier of medledger evidence bundles (docs/PROTOCOL.md
// sections 2-6, 10, 11 and 13), in plain ES modules over WebCrypto: it needs
// a secure context (https, or http on 127.0.0.1 / localhost).
//
//   const result = await verifyBundle(bundle, trustRoot);
//     bundle:    the parsed bundle file, or its text
//     trustRoot: the parsed trust root (`medledger trust`), or its text
//     result:    {ok, code, message, event, proves, doesNotProve, report}
//       ok       true when every check holds
//       code     null, or the stable error code (the Python verifier's names)
//       message  null, or the Python verifier's message, word for word
//       event    null, or {leafIndex, stream, seq, type, actor} of the event
//                that failed, as the bundle states them
//       proves, doesNotProve   [{id, ...details}]: what the bundle proves
//       report   null, or what was verified (entries, complete streams, ...)
//   describe(result, "da" | "en") -> {headline, proves: [..], doesNotProve: [..]}
//     plain sentences of the same.
//
// verifyCheckpoint and verifyConsistency check a checkpoint held from earlier
// against a newer one (an auditor's page); they throw VerificationError with a
// code, or return false, respectively.
export { verifyBundle, deriveVerdict, BUNDLE_FORMAT } from "./bundle.js";
export { describe } from "./describe.js";
export { parseTrustRoot, TRUST_FORMAT } from "./trust.js";
export { verifyCheckpoint, parseVerifierKey, checkpointText, headsLine } from "./note.js";
export { verifyInclusion, verifyConsistency, leafHash, nodeHash } from "./merkle.js";
export { canonical, canonicalText } from "./canonical.js";
export { fromBase64, toBase64, toHex } from "./bytes.js";
export { VerificationError } from "./errors.js";
