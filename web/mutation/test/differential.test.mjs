// The verifier gives the Python verifier's verdict on every case of the corpus.
import assert from "node:assert/strict";
import { test } from "node:test";

import { loadCorpus } from "./corpus.mjs";
import { differences } from "./differential.mjs";

const corpus = loadCorpus();

for (const part of ["bases", "mutated", "recorded"]) {
  test(`the ${part} cases get the Python verifier's verdicts`, async () => {
    const prefix = part === "bases" ? "base " : part + " ";
    const { count, found } = await differences(corpus, (c) => c.name.startsWith(prefix));
    assert.ok(count >= 3, `${count} cases`);
    assert.deepEqual(found.slice(0, 5), [], `${found.length} of ${count} differ`);
  });
}
