// The Merkle tree of the transparency log, hashed as RFC 9162 (Certificate Transparency v2) §2.1 says:
// a leaf is SHA-256(0x00 ‖ data), an inner node SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits
// at the largest power of two below n. Inclusion proofs (PATH) and consistency proofs (PROOF) are made from
// the hashes of perfect subtrees — the subtrees of 2^level leaves that start at a multiple of 2^level, which
// never change once complete, so a store can keep them as they complete and answer any proof without
// rereading the log. Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 step by step. Pure: no I/O.
import { sha256 } from '@noble/hashes/sha2';

export type Hash = Uint8Array;

/** SHA-256 of bytes; injectable, so a Node process can hash with node:crypto (core stays runtime-neutral). */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

export interface MerkleHasher {
  /** MTH of the empty tree: SHA-256 of nothing. */
  readonly empty: Hash;
  leaf(data: Uint8Array): Hash;
  node(left: Hash, right: Hash): Hash;
}

export const merkleHasher = (hash: Sha256 = sha256): MerkleHasher => ({
  empty: hash(new Uint8Array(0)),
  leaf: (data) => hash(concat(LEAF, data)),
  node: (left, right) => hash(concat(NODE, left, right)),
});

/** The hashes of perfect subtrees: `perfect(level, index)` covers leaves [index·2^level, (index+1)·2^level). */
export interface SubtreeSource {
  perfect(level: number, index: number): Hash;
}

/** The largest power of two smaller than n (n ≥ 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
const log2 = (n: number): number => Math.round(Math.log2(n));

const checkSize = (what: string, n: number) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what}: expected a whole number, got ${n}`);
};

/**
 * MTH of leaves [start, end), for the ranges RFC 9162's recursion makes: each starts at a multiple of the
 * power of two it splits at, so it is a perfect subtree or splits into one and a smaller such range.
 */
export const rangeHash = (h: MerkleHasher, source: SubtreeSource, start: number, end: number): Hash => {
  const n = end - start;
  if (n <= 0) throw new RangeError(`empty range [${start}, ${end})`);
  if (isPowerOfTwo(n) && start % n === 0) return source.perfect(log2(n), start / n);
  const k = splitPoint(n);
  return h.node(rangeHash(h, source, start, start + k), rangeHash(h, source, start + k, end));
};

/** MTH(D[size]): the root of the first `size` leaves. */
export const treeRoot = (h: MerkleHasher, source: SubtreeSource, size: number): Hash => {
  checkSize('tree size', size);
  return size === 0 ? h.empty : rangeHash(h, source, 0, size);
};

/** PATH(index, D[size]), RFC 9162 §2.1.3.1: the audit path of one leaf, from the leaf up. */
export const inclusionProof = (h: MerkleHasher, source: SubtreeSource, index: number, size: number): Hash[] => {
  checkSize('tree size', size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf index ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): Hash[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), rangeHash(h, source, start + k, end)]
      : [...path(m - k, start + k, end), rangeHash(h, source, start, start + k)];
  };
  return path(index, 0, size);
};

/** PROOF(first, D[second]), RFC 9162 §2.1.4.1: that the tree of `second` leaves extends the one of `first`. */
export const consistencyProof = (h: MerkleHasher, source: SubtreeSource, first: number, second: number): Hash[] => {
  checkSize('first tree size', first);
  checkSize('second tree size', second);
  if (first > second) throw new RangeError(`a tree of ${second} cannot extend one of ${first}`);
  if (first === 0 || first === second) return [];
  const sub = (m: number, start: number, end: number, whole: boolean): Hash[] => {
    const n = end - start;
    if (m === n) return whole ? [] : [rangeHash(h, source, start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...sub(m, start, start + k, whole), rangeHash(h, source, start + k, end)]
      : [...sub(m - k, start + k, end, false), rangeHash(h, source, start, start + k)];
  };
  return sub(first, 0, second, true);
};

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const lsb = (n: bigint): boolean => (n & 1n) === 1n;

/** RFC 9162 §2.1.3.2: whether `leafHash` is the leaf at `index` of the tree of `size` leaves with `root`. */
export const verifyInclusion = (
  h: MerkleHasher,
  leafHash: Hash,
  index: number,
  size: number,
  proof: readonly Hash[],
  root: Hash,
): boolean => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      r = h.node(p, r);
      if (!lsb(fn))
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else r = h.node(r, p);
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equal(r, root);
};

/** RFC 9162 §2.1.4.2: whether the tree of `second` leaves with `secondRoot` extends the one of `first`. */
export const verifyConsistency = (
  h: MerkleHasher,
  first: number,
  second: number,
  proof: readonly Hash[],
  firstRoot: Hash,
  secondRoot: Hash,
): boolean => {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  // The cases the RFC leaves to the caller: an empty first tree extends into anything, a tree extends itself.
  if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && equal(firstRoot, h.empty);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while (lsb(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (lsb(fn) || fn === sn) {
      fr = h.node(c, fr);
      sr = h.node(c, sr);
      if (!lsb(fn))
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else sr = h.node(sr, c);
    fn >>= 1n;
    sn >>= 1n;
  }
  return equal(fr, firstRoot) && equal(sr, secondRoot) && sn === 0n;
};

/** A perfect subtree completed by an append: where it sits and its hash. */
export interface CompletedSubtree {
  readonly level: number;
  readonly index: number;
  readonly hash: Hash;
}

/**
 * The tree kept incrementally: appending a leaf completes the perfect subtrees whose last leaf it is (one at
 * level 0, and one more for each trailing 1-bit of the new size), which is all a store needs to keep. The
 * frontier — the perfect subtrees along the right edge — gives the root without reading anything else.
 */
export interface MerkleFrontier {
  readonly size: number;
  append(leafHash: Hash): readonly CompletedSubtree[];
  root(): Hash;
  /** The right edge, largest subtree first: what a checkpointer saves to resume. */
  edge(): readonly CompletedSubtree[];
}

export const merkleFrontier = (h: MerkleHasher, resume: readonly CompletedSubtree[] = []): MerkleFrontier => {
  // edge[i] is a perfect subtree; levels strictly decrease; together they cover leaves [0, size).
  const edge: CompletedSubtree[] = [...resume];
  let size = edge.reduce((n, s) => n + 2 ** s.level, 0);
  return {
    get size() {
      return size;
    },
    append(leafHash) {
      const completed: CompletedSubtree[] = [{ level: 0, index: size, hash: leafHash }];
      let top: CompletedSubtree = completed[0]!;
      while (edge.length > 0 && edge[edge.length - 1]!.level === top.level) {
        const left = edge.pop()!;
        top = { level: top.level + 1, index: left.index / 2, hash: h.node(left.hash, top.hash) };
        completed.push(top);
      }
      edge.push(top);
      size += 1;
      return completed;
    },
    root() {
      if (edge.length === 0) return h.empty;
      let r = edge[edge.length - 1]!.hash;
      for (let i = edge.length - 2; i >= 0; i--) r = h.node(edge[i]!.hash, r);
      return r;
    },
    edge: () => [...edge],
  };
};

/** Every perfect subtree of a list of leaf hashes, kept in memory: for tests, verifiers and small logs. */
export const memoryTree = (h: MerkleHasher, leafHashes: readonly Hash[] = []) => {
  const levels: Hash[][] = [[]];
  const frontier = merkleFrontier(h);
  const append = (leafHash: Hash) => {
    for (const s of frontier.append(leafHash)) {
      levels[s.level] ??= [];
      levels[s.level]![s.index] = s.hash;
    }
  };
  for (const leaf of leafHashes) append(leaf);
  const source: SubtreeSource = {
    perfect: (level, index) => {
      const hash = levels[level]?.[index];
      if (hash === undefined) throw new RangeError(`no complete subtree at level ${level}, index ${index}`);
      return hash;
    },
  };
  return {
    source,
    append,
    get size() {
      return frontier.size;
    },
    root: (size = frontier.size) => treeRoot(h, source, size),
    inclusionProof: (index: number, size = frontier.size) => inclusionProof(h, source, index, size),
    consistencyProof: (first: number, second = frontier.size) => consistencyProof(h, source, first, second),
  };
};
