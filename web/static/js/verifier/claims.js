// What a verified bundle proves and what it does not, as data: a list of
// {id, ...details} that describe.js turns into sentences.

export function claims(report, code = null, event = null) {
  if (report === null) {
    return {
      proves: [],
      doesNotProve: [{ id: "refused", code, event }],
    };
  }
  const proves = [];
  const doesNotProve = [];
  const entries = report.entries;
  const streams = [...new Set(entries.map((e) => e.stream))].sort();
  proves.push({ id: "checkpoint", origin: report.origin, treeSize: report.treeSize.toString() });
  proves.push({
    id: "witnesses",
    cosigned: report.cosignatures.length,
    quorum: report.quorum,
    witnesses: report.witnesses,
    names: report.cosignatures.map((c) => c.name),
  });
  proves.push({ id: "genesis", origin: report.origin });
  proves.push({ id: "in_log", events: entries.length, streams: streams.length });
  proves.push({ id: "signed", events: entries.length });
  if (report.complete.length > 0) proves.push({ id: "complete", streams: [...report.complete] });
  const disclosedFields = entries.reduce((n, e) => n + Object.keys(e.disclosed).length, 0);
  proves.push({ id: "disclosed", fields: disclosedFields });
  if (report.kind === "receipt") {
    proves.push({ id: "verdict", ...report.subject });
  }
  const imported = entries.filter((e) => e.imported);
  if (imported.length > 0) proves.push({ id: "imported", events: imported.length });

  const partial = streams.filter((s) => !report.complete.includes(s));
  if (partial.length > 0) doesNotProve.push({ id: "not_complete", streams: partial });
  const withheld = entries.filter((e) => e.undisclosed.length > 0);
  if (withheld.length > 0) {
    doesNotProve.push({
      id: "undisclosed",
      events: withheld.length,
      fields: withheld.reduce((n, e) => n + e.undisclosed.length, 0),
      leaves: withheld.map((e) => e.leafIndex),
    });
  }
  doesNotProve.push({ id: "roles" });
  doesNotProve.push({ id: "truth" });
  doesNotProve.push({ id: "times" });
  doesNotProve.push({ id: "after", treeSize: report.treeSize.toString() });
  if (report.cosignatures.length === 0) doesNotProve.push({ id: "no_witness" });
  return { proves, doesNotProve };
}
