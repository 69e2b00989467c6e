// Sign and submit events exactly as the Python SDK does (ledger/client/sdk.py,
// docs/PROTOCOL.md): one random 16-byte salt per payload field, each field
// committed as hex SHA-256(salt || canonical([name, value])), the body signed
// as "medledger/event/v2\n" || canonical(body), and the canonical submission
// {body, signature, payload, salts} posted to the API.  A 409 (someone wrote
// first) is retried with a freshly read head, as the SDK retries.

import { b64encode, concat, hex, sha256, utf8 } from "./bytes.js";
import { canonical } from "./canonical.js";
import { sign } from "./keys.js";

export const PROTOCOL_VERSION = 2;
export const SIGNING_PREFIX = utf8("medledger/event/v2\n");
const SALT_BYTES = 16;
const RETRIES = 8;

/** RFC 3339 UTC in the protocol's shortest form (whole seconds here). */
export function protocolTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export async function fieldDigest(name, value, salt) {
  return hex(await sha256(concat(salt, canonical([name, value]))));
}

/** Build and sign one submission; returns its canonical wire bytes. */
export async function signSubmission({ keyId, keyRef, person, origin, stream, seq, prev, type, time, payload, salts }) {
  const chosen = salts || Object.fromEntries(Object.keys(payload).map((n) => [n, crypto.getRandomValues(new Uint8Array(SALT_BYTES))]));
  const fields = {};
  for (const name of Object.keys(payload)) fields[name] = await fieldDigest(name, payload[name], chosen[name]);
  const body = { v: PROTOCOL_VERSION, origin, stream, seq, prev, actor: person, key: keyId, type, time, fields };
  const signature = await sign(keyRef, concat(SIGNING_PREFIX, canonical(body)));
  const encodedSalts = Object.fromEntries(Object.entries(chosen).map(([n, s]) => [n, b64encode(s)]));
  return canonical({ body, signature: b64encode(signature), payload, salts: encodedSalts });
}

/**
 * Append `payload` as the next event of `stream`: read the head (through
 * `readHead`), sign, post; on 409 read the head again and sign anew.
 * Resolves to the API's 201 answer; rejects with {status, error}.
 */
export async function append({ ledger, origin, key, stream, type, payload, readHead }) {
  for (let attempt = 0; ; attempt++) {
    const head = await readHead(stream);
    let time = protocolTime(new Date());
    if (head.time && Date.parse(time) < Date.parse(head.time)) time = head.time;
    const wire = await signSubmission({
      keyId: key.keyId, keyRef: key.id, person: key.person, origin, stream,
      seq: head.next_seq, prev: head.prev, type, time, payload,
    });
    const answer = await fetch(`/v1/ledgers/${ledger}/events`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: wire,
    });
    const result = await answer.json();
    if (answer.status === 201) return result;
    const code = result.error ? result.error.code : String(answer.status);
    if (answer.status === 409 && code !== "replayed_envelope" && attempt < RETRIES) continue;
    throw Object.assign(new Error(code), { status: answer.status, error: result.error });
  }
}
