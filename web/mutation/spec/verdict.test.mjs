// The receipt verdict (deriveVerdict) on hand-made entry lists, each the
// smallest that tells one rule of the Python verifier's derive_verdict
// apart from its neighbours, and the order of the streams a bundle proves
// complete.
import assert from "node:assert/strict";
import { test } from "node:test";

import { deriveVerdict, INVOLVED, NOT_A_MEMBER, NOT_INVOLVED } from "../../static/js/verifier/bundle.js";
import { verifyBundle } from "../../static/js/verifier/index.js";
import { loadCorpus } from "./corpus.mjs";

const entry = (stream, leafIndex, type, disclosed, actor = "sekretariat") => ({ stream, leafIndex, type, actor, disclosed, undisclosed: [] });
const registry = (leafIndex, type, disclosed) => entry("registry", leafIndex, type, disclosed, "admin");
const matter = (leafIndex, type, disclosed = {}, actor = undefined) => entry("matter/m", leafIndex, type, disclosed, actor);
const appointed = (leafIndex, body, person = "amr") => registry(leafIndex, "MemberAppointed", { body, person });
const left = (leafIndex, body, person = "amr") => registry(leafIndex, "MemberLeft", { body, person });
const opened = (leafIndex, body = "B") => matter(leafIndex, "MatterOpened", { responsible_body: body });
const noted = (leafIndex) => matter(leafIndex, "NoteAdded");
const shared = (leafIndex, bodies = ["B"]) => matter(leafIndex, "MaterialShared", { bodies });
const verdict = (entries) => deriveVerdict(entries, "amr", "matter/m");

function permutations(items) {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

test("the verdict folds the entries in leaf order, whatever order they are given in", () => {
  // Appointed at leaf 1, so the material shared with the body at leaf 3 reaches them.
  const entries = [appointed(1, "B"), opened(2), shared(3)];
  for (const order of permutations(entries)) {
    assert.equal(verdict(order), INVOLVED, order.map((e) => e.leafIndex).join(","));
  }
  assert.equal(verdict([opened(1), shared(2), appointed(3, "B")]), NOT_A_MEMBER);
});

test("a person appointed twice to one body keeps both seats", () => {
  // The first seat spans the matter; the second begins after it.
  assert.equal(verdict([appointed(1, "B"), opened(2), noted(3), left(4, "B"), appointed(5, "B")]), NOT_INVOLVED);
  // Appointed twice without leaving: one MemberLeft ends both seats.
  assert.equal(verdict([appointed(1, "B"), appointed(2, "B"), left(3, "B"), opened(4), shared(5)]), NOT_A_MEMBER);
  assert.equal(verdict([appointed(1, "B"), appointed(2, "B"), opened(3), shared(4), left(5, "B")]), INVOLVED);
});

test("leaving ends only the open seat, of that person, in that body", () => {
  // An ended seat keeps its end when the person leaves again later.
  assert.equal(verdict([appointed(1, "B"), left(2, "B"), opened(3), noted(4), appointed(6, "B"), left(7, "B")]), NOT_A_MEMBER);
  // Another person's leaving, or leaving another body, leaves the seat open.
  assert.equal(verdict([appointed(1, "B"), opened(2), left(3, "B", "bo"), shared(4)]), INVOLVED);
  assert.equal(verdict([appointed(1, "B"), appointed(2, "C"), opened(3), left(4, "C"), shared(5)]), INVOLVED);
  assert.equal(verdict([appointed(1, "B"), opened(2), left(3, "B"), shared(4)]), NOT_INVOLVED);
  // A dissolved body ends every seat in it.
  assert.equal(verdict([appointed(1, "B"), opened(2), registry(3, "BodyDissolved", { body: "B" }), shared(4)]), NOT_INVOLVED);
  assert.equal(verdict([appointed(1, "B"), opened(2), registry(3, "BodyDissolved", { body: "C" }), shared(4)]), INVOLVED);
  // Only leaving or dissolving ends a seat, not another registry event naming the person and body.
  assert.equal(verdict([appointed(1, "B"), opened(2), registry(3, "KeyAdded", { body: "B", person: "amr" }), shared(4)]), INVOLVED);
  // Another person's appointment seats nobody else.
  assert.equal(verdict([appointed(1, "B", "bo"), opened(2), shared(3)]), NOT_A_MEMBER);
});

test("only the registry and the receipt's own matter count toward its verdict", () => {
  const elsewhere = (leafIndex, type, disclosed, actor) => entry("matter/other", leafIndex, type, disclosed, actor);
  // An event of another matter signed by the person, or sent to their body, does not involve them.
  assert.equal(verdict([appointed(1, "B"), elsewhere(2, "NoteAdded", {}, "amr"), opened(3, "C"), noted(4)]), NOT_A_MEMBER);
  assert.equal(verdict([appointed(1, "B"), elsewhere(2, "MaterialShared", { bodies: ["B"] }), opened(3, "C")]), NOT_A_MEMBER);
  // The matter's own first and last events bound it, not the registry's or another matter's.
  assert.equal(verdict([appointed(1, "B"), opened(2), noted(3), elsewhere(4, "MatterOpened", { responsible_body: "C" })]), NOT_INVOLVED);
  assert.equal(verdict([appointed(1, "B"), left(2, "B"), opened(3), noted(4), appointed(5, "B")]), NOT_A_MEMBER);
  assert.equal(verdict([opened(1), noted(2), appointed(3, "B")]), NOT_A_MEMBER);
  assert.equal(verdict([elsewhere(0, "NoteAdded", {}), appointed(1, "B"), opened(2), noted(3)]), NOT_INVOLVED);
});

test("the streams proven complete are reported in code-point order, however the bundle lists them", async () => {
  const { bases } = loadCorpus();
  const { bundle, trust } = bases.find((b) => b.name === "receipt");
  const names = Object.keys(bundle.heads.streams);
  assert.ok(names.length >= 2, names.join(" "));
  const expected = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const order of [names, [...names].reverse()]) {
    const streams = Object.fromEntries(order.map((n) => [n, bundle.heads.streams[n]]));
    const result = await verifyBundle({ ...bundle, heads: { ...bundle.heads, streams } }, trust);
    assert.equal(result.ok, true);
    assert.deepEqual(result.report.complete, expected);
  }
});
