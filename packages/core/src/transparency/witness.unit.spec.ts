// A consistency bundle verifies when the later checkpoint extends the earlier, and fails, saying why, when the
// log was rewritten, the proof altered, the order turned round or a checkpoint not the log's; a witness
// countersigns only a proven extension of what it countersigned last, and its signature then verifies beside
// the log's.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { memoryTree, merkleHasher } from './merkle.js';
import { bytesToBase64, checkpointText, encodeSignerKey, openNote, parseSignerKey, signNote } from './note.js';
import {
  type ConsistencyBundle,
  consistencyBundleVersion,
  decodeConsistencyBundle,
  verifyConsistencyBundle,
  witnessCheckpoint,
} from './witness.js';

const h = merkleHasher();
const origin = 'jiaozhou.banshishi.example/log';
const signerOf = (name: string, seedByte: number) => {
  const parsed = parseSignerKey(encodeSignerKey(name, new Uint8Array(32).fill(seedByte)));
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right;
};
const log = signerOf(origin, 7);
const witness = signerOf('jiaozhou-discipline-office.example/witness', 9);
const leafHashes = (n: number, salt = 0) =>
  Array.from({ length: n }, (_, i) => h.leaf(new TextEncoder().encode(`event ${i} ${i === 3 ? salt : 0}`)));
const tree = memoryTree(h, leafHashes(21));
const checkpointOf = (size: number, root = tree.root(size), signer = log) =>
  signNote(checkpointText({ origin, size, root }), [signer]);
const bundle = (from: number, to: number): ConsistencyBundle => ({
  version: consistencyBundleVersion,
  from: checkpointOf(from),
  to: checkpointOf(to),
  proof: tree.consistencyProof(from, to).map(bytesToBase64),
});
const ruleOf = (result: E.Either<{ rule: string }, unknown>) => (E.isLeft(result) ? result.left.rule : 'verified');

describe('a consistency bundle', () => {
  it('verifies between every pair of sizes, and says which', () => {
    for (let from = 0; from <= 21; from++)
      for (const to of [from, Math.min(21, from + 1), 21]) {
        const verified = verifyConsistencyBundle(bundle(from, to), log.verifier, origin);
        expect(E.isRight(verified) && [verified.right.from.size, verified.right.to.size]).toEqual([from, to]);
      }
  });

  it('fails when the earlier events were rewritten, the proof altered, the order turned round, or a key is wrong', () => {
    const good = bundle(8, 21);
    // The log as it is now, with its fourth event rewritten: its root at 21 no longer extends the signed 8.
    const rewritten = memoryTree(h, leafHashes(21, 1));
    const forged = {
      ...good,
      to: checkpointOf(21, rewritten.root()),
      proof: rewritten.consistencyProof(8, 21).map(bytesToBase64),
    };
    expect(ruleOf(verifyConsistencyBundle(forged, log.verifier))).toBe('transparency.consistency');
    const flipped = good.proof.map((p, i) => (i === 0 ? bytesToBase64(new Uint8Array(32).fill(1)) : p));
    expect(ruleOf(verifyConsistencyBundle({ ...good, proof: flipped }, log.verifier))).toBe('transparency.consistency');
    expect(ruleOf(verifyConsistencyBundle({ ...good, proof: good.proof.slice(1) }, log.verifier))).toBe(
      'transparency.consistency',
    );
    expect(ruleOf(verifyConsistencyBundle({ ...good, from: good.to, to: good.from }, log.verifier))).toBe(
      'transparency.consistency_order',
    );
    expect(ruleOf(verifyConsistencyBundle({ ...good, to: checkpointOf(21, tree.root(), witness) }, log.verifier))).toBe(
      'transparency.checkpoint_signature',
    );
    expect(ruleOf(verifyConsistencyBundle(good, log.verifier, 'other.example/log'))).toBe(
      'transparency.checkpoint_origin',
    );
  });

  it('is decoded from untrusted JSON, each bad field named', () => {
    const decoded = decodeConsistencyBundle({ version: consistencyBundleVersion, from: 1, to: 'x', proof: ['AAAA'] });
    expect(E.isLeft(decoded) && decoded.left.rule).toBe('input.invalid');
    expect(E.isLeft(decoded) && decoded.left.message).toMatch(/bundle\.from/);
    expect(E.isLeft(decoded) && decoded.left.message).toMatch(/bundle\.proof\.0/);
    expect(decodeConsistencyBundle(JSON.parse(JSON.stringify(bundle(3, 9))))).toEqual(E.right(bundle(3, 9)));
  });
});

describe('a witness', () => {
  it('countersigns a proven extension of what it last countersigned; readers then find both signatures', () => {
    const first = witnessCheckpoint({ bundle: bundle(0, 8), logKey: log.verifier, witness });
    expect(E.isRight(first)).toBe(true);
    const last = E.isRight(first) ? first.right.countersigned : '';
    const next = witnessCheckpoint({ bundle: bundle(8, 21), logKey: log.verifier, witness, lastWitnessed: last });
    expect(E.isRight(next) && next.right.verified.to.size).toBe(21);
    const opened = openNote(E.isRight(next) ? next.right.countersigned : '', [log.verifier, witness.verifier]);
    expect(E.isRight(opened) && opened.right.signatures.map((s) => [s.name, s.verified])).toEqual([
      [origin, true],
      ['jiaozhou-discipline-office.example/witness', true],
    ]);
  });

  it('refuses a gap after what it countersigned, and a log that does not extend it', () => {
    const last = checkpointOf(8);
    expect(
      ruleOf(witnessCheckpoint({ bundle: bundle(13, 21), logKey: log.verifier, witness, lastWitnessed: last })),
    ).toBe('transparency.witness_gap');
    const rewritten = memoryTree(h, leafHashes(21, 1));
    const forged = {
      ...bundle(8, 21),
      to: checkpointOf(21, rewritten.root()),
      proof: rewritten.consistencyProof(8, 21).map(bytesToBase64),
    };
    expect(ruleOf(witnessCheckpoint({ bundle: forged, logKey: log.verifier, witness, lastWitnessed: last }))).toBe(
      'transparency.consistency',
    );
  });
});
