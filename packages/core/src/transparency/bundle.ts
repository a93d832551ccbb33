// An inclusion proof as one self-contained file: the signed checkpoint it is against, the leaf's facts, and
// the audit path. Whoever holds it and the log's public key can check, offline and in a browser, that this
// event — this stream, revision, position and hash — is in the log the operator signed. Pure: no I/O.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeWith } from '../codec/decode.js';
import type { DomainError } from '../errors.js';
import { base64Hash, refused, wholeNumber } from './codecs.js';
import { eventLeafData } from './leaf.js';
import { merkleHasher, type Sha256, verifyInclusion } from './merkle.js';
import { base64ToBytes, type NoteVerifier, openCheckpoint } from './note.js';

export const proofBundleVersion = 'banshishi/inclusion-proof/1';

export interface ProofBundleLeaf {
  /** The leaf's index in the tree: the event's place in the log's committed order. */
  readonly index: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  /** The event's hash (integrity/hash-chain.ts), which covers everything else of the event. */
  readonly hash: string;
}

export interface ProofBundle {
  readonly version: typeof proofBundleVersion;
  /** The signed note (C2SP checkpoint) the proof is against. */
  readonly checkpoint: string;
  readonly leaf: ProofBundleLeaf;
  /** The RFC 9162 audit path, leaf to root, each hash in base64. */
  readonly proof: readonly string[];
}

const bundleCodec = t.type({
  version: t.literal(proofBundleVersion),
  checkpoint: t.string,
  leaf: t.type({
    index: wholeNumber,
    eventId: t.string,
    streamId: t.string,
    revision: wholeNumber,
    globalPosition: wholeNumber,
    hash: t.string,
  }),
  proof: t.array(base64Hash),
});

const decodeBundle = decodeWith(bundleCodec, 'bundle');

/** A proof bundle from untrusted JSON, or a `validation` error naming each bad field (`bundle.proof.2`). */
export const decodeProofBundle = (u: unknown): E.Either<DomainError, ProofBundle> =>
  decodeBundle(u) as E.Either<DomainError, ProofBundle>;

export interface VerifiedProof {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly leaf: ProofBundleLeaf;
}

/**
 * Checks a bundle against the log's public key: the checkpoint's signature (and origin, if given), the leaf
 * hash recomputed from the leaf's facts, and the audit path up to the signed root.
 */
export const verifyProofBundle = (
  bundle: ProofBundle,
  key: NoteVerifier,
  origin?: string,
  hash?: Sha256,
): E.Either<DomainError, VerifiedProof> => {
  const checkpoint = openCheckpoint(bundle.checkpoint, key, origin);
  if (E.isLeft(checkpoint)) return checkpoint;
  const { size, root } = checkpoint.right;
  const { leaf } = bundle;
  if (leaf.index >= size)
    return refused('proof_leaf_index', `leaf ${leaf.index} is not in the signed tree of ${size} events`);
  const h = merkleHasher(hash);
  const path = bundle.proof.map((p) => base64ToBytes(p)!);
  const leafHash = h.leaf(eventLeafData(leaf));
  if (!verifyInclusion(h, leafHash, leaf.index, size, path, root))
    return refused(
      'proof_inclusion',
      `${leaf.streamId}@${leaf.revision} (position ${leaf.globalPosition}) is not leaf ${leaf.index} of the signed tree of ${size}: the proof, the leaf or the root was altered`,
    );
  return E.right({ origin: checkpoint.right.origin, size, root, leaf });
};
