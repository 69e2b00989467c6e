// RFC 9162 section 2.1 Merkle trees (the hashing of RFC 6962): leaf and node
// hashes, and the verification of inclusion (2.1.3.2) and consistency (2.1.4.2)
// proofs.  Tree sizes and indexes are 64-bit unsigned integers, kept as BigInt.

import { concat, equal } from "./bytes.js";
import { sha256 } from "./crypto.js";

export const MAX_TREE_SIZE = (1n << 64n) - 1n;

export function leafHash(entry) {
  return sha256(concat(Uint8Array.of(0), entry));
}

export function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}

function asSize(value) {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  return null;
}

// The side of each hash of a proof on RFC 9162's walk up from node numbers `fn`
// and `sn` (the walk both verifications take, sections 2.1.3.2 and 2.1.4.2): true
// where the hash is the left sibling, hashed in first; null when the proof has
// too many or too few hashes for the walk.
function sides(fn, sn, count) {
  const left = [];
  for (let i = 0; i < count; i++) {
    if (sn === 0n) return null;
    const isLeft = (fn & 1n) === 1n || fn === sn;
    left.push(isLeft);
    if (isLeft) {
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? left : null;
}

// Whether `proof` (hashes) proves leaf hash `leaf` at `index` in the tree of
// `size` leaves with root `root` (RFC 9162 section 2.1.3.2, step by step).
export async function verifyInclusion(leaf, index, size, proof, root) {
  const fn = asSize(index);
  const sn = asSize(size);
  if (fn === null || sn === null || !(fn >= 0n && fn < sn && sn <= MAX_TREE_SIZE)) return false;
  if (![leaf, root, ...proof].every((h) => h.length === 32)) return false;
  const left = sides(fn, sn - 1n, proof.length);
  if (left === null) return false;
  let r = leaf;
  for (const [i, p] of proof.entries()) {
    r = left[i] ? await nodeHash(p, r) : await nodeHash(r, p);
  }
  return equal(r, root);
}

// Whether `proof` proves that the tree of `size2` leaves with `root2` extends
// the tree of `size1` leaves with `root1` (RFC 9162 section 2.1.4.2); sizes
// 0 < size1 <= size2, equal sizes with an empty proof and equal roots.
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  const m = asSize(size1);
  const n = asSize(size2);
  if (m === null || n === null || !(m > 0n && m <= n && n <= MAX_TREE_SIZE)) return false;
  if (m === n) return proof.length === 0 && equal(root1, root2);
  if (proof.length === 0) return false;
  if (![root1, root2, ...proof].every((h) => h.length === 32)) return false;
  let path = proof;
  // Step 2: when size1 is an exact power of two, the old root starts the path.
  if ((m & (m - 1n)) === 0n) path = [root1, ...proof];
  let fn = m - 1n;
  let sn = n - 1n;
  // Step 3: shift both right while the lowest bit of fn is set.
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  const left = sides(fn, sn, path.length - 1);
  if (left === null) return false;
  let fr = path[0];
  let sr = path[0];
  for (const [i, c] of path.slice(1).entries()) {
    if (left[i]) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
    } else {
      sr = await nodeHash(sr, c);
    }
  }
  return equal(fr, root1) && equal(sr, root2);
}
