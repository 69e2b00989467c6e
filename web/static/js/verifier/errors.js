// A refusal with a stable code (the same names as medledger's Python verifier)
// and, where it applies, the leaf index of the event that failed.

export class VerificationError extends Error {
  constructor(code, message, leafIndex = null) {
    super(message);
    this.name = "VerificationError";
    this.code = code;
    this.leafIndex = leafIndex;
  }
}

export function refuse(code, message, leafIndex = null) {
  throw new VerificationError(code, message, leafIndex);
}
