// Writes sentences.json: every sentence describe() says of the base bundles' claims
// (claims.json) and of each refusal code, which describe.test.mjs holds it to word for
// word. Run it after changing a sentence on purpose, and read the diff:
//   node web/mutation/spec/write-sentences.mjs
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { describe, EXPLAINED_CODES } from "../../static/js/verifier/describe.js";
import { PROJECT_ROOT, readJson } from "./paths.mjs";

const SPEC = join(PROJECT_ROOT, "web", "mutation", "spec");
const claims = readJson(join(SPEC, "claims.json"));
const at = { type: "DecisionMade", stream: "matter/sag", seq: 4, leafIndex: 12 };
const sentences = { bases: {}, refusals: {} };
for (const [name, claimed] of Object.entries(claims)) {
  sentences.bases[name] = Object.fromEntries(["da", "en"].map((lang) => [lang, describe({ ok: true, ...claimed }, lang)]));
}
for (const code of EXPLAINED_CODES) {
  sentences.refusals[code] = Object.fromEntries(
    ["da", "en"].map((lang) => [
      lang,
      [at, null].map((event) => describe({ ok: false, code, proves: [], doesNotProve: [{ id: "refused", code, event }] }, lang)),
    ]),
  );
}
writeFileSync(join(SPEC, "sentences.json"), JSON.stringify(sentences, null, 2) + "\n");
