// C2SP signed notes (https://c2sp.org/signed-note), tlog-checkpoint bodies and
// tlog-cosignature lines, as docs/PROTOCOL.md section 11 uses them.

import { concat, fromBase64, toHex, utf8 } from "./bytes.js";
import { ed25519Verify, sha256 } from "./crypto.js";
import { MAX_TREE_SIZE } from "./merkle.js";
import { refuse } from "./errors.js";
import { pythonRepr } from "./pyfmt.js";

export const NOTE_ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
export const MAX_SIGNATURES = 100; // signature lines read from one note (as Go's note.Open)
export const MAX_EXTENSION_LINES = 16; // extension lines read from one checkpoint
export const HEADS_LINE = "medledger/heads/v2";
const EM_DASH = "\u2014 ";

function b64(text) {
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
}

// A verifier key `name+hash+base64(type || key)` of the given type:
// {name, keyHash (number), publicKey (32 bytes)}; malformed_key otherwise.
export async function parseVerifierKey(verifierKey, kind) {
  const bad = (why) => refuse("malformed_key", `verifier key ${pythonRepr(verifierKey)}${why}`);
  if (typeof verifierKey !== "string") bad(" is malformed");
  const first = verifierKey.indexOf("+");
  const second = first < 0 ? -1 : verifierKey.indexOf("+", first + 1);
  if (second < 0) bad(" is malformed");
  const name = verifierKey.slice(0, first);
  const hashHex = verifierKey.slice(first + 1, second);
  const raw = b64(verifierKey.slice(second + 1));
  const keyHash = parseHexInt(hashHex);
  if (raw === null || keyHash === null) bad(" is malformed");
  if (hashHex.length !== 8 || raw.length !== 33 || raw[0] !== kind) {
    bad(` is not an Ed25519 key of type ${kind}`);
  }
  const digest = await sha256(concat(utf8(name), Uint8Array.of(0x0a), raw));
  if (BigInt(readUint32(digest)) !== keyHash) bad(": hash does not match");
  return { name, keyHash: Number(keyHash), publicKey: raw.slice(1), text: verifierKey };
}

// Python's int(text, 16): optional white space, sign, 0x prefix and single
// underscores between digits; null where Python raises ValueError.
function parseHexInt(text) {
  const match = /^\s*([+-]?)(?:0[xX]_?)?([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)\s*$/.exec(text);
  if (match === null) return null;
  const value = BigInt("0x" + match[2].replaceAll("_", ""));
  return match[1] === "-" ? -value : value;
}

function readUint32(bytes) {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

function readUint64(bytes) {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function hasControlCharacter(note) {
  for (const c of note) {
    const code = c.codePointAt(0);
    if (c !== "\n" && (code < 0x20 || code === 0x7f)) return true;
  }
  return false;
}

function isPlainDecimal(text) {
  return /^(0|[1-9][0-9]*)$/.test(text);
}

// Verify a checkpoint note for `origin`, signed by the log key and cosigned by
// at least `quorum` of the witnesses (verifier key texts).  Returns {text, size
// (BigInt), root, extensions, cosignatures: [{witness, name, time (BigInt)}]}.
export async function verifyCheckpoint(note, { origin, logKey, witnesses: witnessKeys = [], quorum = 0 }) {
  const log = await parseVerifierKey(logKey, NOTE_ED25519);
  const witnesses = [];
  for (const w of witnessKeys) witnesses.push(await parseVerifierKey(w, COSIGNATURE_V1));
  if (typeof note !== "string") refuse("malformed_checkpoint", "a checkpoint is text");
  if (hasControlCharacter(note)) refuse("malformed_checkpoint", "a note holds no control character");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) refuse("malformed_checkpoint", "checkpoint has no signature block");
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (!block.endsWith("\n") || block.split("\n").length - 1 > MAX_SIGNATURES) {
    refuse(
      "malformed_checkpoint",
      `the signature block ends with a newline and holds at most ${MAX_SIGNATURES} lines`,
    );
  }
  const textBytes = utf8(text);
  let logged = false;
  const cosigners = new Map();
  for (const line of block.slice(0, -1).split("\n")) {
    const { name, keyHash, sig } = signatureLine(line);
    if (name === log.name && keyHash === log.keyHash) {
      if (!(await ed25519Verify(log.publicKey, sig, textBytes))) {
        refuse("checkpoint_signature_invalid", "checkpoint signature does not verify");
      }
      logged = true;
    }
    for (const witness of witnesses) {
      if (name !== witness.name || keyHash !== witness.keyHash) continue;
      if (sig.length !== 72) {
        refuse("checkpoint_signature_invalid", `cosignature by ${name} is malformed`);
      }
      const stamp = readUint64(sig);
      const message = concat(utf8(`cosignature/v1\ntime ${stamp}\n`), textBytes);
      if (!(await ed25519Verify(witness.publicKey, sig.slice(8), message))) {
        refuse("checkpoint_signature_invalid", `cosignature by ${name} does not verify`);
      }
      cosigners.set(toHex(witness.publicKey), { witness: witness.text, name, time: stamp });
    }
  }
  if (!logged) refuse("checkpoint_signature_invalid", "checkpoint is not signed by the log key");
  if (cosigners.size < quorum) {
    refuse(
      "witness_quorum_missing",
      `checkpoint has ${cosigners.size} of the ${quorum} witness cosignatures the trust root asks for`,
    );
  }
  const { size, root, extensions } = checkpointText(text, origin);
  return { text, size, root, extensions, cosignatures: [...cosigners.values()] };
}

function signatureLine(line) {
  if (!line.startsWith(EM_DASH)) refuse("malformed_checkpoint", "bad signature line");
  const rest = line.slice(2);
  const space = rest.indexOf(" ");
  const name = space < 0 ? rest : rest.slice(0, space);
  const sig = b64(space < 0 ? "" : rest.slice(space + 1));
  if (sig === null) refuse("malformed_checkpoint", "bad signature encoding");
  if (sig.length < 5) refuse("malformed_checkpoint", "signature line too short");
  return { name, keyHash: readUint32(sig), sig: sig.slice(4) };
}

// The checkpoint body: origin, size, root and extension lines (tlog-checkpoint).
export function checkpointText(text, origin) {
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3 || lines[0] !== origin) {
    refuse("malformed_checkpoint", `checkpoint is not for ${origin}`);
  }
  if (lines.includes("")) refuse("malformed_checkpoint", "checkpoint has an empty line");
  if (lines.length > 3 + MAX_EXTENSION_LINES) {
    refuse("malformed_checkpoint", `checkpoint has more than ${MAX_EXTENSION_LINES} extension lines`);
  }
  const [, sizeLine, rootLine] = lines;
  if (!isPlainDecimal(sizeLine) || BigInt(sizeLine) > MAX_TREE_SIZE) {
    refuse("malformed_checkpoint", "checkpoint size malformed");
  }
  const root = b64(rootLine);
  if (root === null) refuse("malformed_checkpoint", "checkpoint root malformed");
  if (root.length !== 32) refuse("malformed_checkpoint", "checkpoint root is not 32 bytes");
  return { origin: lines[0], size: BigInt(sizeLine), root, extensions: lines.slice(3) };
}

// The one stream-heads extension line: {count (BigInt), root}.
export function headsLine(extensions) {
  const found = extensions.filter((l) => l.startsWith(HEADS_LINE + " ")).map((l) => l.split(" "));
  if (found.length !== 1 || found[0].length !== 3) {
    refuse("malformed_checkpoint", "checkpoint lacks one stream-heads line");
  }
  const [, countText, rootText] = found[0];
  const root = b64(rootText);
  if (root === null) refuse("malformed_checkpoint", "stream-heads root malformed");
  if (!isPlainDecimal(countText) || root.length !== 32) {
    refuse("malformed_checkpoint", "stream-heads line malformed");
  }
  return { count: BigInt(countText), root };
}
