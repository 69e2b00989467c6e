// The auditor's check of a checkpoint held from earlier: the browser fetches today's
// checkpoint and the consistency proof between the two, verifies both checkpoints'
// signatures against the ledger's trust root and the proof with its own verifier
// (./verifier/), and says in plain words whether the log today extends the one held.

import { fromBase64, parseTrustRoot, verifyCheckpoint, verifyConsistency } from "./verifier/index.js";

const form = document.getElementById("consistency-form");
const words = document.getElementById("consistency-words").dataset;
const result = document.getElementById("consistency-result");
const ledger = form.dataset.ledger;

// A refusal: the code it is known by and the words that name it.
class Refusal extends Error {
  constructor(code, sentence) {
    super(sentence);
    this.code = code;
  }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

async function fetched(path, kind) {
  // A redirect is the way to the login page: the session has ended.
  const answer = await fetch(path, { headers: { Accept: kind }, redirect: "manual" });
  if (answer.type === "opaqueredirect") throw new Refusal("session_ended", words.loggedOut);
  if (!answer.ok) throw new Refusal("fetch_failed", fill(words.fetchFailed, { status: answer.status }));
  return kind === "application/json" ? answer.json() : answer.text();
}

// A checkpoint verified against the trust root, or a refusal naming which one failed and why.
async function checked(note, trust, whose) {
  try {
    return await verifyCheckpoint(note, trust);
  } catch (error) {
    const code = error.code || "malformed_checkpoint";
    const why = words[`why_${code}`] || words.why_other;
    throw new Refusal(code, fill(whose, { why }));
  }
}

async function verdict(held) {
  const served = await fetched(`/l/${ledger}/tillidsrod.json`, "application/json");
  let trust;
  try {
    trust = parseTrustRoot(served);
  } catch (error) {
    throw new Refusal(error.code || "malformed_trust_root", words.trustRefused);
  }
  const old = await checked(held, trust, words.heldRefused);
  const today = await checked(await fetched(`/l/${ledger}/revision/kontrolpunkt`, "text/plain"), trust, words.todayRefused);
  const sizes = { old: old.size, now: today.size };
  if (old.size > today.size) throw new Refusal("checkpoint_shrunk", fill(words.shrunk, sizes));
  const proof = await fetched(
    `/l/${ledger}/revision/konsistens?old_size=${old.size}&new_size=${today.size}`,
    "application/json",
  );
  // The roots are the signed checkpoints' own; only the proof's hashes come from the answer.
  const hashes = proof.hashes.map(fromBase64);
  if (!(await verifyConsistency(old.size, today.size, old.root, today.root, hashes))) {
    throw new Refusal("consistency_proof_invalid", fill(words.inconsistent, sizes));
  }
  return fill(words.extends, sizes);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const held = document.getElementById("held-checkpoint").value.replace(/\r\n/g, "\n");
  result.className = "";
  result.dataset.ok = "";
  result.dataset.code = "";
  result.textContent = words.working;
  let ok = true;
  let code = "";
  let sentence;
  try {
    sentence = await verdict(held.endsWith("\n") ? held : held + "\n");
  } catch (error) {
    ok = false;
    code = error.code || "unexpected";
    sentence = error instanceof Refusal ? error.message : words.unexpected;
  }
  result.textContent = sentence;
  result.dataset.ok = String(ok);
  result.dataset.code = code;
  result.className = ok ? "ok-box" : "bad-box";
});
