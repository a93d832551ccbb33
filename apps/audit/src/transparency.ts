// The auditor's transparency commands (docs/auditing.md, "The transparency log"): `checkpoint` prints the
// latest signed checkpoint — the receipt an auditor keeps outside the operator's reach —, `prove` an event's
// inclusion proof against it, and `verify-proof` checks such a proof offline, with nothing but the bundle
// and the log's public key: no database is opened for it.
import { readFileSync } from 'node:fs';
import {
  type DomainError,
  decodeProofBundle,
  type NoteVerifier,
  openNote,
  type ProofBundle,
  type VerifiedProof,
  validationError,
  verifyProofBundle,
} from '@banshishi/core';
import { type EventLocator, proveEvent, type TransparencyLog, verifierFromText } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';

/** Why a command could not run (exit 2): no tree, no checkpoint, no such event. */
export interface Unavailable {
  readonly rule: string;
  readonly message: string;
}

const noTree = (schema: string): Unavailable => ({
  rule: 'transparency.no_tree',
  message: `the read-model database holds no transparency log (schema ${schema}): the board's checkpointer, or the projector's, builds it`,
});

export const latestReceipt = async (
  log: TransparencyLog | null,
  schema: string,
): Promise<E.Either<Unavailable, string>> => {
  if (log === null) return E.left(noTree(schema));
  const latest = await log.latestCheckpoint();
  if (latest === null)
    return E.left({
      rule: 'transparency.no_checkpoint',
      message: 'no checkpoint has been signed yet: the checkpointer signs one once it has caught up with the log',
    });
  return E.right(latest.signed);
};

/** `<event id>` or `<stream>@<revision>` (the last `@`, so a stream id may hold one). */
export const parseLocator = (text: string | undefined): E.Either<string, EventLocator> => {
  if (text === undefined || text.trim() === '') return E.left('give an event id or <stream>@<revision>');
  const at = text.lastIndexOf('@');
  if (at === -1) return E.right({ eventId: text.trim() });
  const streamId = text.slice(0, at);
  const revision = text.slice(at + 1);
  if (streamId === '' || !/^\d+$/.test(revision) || !Number.isSafeInteger(Number(revision)))
    return E.left(`expected <stream>@<revision> (problem-…@3), got ${JSON.stringify(text)}`);
  return E.right({ streamId, revision: Number(revision) });
};

export const proveOne = async (
  log: TransparencyLog | null,
  schema: string,
  locator: EventLocator,
): Promise<E.Either<Unavailable, ProofBundle>> => {
  if (log === null) return E.left(noTree(schema));
  const proved = await proveEvent(log, locator);
  return E.isLeft(proved) ? E.left({ rule: proved.left.rule, message: proved.left.message }) : proved;
};

export const bundleText = (bundle: ProofBundle): string => `${JSON.stringify(bundle, null, 2)}\n`;

// ---- verify-proof: offline ------------------------------------------------------------------------------------

/** A key given as its text or a file; exit 2 when it is neither. */
export const readVerifier = (textOrPath: string, flag = '--key'): E.Either<string, NoteVerifier> => {
  const key = verifierFromText(textOrPath);
  return E.isLeft(key) ? E.left(`${flag}: ${key.left}`) : key;
};

/** The bundle's JSON decoded; a bundle that is not one is refused with the field at fault (exit 1). */
export const decodeBundleText = (text: string): E.Either<DomainError, ProofBundle> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return E.left(validationError('transparency.proof_bundle', `the bundle is not JSON: ${(error as Error).message}`));
  }
  return decodeProofBundle(json);
};

export type ProofVerdict =
  | { readonly verified: true; readonly proved: VerifiedProof }
  | { readonly verified: false; readonly refused: { readonly rule: string; readonly message: string } };

/**
 * The note countersigned by every witness given (docs/auditing.md, "Witnesses"): a witness signs the same
 * checkpoint text after checking it extends the last one it signed, so two readers shown different logs
 * cannot both hold notes the witness signed.
 */
export const witnessed = (note: string, witnesses: readonly NoteVerifier[]): E.Either<DomainError, void> => {
  for (const witness of witnesses) {
    const opened = openNote(note, [witness]);
    if (E.isLeft(opened)) return opened;
    if (!opened.right.signatures.some((s) => s.verified && s.name === witness.name))
      return E.left(
        validationError(
          'transparency.witness_signature',
          `the checkpoint bears no signature of the witness ${witness.name}`,
        ),
      );
  }
  return E.right(undefined);
};

const noteText = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);

/**
 * A checkpoint note given beside the bundle — the same checkpoint countersigned by witnesses, fetched from where
 * they publish — in place of the bundle's own, which carries the operator's signature alone.
 */
const withCheckpoint = (bundle: ProofBundle, note: string | undefined): E.Either<DomainError, ProofBundle> =>
  note === undefined
    ? E.right(bundle)
    : noteText(note) === noteText(bundle.checkpoint)
      ? E.right({ ...bundle, checkpoint: note })
      : E.left(
          validationError(
            'transparency.checkpoint_mismatch',
            'the checkpoint given is not the one the proof is against (another size, root or origin)',
          ),
        );

export const checkProof = (
  text: string,
  key: NoteVerifier,
  options: {
    readonly origin?: string;
    readonly witnesses?: readonly NoteVerifier[];
    readonly checkpoint?: string;
  } = {},
): ProofVerdict => {
  const checked = E.chain((decoded: ProofBundle) =>
    E.chain((bundle: ProofBundle) =>
      E.chain((proved: VerifiedProof) => E.map(() => proved)(witnessed(bundle.checkpoint, options.witnesses ?? [])))(
        verifyProofBundle(bundle, key, options.origin),
      ),
    )(withCheckpoint(decoded, options.checkpoint)),
  )(decodeBundleText(text));
  return E.isLeft(checked)
    ? { verified: false, refused: { rule: checked.left.rule, message: checked.left.message } }
    : { verified: true, proved: checked.right };
};

export const proofVerdictJson = (v: ProofVerdict) =>
  v.verified
    ? {
        verified: true,
        origin: v.proved.origin,
        treeSize: v.proved.size,
        leaf: v.proved.leaf,
      }
    : { verified: false, refused: v.refused };

export const proofVerdictLines = (v: ProofVerdict): string[] =>
  v.verified
    ? [
        `proved: ${v.proved.leaf.streamId}@${v.proved.leaf.revision} (position ${v.proved.leaf.globalPosition}, event ${v.proved.leaf.eventId})`,
        `  is leaf ${v.proved.leaf.index} of the tree of ${v.proved.size} events signed as ${v.proved.origin}`,
        `  event hash ${v.proved.leaf.hash}`,
      ]
    : [`refused (${v.refused.rule}): ${v.refused.message}`];

/** A file's text, or why it cannot be read (exit 2). */
export const readText = (path: string, what: string): E.Either<string, string> => {
  try {
    return E.right(readFileSync(path, 'utf8'));
  } catch (error) {
    return E.left(`${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
};
