// Every sentence describe() says of the base bundles' claims (claims.json), of each
// refusal code and of hand-made results, in Danish and English: what sentences.json holds
// (write-sentences.mjs writes it; describe.test.mjs holds describe() to it word for word).
import { join } from "node:path";

import { describe, EXPLAINED_CODES } from "../../static/js/verifier/describe.js";
import { PROJECT_ROOT, readJson } from "./paths.mjs";

export const SPEC = join(PROJECT_ROOT, "web", "mutation", "spec");

export function allSentences() {
  const claims = readJson(join(SPEC, "claims.json"));
  const sentences = { bases: {}, refusals: {} };
  const at = { type: "DecisionMade", stream: "matter/sag", seq: 4, leafIndex: 12 };
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
  // Hand-made results for what the base bundles never say: one of each count, lists of
  // one and of three, every verdict, other streams, and refusals at an event of each shape.
  const one = [
    { id: "witnesses", cosigned: 1, quorum: 1, witnesses: 1, names: ["w1.example/a"] },
    { id: "in_log", events: 1, streams: 1 },
    { id: "complete", streams: ["registry"] },
    { id: "disclosed", fields: 1 },
    { id: "imported", events: 1 },
  ];
  const many = [
    { id: "witnesses", cosigned: 3, quorum: 2, witnesses: 4, names: ["w1.example/a", "w2.example/b", "w3.example/c"] },
    { id: "complete", streams: ["matter/a", "matter/b", "registry"] },
  ];
  const verdicts = ["involved", "not_involved", "not_a_member", "unheard_of"].map((verdict) => ({
    id: "verdict",
    person: "tr",
    verdict,
    matter: "sag",
  }));
  const results = [
    { ok: true, proves: one, doesNotProve: [{ id: "not_complete", streams: ["matter/a"] }, { id: "undisclosed", events: 1, fields: 1 }] },
    { ok: true, proves: [...many, ...verdicts], doesNotProve: [{ id: "not_complete", streams: ["matter/a", "other", "registry"] }] },
    ...[
      { type: "KeyAdded", stream: "registry", seq: null, leafIndex: 3 },
      { type: "MatterOpened", stream: null, seq: null, leafIndex: 5 },
      { type: null, stream: null, seq: null, leafIndex: 0 },
    ].map((event) => ({ ok: false, code: "bad_signature", proves: [], doesNotProve: [{ id: "refused", code: "bad_signature", event }] })),
    { ok: false, code: "made_up", proves: [], doesNotProve: [{ id: "refused", code: "made_up", event: null }] },
  ];
  sentences.variants = results.map((result) => ({
    result,
    ...Object.fromEntries(["da", "en"].map((lang) => [lang, describe(result, lang)])),
  }));
  return sentences;
}
