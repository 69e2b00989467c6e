// RFC 8785 (JSON Canonicalization Scheme) for the JSON medledger signs:
// objects with members sorted by UTF-16 code units, no whitespace, strings and
// numbers serialised as ECMAScript's JSON.stringify does (which RFC 8785 adopts).

export function canonicalText(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("RFC 8785 has no NaN or Infinity");
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return "[" + value.map(canonicalText).join(",") + "]";
      const names = Object.keys(value).filter((k) => value[k] !== undefined).sort();
      return "{" + names.map((k) => JSON.stringify(k) + ":" + canonicalText(value[k])).join(",") + "}";
    }
    default:
      throw new TypeError(`cannot canonicalise a ${typeof value}`);
  }
}

export function canonical(value) {
  return new TextEncoder().encode(canonicalText(value));
}
