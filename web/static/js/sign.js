// Act on a matter: ask the server for the words of what will be signed, show
// them ("Du underskriver: ..."), and only when the person says so sign the exact
// payload with their own key in this browser and post it to the API.

import { append } from "./events.js";
import { listKeys } from "./keys.js";

const form = document.getElementById("action-form");
const { ledger, origin, stream, person, keyId } = form.dataset;
const words = document.getElementById("action-words").dataset;
const status = document.getElementById("action-status");
const confirm = document.getElementById("confirm");
let pending = null;

async function readHead(stream) {
  const answer = await fetch(`/l/${ledger}/hoved/${stream}`, { headers: { Accept: "application/json" } });
  if (!answer.ok) throw new Error(`head ${answer.status}`);
  return answer.json();
}

// One finding of the dry run: its words and a link to the rule and its ground.
function findingItem(line) {
  const item = document.createElement("li");
  item.dataset.rule = line.rule;
  item.append(`${line.text} `);
  const link = document.createElement("a");
  link.href = line.link;
  link.textContent = line.link_text;
  item.append(link);
  return item;
}

// The dry run before the Sign button: findings raised or closed, or the refusal (then no signing).
function showDryRun(dryRun) {
  const lists = ["raised", "closed", "upcoming"];
  const section = document.getElementById("dry-run");
  const signButton = document.getElementById("sign-button");
  if (!section || !dryRun) return;
  for (const name of lists) document.getElementById(`dry-run-${name}`).replaceChildren();
  section.dataset.admitted = String(dryRun.admitted);
  document.getElementById("dry-run-text").textContent = dryRun.text;
  // A page may hold signing until something the event names is ready (minutes.js: the
  // minutes kept under their digest).
  signButton.disabled = !dryRun.admitted || Boolean(signButton.dataset.hold);
  document.getElementById("dry-run-anyway").hidden = !(dryRun.admitted && dryRun.raised.length);
  if (!dryRun.admitted) {
    section.dataset.refusal = dryRun.refusal.code;
    return;
  }
  delete section.dataset.refusal;
  for (const name of lists) {
    document.getElementById(`dry-run-${name}`).append(...dryRun[name].map(findingItem));
  }
}

async function answerOf(response) {
  try {
    return await response.json();
  } catch {
    return { error: { code: response.status, message: response.statusText } };
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "";
  const answer = await fetch(form.action, { method: "POST", body: new FormData(form) });
  const found = await answerOf(answer);
  if (!answer.ok) {
    status.textContent = words.failed.replace("{code}", found.error ? `${found.error.code}: ${found.error.message}` : answer.status);
    form.dispatchEvent(new CustomEvent("medledger:refused", { detail: found.error || {} }));
    return;
  }
  pending = found;
  document.getElementById("confirm-words").textContent = found.words;
  document.getElementById("confirm-payload").textContent = JSON.stringify({ type: found.type, payload: found.payload }, null, 2);
  showDryRun(found.dry_run);
  form.hidden = true;
  confirm.hidden = false;
  document.getElementById("confirm-h").focus();
});

document.getElementById("edit-button").addEventListener("click", () => {
  confirm.hidden = true;
  form.hidden = false;
  pending = null;
});

document.getElementById("sign-button").addEventListener("click", async () => {
  if (!pending || document.getElementById("sign-button").dataset.hold) return;
  const key = (await listKeys(origin)).find((k) => k.person === person && k.keyId === keyId);
  if (!key) {
    status.textContent = words.noKey;
    return;
  }
  status.textContent = words.working;
  try {
    const stored = await append({ ledger, origin, key, stream: pending.stream, type: pending.type, payload: pending.payload, readHead });
    confirm.hidden = true;
    status.textContent = "";
    const done = document.getElementById("done");
    document.getElementById("done-text").textContent = words.done.replace("{leaf}", stored.leaf_index).replace("{seq}", stored.seq);
    document.getElementById("done-proof").href = `/l/${ledger}/bevis/${stored.leaf_index}`;
    if (pending.stream.startsWith("matter/")) {
      const matter = pending.stream.slice("matter/".length);
      const back = document.getElementById("done-matter");
      if (back) back.href = `/l/${ledger}/sager/${matter}`;
      const next = document.getElementById("done-next");
      if (next) next.href = next.getAttribute("href").replace("{matter}", matter);
    }
    done.hidden = false;
    done.dataset.leaf = stored.leaf_index;
    document.getElementById("done-h").focus();
  } catch (error) {
    const detail = error.error ? `${error.error.code}: ${error.error.message}` : error.message;
    status.textContent = words.failed.replace("{code}", detail);
  }
});

// The page may now be signed on (tests wait for this before they press a button).
form.dataset.ready = "yes";
