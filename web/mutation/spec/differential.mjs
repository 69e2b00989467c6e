// Runs the browser's verifier over the differential corpus and lists every case
// whose verdict differs from the Python verifier's.  Plain ES module without
// Node imports: the node tests and the browser tests both load it.

import { verifyBundle } from "../../static/js/verifier/index.js";

// The operation of tests/web/verifier/corpus.py's apply(), on a copy.
export function apply(root, operation) {
  const out = structuredClone(root);
  const path = operation.path;
  let target = out;
  for (const step of path.slice(0, -1)) target = target[step];
  const last = path[path.length - 1];
  if (operation.op === "set") target[last] = structuredClone(operation.value);
  else if (operation.op === "delete") {
    if (Array.isArray(target)) target.splice(last, 1);
    else delete target[last];
  } else target.splice(last, 0, structuredClone(operation.value));
  return out;
}

export function casesOf(corpus) {
  const bases = new Map(corpus.bases.map((b) => [b.name, b]));
  const cases = corpus.bases.map((b) => ({ name: `base ${b.name}`, bundle: b.bundle, trust: b.trust, expect: b.expect }));
  corpus.mutated.forEach((c, i) => {
    const base = bases.get(c.base);
    const op = c.mutation;
    cases.push({
      name: `mutated ${i} ${c.base} ${op.in} ${op.op} ${JSON.stringify(op.path)}`,
      bundle: op.in === "bundle" ? apply(base.bundle, op) : base.bundle,
      trust: op.in === "trust" ? apply(base.trust, op) : base.trust,
      expect: c.expect,
      floats: c.floats === true,
    });
  });
  corpus.recorded.forEach((c, i) => cases.push({ name: `recorded ${i}`, ...c }));
  return cases;
}

function summary(report) {
  return {
    kind: report.kind,
    tree_size: Number(report.treeSize),
    entries: report.entries.map((e) => e.leafIndex),
    complete: report.complete,
    undisclosed: report.entries.filter((e) => e.undisclosed.length > 0).map((e) => e.leafIndex),
    cosignatures: report.cosignatures.length,
    subject: report.subject,
  };
}

// The JavaScript verdict in the corpus's form.
export async function judge(bundle, trust) {
  const result = await verifyBundle(bundle, trust);
  if (result.ok) return { ok: true, report: summary(result.report) };
  const event = result.event;
  return {
    ok: false,
    code: result.code,
    leaf_index: event ? event.leafIndex : null,
    message: result.message,
    event: event ? { stream: event.stream, seq: event.seq, type: event.type, actor: event.actor } : null,
  };
}

// Deliberate differences, each with its reason; null when the verdicts must be equal.
export function knownDifference(c, ours, theirs) {
  if (theirs.crash !== undefined && !ours.ok) {
    return "the Python verifier raised " + theirs.crash + " (its own bug); the verifier here refuses";
  }
  if (c.floats && !theirs.ok && theirs.code === "malformed_bundle") {
    return "a number written with a fraction (1.0): JSON.parse reads the integer 1, Python's json a float it refuses";
  }
  if (ours.ok && theirs.ok && typeof c.bundle.kind !== "string") {
    const same = JSON.stringify({ ...ours.report, kind: theirs.report.kind }) === JSON.stringify(theirs.report);
    if (same) return "a kind that is not text: Python reports str(kind), the verifier here ''";
  }
  return null;
}

function sameVerdict(c, ours, theirs) {
  return JSON.stringify(ours) === JSON.stringify(theirs) || knownDifference(c, ours, theirs) !== null;
}

// Every case whose verdicts differ: [{name, ours, theirs}], stopping after `limit` of them.
export async function differences(corpus, only = null, limit = Infinity) {
  const found = [];
  let count = 0;
  for (const c of casesOf(corpus)) {
    if (only !== null && !only(c)) continue;
    count++;
    const ours = await judge(c.bundle, c.trust);
    if (!sameVerdict(c, ours, c.expect)) found.push({ name: c.name, ours, theirs: c.expect });
    if (found.length >= limit) break;
  }
  return { count, found };
}
