// The verifier gives the Python verifier's verdict on every case of the corpus:
// the bases first, then the recorded bundles, then the mutated ones, stopping
// after three differences (a mutation run kills a mutant at its first).
import assert from "node:assert/strict";
import { test } from "node:test";

import { loadCorpus } from "./corpus.mjs";
import { differences } from "./differential.mjs";

const corpus = loadCorpus();
const ORDER = ["base ", "recorded ", "mutated "];

test("every case of the corpus gets the Python verifier's verdict", async () => {
  const total = corpus.bases.length + corpus.recorded.length + corpus.mutated.length;
  let count = 0;
  for (const prefix of ORDER) {
    const part = await differences(corpus, (c) => c.name.startsWith(prefix), 3);
    count += part.count;
    assert.deepEqual(part.found, [], `${part.found.length} differ among the cases named ${prefix}...`);
  }
  assert.equal(count, total);
  assert.ok(corpus.recorded.length >= 50 && corpus.mutated.length >= 100, "the corpus is too small");
});
