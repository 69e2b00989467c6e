// describe(): sentences in Danish and English for every claim and every refusal.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import { describe, EXPLAINED_CODES } from "../../static/js/verifier/describe.js";
import { verifyBundle } from "../../static/js/verifier/index.js";
import { loadCorpus } from "./corpus.mjs";
import { casesOf } from "./differential.mjs";
import { PROJECT_ROOT, readJson } from "./paths.mjs";
import { SPEC, allSentences } from "./sentences.mjs";

const corpus = loadCorpus();
const base = (name) => corpus.bases.find((b) => b.name === name);

test("a valid receipt: what it proves and what not, in both languages", async () => {
  const { bundle, trust } = base("receipt");
  const result = await verifyBundle(bundle, trust);
  assert.equal(result.ok, true);
  assert.deepEqual(result.proves.map((c) => c.id), ["checkpoint", "witnesses", "genesis", "in_log", "signed", "complete", "disclosed", "verdict"]);
  assert.deepEqual(result.doesNotProve.map((c) => c.id), ["undisclosed", "roles", "truth", "times", "after", "no_witness"]);
  const da = describe(result, "da");
  const en = describe(result, "en");
  assert.equal(da.headline, "Pakken er gyldig.");
  assert.equal(en.headline, "The bundle is valid.");
  assert.match(da.proves.join(" "), /amr sad i det ansvarlige organ mens sagen kørte, men blev aldrig inddraget/);
  assert.match(en.proves.join(" "), /amr sat in the responsible body while the matter ran, but was never involved/);
  assert.match(en.proves.join(" "), /Nothing is left out of the matter budget and the registry \(people, keys, bodies\)/);
  assert.match(en.doesNotProve.join(" "), /The content of 3 fields in 3 events that are not shown/);
  assert.match(da.doesNotProve.join(" "), /Indholdet af 3 felter i 3 hændelser/);
  assert.equal(describe(result).headline, da.headline);
  assert.equal(da.proves.length, result.proves.length);
  assert.equal(en.doesNotProve.length, result.doesNotProve.length);
  assert.throws(() => describe(result, "de"), /no sentences in de/);
});

test("a witnessed matter bundle names its witnesses; an events bundle what it leaves out", async () => {
  const witnessed = await verifyBundle(base("witnessed").bundle, base("witnessed").trust);
  assert.match(describe(witnessed, "en").proves[1], /^2 witnesses \(w1.example\/a and w2.example\/b\) cosigned the checkpoint; the trust root asks for 2 of 3\.$/);
  assert.ok(!witnessed.doesNotProve.some((c) => c.id === "no_witness"));
  const events = await verifyBundle(base("events").bundle, base("events").trust);
  assert.deepEqual(events.doesNotProve[0], { id: "not_complete", streams: ["matter/m1"] });
  assert.match(describe(events, "da").doesNotProve[0], /^At intet er udeladt af sagen m1/);
  assert.deepEqual(events.proves.find((c) => c.id === "in_log"), { id: "in_log", events: 9, streams: 3 });
});

test("every refusal in the corpus gets a sentence naming its reason and its event", async () => {
  const seen = new Set();
  for (const c of casesOf(corpus)) {
    if (c.expect.ok || c.expect.crash || seen.has(c.expect.code)) continue;
    seen.add(c.expect.code);
    const result = await verifyBundle(c.bundle, c.trust);
    assert.equal(result.ok, false);
    assert.deepEqual(result.proves, []);
    for (const lang of ["da", "en"]) {
      const text = describe(result, lang);
      assert.ok(text.headline.includes(result.code) === false, text.headline);
      assert.equal(text.doesNotProve.length, 1);
      assert.ok(text.doesNotProve[0].includes(`(${result.code}`), text.doesNotProve[0]);
      if (result.event) assert.ok(text.doesNotProve[0].includes(` ${result.event.leafIndex} `), text.doesNotProve[0]);
    }
  }
  assert.ok(seen.size >= 18, [...seen].join(" "));
  for (const code of seen) assert.ok(EXPLAINED_CODES.includes(code), code);
});

// What each base bundle proves and does not, exactly (the claims describe() words).
const CLAIMS = readJson(join(PROJECT_ROOT, "web", "mutation", "spec", "claims.json"));

test("the claims of each base bundle, exactly", async () => {
  for (const [name, expected] of Object.entries(CLAIMS)) {
    const result = await verifyBundle(base(name).bundle, base(name).trust);
    assert.deepEqual({ proves: result.proves, doesNotProve: result.doesNotProve }, expected, name);
  }
});

test("an imported event is said to be imported", async () => {
  const result = await verifyBundle(base("witnessed").bundle, base("witnessed").trust);
  assert.equal(describe(result, "en").proves.at(-1), "1 event is marked as imported from an earlier system; its time is the one the import stated.");
  assert.equal(describe(result, "da").proves.at(-1), "1 hændelse er mærket som importeret fra et tidligere system; dens tidspunkt er det importen angav.");
});

test("several imported events are spoken of in the plural", () => {
  const result = { ok: true, proves: [{ id: "imported", events: 2 }], doesNotProve: [] };
  assert.equal(describe(result, "en").proves[0], "2 events are marked as imported from an earlier system; their times are the ones the import stated.");
  assert.equal(describe(result, "da").proves[0], "2 hændelser er mærket som importeret fra et tidligere system; deres tidspunkter er dem importen angav.");
});

// Every sentence describe() says of the base bundles' claims, of each refusal and of
// hand-made results, word for word (sentences.json): a change of wording is made there,
// on purpose (write-sentences.mjs).
const SENTENCES = readJson(join(SPEC, "sentences.json"));

test("every sentence of the base bundles' claims, of each refusal and of the hand-made variants, word for word", () => {
  const said = allSentences();
  assert.deepEqual(Object.keys(said.bases).sort(), Object.keys(CLAIMS).sort());
  assert.deepEqual(Object.keys(said.refusals).sort(), [...EXPLAINED_CODES].sort());
  assert.ok(said.variants.length >= 6);
  for (const part of ["bases", "refusals", "variants"]) {
    for (const [key, sentences] of Object.entries(said[part])) {
      assert.deepEqual(sentences, SENTENCES[part][key], `${part} ${key}`);
    }
    assert.equal(Object.keys(said[part]).length, Object.keys(SENTENCES[part]).length, part);
  }
});

test("a bundle and a trust root given as text verify as their documents do", async () => {
  const { bundle, trust } = base("receipt");
  const asText = await verifyBundle(JSON.stringify(bundle), JSON.stringify(trust));
  const asDocuments = await verifyBundle(bundle, trust);
  assert.equal(asText.ok, true);
  assert.deepEqual(asText.proves, asDocuments.proves);
  const broken = await verifyBundle("{", trust);
  assert.deepEqual([broken.code, broken.message, broken.event], ["malformed_bundle", "not a medledger-bundle/v2 document", null]);
});

test("the report names each verified event as the bundle states it", async () => {
  const { bundle, trust } = base("witnessed");
  const { report } = await verifyBundle(bundle, trust);
  const last = bundle.entries.at(-1);
  assert.deepEqual(report.entries.at(-1), {
    leafIndex: 4,
    stream: "matter/sag",
    seq: 3,
    type: "MeetingHeld",
    actor: "direktor",
    time: last.entry.body.time,
    imported: true,
    recordedAt: last.recorded_at,
    disclosed: Object.assign(Object.create(null), { present: [] }),
    undisclosed: [],
  });
  assert.equal(report.entries[0].imported, false);
  assert.deepEqual([report.origin, report.treeSize, report.kind, report.quorum, report.witnesses], [
    "ledger.example/factory", 5n, "matter", 2, 3,
  ]);
  assert.deepEqual(report.complete, ["matter/sag", "registry"]);
});

test("a cosignature line under a witness's name but another key hash is not that witness's", async () => {
  const { bundle, trust } = base("witnessed");
  const { fromBase64, toBase64 } = await import("../../static/js/verifier/bytes.js");
  const lines = bundle.checkpoint.split("\n");
  const at = lines.findIndex((l) => l.startsWith("\u2014 w1.example/a "));
  const [dash, name, blob] = lines[at].split(" ");
  const raw = fromBase64(blob);
  raw[0] ^= 1; // the key hash, not the signature
  lines[at] = [dash, name, toBase64(raw)].join(" ");
  const result = await verifyBundle({ ...bundle, checkpoint: lines.join("\n") }, trust);
  assert.deepEqual([result.code, result.message], [
    "witness_quorum_missing",
    "checkpoint has 1 of the 2 witness cosignatures the trust root asks for",
  ]);
});

test("a witness's key hash and signature under another name is not that witness's", async () => {
  const { bundle, trust } = base("witnessed");
  const checkpoint = bundle.checkpoint.replace("\u2014 w1.example/a ", "\u2014 w9.example/z ");
  assert.notEqual(checkpoint, bundle.checkpoint);
  const result = await verifyBundle({ ...bundle, checkpoint }, trust);
  assert.equal(result.code, "witness_quorum_missing");
});
