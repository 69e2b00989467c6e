// RFC 8785 canonical JSON (JCS) as docs/PROTOCOL.md section 2 restricts it:
// object members sorted by UTF-16 code units, no white space, ECMAScript string
// escapes, UTF-8; every number an integer of absolute value at most 2^53 - 1.

import { utf8 } from "./bytes.js";

export class CanonicalError extends Error {}

export function canonical(value) {
  return utf8(canonicalText(value));
}

export function canonicalText(value) {
  if (value === null || value === true || value === false) return String(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new CanonicalError("only integers of at most 2^53 - 1 are signed");
    }
    return String(value);
  }
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return "[" + value.map(canonicalText).join(",") + "]";
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const names = Object.keys(value).sort(byCodeUnits);
    return "{" + names.map((n) => quote(n) + ":" + canonicalText(value[n])).join(",") + "}";
  }
  throw new CanonicalError("not a JSON value");
}

function quote(text) {
  if (!wellFormed(text)) throw new CanonicalError("a string holds a lone surrogate");
  return JSON.stringify(text); // ECMAScript's escapes are RFC 8785's
}

function wellFormed(text) {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

function byCodeUnits(a, b) {
  return a < b ? -1 : a > b ? 1 : 0; // JavaScript compares strings by UTF-16 code units
}
