// Published test vectors of independent implementations (testdata/vectors.json names each source and
// commit; the data only is carried over): RFC 6962/9162 hashing and proofs from transparency-dev/merkle, signed
// notes from golang.org/x/mod's sumdb/note and the C2SP signed-note spec, checkpoints from C2SP tlog-checkpoint.
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { memoryTree, merkleHasher, verifyConsistency, verifyInclusion } from './merkle.js';
import { openNote, parseCheckpointText, parseSignerKey, parseVerifierKey, signNote } from './note.js';

interface Vectors {
  merkle: {
    leaves: string[];
    roots: { size: number; root: string }[];
    inclusion: { index: number; size: number; path: string[] }[];
    consistency: { first: number; second: number; proof: string[] }[];
  };
  note: {
    cases: { signerKey: string | null; verifierKey: string | null; text: string; signed: string }[];
  };
  checkpoint: { examples: string[] };
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/vectors.json', import.meta.url), 'utf8')) as Vectors;
const h = merkleHasher();
const leaves = vectors.merkle.leaves.map((l) => h.leaf(hexToBytes(l)));
const tree = memoryTree(h, leaves);
const rootOf = (size: number) => hexToBytes(vectors.merkle.roots.find((r) => r.size === size)!.root);

describe('RFC 6962/9162 vectors (transparency-dev/merkle)', () => {
  it('gives every published root, the empty tree’s among them', () => {
    expect(vectors.merkle.roots.length).toBeGreaterThanOrEqual(9);
    for (const { size, root } of vectors.merkle.roots) expect(bytesToHex(tree.root(size))).toBe(root);
  });

  it('makes every published audit path, and each verifies against the published root', () => {
    for (const { index, size, path } of vectors.merkle.inclusion) {
      expect(tree.inclusionProof(index, size).map(bytesToHex)).toEqual(path);
      expect(verifyInclusion(h, leaves[index]!, index, size, path.map(hexToBytes), rootOf(size))).toBe(true);
    }
  });

  it('makes every published consistency proof, and each verifies against the published roots', () => {
    for (const { first, second, proof } of vectors.merkle.consistency) {
      expect(tree.consistencyProof(first, second).map(bytesToHex)).toEqual(proof);
      expect(verifyConsistency(h, first, second, proof.map(hexToBytes), rootOf(first), rootOf(second))).toBe(true);
    }
  });
});

describe('signed-note vectors (golang.org/x/mod sumdb/note, C2SP signed-note)', () => {
  it('signs exactly as the published note, and opens it', () => {
    const peter = vectors.note.cases[0]!;
    const signer = parseSignerKey(peter.signerKey!);
    if (E.isLeft(signer)) throw new Error(signer.left.message);
    expect(signer.right.verifier.encoded).toBe(peter.verifierKey);
    expect(signNote(peter.text, [signer.right])).toBe(peter.signed);
  });

  it('verifies every published signature by a published key, and no altered note', () => {
    for (const c of vectors.note.cases.filter((c) => c.verifierKey !== null)) {
      const key = parseVerifierKey(c.verifierKey!);
      if (E.isLeft(key)) throw new Error(key.left.message);
      const opened = openNote(c.signed, [key.right]);
      if (E.isLeft(opened)) throw new Error(opened.left.message);
      expect(opened.right.text).toBe(c.text);
      expect(opened.right.signatures.filter((s) => s.verified).map((s) => s.name)).toEqual([key.right.name]);
      const altered = c.signed.replace(c.text, c.text.replace(/.$/su, ' \n'));
      expect(E.isLeft(openNote(altered, [key.right]))).toBe(true);
    }
  });

  it('reads a note whose text has a blank line and non-ASCII letters, and checkpoints as published', () => {
    const poem = vectors.note.cases.find((c) => c.verifierKey === null)!;
    const opened = openNote(poem.signed, []);
    expect(E.isRight(opened) && opened.right.text).toBe(poem.text);
    for (const example of vectors.checkpoint.examples) {
      const note = openNote(example, []);
      if (E.isLeft(note)) throw new Error(note.left.message);
      const checkpoint = parseCheckpointText(note.right.text);
      expect(checkpoint).toMatchObject({ right: { origin: 'example.com/behind-the-sofa', size: 20852163 } });
    }
  });
});
