// The witness's commands (docs/auditing.md, "Witnesses"): `consistency` prints the consistency bundle between
// two checkpoints the log signed (it reads the stored tree), and `witness` checks such a bundle offline with the
// log's key and countersigns the later checkpoint with the witness's own key — only if it extends the checkpoint
// the witness countersigned last. The witness's key never meets the operator's machines.
import { readFileSync } from 'node:fs';
import {
  type ConsistencyBundle,
  type DomainError,
  decodeConsistencyBundle,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  type VerifiedConsistency,
  validationError,
  witnessCheckpoint,
} from '@banshishi/core';
import { proveConsistency, type TransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import type { Unavailable } from './transparency.js';

export const consistencyText = (bundle: ConsistencyBundle): string => `${JSON.stringify(bundle, null, 2)}\n`;

export const consistencyOf = async (
  log: TransparencyLog | null,
  schema: string,
  from: number,
  to: number | undefined,
): Promise<E.Either<Unavailable, ConsistencyBundle>> => {
  if (log === null)
    return E.left({
      rule: 'transparency.no_tree',
      message: `the read-model database holds no transparency log (schema ${schema})`,
    });
  const bundle = await proveConsistency(log, from, to);
  return E.isLeft(bundle) ? E.left({ rule: bundle.left.rule, message: bundle.left.message }) : bundle;
};

/** The witness's signer key, from a file; Left names the flag. */
export const readWitnessKey = (path: string): E.Either<string, NoteSigner> => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return E.left(`--witness-key: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const signer = parseSignerKey(text.trim());
  return E.isLeft(signer)
    ? E.left(`--witness-key: ${path} does not hold a signer key (PRIVATE+KEY+<name>+<id>+<base64>)`)
    : signer;
};

/** Checks the bundle (JSON text) and countersigns its later checkpoint; Left carries the rule that refused it. */
export const countersign = (options: {
  readonly bundleText: string;
  readonly logKey: NoteVerifier;
  readonly witness: NoteSigner;
  readonly lastWitnessed?: string;
  readonly origin?: string;
}): E.Either<DomainError, { readonly countersigned: string; readonly verified: VerifiedConsistency }> => {
  let json: unknown;
  try {
    json = JSON.parse(options.bundleText);
  } catch {
    return E.left(validationError('transparency.consistency_bundle', 'the consistency bundle is not JSON'));
  }
  const bundle = decodeConsistencyBundle(json);
  if (E.isLeft(bundle)) return bundle;
  return witnessCheckpoint({
    bundle: bundle.right,
    logKey: options.logKey,
    witness: options.witness,
    ...(options.lastWitnessed === undefined ? {} : { lastWitnessed: options.lastWitnessed }),
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
};
