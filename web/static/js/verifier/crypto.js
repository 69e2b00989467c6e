// SHA-256 and Ed25519 (RFC 8032, pure) through WebCrypto: the browser's
// crypto.subtle, or Node's globalThis.crypto.subtle (Node 20 and later).

function subtle() {
  const found = globalThis.crypto && globalThis.crypto.subtle;
  if (!found) throw new Error("WebCrypto is not available (a secure context is needed)");
  return found;
}

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest("SHA-256", bytes));
}

// Whether `signature` is a valid Ed25519 signature of `message` under the
// 32-byte raw public key: false for any key or signature WebCrypto refuses.
export async function ed25519Verify(publicKey, signature, message) {
  if (publicKey.length !== 32) return false;
  let key;
  try {
    key = await subtle().importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return false;
  }
  try {
    return await subtle().verify({ name: "Ed25519" }, key, signature, message);
  } catch {
    return false;
  }
}
