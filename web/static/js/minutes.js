// The minutes of a meeting: written in the form or chosen as a file. The browser
// computes their SHA-256 with WebCrypto; that digest is the field the meeting event
// commits to (MeetingHeld.minutes_sha256), and what each approval and the
// publication sign. The text and the file have no name: they are not sent with
// the form, only their digest is.

import { hex, sha256, utf8 } from "./bytes.js";

const text = document.getElementById("f-minutes-text");
const file = document.getElementById("f-minutes-file");
const digest = document.getElementById("f-minutes-sha");
const said = document.getElementById("minutes-status");
let latest = 0;

export function minutesBytes() {
  if (file && file.files && file.files.length) return file.files[0].arrayBuffer().then((b) => new Uint8Array(b));
  if (text && text.value.trim()) return Promise.resolve(utf8(text.value));
  return Promise.resolve(null);
}

async function recompute() {
  const mine = ++latest;
  const bytes = await minutesBytes();
  if (mine !== latest) return;
  if (bytes === null) {
    digest.value = digest.dataset.given || "";
    said.textContent = "";
    return;
  }
  digest.value = hex(await sha256(bytes));
  said.textContent = said.dataset.computed.replace("{bytes}", String(bytes.length));
}

if (digest) {
  digest.dataset.given = digest.value;
  text?.addEventListener("input", recompute);
  file?.addEventListener("change", recompute);
}

// Before the digest is signed, the minutes themselves are kept under it (the
// document store, POST /l/{ledger}/dokumenter?sha256=...), so that once the
// meeting event names the digest its readers can read the minutes, checked
// against it. Signing waits until they are kept.
const form = document.getElementById("action-form");
const signButton = document.getElementById("sign-button");
const status = document.getElementById("action-status");

async function keep() {
  const bytes = await minutesBytes();
  if (bytes === null) return;
  // Held until the minutes are kept: sign.js leaves a held button disabled.
  signButton.dataset.hold = "minutes";
  signButton.disabled = true;
  const sha = hex(await sha256(bytes));
  if (sha !== digest.value) {
    status.textContent = said.dataset.changed;
    return;
  }
  const chosen = file && file.files && file.files.length ? file.files[0].type : "text/plain; charset=utf-8";
  const csrf = form.querySelector("input[name=csrf]").value;
  const answer = await fetch(`/l/${form.dataset.ledger}/dokumenter?sha256=${sha}`, {
    method: "POST",
    body: bytes,
    headers: { "Content-Type": chosen || "application/octet-stream", "X-CSRF-Token": csrf },
  });
  if (!answer.ok) {
    const found = await answer.json().catch(() => ({}));
    const code = found.error ? `${found.error.code}: ${found.error.message}` : String(answer.status);
    status.textContent = said.dataset.notKept.replace("{code}", code);
    return;
  }
  delete signButton.dataset.hold;
  signButton.disabled = document.getElementById("dry-run")?.dataset.admitted === "false";
  signButton.dataset.minutesKept = sha;
  status.textContent = said.dataset.kept;
}

if (form && digest) form.addEventListener("submit", () => { keep(); });
