// A person's Ed25519 keys, kept in this browser's IndexedDB.
//
// A key made here is non-extractable: WebCrypto signs with it, and no script,
// this site's included, can read the private key out.  A key file made by
// `medledger keygen` is imported the same way (as PKCS #8, non-extractable),
// and the file's text is dropped.  Only public keys, key ids and signatures
// ever leave the browser.

import { b64decode, b64encode, concat, hex, sha256, utf8 } from "./bytes.js";

const DB = "medledger";
const STORE = "keys";
const ED25519 = { name: "Ed25519" };
// PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
export const KEY_FILE_TYPE = "medledger-person-key/v1";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

export async function keyIdOf(publicKey) {
  return hex(await sha256(publicKey)).slice(0, 16);
}

async function record(person, origin, privateKey, publicKey) {
  const keyId = await keyIdOf(publicKey);
  return {
    id: `${origin || "*"}|${person}|${keyId}`,
    person,
    origin: origin || null,
    keyId,
    publicKey: b64encode(publicKey),
    privateKey,
    created: new Date().toISOString(),
  };
}

/** Make a new non-extractable key for `person` in ledger `origin` and keep it. */
export async function makeKey(person, origin) {
  const pair = await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const kept = await record(person, origin, pair.privateKey, publicKey);
  await run("readwrite", (store) => store.put(kept));
  return describe(kept);
}

/** Import a `medledger keygen` key file's text; the private key becomes non-extractable. */
export async function importKeyFile(text, origin) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error("bad_key_file");
  }
  if (!data || data.type !== KEY_FILE_TYPE || typeof data.person !== "string") {
    throw new Error("bad_key_file");
  }
  const seed = b64decode(data.private_key);
  const publicKey = b64decode(data.public_key);
  if (seed.length !== 32 || publicKey.length !== 32) throw new Error("bad_key_file");
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    concat(PKCS8_PREFIX, seed),
    ED25519,
    false,
    ["sign"],
  );
  seed.fill(0);
  // The file's public key must be this private key's: sign and check.
  const probe = utf8("medledger key file check");
  const signature = await crypto.subtle.sign(ED25519, privateKey, probe);
  const verifier = await crypto.subtle.importKey("raw", publicKey, ED25519, true, ["verify"]);
  if (!(await crypto.subtle.verify(ED25519, verifier, signature, probe))) {
    throw new Error("bad_key_file");
  }
  const kept = await record(data.person, origin, privateKey, publicKey);
  if (data.key_id && data.key_id !== kept.keyId) throw new Error("bad_key_file");
  await run("readwrite", (store) => store.put(kept));
  return describe(kept);
}

function describe(kept) {
  return { id: kept.id, person: kept.person, origin: kept.origin, keyId: kept.keyId, publicKey: kept.publicKey };
}

/** The keys kept here for ledger `origin` (and those made for no ledger in particular). */
export async function listKeys(origin) {
  const all = await run("readonly", (store) => store.getAll());
  return all.filter((k) => !origin || !k.origin || k.origin === origin).map(describe);
}

export async function forgetKey(id) {
  await run("readwrite", (store) => store.delete(id));
}

/** Sign `message` (bytes) with the kept key `id`; returns the 64-byte signature. */
export async function sign(id, message) {
  const kept = await run("readonly", (store) => store.get(id));
  if (!kept) throw new Error("unknown_key_here");
  return new Uint8Array(await crypto.subtle.sign(ED25519, kept.privateKey, message));
}

/** The fingerprint people compare aloud: the key id in groups of four. */
export function fingerprint(keyId) {
  return keyId.match(/.{1,4}/g).join(" ");
}
