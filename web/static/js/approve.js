// Approving the minutes is one decision: the form has nothing to fill in (the
// meeting and its digest are given), so the words of what will be signed are
// asked for at once and the page opens on them; the person then signs, or not.
// Runs at "load", after sign.js has taken the form's submit. A meeting recorded
// without minutes has no digest to approve: the form stays, with its notice.

const form = document.getElementById("action-form");
const digest = form.querySelector("input[name=minutes_sha256]");
window.addEventListener("load", () => {
  if (digest && digest.value) form.requestSubmit();
});
