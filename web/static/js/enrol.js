// Ask for access: make a non-extractable Ed25519 key in this browser and show the
// enrolment request (the public key, its fingerprint, a QR code) to hand an
// administrator, who approves it by signing PersonEnrolled in their own browser.

import { fingerprint, makeKey } from "./keys.js";

const form = document.getElementById("enrol-form");
const { ledger, origin } = form.dataset;
const words = document.getElementById("enrol-words").dataset;
const status = document.getElementById("enrol-status");
const PERSON = /^[a-z0-9][a-z0-9._-]{0,63}$/;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const person = document.getElementById("enrol-person").value.trim();
  if (!PERSON.test(person)) {
    status.textContent = words.badPerson;
    return;
  }
  status.textContent = words.working;
  try {
    const key = await makeKey(person, origin);
    const request = {
      key_id: key.keyId,
      origin,
      person,
      public_key: key.publicKey,
      type: "medledger-enrolment-request/v1",
    };
    document.getElementById("enrol-fingerprint").textContent = fingerprint(key.keyId);
    document.getElementById("enrol-public-key").textContent = key.publicKey;
    document.getElementById("enrol-text").value = JSON.stringify(request);
    const query = new URLSearchParams({ person, public_key: key.publicKey });
    document.getElementById("enrol-qr").src = `/l/${ledger}/tilmelding/qr.svg?${query}`;
    const shown = document.getElementById("enrol-request");
    shown.hidden = false;
    form.hidden = true;
    status.textContent = "";
    document.getElementById("enrol-request-h").focus();
  } catch (error) {
    status.textContent = words.failed.replace("{code}", error.message);
  }
});
