// The demo door: put a demo person's key into this browser, then log in as them.
// Only the demo ledgers' server offers these buttons and serves these key files.

import { importKeyFile } from "./keys.js";

const status = document.getElementById("demo-status");
for (const button of document.querySelectorAll(".demo-person")) {
  button.addEventListener("click", async () => {
    const { ledger, person } = button.dataset;
    status.textContent = status.dataset.working || "";
    try {
      const answer = await fetch(`/demo/${ledger}/${person}.key`);
      if (!answer.ok) throw new Error(String(answer.status));
      const info = await (await fetch(`/v1/ledgers/${ledger}`)).json();
      await importKeyFile(await answer.text(), info.origin);
      window.location.assign(`/l/${ledger}/login`);
    } catch {
      status.textContent = status.dataset.failed || "";
    }
  });
}
