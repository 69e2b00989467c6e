// Material: each chosen file is hashed here with WebCrypto (SHA-256); the digest,
// not the file, is what the person signs. Each file gets a row with its title,
// its digest and an optional link, which the form posts as doc-title-N,
// doc-sha256-N and doc-link-N.

const fieldset = document.getElementById("documents");
const input = document.getElementById("f-files");
const rows = document.getElementById("document-rows");
const status = document.getElementById("upload-status");
const text = fieldset.dataset;
let next = 0;

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

input.addEventListener("change", async () => {
  status.textContent = text.hashing;
  for (const file of input.files) {
    const bytes = await file.arrayBuffer();
    const digest = await sha256Hex(bytes);
    if (rows.querySelector(`li[data-sha256="${digest}"]`)) continue;
    rows.append(row(file, digest));
  }
  status.textContent = "";
});
