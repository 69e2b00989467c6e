// Material: each chosen file is hashed here with WebCrypto (SHA-256); the digest,
// not the file, is what the person signs. The bytes are uploaded to the ledger's
// document store under that digest (which refuses bytes that hash to anything
// else), before the event naming it is signed. Each file gets a row with its
// title, its digest and an optional link, which the form posts as doc-title-N,
// doc-sha256-N and doc-link-N.

const fieldset = document.getElementById("documents");
const input = document.getElementById("f-files");
const rows = document.getElementById("document-rows");
const status = document.getElementById("upload-status");
const text = fieldset.dataset;
const form = document.getElementById("action-form");
const csrf = form.querySelector("input[name=csrf]").value;
let next = 0;

// Keep the bytes under their digest: 201 kept now, 200 kept already.
async function upload(file, bytes, digest) {
  const answer = await fetch(`/l/${form.dataset.ledger}/dokumenter?sha256=${digest}`, {
    method: "POST",
    body: bytes,
    headers: { "Content-Type": file.type || "application/octet-stream", "X-CSRF-Token": csrf },
  });
  if (answer.ok) return;
  let code = answer.status;
  try {
    code = (await answer.json()).error.code;
  } catch {
    // not the API's JSON error: keep the status
  }
  throw new Error(String(code));
}

export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function labelled(id, label, control) {
  const wrap = document.createElement("p");
  const caption = document.createElement("label");
  caption.htmlFor = id;
  caption.textContent = label;
  control.id = id;
  wrap.append(caption, control);
  return wrap;
}

function row(file, digest) {
  const index = next++;
  const item = document.createElement("li");
  item.dataset.sha256 = digest;
  const title = document.createElement("input");
  title.name = `doc-title-${index}`;
  title.required = true;
  title.maxLength = 500;
  title.value = file.name.replace(/\.[^.]+$/, "");
  const link = document.createElement("input");
  link.name = `doc-link-${index}`;
  link.maxLength = 500;
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = `doc-sha256-${index}`;
  hidden.value = digest;
  const shown = document.createElement("code");
  shown.className = "hash";
  shown.textContent = `SHA-256 ${digest}`;
  item.append(labelled(`doc-title-${index}`, text.rowTitle, title), shown, hidden,
    labelled(`doc-link-${index}`, text.rowLink, link));
  return item;
}

async function take() {
  let ready = 0;
  for (const file of input.files) {
    status.textContent = text.hashing;
    const bytes = await file.arrayBuffer();
    const digest = await sha256Hex(bytes);
    if (rows.querySelector(`li[data-sha256="${digest}"]`)) continue;
    status.textContent = text.uploading;
    try {
      await upload(file, bytes, digest);
    } catch (error) {
      status.textContent = text.failed.replace("{code}", error.message);
      return;
    }
    rows.append(row(file, digest));
    ready += 1;
  }
  status.textContent = text.done.replace("{count}", ready);
}

input.addEventListener("change", take);
// Files chosen before this module ran (a slow load, a page restored from history).
if (input.files.length) take();
fieldset.dataset.ready = "yes";
