// Log in with a key kept in this browser: ask the API for a challenge, sign the
// auth message here, and hand the signature to the page server, which checks it
// with the API's own token route and sets the session cookie.

import { b64encode, utf8 } from "./bytes.js";
import { fingerprint, importKeyFile, listKeys, sign } from "./keys.js";

const root = document.getElementById("login");
const words = document.getElementById("login-words").dataset;
const { ledger, origin, next } = root.dataset;
const status = document.getElementById("login-status");

function say(element, text) {
  element.textContent = text;
}

export function authMessage(origin, challenge, person, keyId) {
  return utf8(`medledger/auth/v1\n${origin}\n${challenge}\n${person}\n${keyId}\n`);
}

async function logIn(key) {
  say(status, words.working);
  const asked = await fetch(`/v1/ledgers/${ledger}/auth/challenge`, { method: "POST" });
  const challenge = await asked.json();
  if (!asked.ok) return say(status, words.failed.replace("{code}", challenge.error.code));
  const signature = await sign(key.id, authMessage(origin, challenge.challenge, key.person, key.keyId));
  const answer = await fetch(`/l/${ledger}/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      person: key.person,
      key_id: key.keyId,
      challenge: challenge.challenge,
      signature: b64encode(signature),
    }),
  });
  if (!answer.ok) {
    const refused = await answer.json();
    return say(status, words.failed.replace("{code}", refused.error ? refused.error.code : answer.status));
  }
  window.location.assign(next);
}

async function show() {
  const keys = await listKeys(origin);
  const list = document.getElementById("login-keys");
  list.replaceChildren();
  document.getElementById("login-none").hidden = keys.length > 0;
  const row = document.getElementById("key-row");
  for (const key of keys) {
    const item = row.content.cloneNode(true);
    const button = item.querySelector("button");
    button.textContent = words.use.replace("{person}", key.person);
    button.dataset.person = key.person;
    button.addEventListener("click", () => logIn(key).catch((e) => say(status, words.failed.replace("{code}", e.message))));
    item.querySelector(".fingerprint").textContent = fingerprint(key.keyId);
    list.append(item);
  }
}

document.getElementById("import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = document.getElementById("key-file").files[0];
  const out = document.getElementById("import-status");
  if (!file) return say(out, words.badFile);
  try {
    const key = await importKeyFile(await file.text(), null);
    say(out, words.imported.replace("{person}", key.person));
    await show();
  } catch {
    say(out, words.badFile);
  }
});

show();
