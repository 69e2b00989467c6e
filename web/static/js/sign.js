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

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "";
  const answer = await fetch(form.action, { method: "POST", body: new FormData(form) });
  const found = await answer.json();
  if (!answer.ok) {
    status.textContent = words.failed.replace("{code}", found.error ? `${found.error.code}: ${found.error.message}` : answer.status);
    return;
  }
  pending = found;
  document.getElementById("confirm-words").textContent = found.words;
  document.getElementById("confirm-payload").textContent = JSON.stringify({ type: found.type, payload: found.payload }, null, 2);
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
  if (!pending) return;
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
    done.hidden = false;
    done.dataset.leaf = stored.leaf_index;
    document.getElementById("done-h").focus();
  } catch (error) {
    const detail = error.error ? `${error.error.code}: ${error.error.message}` : error.message;
    status.textContent = words.failed.replace("{code}", detail);
  }
});
