// A reference RFC 9162 tree for the tests: roots and proofs computed the slow way.
import { leafHash, nodeHash } from "../../static/js/verifier/merkle.js";

function split(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

async function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(await mth(leaves.slice(0, k)), await mth(leaves.slice(k)));
}

async function path(m, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  if (m < k) return [...(await path(m, leaves.slice(0, k))), await mth(leaves.slice(k))];
  return [...(await path(m - k, leaves.slice(k))), await mth(leaves.slice(0, k))];
}

async function subproof(m, leaves, whole) {
  const n = leaves.length;
  if (m === n) return whole ? [] : [await mth(leaves)];
  const k = split(n);
  if (m <= k) return [...(await subproof(m, leaves.slice(0, k), whole)), await mth(leaves.slice(k))];
  return [...(await subproof(m - k, leaves.slice(k), false)), await mth(leaves.slice(0, k))];
}

export async function treeOf(entries) {
  const leaves = await Promise.all(entries.map(leafHash));
  return {
    leaves,
    root: await mth(leaves),
    rootAt: (n) => mth(leaves.slice(0, n)),
    inclusion: (i, n) => path(i, leaves.slice(0, n)),
    consistency: (m, n) => subproof(m, leaves.slice(0, n), true),
  };
}
