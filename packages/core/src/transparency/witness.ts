// A consistency proof as one file, and the witness's countersignature. The bundle holds two checkpoints the log
// signed and the RFC 9162 consistency proof between them: whoever has it and the log's key can check, offline,
// that the later log extends the earlier one — nothing in the first `from.size` events was changed, dropped or
// reordered. A witness (another office, the press) that keeps the last checkpoint it countersigned checks that
// the new one extends it and only then adds its own signature, so the operator cannot show one reader one log
// and another reader another: a reader who requires the witness's signature sees the log the witness saw.
// Pure: no I/O.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeWith } from '../codec/decode.js';
import type { DomainError } from '../errors.js';
import { base64Hash, refused } from './codecs.js';
import { merkleHasher, type Sha256, verifyConsistency } from './merkle.js';
import { base64ToBytes, type NoteSigner, type NoteVerifier, openCheckpoint, signNote } from './note.js';

export const consistencyBundleVersion = 'banshishi/consistency-proof/1';

export interface ConsistencyBundle {
  readonly version: typeof consistencyBundleVersion;
  /** The earlier signed checkpoint (a receipt, or the last one a witness countersigned). */
  readonly from: string;
  /** The later signed checkpoint. */
  readonly to: string;
  /** The RFC 9162 consistency proof from `from`'s tree to `to`'s, each hash in base64. */
  readonly proof: readonly string[];
}

const bundleCodec = t.type({
  version: t.literal(consistencyBundleVersion),
  from: t.string,
  to: t.string,
  proof: t.array(base64Hash),
});
const decodeBundle = decodeWith(bundleCodec, 'bundle');

/** A consistency bundle from untrusted JSON, or a `validation` error naming each bad field. */
export const decodeConsistencyBundle = (u: unknown): E.Either<DomainError, ConsistencyBundle> =>
  decodeBundle(u) as E.Either<DomainError, ConsistencyBundle>;

export interface VerifiedConsistency {
  readonly origin: string;
  readonly from: { readonly size: number; readonly root: Uint8Array };
  readonly to: { readonly size: number; readonly root: Uint8Array };
}

/** Checks both checkpoints against the log's key (and origin, if given) and the proof between them. */
export const verifyConsistencyBundle = (
  bundle: ConsistencyBundle,
  logKey: NoteVerifier,
  origin?: string,
  hash?: Sha256,
): E.Either<DomainError, VerifiedConsistency> => {
  const from = openCheckpoint(bundle.from, logKey, origin);
  if (E.isLeft(from)) return from;
  const to = openCheckpoint(bundle.to, logKey, origin ?? from.right.origin);
  if (E.isLeft(to)) return to;
  if (from.right.size > to.right.size)
    return refused(
      'consistency_order',
      `the earlier checkpoint is of ${from.right.size} events and the later of ${to.right.size}: a log only grows`,
    );
  const proof = bundle.proof.map((p) => base64ToBytes(p)!);
  if (!verifyConsistency(merkleHasher(hash), from.right.size, to.right.size, proof, from.right.root, to.right.root))
    return refused(
      'consistency',
      `the log of ${to.right.size} events does not extend the log of ${from.right.size} that was signed before: ` +
        'its first events were changed, dropped or reordered, or the proof was altered',
    );
  return E.right({
    origin: from.right.origin,
    from: { size: from.right.size, root: from.right.root },
    to: { size: to.right.size, root: to.right.root },
  });
};

/**
 * The witness's step: the bundle's later checkpoint, countersigned by `witness`, once the bundle proves that it
 * extends the earlier one — which must be the checkpoint the witness last countersigned (`lastWitnessed`), if
 * it has one, so that no gap is ever left unchecked.
 */
export const witnessCheckpoint = (options: {
  readonly bundle: ConsistencyBundle;
  readonly logKey: NoteVerifier;
  readonly witness: NoteSigner;
  readonly lastWitnessed?: string;
  readonly origin?: string;
}): E.Either<DomainError, { readonly countersigned: string; readonly verified: VerifiedConsistency }> => {
  const { bundle, logKey, witness } = options;
  const verified = verifyConsistencyBundle(bundle, logKey, options.origin);
  if (E.isLeft(verified)) return verified;
  if (options.lastWitnessed !== undefined) {
    const last = openCheckpoint(options.lastWitnessed, logKey, verified.right.origin);
    if (E.isLeft(last)) return last;
    const { from } = verified.right;
    if (last.right.size !== from.size || !last.right.root.every((b, i) => b === from.root[i]))
      return refused(
        'witness_gap',
        `the proof starts at the log of ${from.size} events, but the last checkpoint countersigned is of ` +
          `${last.right.size}: ask for a proof from that one`,
      );
  }
  return E.right({ countersigned: signNote(bundle.to, [witness]), verified: verified.right });
};
