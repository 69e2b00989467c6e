// The /verify page: the browser verifies a bundle against a trust root itself
// (the verifier in ./verifier/, written from docs/PROTOCOL.md) and says in plain
// words what the bundle proves and what it does not.  Nothing is sent anywhere.

import { verifyBundle } from "./verifier/bundle.js";
import { describe } from "./verifier/describe.js";

const words = document.getElementById("verify-words").dataset;
const status = document.getElementById("verify-status");
const result = document.getElementById("verify-result");

function fill(list, sentences) {
  const target = document.getElementById(list);
  target.replaceChildren(
    ...sentences.map((sentence) => {
      const item = document.createElement("li");
      item.textContent = sentence;
      return item;
    }),
  );
}

document.getElementById("verify-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const bundle = document.getElementById("bundle-file").files[0];
  const trust = document.getElementById("trust-file").files[0];
  if (!bundle || !trust) {
    status.textContent = words.missing;
    return;
  }
  status.textContent = words.working;
  result.hidden = true;
  const verdict = await verifyBundle(await bundle.text(), await trust.text());
  const told = describe(verdict, words.lang);
  const headline = document.getElementById("verify-headline");
  headline.textContent = told.headline;
  result.dataset.ok = String(verdict.ok);
  result.dataset.code = verdict.code || "";
  result.className = verdict.ok ? "verified ok-box" : "verified bad-box";
  fill("verify-proves", told.proves);
  fill("verify-not", told.doesNotProve);
  status.textContent = "";
  result.hidden = false;
  headline.focus();
});
