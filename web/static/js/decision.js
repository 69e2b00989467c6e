// The decision form: when the server refuses it for inputs left untreated
// (decision_input_untreated), say which, mark them and move focus to the first.

const form = document.getElementById("action-form");
const missing = document.getElementById("decision-missing");

function clearMarks() {
  for (const marked of form.querySelectorAll("[aria-invalid=true]")) marked.removeAttribute("aria-invalid");
  missing.hidden = true;
}

form.addEventListener("submit", clearMarks);

form.addEventListener("medledger:refused", (event) => {
  const seqs = event.detail.inputs || [];
  if (event.detail.code !== "decision_input_untreated" || !seqs.length) return;
  missing.textContent = missing.dataset.text.replace("{inputs}", seqs.map((seq) => `#${seq}`).join(", "));
  missing.hidden = false;
  for (const seq of seqs) {
    const reason = document.getElementById(`f-reason-${seq}`);
    if (reason) reason.setAttribute("aria-invalid", "true");
  }
  const first = document.getElementById(`f-reason-${seqs[0]}`);
  if (first) first.focus();
});
