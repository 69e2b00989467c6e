// Small unit checks of the verifier's helpers, each at its boundary.
import assert from "node:assert/strict";
import { test } from "node:test";

import { concat, equal, fromBase64, fromHex, toHex, utf8 } from "../../static/js/verifier/bytes.js";
import { sha256 } from "../../static/js/verifier/crypto.js";
import { MAX_TREE_SIZE, verifyConsistency, verifyInclusion } from "../../static/js/verifier/merkle.js";
import { parseVerifierKey, checkpointText, headsLine, verifyCheckpoint } from "../../static/js/verifier/note.js";
import { pythonRepr, pythonStr } from "../../static/js/verifier/pyfmt.js";
import { parseTrustRoot } from "../../static/js/verifier/trust.js";
import { treeOf } from "./tree.mjs";

const H = (n) => new Uint8Array(32).fill(n);

test("equal compares length and every byte", () => {
  assert.equal(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
  assert.equal(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
  assert.equal(equal(Uint8Array.of(1, 2), Uint8Array.of(3, 2)), false);
  assert.equal(equal(Uint8Array.of(0), Uint8Array.of(0, 0)), false);
  assert.equal(equal(Uint8Array.of(0, 0), Uint8Array.of(0)), false);
  assert.equal(equal(new Uint8Array(0), new Uint8Array(0)), true);
  assert.deepEqual(concat(), new Uint8Array(0));
  assert.equal(toHex(Uint8Array.of(0, 15, 16, 255)), "000f10ff");
  assert.deepEqual(fromHex("000f10ff"), Uint8Array.of(0, 15, 16, 255));
  assert.deepEqual(fromBase64("AAECAw=="), Uint8Array.of(0, 1, 2, 3));
  assert.deepEqual(fromBase64("/w=="), Uint8Array.of(255));
  assert.deepEqual(fromBase64("+/+/"), Uint8Array.of(0xfb, 0xff, 0xbf));
});

test("Python's str and repr of JSON values", () => {
  assert.equal(pythonRepr(null), "None");
  assert.equal(pythonRepr(undefined), "None");
  assert.equal(pythonRepr(true), "True");
  assert.equal(pythonRepr(false), "False");
  assert.equal(pythonRepr(-5), "-5");
  assert.equal(pythonRepr(5n), "5");
  assert.equal(pythonRepr("a'b"), `"a'b"`);
  assert.equal(pythonRepr(`a'b"`), `'a\\'b"'`);
  assert.equal(pythonRepr('a"b'), `'a"b'`);
  assert.equal(pythonRepr("\\\n\r\t\u0001\u007f\u009f\u00a0é"), "'\\\\\\n\\r\\t\\x01\\x7f\\x9f\u00a0é'");
  assert.equal(pythonRepr([1, "x", [null]]), "[1, 'x', [None]]");
  assert.equal(pythonRepr({ a: 1, b: [true] }), "{'a': 1, 'b': [True]}");
  assert.equal(pythonRepr({}), "{}");
  assert.equal(pythonStr("x"), "x");
  assert.equal(pythonStr(null), "None");
  assert.equal(pythonStr(["x"]), "['x']");
});

test("inclusion and consistency take sizes as integers or BigInt, and nothing else", async () => {
  const tree = await treeOf([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
  const proof = await tree.inclusion(2, 3);
  const root = await tree.rootAt(3);
  assert.equal(await verifyInclusion(tree.leaves[2], 2, 3, proof, root), true);
  assert.equal(await verifyInclusion(tree.leaves[2], 2n, 3n, proof, root), true);
  for (const [index, size] of [["2", 3], [2, "3"], [2.5, 3], [2, 3.5], [null, 3], [2, null], [-1, 3], [3, 3], [2, 2]]) {
    assert.equal(await verifyInclusion(tree.leaves[2], index, size, proof, root), false, `${index} ${size}`);
  }
  assert.equal(await verifyInclusion(tree.leaves[2], 2, 3, proof, root.slice(1)), false);
  assert.equal(await verifyInclusion(tree.leaves[2].slice(1), 2, 3, proof, root), false);
  assert.equal(await verifyInclusion(tree.leaves[2], 2, 3, [proof[0].slice(1)], root), false);
  const one = await tree.rootAt(1);
  const two = await tree.rootAt(2);
  const c13 = await tree.consistency(1, 3);
  const c23 = await tree.consistency(2, 3);
  assert.equal(await verifyConsistency(1, 3, one, root, c13), true);
  assert.equal(await verifyConsistency(2n, 3n, two, root, c23), true);
  assert.equal(await verifyConsistency(2, 3, two, root, []), false);
  assert.equal(await verifyConsistency(3, 3, root, root, []), true);
  assert.equal(await verifyConsistency(3, 3, root, two, []), false);
  assert.equal(await verifyConsistency(3, 3, root, root, [root]), false);
  for (const [m, n] of [["1", 3], [1, "3"], [0, 3], [4, 3], [1.5, 3], [1, MAX_TREE_SIZE + 1n]]) {
    assert.equal(await verifyConsistency(m, n, one, root, c13), false, `${m} ${n}`);
  }
  assert.equal(await verifyConsistency(1, 3, one.slice(1), root, c13), false);
  assert.equal(await verifyConsistency(1, 3, one, root, [...c13, H(1)]), false);
  assert.equal(await verifyConsistency(1, 3, one, root, c13.slice(1)), false);
  assert.equal(await verifyConsistency(1, 3, one, root, [c13[0].slice(1), ...c13.slice(1)]), false);
});

test("a 64-bit tree size is the largest; the next is refused", async () => {
  const leaf = H(7);
  const path = Array.from({ length: 64 }, (_, i) => H(i + 1));
  const { nodeHash } = await import("../../static/js/verifier/merkle.js");
  let root = leaf;
  for (const sibling of path) root = await nodeHash(root, sibling);
  assert.equal(await verifyInclusion(leaf, 0n, MAX_TREE_SIZE, path, root), true);
  assert.equal(await verifyInclusion(leaf, 0n, MAX_TREE_SIZE + 1n, path, root), false);
  assert.equal(MAX_TREE_SIZE, 2n ** 64n - 1n);
});

test("verifier keys: the parts, the hash in any form Python's int() reads, the type", async () => {
  const good = "ledger.example/testkommune+5dc70b5e+AY1kp05UIONjp/iIBByfWl8xm/eUqdr0wUrk3Y5mE6t1";
  const key = await parseVerifierKey(good, 1);
  assert.equal(key.name, "ledger.example/testkommune");
  assert.equal(key.keyHash, 0x5dc70b5e);
  assert.equal(key.publicKey.length, 32);
  assert.equal(key.text, good);
  const refusal = async (text, kind, message) =>
    assert.rejects(parseVerifierKey(text, kind), (e) => e.code === "malformed_key" && e.message === message, text);
  await refusal(good, 4, `verifier key '${good}' is not an Ed25519 key of type 4`);
  await refusal(5, 1, "verifier key 5 is malformed");
  await refusal("a+b", 1, "verifier key 'a+b' is malformed");
  const nameless = good.slice(good.indexOf("+")); // an empty name: read, and its hash checked
  await refusal(nameless, 1, `verifier key '${nameless}': hash does not match`);
  await refusal(good.replace("+5dc70b5e+", "+5dc70b5f+"), 1, `verifier key '${good.replace("+5dc70b5e+", "+5dc70b5f+")}': hash does not match`);
  await refusal(good.replace("+5dc70b5e+", "+5dc70b5+"), 1, `verifier key '${good.replace("+5dc70b5e+", "+5dc70b5+")}' is not an Ed25519 key of type 1`);
  await refusal(good.replace("+5dc70b5e+", "+5dc70b5g+"), 1, `verifier key '${good.replace("+5dc70b5e+", "+5dc70b5g+")}' is malformed`);
  await refusal(good + "=", 1, `verifier key '${good}=' is malformed`);
  // What Python's int(text, 16) reads, eight characters long: the hash then decides.
  for (const form of ["5DC70B5E", "0x5dc70b", " 5dc70b ", "-5dc70b5", "5dc_70b5", "0x_5dc70", "-0x5dc70"]) {
    const text = good.replace("+5dc70b5e+", `+${form}+`);
    const ok = form === "5DC70B5E";
    if (ok) assert.equal((await parseVerifierKey(text, 1)).keyHash, 0x5dc70b5e);
    else await refusal(text, 1, `verifier key '${text}': hash does not match`);
  }
  for (const form of ["+5dc70b5", "5dc__70b", "_5dc70b5", "5dc70b5_", "0x", "0x__5dc7", "++5dc70b"]) {
    const text = good.replace("+5dc70b5e+", `+${form}+`);
    await refusal(text, 1, `verifier key '${text}' is malformed`);
  }
});

test("a key hash written negative is Python's negative number, even where its digits match", async () => {
  // A name whose key hash begins with a zero digit, so that "-" and seven digits
  // are eight characters: Python's int() reads a negative number, never the hash.
  const raw = fromBase64("AY1kp05UIONjp/iIBByfWl8xm/eUqdr0wUrk3Y5mE6t1");
  let name = null;
  let hash = "";
  for (let i = 0; name === null; i += 1) {
    const digest = await sha256(concat(utf8(`k${i}`), Uint8Array.of(0x0a), raw));
    if (digest[0] < 0x10) [name, hash] = [`k${i}`, toHex(digest.slice(0, 4))];
  }
  const key = (written) => `${name}+${written}+AY1kp05UIONjp/iIBByfWl8xm/eUqdr0wUrk3Y5mE6t1`;
  assert.equal((await parseVerifierKey(key(hash), 1)).keyHash, parseInt(hash, 16));
  assert.equal((await parseVerifierKey(key(` ${hash.slice(1)}`), 1)).keyHash, parseInt(hash, 16));
  const negative = key(`-${hash.slice(1)}`);
  await assert.rejects(parseVerifierKey(negative, 1), (e) => e.code === "malformed_key" && e.message === `verifier key '${negative}': hash does not match`);
});

test("consistency proofs between every pair of sizes up to 19, and every bent one refused", async () => {
  const tree = await treeOf(Array.from({ length: 19 }, (_, i) => Uint8Array.of(i)));
  const bend = (h) => Uint8Array.from(h, (b, i) => (i === 0 ? b ^ 1 : b));
  for (let n = 1; n <= 19; n += 1) {
    const root2 = await tree.rootAt(n);
    for (let m = 1; m <= n; m += 1) {
      const root1 = await tree.rootAt(m);
      const proof = await tree.consistency(m, n);
      const at = `${m} -> ${n}`;
      assert.equal(await verifyConsistency(m, n, root1, root2, proof), true, at);
      assert.equal(await verifyConsistency(m, n, bend(root1), root2, proof), false, `${at} old root`);
      assert.equal(await verifyConsistency(m, n, root1, bend(root2), proof), false, `${at} new root`);
      assert.equal(await verifyConsistency(m, n, root1, root2, [...proof, root1]), false, `${at} one hash more`);
      if (m === n) continue;
      assert.equal(await verifyConsistency(m, n, root1, root2, proof.slice(0, -1)), false, `${at} one hash less`);
      assert.equal(await verifyConsistency(m, n, root1, root2, proof.slice(1)), false, `${at} first hash dropped`);
      for (let i = 0; i < proof.length; i += 1) {
        const bent = proof.map((h, j) => (j === i ? bend(h) : h));
        assert.equal(await verifyConsistency(m, n, root1, root2, bent), false, `${at} hash ${i}`);
      }
    }
  }
});

test("checkpoint texts and stream-heads lines", async () => {
  const root = "Hkv5i78XhzPMF+CfifretT4agY9q9JDekDhRxjNOkc4=";
  const heads = "medledger/heads/v2 1 hfc+OXMpIRCPGK+RYO6w8Lu5J8ik+qd6JdNg3P7MptY=";
  const body = checkpointText(`o\n2\n${root}\n${heads}\n`, "o");
  assert.equal(body.size, 2n);
  assert.deepEqual(body.extensions, [heads]);
  assert.equal(headsLine(body.extensions).count, 1n);
  assert.equal(headsLine(["x", heads, "y"]).root.length, 32);
  const bad = (f, message) => assert.throws(f, (e) => e.code === "malformed_checkpoint" && e.message === message);
  bad(() => checkpointText(`o\n2\n`, "o"), "checkpoint is not for o");
  bad(() => checkpointText(`p\n2\n${root}\n`, "o"), "checkpoint is not for o");
  bad(() => checkpointText(`o\n02\n${root}\n`, "o"), "checkpoint size malformed");
  bad(() => checkpointText(`o\n18446744073709551616\n${root}\n`, "o"), "checkpoint size malformed");
  assert.equal(checkpointText(`o\n18446744073709551615\n${root}\n`, "o").size, MAX_TREE_SIZE);
  assert.equal(checkpointText(`o\n0\n${root}\n`, "o").size, 0n);
  bad(() => checkpointText(`o\n2\nAAAA\n`, "o"), "checkpoint root is not 32 bytes");
  bad(() => checkpointText(`o\n2\n${root}x\n`, "o"), "checkpoint root malformed");
  bad(() => checkpointText(`o\n2\n${root}\n\nx\n`, "o"), "checkpoint has an empty line");
  const lines = (n) => Array.from({ length: n }, (_, i) => `x${i}`).join("\n") + "\n";
  assert.equal(checkpointText(`o\n2\n${root}\n${lines(16)}`, "o").extensions.length, 16);
  bad(() => checkpointText(`o\n2\n${root}\n${lines(17)}`, "o"), "checkpoint has more than 16 extension lines");
  bad(() => headsLine([]), "checkpoint lacks one stream-heads line");
  bad(() => headsLine([heads, heads]), "checkpoint lacks one stream-heads line");
  bad(() => headsLine([heads + " x"]), "checkpoint lacks one stream-heads line");
  bad(() => headsLine(["medledger/heads/v2 1 AAAA"]), "stream-heads line malformed");
  bad(() => headsLine(["medledger/heads/v2 01 " + heads.split(" ")[2]]), "stream-heads line malformed");
  bad(() => headsLine(["medledger/heads/v2 1 x"]), "stream-heads root malformed");
  assert.equal(headsLine(["medledger/heads/v2 0 " + heads.split(" ")[2]]).count, 0n);
  await assert.rejects(
    verifyCheckpoint(7, { origin: "o", logKey: "ledger.example/testkommune+5dc70b5e+AY1kp05UIONjp/iIBByfWl8xm/eUqdr0wUrk3Y5mE6t1" }),
    (e) => e.code === "malformed_checkpoint" && e.message === "a checkpoint is text",
  );
});

test("trust roots: the document, or its text", () => {
  const doc = { format: "medledger-trust/v1", origin: "o", log_key: "k", genesis: "0".repeat(64) };
  assert.deepEqual(parseTrustRoot(doc), { origin: "o", logKey: "k", genesis: "0".repeat(64), witnesses: [], quorum: 0 });
  assert.deepEqual(parseTrustRoot(JSON.stringify({ ...doc, witnesses: ["w"], quorum: 1 })).quorum, 1);
  const bad = (value) => assert.throws(() => parseTrustRoot(value), (e) => e.code === "malformed_trust_root");
  bad("{");
  bad(null);
  bad([]);
  bad({ ...doc, format: "x" });
  for (const [name, value] of [["origin", 1], ["log_key", null], ["genesis", "0".repeat(63)], ["genesis", "A".repeat(64)],
    ["witnesses", null], ["witnesses", [1]], ["quorum", 1], ["quorum", -1], ["quorum", 0.5], ["quorum", true]]) {
    bad({ ...doc, [name]: value });
  }
  assert.throws(() => parseTrustRoot("{"), (e) => e.message === "the trust root is not JSON");
});

test("canonical JSON: surrogate pairs at the edges of their ranges", async () => {
  const { canonicalText, CanonicalError } = await import("../../static/js/verifier/canonical.js");
  for (const ok of ["\ud800\udc00", "\udbff\udfff", "\udbff\udc00", "\ud800\udfff", "a\ud83d\ude00b", "\ud7ff", "\ue000"]) {
    assert.equal(canonicalText(ok), JSON.stringify(ok));
  }
  for (const bad of ["\ud800", "\udbff", "\udc00", "\udfff", "\ud800\ud800", "\ud800\ue000", "\ud800\udbff", "\udc00\ud800", "x\ud800"]) {
    assert.throws(() => canonicalText(bad), CanonicalError);
  }
});

test("trust roots pin a genesis of exactly 64 lowercase hex digits", () => {
  const doc = { format: "medledger-trust/v1", origin: "o", log_key: "k", genesis: "0".repeat(64) };
  for (const genesis of ["0".repeat(65), "x" + "0".repeat(64), "0".repeat(64) + "\n"]) {
    assert.throws(() => parseTrustRoot({ ...doc, genesis }), (e) => e.code === "malformed_trust_root" && e.name === "VerificationError");
  }
  assert.equal(parseTrustRoot({ ...doc, witnesses: ["a", "b"], quorum: 2 }).quorum, 2);
  assert.throws(() => parseTrustRoot({ ...doc, witnesses: ["a"], quorum: 2 }), (e) => e.code === "malformed_trust_root");
});

test("hex and base64 are decoded strictly, as the Python verifier decodes them", () => {
  for (const bad of ["AB", "abc", "0g", " 00", 5, null, ["00"]]) {
    assert.throws(() => fromHex(bad), /^Error: not lowercase hex$/, String(bad));
  }
  for (const bad of ["abc", "ab!d", "=abc", "ab=c", "AA==AA==", "A===", 5, null]) {
    assert.throws(() => fromBase64(bad), /^Error: not base64$/, String(bad));
  }
  assert.deepEqual(fromBase64(""), new Uint8Array(0));
});

test("Ed25519: a key that is not 32 bytes, not a point, or a signature of the wrong length verifies nothing", async () => {
  const { ed25519Verify } = await import("../../static/js/verifier/crypto.js");
  const message = utf8("m");
  const signature = new Uint8Array(64);
  assert.equal(await ed25519Verify(new Uint8Array(31), signature, message), false);
  assert.equal(await ed25519Verify(new Uint8Array(33), signature, message), false);
  assert.equal(await ed25519Verify(new Uint8Array(32).fill(0xff), signature, message), false);
  const pair = await globalThis.crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey("raw", pair.publicKey));
  const good = new Uint8Array(await globalThis.crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, message));
  assert.equal(await ed25519Verify(raw, good, message), true);
  assert.equal(await ed25519Verify(raw, good.subarray(0, 63), message), false);
  assert.equal(await ed25519Verify(raw, good, utf8("n")), false);
});

test("a trust root's genesis must be a string, not something that prints as one", () => {
  const doc = { format: "medledger-trust/v1", origin: "o", log_key: "k", genesis: "0".repeat(64) };
  assert.throws(() => parseTrustRoot({ ...doc, genesis: ["0".repeat(64)] }), (e) => e.code === "malformed_trust_root");
});

test("a report proves no stream complete when it names none", async () => {
  const { claims } = await import("../../static/js/verifier/claims.js");
  const report = {
    origin: "o", treeSize: 1n, cosignatures: [], quorum: 0, witnesses: [], kind: "events",
    entries: [{ stream: "registry", disclosed: {}, undisclosed: [], imported: false }], complete: [],
  };
  const found = claims(report);
  assert.equal(found.proves.some((c) => c.id === "complete"), false);
  assert.deepEqual(found.doesNotProve.find((c) => c.id === "not_complete").streams, ["registry"]);
});
