// Python's str() and repr() of parsed JSON values, so that refusal messages are
// word for word those of medledger's Python verifier (verifier/bundle.py).

export function pythonStr(value) {
  return typeof value === "string" ? value : pythonRepr(value);
}

export function pythonRepr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return reprText(value);
  if (Array.isArray(value)) return "[" + value.map(pythonRepr).join(", ") + "]";
  return "{" + Object.entries(value).map(([k, v]) => `${reprText(k)}: ${pythonRepr(v)}`).join(", ") + "}";
}

function reprText(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    const code = c.codePointAt(0);
    if (c === quote || c === "\\") out += "\\" + c;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += c;
  }
  return out + quote;
}
