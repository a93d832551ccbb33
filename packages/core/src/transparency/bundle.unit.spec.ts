// A proof bundle verifies against the log's key, and fails, saying why, when any part of it was altered:
// a hash of the path, a fact of the leaf, the index, the signed root, the signature, or the key.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeProofBundle, type ProofBundle, proofBundleVersion, verifyProofBundle } from './bundle.js';
import { eventLeafData } from './leaf.js';
import { memoryTree, merkleHasher } from './merkle.js';
import { bytesToBase64, checkpointText, encodeSignerKey, parseSignerKey, signNote } from './note.js';

const h = merkleHasher();
const origin = 'jiaozhou.banshishi.example/log';
const signerOf = (name: string, seedByte: number) => {
  const parsed = parseSignerKey(encodeSignerKey(name, new Uint8Array(32).fill(seedByte)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
};
const signer = signerOf(origin, 7);

const leaves = Array.from({ length: 13 }, (_, i) => ({
  index: i,
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  streamId: `problem-${Math.floor(i / 3)}`,
  revision: i % 3,
  globalPosition: 10 + i * 2,
  hash: `sha256:${'ab'.repeat(31)}${String(i).padStart(2, '0')}`,
}));
const tree = memoryTree(
  h,
  leaves.map((l) => h.leaf(eventLeafData(l))),
);
const signed = signNote(checkpointText({ origin, size: tree.size, root: tree.root() }), [signer]);
const bundleFor = (index: number): ProofBundle => ({
  version: proofBundleVersion,
  checkpoint: signed,
  leaf: leaves[index]!,
  proof: tree.inclusionProof(index).map(bytesToBase64),
});
const ruleOf = (result: E.Either<{ rule: string }, unknown>) => (E.isLeft(result) ? result.left.rule : 'verified');

describe('a proof bundle', () => {
  it('verifies for every leaf, and says of which signed tree', () => {
    for (let i = 0; i < leaves.length; i++) {
      const verified = verifyProofBundle(bundleFor(i), signer.verifier, origin);
      expect(E.isRight(verified) && verified.right).toMatchObject({ origin, size: 13, leaf: leaves[i] });
    }
  });

  it('fails when a hash of the path, a fact of the leaf or its index was altered', () => {
    const good = bundleFor(5);
    const flipped = good.proof.map((p, i) => (i === 1 ? bytesToBase64(new Uint8Array(32).fill(9)) : p));
    expect(ruleOf(verifyProofBundle({ ...good, proof: flipped }, signer.verifier))).toBe(
      'transparency.proof_inclusion',
    );
    expect(ruleOf(verifyProofBundle({ ...good, proof: good.proof.slice(1) }, signer.verifier))).toBe(
      'transparency.proof_inclusion',
    );
    for (const leaf of [
      { ...good.leaf, revision: good.leaf.revision + 1 },
      { ...good.leaf, globalPosition: good.leaf.globalPosition + 1 },
      { ...good.leaf, streamId: 'problem-9' },
      { ...good.leaf, hash: leaves[6]!.hash },
      { ...good.leaf, index: 4 },
    ])
      expect(ruleOf(verifyProofBundle({ ...good, leaf }, signer.verifier))).toBe('transparency.proof_inclusion');
    expect(ruleOf(verifyProofBundle({ ...good, leaf: { ...good.leaf, index: 13 } }, signer.verifier))).toBe(
      'transparency.proof_leaf_index',
    );
  });

  it('fails when the signed root or size was altered, or another key signed it', () => {
    const good = bundleFor(2);
    const [text, sig] = good.checkpoint.split('\n\n') as [string, string];
    const otherRoot = text.replace(bytesToBase64(tree.root()), bytesToBase64(tree.root(12)));
    expect(ruleOf(verifyProofBundle({ ...good, checkpoint: `${otherRoot}\n\n${sig}` }, signer.verifier))).toBe(
      'transparency.note_signature',
    );
    const mallory = signerOf(origin, 8);
    const forged = signNote(checkpointText({ origin, size: 12, root: tree.root(12) }), [mallory]);
    expect(ruleOf(verifyProofBundle({ ...good, checkpoint: forged }, signer.verifier))).toBe(
      'transparency.checkpoint_signature',
    );
    expect(ruleOf(verifyProofBundle(good, signer.verifier, 'another.example/log'))).toBe(
      'transparency.checkpoint_origin',
    );
  });

  it('read from JSON, names each bad field', () => {
    const good = JSON.parse(JSON.stringify(bundleFor(0))) as ProofBundle;
    expect(E.isRight(decodeProofBundle(good))).toBe(true);
    const bad = decodeProofBundle({ ...good, leaf: { ...good.leaf, revision: -1 }, proof: ['nope'] });
    expect(E.isLeft(bad) && bad.left.details?.fields).toEqual([
      expect.objectContaining({ path: 'bundle.leaf.revision' }),
      expect.objectContaining({ path: 'bundle.proof.0' }),
    ]);
    expect(E.isLeft(decodeProofBundle('{}'))).toBe(true);
  });
});
