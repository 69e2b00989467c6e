// Offline verification of a medledger evidence bundle (docs/PROTOCOL.md
// section 13, protocol v2) against a pinned trust root, in the browser or in
// Node: the same checks, in the same order and with the same error codes, as
// medledger's Python verifier (verifier/bundle.py).
//
// verifyBundle(bundle, trustRoot) never throws: it resolves to
// {ok, code, message, event, proves, doesNotProve, report}.  `bundle` is the
// parsed bundle or its text; `trustRoot` the parsed trust root document
// (`medledger trust` prints it) or its text.  `code` is null when ok, else the
// stable error code (verifier_error: this verifier failed on odd input);
// `event` is {leafIndex, stream, seq, type, actor} of the event that failed,
// as the bundle states them, when the refusal concerns one event.

import { concat, fromBase64, toHex, utf8 } from "./bytes.js";
import { CanonicalError, canonical } from "./canonical.js";
import { ed25519Verify, sha256 } from "./crypto.js";
import { VerificationError, refuse } from "./errors.js";
import { leafHash, verifyInclusion } from "./merkle.js";
import { headsLine, verifyCheckpoint } from "./note.js";
import { isObject, parseTrustRoot } from "./trust.js";
import { claims } from "./claims.js";
import { pythonRepr, pythonStr } from "./pyfmt.js";

export const BUNDLE_FORMAT = "medledger-bundle/v2";
export const EVENT_PREFIX = utf8("medledger/event/v2\n");
const ZERO_HASH = "0".repeat(64);
const AUTHORITY_TYPES = new Set(["LedgerCreated", "PersonEnrolled", "KeyAdded", "KeyRevoked"]);
export const INVOLVED = "involved";
export const NOT_INVOLVED = "not_involved";
export const NOT_A_MEMBER = "not_a_member";
// The routing field that addresses bodies, per matter event type (receipts).
const REACHES = { MaterialShared: "bodies", ConsultationOpened: "body", HearingOpened: "bodies" };

export async function verifyBundle(bundle, trustRoot) {
  let report = null;
  try {
    const trust = parseTrustRoot(trustRoot);
    if (typeof bundle === "string") bundle = parseBundleText(bundle);
    report = await check(bundle, trust);
    return { ok: true, code: null, message: null, event: null, report, ...claims(report) };
  } catch (thrown) {
    // Anything but a refusal is this verifier's own failure on odd input: still a refusal.
    const error =
      thrown instanceof VerificationError
        ? thrown
        : new VerificationError("verifier_error", `the verifier failed: ${thrown}`);
    const event = failedEvent(bundle, error.leafIndex);
    return {
      ok: false,
      code: error.code,
      message: error.message,
      event,
      report: null,
      ...claims(null, error.code, event),
    };
  }
}

function parseBundleText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return refuse("malformed_bundle", `not a ${BUNDLE_FORMAT} document`);
  }
}

// What the bundle says of the event at `leafIndex` (its claims, unverified).
function failedEvent(bundle, leafIndex) {
  if (leafIndex === null || leafIndex === undefined) return null;
  const event = { leafIndex, stream: null, seq: null, type: null, actor: null };
  for (const name of ["registry", "entries"]) {
    const items = isObject(bundle) && Array.isArray(bundle[name]) ? bundle[name] : [];
    for (const item of items) {
      const body = isObject(item) && item.leaf_index === leafIndex && isObject(item.entry) ? item.entry.body : null;
      if (isObject(body)) {
        for (const key of ["stream", "seq", "type", "actor"]) {
          if (typeof body[key] === "string" || Number.isInteger(body[key])) event[key] = body[key];
        }
        return event;
      }
    }
  }
  return event;
}

async function check(bundle, trust) {
  if (!isObject(bundle) || bundle.format !== BUNDLE_FORMAT) {
    refuse("malformed_bundle", `not a ${BUNDLE_FORMAT} document`);
  }
  if (field(bundle, "origin", "string") !== trust.origin) {
    refuse("wrong_ledger", `the bundle is not for ${trust.origin}`);
  }
  const checkpoint = await verifyCheckpoint(field(bundle, "checkpoint", "string"), trust);
  const heads = headsLine(checkpoint.extensions);
  const items = [...itemsOf(bundle, "registry"), ...itemsOf(bundle, "entries")];
  items.sort((a, b) => a.leaf_index - b.leaf_index);
  if (new Set(items.map((i) => i.leaf_index)).size !== items.length) {
    refuse("malformed_bundle", "a leaf index appears twice");
  }
  const report = {
    origin: trust.origin,
    treeSize: checkpoint.size,
    root: checkpoint.root,
    kind: typeof bundle.kind === "string" ? bundle.kind : "",
    entries: [],
    complete: [],
    cosignatures: checkpoint.cosignatures,
    quorum: trust.quorum,
    witnesses: trust.witnesses.length,
    subject: {},
  };
  if (items.length === 0 || items[0].leaf_index !== 0) {
    refuse("genesis_mismatch", "the bundle lacks the genesis at leaf 0");
  }
  const keys = new Map();
  const admins = new Set();
  const checked = [];
  for (const item of items) {
    const one = await checkItem(item, trust, checkpoint);
    await verifySignature(one, keys);
    if (one.entry.stream === "registry") await foldRegistry(one.entry, keys, admins);
    checked.push(one);
    report.entries.push(one.entry);
  }
  checkChains(checked);
  report.complete = await checkComplete(bundle, heads, checked);
  if (report.kind === "receipt") report.subject = receiptSubject(bundle, report);
  return report;
}

// --- entries ---------------------------------------------------------------

async function checkItem(item, trust, checkpoint) {
  const index = item.leaf_index;
  const entry = item.entry;
  if (!isObject(entry) || !sameNames(entry, ["body", "signature"])) {
    refuse("malformed_bundle", "entry must have body and signature", index);
  }
  const entryBytes = canonicalOf(entry, index);
  const proof = field(item, "inclusion_proof", "list").map((p) => b64(p, index));
  if (!(await verifyInclusion(await leafHash(entryBytes), index, checkpoint.size, proof, checkpoint.root))) {
    refuse("inclusion_proof_invalid", `entry at leaf ${index} is not in the checkpointed tree`, index);
  }
  const body = entry.body;
  if (!bodyOk(body)) refuse("malformed_bundle", `entry at leaf ${index} has a malformed body`, index);
  if (body.origin !== trust.origin || body.v !== 2) {
    refuse("wrong_ledger", `entry at leaf ${index} is for another ledger`, index);
  }
  const envelopeHash = toHex(await sha256(entryBytes));
  if (index === 0 && envelopeHash !== trust.genesis) {
    refuse("genesis_mismatch", "leaf 0 is not the genesis the trust root pins", index);
  }
  const disclosed = await openFields(item, body.fields, index);
  const undisclosed = Object.keys(body.fields)
    .filter((name) => !Object.hasOwn(disclosed, name))
    .sort(byCodePoints);
  const verified = {
    leafIndex: index,
    stream: body.stream,
    seq: body.seq,
    type: body.type,
    actor: body.actor,
    time: body.time,
    imported: body.imported === true,
    recordedAt: typeof item.recorded_at === "string" ? item.recorded_at : null,
    disclosed,
    undisclosed,
  };
  const signature = b64(entry.signature, index);
  return {
    entry: verified,
    key: body.key,
    signature,
    bodyBytes: canonicalOf(body, index),
    prev: body.prev,
    hash: envelopeHash,
  };
}

function bodyOk(body) {
  const texts = ["origin", "stream", "prev", "actor", "key", "type", "time"];
  return (
    isObject(body) &&
    Number.isInteger(body.v) &&
    texts.every((name) => typeof body[name] === "string") &&
    Number.isInteger(body.seq) &&
    body.seq >= 1 &&
    isObject(body.fields)
  );
}

async function openFields(item, commitments, index) {
  const disclosed = item.disclosed;
  if (!isObject(disclosed)) refuse("malformed_bundle", `disclosed fields at leaf ${index} malformed`, index);
  const values = Object.create(null); // a field may be named __proto__
  for (const [name, opening] of Object.entries(disclosed)) {
    if (!isObject(opening) || !sameNames(opening, ["salt", "value"])) {
      refuse("malformed_bundle", `field ${name} at leaf ${index} malformed`, index);
    }
    const salt = b64(opening.salt, index);
    const digest = toHex(await sha256(concat(salt, canonicalOf([name, opening.value], index))));
    if (!Object.hasOwn(commitments, name) || digest !== pyStr(commitments[name])) {
      refuse("payload_commitment_mismatch", `field ${name} at leaf ${index} does not match its commitment`, index);
    }
    values[name] = opening.value;
  }
  return values;
}

async function verifySignature(checked, keys) {
  const { entry } = checked;
  const index = entry.leafIndex;
  let publicKey;
  if (index === 0) {
    const admin = entry.disclosed.admin;
    if (entry.type !== "LedgerCreated" || entry.stream !== "registry" || !isObject(admin)) {
      refuse("genesis_mismatch", "leaf 0 must be a disclosed LedgerCreated", index);
    }
    if (admin.person !== entry.actor || admin.key_id !== checked.key) {
      refuse("unknown_key", "LedgerCreated is not signed by its admin", index);
    }
    publicKey = publicKeyOf(admin.public_key, index);
  } else {
    const key = keys.get(keyName(entry.actor, checked.key));
    if (key === undefined || key.enrolledAt >= index) {
      refuse("unknown_key", `no key ${checked.key} of ${entry.actor} is enrolled before leaf ${index}`, index);
    }
    if (key.revokedAt !== null && key.revokedAt < index) {
      refuse("revoked_key", `key ${checked.key} was revoked at leaf ${key.revokedAt}`, index);
    }
    publicKey = key.publicKey;
  }
  if (!(await ed25519Verify(publicKey, checked.signature, concat(EVENT_PREFIX, checked.bodyBytes)))) {
    refuse("bad_signature", `signature at leaf ${index} does not verify`, index);
  }
}

// Registry events disclose every field; the authority events make and end keys and admins.
async function foldRegistry(entry, keys, admins) {
  const { leafIndex: index, type, disclosed: payload } = entry;
  if (entry.undisclosed.length > 0) {
    refuse("registry_payload_missing", `registry entry at leaf ${index} must disclose every field`, index);
  }
  if (!AUTHORITY_TYPES.has(type)) return;
  if (type === "LedgerCreated") {
    if (index !== 0) refuse("genesis_mismatch", `a second LedgerCreated at leaf ${index}`, index);
    const admin = payload.admin;
    admins.add(admin.person);
    keys.set(keyName(admin.person, admin.key_id), newKey(publicKeyOf(admin.public_key, index), index));
  } else if (type === "PersonEnrolled" || type === "KeyAdded") {
    if (!admins.has(entry.actor)) refuse("signer_not_admin", `${type} at leaf ${index} not signed by an admin`, index);
    const raw = b64(payload.public_key, index);
    if ((await keyIdOf(raw)) !== payload.key_id) {
      refuse("key_id_mismatch", `key id at leaf ${index} is not derived from its key`, index);
    }
    keys.set(keyName(pyStr(payload.person), pyStr(payload.key_id)), newKey(publicKeyOf(payload.public_key, index), index));
    if (pyIn("admin", "roles" in payload ? payload.roles : [])) admins.add(pyStr(payload.person));
  } else {
    if (!admins.has(entry.actor) && entry.actor !== payload.person) {
      refuse("signer_not_admin", `KeyRevoked at leaf ${index} not allowed`, index);
    }
    const found = keys.get(keyName(pyStr(payload.person), pyStr(payload.key_id)));
    if (found !== undefined && found.revokedAt === null) found.revokedAt = index;
  }
}

function newKey(publicKey, enrolledAt) {
  return { publicKey, enrolledAt, revokedAt: null };
}

function keyName(person, keyId) {
  return JSON.stringify([person, keyId]);
}

// A key id: the first 16 hex digits of SHA-256 of the raw 32-byte key.
async function keyIdOf(raw) {
  return toHex(await sha256(raw)).slice(0, 16);
}

// Entries of one stream with consecutive seq chain: prev is the previous envelope hash.
function checkChains(checked) {
  const hashes = new Map(checked.map((c) => [JSON.stringify([c.entry.stream, c.entry.seq]), c.hash]));
  for (const c of checked) {
    const { stream, seq } = c.entry;
    const expected = seq === 1 ? ZERO_HASH : hashes.get(JSON.stringify([stream, seq - 1]));
    if (expected !== undefined && c.prev !== expected) {
      refuse("chain_broken", `${stream} #${seq} does not chain to #${seq - 1}`, c.entry.leafIndex);
    }
  }
}

// --- completeness ----------------------------------------------------------

// The streams the bundle proves complete: head proven, every event 1..head present.
async function checkComplete(bundle, heads, checked) {
  const claimed = "heads" in bundle ? bundle.heads : { count: heads.count, streams: {} };
  const streams = isObject(claimed) ? claimed.streams : undefined;
  if (!isObject(streams) || !pyIntEquals(claimed.count, heads.count)) {
    refuse("malformed_bundle", "heads must give the checkpoint's stream count and streams");
  }
  const byStream = new Map();
  for (const c of checked) {
    if (!byStream.has(c.entry.stream)) byStream.set(c.entry.stream, new Map());
    byStream.get(c.entry.stream).set(c.entry.seq, c);
  }
  const names = Object.keys(streams).sort(byCodePoints);
  for (const stream of names) {
    const tip = streams[stream];
    await checkTip(stream, tip, heads);
    const present = byStream.get(stream) ?? new Map();
    const last = present.get(tip.seq);
    const seqs = [...present.keys()].sort((a, b) => a - b);
    if (last === undefined || seqs.length !== tip.seq || seqs.some((s, i) => s !== i + 1)) {
      refuse("incomplete_stream", `${stream}: the bundle lacks events of the ${tip.seq} its head commits to`);
    }
    if (last.hash !== tip.hash || last.entry.leafIndex !== tip.leaf_index) {
      refuse("incomplete_stream", `${stream}: the last event is not the head the checkpoint commits to`);
    }
  }
  return names;
}

async function checkTip(stream, tip, heads) {
  const names = ["seq", "hash", "leaf_index", "index", "proof"];
  if (!isObject(tip) || !sameNames(tip, names) || !["seq", "leaf_index", "index"].every((n) => isIndex(tip[n]))) {
    refuse("malformed_bundle", `head of ${stream} malformed`);
  }
  const leaf = canonicalOf({ hash: tip.hash, leaf_index: tip.leaf_index, seq: tip.seq, stream }, null);
  const proof = Array.isArray(tip.proof) ? tip.proof.map((p) => b64(p, null)) : null;
  if (proof === null || !(await verifyInclusion(await leafHash(leaf), tip.index, heads.count, proof, heads.root))) {
    refuse("head_proof_invalid", `the head of ${stream} is not in the checkpoint's stream heads`);
  }
}

// --- receipts --------------------------------------------------------------

function receiptSubject(bundle, report) {
  const subject = bundle.subject;
  if (!isObject(subject) || typeof subject.person !== "string" || typeof subject.matter !== "string") {
    refuse("malformed_bundle", "a receipt names its person and matter");
  }
  const { person, matter } = subject;
  const stream = "matter/" + matter;
  if (!report.complete.includes("registry") || !report.complete.includes(stream)) {
    refuse("incomplete_stream", "a receipt proves the registry and its matter complete");
  }
  const verdict = deriveVerdict(report.entries, person, stream);
  const stated = "verdict" in subject ? subject.verdict : verdict;
  if (stated !== verdict) {
    refuse("verdict_mismatch", `the bundle says ${pythonStr(stated)}, its events say ${verdict}`);
  }
  return { person, matter, verdict };
}

// involved, not_involved (seated in the responsible body, never reached) or not_a_member.
export function deriveVerdict(entries, person, stream) {
  const seats = new Map(); // body -> [[fromLeaf, untilLeaf | null]] of the person
  const matter = entries.filter((e) => e.stream === stream);
  let involved = false;
  for (const e of [...entries].sort((a, b) => a.leafIndex - b.leafIndex)) {
    if (e.stream === "registry") foldSeat(e, person, seats);
    else if (e.stream === stream) involved = involved || reached(e, person, seats);
  }
  if (involved) return INVOLVED;
  const opened = matter[0].leafIndex;
  const last = matter[matter.length - 1].leafIndex;
  const responsible = routing(matter[0], "responsible_body");
  for (const [start, until] of seats.get(pyStr(responsible)) ?? []) {
    if (start < last && (until === null || until > opened)) return NOT_INVOLVED;
  }
  return NOT_A_MEMBER;
}

function foldSeat(e, person, seats) {
  const body = pyStr(e.disclosed.body);
  if (e.type === "MemberAppointed" && e.disclosed.person === person) {
    if (!seats.has(body)) seats.set(body, []);
    seats.get(body).push([e.leafIndex, null]);
  } else if ((e.type === "MemberLeft" && e.disclosed.person === person) || e.type === "BodyDissolved") {
    for (const seat of seats.get(body) ?? []) if (seat[1] === null) seat[1] = e.leafIndex;
  }
}

// Did this matter event reach the person: signed by them, sent to a body they
// sat in, or a meeting record that names them?
function reached(e, person, seats) {
  if (e.actor === person) return true;
  if (e.type === "MeetingHeld") return pyIn(person, routing(e, "present")) || pyIn(person, routing(e, "absent"));
  if (!Object.hasOwn(REACHES, e.type)) return false;
  const value = routing(e, REACHES[e.type]);
  const bodies = Array.isArray(value) ? value : [value];
  return bodies.some((body) => (seats.get(pyStr(body)) ?? []).some((seat) => seat[1] === null));
}

function routing(e, name) {
  if (e.undisclosed.includes(name)) {
    refuse("routing_field_missing", `${e.type} at leaf ${e.leafIndex} withholds its routing field ${name}`, e.leafIndex);
  }
  return Object.hasOwn(e.disclosed, name) ? e.disclosed[name] : [];
}

// --- small helpers -----------------------------------------------------------

function itemsOf(bundle, name) {
  const items = bundle[name];
  if (!Array.isArray(items) || !items.every((i) => isObject(i) && isIndex(i.leaf_index))) {
    refuse("malformed_bundle", `${name} must be a list of entries, each with a non-negative integer leaf_index`);
  }
  return items;
}

// A leaf index is a non-negative JSON integer (true is not 1).
function isIndex(value) {
  return Number.isInteger(value) && value >= 0;
}

function field(obj, name, kind) {
  const value = obj[name];
  const ok = kind === "list" ? Array.isArray(value) : typeof value === kind;
  if (!ok) refuse("malformed_bundle", `${name} is missing or not a ${kind === "string" ? "str" : kind}`);
  return value;
}

function sameNames(obj, names) {
  const own = Object.keys(obj);
  return own.length === names.length && names.every((n) => Object.hasOwn(obj, n));
}

function canonicalOf(value, index) {
  try {
    return canonical(value);
  } catch (error) {
    if (!(error instanceof CanonicalError || error instanceof RangeError)) throw error;
    return refuse("malformed_bundle", `entry at leaf ${pythonRepr(index)} is not JSON`, index);
  }
}

function b64(value, index) {
  try {
    return fromBase64(value);
  } catch {
    return refuse("malformed_bundle", `bad base64 at leaf ${pythonRepr(index)}`, index);
  }
}

function publicKeyOf(value, index) {
  const raw = b64(value, index);
  if (raw.length !== 32) refuse("malformed_bundle", `public key at leaf ${index} is not 32 bytes`, index);
  return raw;
}

function byCodePoints(a, b) {
  const x = [...a].map((c) => c.codePointAt(0));
  const y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// Python's str() of the JSON values the verdict and the keys are looked up by:
// a string is itself; anything else becomes text no id can be.
function pyStr(value) {
  return typeof value === "string" ? value : "\u0000" + JSON.stringify(value);
}

// Python's `needle in container` for parsed JSON: an element of a list, a
// substring of a string, a member name of an object.
function pyIn(needle, container) {
  if (Array.isArray(container)) return container.some((x) => x === needle);
  if (typeof container === "string") return container.includes(needle);
  if (isObject(container)) return Object.hasOwn(container, needle);
  return false;
}

// Python's == between a JSON count and the checkpoint's (true is 1, false is 0).
function pyIntEquals(value, count) {
  if (typeof value === "bigint") return value === count;
  if (typeof value === "boolean") value = value ? 1 : 0;
  return Number.isInteger(value) && BigInt(value) === count;
}

