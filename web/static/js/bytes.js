// Bytes as medledger writes them: standard base64 with padding, lowercase hex.
// The encodings are the verifier's (verifier/bytes.js: canonical base64 only),
// under the names the signing pages use.

import { concat, fromBase64, toBase64, toHex, utf8 } from "./verifier/bytes.js";

export { concat, utf8 };
export const b64encode = toBase64;
export const b64decode = fromBase64;
export const hex = toHex;

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}
