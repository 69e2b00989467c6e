// Known-answer tests of the verifier's primitives under Node's WebCrypto:
// RFC 8785, RFC 8032, RFC 6962/9162 proofs and C2SP signed notes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { join } from "node:path";

import { concat, fromBase64, fromHex, toBase64, toHex, utf8 } from "../../static/js/verifier/bytes.js";
import { CanonicalError, canonical, canonicalText } from "../../static/js/verifier/canonical.js";
import { ed25519Verify, sha256 } from "../../static/js/verifier/crypto.js";
import { leafHash, verifyConsistency, verifyInclusion } from "../../static/js/verifier/merkle.js";
import { verifyCheckpoint } from "../../static/js/verifier/note.js";
import { PROJECT_ROOT, readJson, sharedVectors } from "./paths.mjs";

const JCS = readJson(join(PROJECT_ROOT, "tests", "vectors", "rfc8785-jcs.json"));
const ED25519 = readJson(join(PROJECT_ROOT, "tests", "vectors", "rfc8032-ed25519.json")).vectors;
const CHECKPOINTS = readJson(join(PROJECT_ROOT, "tests", "vectors", "checkpoints.json"));

function jcs(input) {
  return canonicalText(JSON.parse(input));
}

test("RFC 8785: every accepted case gives the RFC's bytes, every refused one is refused", () => {
  const cases = [...JCS.cases, ...JCS.numbers];
  let accepted = 0;
  let refused = 0;
  for (const c of cases) {
    if (c.refused) {
      assert.throws(() => jcs(c.input), (e) => e instanceof CanonicalError || e instanceof SyntaxError, c.input);
      refused++;
    } else {
      assert.equal(jcs(c.input), c.output, c.name ?? c.input);
      assert.deepEqual(canonical(JSON.parse(c.output)), utf8(c.output));
      accepted++;
    }
  }
  assert.ok(accepted >= 5 && refused >= 20, `${accepted} accepted, ${refused} refused`);
});

test("canonical JSON refuses what is not a JSON value of the protocol", () => {
  for (const bad of [undefined, () => 1, 1.5, 2 ** 53, -(2 ** 53), NaN, Infinity, 1n, new Date(0), "\ud800", "a\udc00", ["\ud83d"], { "\udfff": 1 }]) {
    assert.throws(() => canonicalText(bad), CanonicalError, String(bad));
  }
  assert.equal(canonicalText([2 ** 53 - 1, -(2 ** 53 - 1), -0, "\ud83d\ude00"]), '[9007199254740991,-9007199254740991,0,"\ud83d\ude00"]');
  assert.equal(canonicalText({ b: { d: [], c: {} }, a: null, aa: true, B: false }), '{"B":false,"a":null,"aa":true,"b":{"c":{},"d":[]}}');
  assert.equal(canonicalText({ "\u00e9": 1, "\ud83d\ude00": 2, "\uffff": 3 }), '{"\u00e9":1,"\ud83d\ude00":2,"\uffff":3}');
  assert.equal(canonicalText("\u0000\u001f\u007f\u2028\""), '"\\u0000\\u001f\u007f\u2028\\""');
});

test("base64 is standard, padded and canonical; hex is lowercase", () => {
  for (const n of [0, 1, 2, 3, 4, 5, 31, 32, 33]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 250) & 255);
    assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString("base64"));
    assert.deepEqual(fromHex(toHex(bytes)), bytes);
  }
  for (const bad of ["A", "AA", "AAA", "AB==", "AAB=", "AA=A", "A===", "====", "AA==AA==", "AA\n=", "-_==", " AA=", null, 5]) {
    assert.throws(() => fromBase64(bad), Error, String(bad));
  }
  assert.deepEqual(fromBase64(""), new Uint8Array(0));
  assert.deepEqual(fromBase64("/+8="), Uint8Array.of(0xff, 0xef));
  for (const bad of ["0", "AB", "0g", "zz", null]) assert.throws(() => fromHex(bad), Error);
  assert.deepEqual(concat(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
});

test("SHA-256 of the empty string and of 'abc'", async () => {
  assert.equal(toHex(await sha256(new Uint8Array(0))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(toHex(await sha256(utf8("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("RFC 8032: the five Ed25519 tests verify, and not for another message or key", async () => {
  assert.equal(ED25519.length, 5);
  for (const v of ED25519) {
    const key = fromHex(v.public_key);
    const sig = fromHex(v.signature);
    const msg = fromHex(v.message);
    assert.equal(await ed25519Verify(key, sig, msg), true, v.name);
    assert.equal(await ed25519Verify(key, sig, concat(msg, Uint8Array.of(0))), false, v.name);
    const bent = sig.slice();
    bent[63] ^= 1;
    assert.equal(await ed25519Verify(key, bent, msg), false, v.name);
    assert.equal(await ed25519Verify(key, sig.slice(0, 63), msg), false, v.name);
    assert.equal(await ed25519Verify(key.slice(0, 31), sig, msg), false, v.name);
    const otherKey = fromHex(ED25519[(ED25519.indexOf(v) + 1) % 5].public_key);
    assert.equal(await ed25519Verify(otherKey, sig, msg), false, v.name);
  }
});

function decodeAll(list) {
  return (list ?? []).map((h) => (h === null ? new Uint8Array(0) : fromBase64(h)));
}

function hash(value) {
  return value === null || value === undefined ? new Uint8Array(0) : fromBase64(value);
}

test("RFC 6962 inclusion vectors: exactly the happy paths verify", async (t) => {
  const files = sharedVectors(join("rfc6962", "inclusion"));
  if (files === null) return t.skip("shared vectors are absent");
  let happy = 0;
  for (const [name, v] of files) {
    const ok = await verifyInclusion(hash(v.leafHash), v.leafIdx, v.treeSize, decodeAll(v.proof), hash(v.root));
    assert.equal(ok, !v.wantErr, name);
    happy += ok;
  }
  assert.ok(files.length > 60 && happy >= 5, `${files.length} files, ${happy} happy`);
});

test("RFC 6962 consistency vectors: exactly the happy paths verify", async (t) => {
  const files = sharedVectors(join("rfc6962", "consistency"));
  if (files === null) return t.skip("shared vectors are absent");
  let happy = 0;
  for (const [name, v] of files) {
    const ok = await verifyConsistency(v.size1, v.size2, hash(v.root1), hash(v.root2), decodeAll(v.proof));
    assert.equal(ok, !v.wantErr, name);
    happy += ok;
  }
  assert.ok(files.length > 60 && happy >= 4, `${files.length} files, ${happy} happy`);
});

// The tree over the eight RFC 6962 inputs, computed here, and every proof of it.
const RFC6962_ENTRIES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(fromHex);

test("leaf hashes of the RFC 6962 inputs give the vectors' root", async () => {
  const { root } = await import("./tree.mjs").then((m) => m.treeOf(RFC6962_ENTRIES));
  assert.equal(toBase64(root), "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=");
  assert.equal(toBase64(await leafHash(RFC6962_ENTRIES[0])), "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
});

test("signed-note vectors: exactly the unbent checkpoints verify", async () => {
  let good = 0;
  for (const v of CHECKPOINTS) {
    const origin = v.signed_note.split("\n")[0];
    let ok = true;
    try {
      const cp = await verifyCheckpoint(v.signed_note, { origin, logKey: v.verifier_key });
      assert.equal(cp.text, v.text);
      assert.equal(cp.size, 8n);
    } catch (e) {
      assert.equal(e.code, "checkpoint_signature_invalid", v.desc);
      ok = false;
    }
    assert.equal(ok, !v.want_err, v.desc);
    good += ok;
  }
  assert.equal(good, 2);
});
