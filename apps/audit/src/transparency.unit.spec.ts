// verify-proof's check, offline: a bundle made from a signed tree verifies and says what it proved; each
// thing an operator or a courier could alter — the leaf's facts, the path, the checkpoint, the signature,
// the key, the origin, the JSON itself — is refused with its rule. And the locator `prove` takes.
import {
  bytesToBase64,
  checkpointText,
  encodeSignerKey,
  eventLeafData,
  memoryTree,
  merkleHasher,
  type NoteSigner,
  type ProofBundle,
  parseSignerKey,
  proofBundleVersion,
  signNote,
} from '@banshishi/core';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkProof, parseLocator, proofVerdictLines } from './transparency.js';

const origin = 'audit.banshishi.example/log';
const signerOf = (name: string, fill: number): NoteSigner => {
  const parsed = parseSignerKey(encodeSignerKey(name, new Uint8Array(32).fill(fill)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
};
const signer = signerOf(origin, 1);
const key = signer.verifier;

const h = merkleHasher();
const leaves = Array.from({ length: 13 }, (_, i) => ({
  index: i,
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  streamId: `problem-${i % 4}`,
  revision: Math.floor(i / 4),
  globalPosition: 100 + 2 * i,
  hash: String(i).padStart(64, 'a'),
}));
const tree = memoryTree(
  h,
  leaves.map((l) => h.leaf(eventLeafData(l))),
);
const checkpoint = signNote(checkpointText({ origin, size: tree.size, root: tree.root() }), [signer]);

const bundleOf = (index: number, override: Partial<ProofBundle> = {}): ProofBundle => ({
  version: proofBundleVersion,
  checkpoint,
  leaf: leaves[index]!,
  proof: tree.inclusionProof(index).map(bytesToBase64),
  ...override,
});
const text = (bundle: unknown) => JSON.stringify(bundle);
const ruleOf = (verdict: ReturnType<typeof checkProof>) => (verdict.verified ? 'verified' : verdict.refused.rule);

describe('verify-proof, offline', () => {
  it('verifies a bundle and says what it proved: stream@revision, position, leaf, tree size, origin', () => {
    const verdict = checkProof(text(bundleOf(6)), key, { origin });
    expect(verdict).toMatchObject({ verified: true, proved: { origin, size: 13, leaf: leaves[6] } });
    expect(proofVerdictLines(verdict)).toEqual([
      `proved: problem-2@1 (position 112, event ${leaves[6]!.eventId})`,
      `  is leaf 6 of the tree of 13 events signed as ${origin}`,
      `  event hash ${leaves[6]!.hash}`,
    ]);
  });

  it('refuses a leaf whose facts were altered (hash, position, stream, revision)', () => {
    for (const leaf of [
      { ...leaves[6]!, hash: 'f'.repeat(64) },
      { ...leaves[6]!, globalPosition: 113 },
      { ...leaves[6]!, streamId: 'problem-3' },
      { ...leaves[6]!, revision: 2 },
    ])
      expect(ruleOf(checkProof(text(bundleOf(6, { leaf })), key))).toBe('transparency.proof_inclusion');
  });

  it('refuses an altered audit path, and a proof of another leaf', () => {
    const proof = tree.inclusionProof(6).map(bytesToBase64);
    proof[1] = bytesToBase64(new Uint8Array(32).fill(9));
    expect(ruleOf(checkProof(text(bundleOf(6, { proof })), key))).toBe('transparency.proof_inclusion');
    expect(ruleOf(checkProof(text(bundleOf(6, { leaf: leaves[7]! })), key))).toBe('transparency.proof_inclusion');
  });

  it('refuses a checkpoint whose size was changed after signing', () => {
    const altered = checkpoint.replace('\n13\n', '\n14\n');
    expect(ruleOf(checkProof(text(bundleOf(6, { checkpoint: altered })), key))).toBe('transparency.note_signature');
  });

  it('refuses a leaf index beyond the signed tree', () => {
    const leaf = { ...leaves[6]!, index: 13 };
    expect(ruleOf(checkProof(text(bundleOf(6, { leaf })), key))).toBe('transparency.proof_leaf_index');
  });

  it('refuses a checkpoint signed by another key of the same name, and another origin than required', () => {
    const forger = signerOf(origin, 2);
    const forged = signNote(checkpointText({ origin, size: tree.size, root: tree.root() }), [forger]);
    expect(ruleOf(checkProof(text(bundleOf(6, { checkpoint: forged })), key))).toBe(
      'transparency.checkpoint_signature',
    );
    expect(ruleOf(checkProof(text(bundleOf(6)), key, { origin: 'elsewhere.example/log' }))).toBe(
      'transparency.checkpoint_origin',
    );
  });

  it('refuses what is not a bundle: not JSON, another version, a hash that is not 32 bytes', () => {
    expect(ruleOf(checkProof('{"version":', key))).toBe('transparency.proof_bundle');
    expect(checkProof(text({ ...bundleOf(6), version: 'banshishi/inclusion-proof/0' }), key).verified).toBe(false);
    const short = checkProof(text(bundleOf(6, { proof: ['AAAA'] })), key);
    expect(short).toMatchObject({ verified: false, refused: { message: expect.stringContaining('bundle.proof.0') } });
  });
});

describe('a witness’s countersignature', () => {
  const witness = signerOf('witness.jiaozhou.example', 5);

  it('is required when a witness key is given: a note the witness signed too verifies', () => {
    const countersigned = signNote(checkpoint, [witness]);
    expect(
      checkProof(text(bundleOf(3, { checkpoint: countersigned })), key, { origin, witnesses: [witness.verifier] }),
    ).toMatchObject({ verified: true });
  });

  it('is read from the countersigned note given beside a bundle that carries the operator’s signature alone', () => {
    const countersigned = signNote(checkpoint, [witness]);
    const given = { witnesses: [witness.verifier], checkpoint: countersigned };
    expect(checkProof(text(bundleOf(3)), key, given)).toMatchObject({ verified: true });
    const other = signNote(checkpointText({ origin, size: 12, root: tree.root(12) }), [signer, witness]);
    expect(ruleOf(checkProof(text(bundleOf(3)), key, { ...given, checkpoint: other }))).toBe(
      'transparency.checkpoint_mismatch',
    );
  });

  it('refuses a note the witness did not sign, and one whose countersignature is forged', () => {
    expect(ruleOf(checkProof(text(bundleOf(3)), key, { origin, witnesses: [witness.verifier] }))).toBe(
      'transparency.witness_signature',
    );
    const impostor = signerOf('witness.jiaozhou.example', 6);
    const forged = signNote(checkpoint, [impostor]);
    expect(
      ruleOf(checkProof(text(bundleOf(3, { checkpoint: forged })), key, { origin, witnesses: [witness.verifier] })),
    ).toBe('transparency.witness_signature');
  });
});

describe('the event prove is asked for', () => {
  it('reads stream@revision at the last @, and anything else as an event id', () => {
    expect(parseLocator('problem-7@3')).toEqual(E.right({ streamId: 'problem-7', revision: 3 }));
    expect(parseLocator('odd@stream@12')).toEqual(E.right({ streamId: 'odd@stream', revision: 12 }));
    expect(parseLocator('0b7c-…')).toEqual(E.right({ eventId: '0b7c-…' }));
    expect(E.isLeft(parseLocator('problem-7@x'))).toBe(true);
    expect(E.isLeft(parseLocator(''))).toBe(true);
  });
});
