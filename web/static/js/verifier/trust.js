// The trust root a verifier pins (docs/PROTOCOL.md section 13), obtained
// independently of any bundle: origin, log key, genesis, witnesses and quorum.

import { refuse } from "./errors.js";

export const TRUST_FORMAT = "medledger-trust/v1";

export function parseTrustRoot(data) {
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      refuse("malformed_trust_root", "the trust root is not JSON");
    }
  }
  if (!isObject(data) || data.format !== TRUST_FORMAT) {
    refuse("malformed_trust_root", `not a ${TRUST_FORMAT} document`);
  }
  const witnesses = "witnesses" in data ? data.witnesses : [];
  const quorum = "quorum" in data ? data.quorum : 0;
  const { origin, log_key: logKey, genesis } = data;
  if (
    !(
      typeof origin === "string" &&
      typeof logKey === "string" &&
      typeof genesis === "string" &&
      /^[0-9a-f]{64}$/.test(genesis) &&
      Array.isArray(witnesses) &&
      witnesses.every((w) => typeof w === "string") &&
      Number.isInteger(quorum) &&
      quorum >= 0 &&
      quorum <= witnesses.length
    )
  ) {
    refuse(
      "malformed_trust_root",
      "a trust root has origin, log_key, genesis (hex SHA-256), witnesses and 0 <= quorum <= witnesses",
    );
  }
  return { origin, logKey, genesis, witnesses: [...witnesses], quorum };
}

export function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
