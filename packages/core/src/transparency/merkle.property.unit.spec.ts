// The Merkle tree's properties over random trees: roots and proofs equal those of RFC 9162's recursive
// definitions (written out here plainly, over arrays), every inclusion and consistency proof verifies, and
// any altered proof, root, leaf, index or size fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Hash,
  memoryTree,
  merkleFrontier,
  merkleHasher,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const h = merkleHasher();

// RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 as written, over the list of leaf hashes.
const mth = (d: readonly Hash[]): Hash => {
  if (d.length === 0) return h.empty;
  if (d.length === 1) return d[0]!;
  const k = splitPoint(d.length);
  return h.node(mth(d.slice(0, k)), mth(d.slice(k)));
};
const path = (m: number, d: readonly Hash[]): Hash[] => {
  if (d.length <= 1) return [];
  const k = splitPoint(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
};
const subproof = (m: number, d: readonly Hash[], b: boolean): Hash[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = splitPoint(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
};

const leavesArb = fc
  .array(fc.uint8Array({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 140 })
  // Each leaf's data ends with its index, so no two leaves are alike (a proof cannot then fit two places).
  .map((data) => data.map((d, i) => h.leaf(Uint8Array.from([...d, i & 0xff, i >> 8]))));

const flip = (hash: Hash, bit: number): Hash => {
  const out = Uint8Array.from(hash);
  out[(bit >> 3) % 32]! ^= 1 << (bit & 7);
  return out;
};

describe('the Merkle tree (RFC 9162)', () => {
  it('has the root, audit paths and consistency proofs of the RFC’s definitions', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, i, j) => {
        const tree = memoryTree(h, leaves);
        const n = leaves.length;
        expect(tree.root()).toEqual(mth(leaves));
        const index = i % n;
        expect(tree.inclusionProof(index)).toEqual(path(index, leaves));
        const m = j % (n + 1);
        expect(tree.consistencyProof(m)).toEqual(m === 0 || m === n ? [] : subproof(m, leaves, true));
      }),
      { numRuns: 200 },
    );
  });

  it('verifies every inclusion proof, and no altered one', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat({ max: 255 }), (leaves, i, bit) => {
        const tree = memoryTree(h, leaves);
        const n = leaves.length;
        const index = i % n;
        const proof = tree.inclusionProof(index);
        const root = tree.root();
        expect(verifyInclusion(h, leaves[index]!, index, n, proof, root)).toBe(true);
        expect(verifyInclusion(h, flip(leaves[index]!, bit), index, n, proof, root)).toBe(false);
        expect(verifyInclusion(h, leaves[index]!, index, n, proof, flip(root, bit))).toBe(false);
        if (proof.length > 0) {
          const at = bit % proof.length;
          const altered = proof.map((p, k) => (k === at ? flip(p, bit) : p));
          expect(verifyInclusion(h, leaves[index]!, index, n, altered, root)).toBe(false);
          expect(verifyInclusion(h, leaves[index]!, index, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(h, leaves[index]!, index, n, [...proof, proof[0]!], root)).toBe(false);
        }
        // Another leaf's place, or an index beyond the tree. (A path can fit a larger tree size with the same
        // root; it is the signed checkpoint that binds the size to its root.)
        if (n > 1) expect(verifyInclusion(h, leaves[index]!, (index + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(h, leaves[index]!, n, n, proof, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('verifies every consistency proof, and no altered one', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat({ max: 255 }), (leaves, j, bit) => {
        const tree = memoryTree(h, leaves);
        const n = leaves.length;
        const m = j % (n + 1);
        const proof = tree.consistencyProof(m);
        const [first, second] = [tree.root(m), tree.root()];
        expect(verifyConsistency(h, m, n, proof, first, second)).toBe(true);
        if (m > 0) expect(verifyConsistency(h, m, n, proof, flip(first, bit), second)).toBe(false);
        // (Every tree extends the empty one, whatever its root: only m > 0 has anything to prove.)
        if (m > 0 && m < n) {
          expect(verifyConsistency(h, m, n, proof, first, flip(second, bit))).toBe(false);
          if (proof.length > 0) {
            const at = bit % proof.length;
            expect(
              verifyConsistency(
                h,
                m,
                n,
                proof.map((p, k) => (k === at ? flip(p, bit) : p)),
                first,
                second,
              ),
            ).toBe(false);
            expect(verifyConsistency(h, m, n, proof.slice(1), first, second)).toBe(false);
          }
        }
        // A log that was rewritten: the same sizes, the first tree's leaf changed.
        if (m > 0 && m < n) {
          const rewritten = memoryTree(
            h,
            leaves.map((l, k) => (k === m - 1 ? flip(l, bit) : l)),
          );
          expect(verifyConsistency(h, m, n, rewritten.consistencyProof(m), first, rewritten.root())).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the root incrementally, and resumes from its saved right edge', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, cut) => {
        const f = merkleFrontier(h);
        leaves.forEach((leaf, k) => {
          f.append(leaf);
          expect(f.root()).toEqual(mth(leaves.slice(0, k + 1)));
        });
        const at = cut % (leaves.length + 1);
        const head = merkleFrontier(h);
        for (const leaf of leaves.slice(0, at)) head.append(leaf);
        const resumed = merkleFrontier(h, head.edge());
        for (const leaf of leaves.slice(at)) resumed.append(leaf);
        expect(resumed.size).toBe(leaves.length);
        expect(resumed.root()).toEqual(mth(leaves));
      }),
      { numRuns: 150 },
    );
  });
});
