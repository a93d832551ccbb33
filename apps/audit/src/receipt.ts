// `verify --receipt`: a checkpoint an auditor kept, held against today's log. The tree is rebuilt from the
// events as the store reads them now — the stored tree tables are the operator's as much as the events are,
// so they are compared, never trusted — and the receipt's root must be the root of today's first <size>
// leaves. When it is not, the stored leaves say which events changed; when they were rewritten as well,
// the receipt still proves that the log changed, though not where.
import {
  bytesToBase64,
  type EventStore,
  eventLeafData,
  type Hash,
  merkleFrontier,
  merkleHasher,
  type NoteVerifier,
  openCheckpoint,
  type ProofBundleLeaf,
  readWholeLog,
  verifyConsistency,
} from '@banshishi/core';
import { type LeafRecord, nodeSha256, type TransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import { witnessed } from './transparency.js';

export type ReceiptFindingKind =
  // the receipt does not open with the key (signature, origin, format)
  | 'receipt_refused'
  // today's log does not hash to the receipt's root, or holds fewer events than it
  | 'receipt_root'
  // the stored checkpoints: the receipt's own missing or different, the latest not extending the receipt
  | 'stored_checkpoint'
  | 'consistency'
  // the stored tree's root of some size is not the one recomputed from today's log
  | 'stored_root'
  // per leaf, the stored tree against today's log
  | 'changed'
  | 'missing'
  | 'extra'
  | 'moved'
  | 'renumbered'
  // the stored tree matches today's log but not the receipt: it was rebuilt after the log was changed
  | 'tree_rewritten'
  | 'no_tree'
  // an event after the receipt recorded before the receipt's checkpoint was made
  | 'backdated';

export interface ReceiptFinding {
  readonly kind: ReceiptFindingKind;
  readonly message: string;
  /** The leaf concerned: its index in the stored tree (today's log for `extra` and `backdated`). */
  readonly index?: number;
  readonly eventId?: string;
  readonly streamId?: string;
  readonly revision?: number;
  readonly position?: number;
  /** For `changed`: which of the leaf's facts differ. */
  readonly fields?: readonly LeafField[];
  /** For `renumbered`: how many events. */
  readonly count?: number;
}

export interface ReceiptReport {
  readonly receipt: { readonly origin: string; readonly size: number; readonly root: string } | null;
  /** Events in today's log (the rebuilt tree's size). */
  readonly events: number;
  /** Leaves in the stored tree; null when the database holds none. */
  readonly treeSize: number | null;
  readonly latestCheckpoint: { readonly size: number; readonly root: string; readonly madeAt: string } | null;
  readonly findings: readonly ReceiptFinding[];
}

export interface ReceiptCheck {
  readonly store: Pick<EventStore, 'readAll'>;
  readonly log: TransparencyLog | null;
  readonly key: NoteVerifier;
  readonly origin?: string;
  /** Witnesses whose countersignature the receipt must bear. */
  readonly witnesses?: readonly NoteVerifier[];
}

type LeafField = 'eventId' | 'streamId' | 'revision' | 'globalPosition' | 'hash';

/** A leaf's facts, as a proof bundle carries them. */
type Leaf = ProofBundleLeaf;

interface RebuiltLeaf extends Leaf {
  readonly recordedAt: string;
}

const h = merkleHasher(nodeSha256);

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const at = (l: Pick<Leaf, 'streamId' | 'revision'>) => `${l.streamId}@${l.revision}`;
const factsOf = (l: Leaf) =>
  `${at(l)} (position ${l.globalPosition}, event ${l.eventId}, hash ${l.hash.slice(0, 12)}…)`;
const leafFinding = (l: Leaf) => ({
  index: l.index,
  eventId: l.eventId,
  streamId: l.streamId,
  revision: l.revision,
  position: l.globalPosition,
});

const differing = (was: Leaf, now: Leaf): LeafField[] =>
  (['eventId', 'streamId', 'revision', 'globalPosition', 'hash'] as const).filter((f) => was[f] !== now[f]);

const describeChange = (was: Leaf, now: Leaf, fields: readonly LeafField[]) =>
  fields
    .map((f) => {
      const show = (l: Leaf) => (f === 'hash' ? `${l.hash.slice(0, 12)}…` : String(l[f]));
      return `${f} ${show(was)} → ${show(now)}`;
    })
    .join(', ');

/** Indexes (into `values`) of one longest strictly increasing subsequence: the events that kept their order. */
const longestIncreasing = (values: readonly number[]): Set<number> => {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid] ?? 0]! < values[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.length === 0 ? -1 : tails[tails.length - 1]!; i !== -1; i = previous[i]!) kept.add(i);
  return kept;
};

/** Below this many, events whose position alone changed are named one by one; above, summarised. */
const renumberedListed = 3;

/** What differs between the stored leaves and the ones rebuilt from today's log, event by event. */
export const compareLeaves = (stored: readonly Leaf[], rebuilt: readonly Leaf[]): ReceiptFinding[] => {
  const storedById = new Map(stored.map((l) => [l.eventId, l]));
  const rebuiltById = new Map(rebuilt.map((l) => [l.eventId, l]));
  const common = stored.filter((l) => rebuiltById.has(l.eventId));
  let lastCommon = -1;
  for (const l of common) lastCommon = Math.max(lastCommon, rebuiltById.get(l.eventId)!.index);
  // Events of today's log past the last one the tree holds are merely not in the tree yet.
  const storedOnly = stored.filter((l) => !rebuiltById.has(l.eventId));
  const rebuiltOnly = rebuilt.filter((l) => !storedById.has(l.eventId) && l.index < lastCommon);
  const findings: ReceiptFinding[] = [];

  // An event id replaced at the same stream and revision is a changed event, not one lost and one found.
  const replacing = new Map(rebuiltOnly.map((l) => [at(l), l]));
  const paired = new Set<string>();
  for (const was of storedOnly) {
    const now = replacing.get(at(was));
    if (now === undefined) {
      findings.push({
        kind: 'missing',
        ...leafFinding(was),
        message: `leaf ${was.index}, ${factsOf(was)}, is not in today's log`,
      });
      continue;
    }
    paired.add(now.eventId);
    const fields = differing(was, now);
    findings.push({
      kind: 'changed',
      ...leafFinding(was),
      fields,
      message: `leaf ${was.index}, ${at(was)}: ${describeChange(was, now, fields)}`,
    });
  }
  for (const now of rebuiltOnly)
    if (!paired.has(now.eventId))
      findings.push({
        kind: 'extra',
        ...leafFinding(now),
        message: `${factsOf(now)} is event ${now.index} of today's log, and the stored tree never held it`,
      });

  const kept = longestIncreasing(common.map((l) => rebuiltById.get(l.eventId)!.index));
  const renumbered: { was: Leaf; now: Leaf }[] = [];
  common.forEach((was, i) => {
    const now = rebuiltById.get(was.eventId)!;
    const fields = differing(was, now);
    if (!kept.has(i)) {
      findings.push({
        kind: 'moved',
        ...leafFinding(was),
        message: `leaf ${was.index}, ${factsOf(was)}, is event ${now.index} of today's log${fields.length === 0 ? '' : ` (${describeChange(was, now, fields)})`}`,
      });
      return;
    }
    if (fields.length === 1 && fields[0] === 'globalPosition') renumbered.push({ was, now });
    else if (fields.length > 0)
      findings.push({
        kind: 'changed',
        ...leafFinding(was),
        fields,
        message: `leaf ${was.index}, ${at(was)}: ${describeChange(was, now, fields)}`,
      });
  });
  if (renumbered.length > renumberedListed) {
    const first = renumbered[0]!;
    const last = renumbered[renumbered.length - 1]!;
    findings.push({
      kind: 'renumbered',
      ...leafFinding(first.was),
      count: renumbered.length,
      message: `${renumbered.length} events from leaf ${first.was.index} (${at(first.was)}, position ${first.was.globalPosition} → ${first.now.globalPosition}) to leaf ${last.was.index} (${at(last.was)}, position ${last.was.globalPosition} → ${last.now.globalPosition}) kept their order, not their global positions: the log's positions were renumbered`,
    });
  } else
    for (const { was, now } of renumbered)
      findings.push({
        kind: 'changed',
        ...leafFinding(was),
        fields: ['globalPosition'],
        message: `leaf ${was.index}, ${at(was)}: ${describeChange(was, now, ['globalPosition'])}`,
      });
  return findings.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
};

/** A span for a person: an event in flight when the checkpoint was signed is seconds early, a forgery days. */
const ago = (ms: number): string => {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
};

const pageSize = 10_000;

const storedLeaves = async (log: TransparencyLog, size: number): Promise<Leaf[]> => {
  const out: Leaf[] = [];
  for (let from = 0; from < size; from += pageSize)
    for (const l of await log.leaves(from, Math.min(size, from + pageSize))) out.push(leafOfRecord(l));
  return out;
};

const leafOfRecord = (l: LeafRecord): Leaf => ({
  index: l.index,
  eventId: l.eventId,
  streamId: l.streamId,
  revision: l.revision,
  globalPosition: l.globalPosition,
  hash: l.eventHash,
});

/** An answer of the stored tree, or the reason it cannot give one (a subtree missing, a size it lacks). */
const attempt = async <A>(answer: () => Promise<A>): Promise<E.Either<string, A>> => {
  try {
    return E.right(await answer());
  } catch (error) {
    return E.left(error instanceof Error ? error.message : String(error));
  }
};

export const checkReceipt = async (check: ReceiptCheck, receiptText: string): Promise<ReceiptReport> => {
  const findings: ReceiptFinding[] = [];
  const checkpoint = openCheckpoint(receiptText, check.key, check.origin);
  const opened = E.isLeft(checkpoint)
    ? checkpoint
    : E.map(() => checkpoint.right)(witnessed(receiptText, check.witnesses ?? []));
  if (E.isLeft(opened))
    return {
      receipt: null,
      events: 0,
      treeSize: null,
      latestCheckpoint: null,
      findings: [
        { kind: 'receipt_refused', message: `the receipt is refused (${opened.left.rule}): ${opened.left.message}` },
      ],
    };
  const receipt = opened.right;
  const { log } = check;
  const treeSize = log === null ? null : await log.size();
  const latest = log === null ? null : await log.latestCheckpoint();
  const receiptCheckpoint = log === null ? null : await log.checkpointAt(receipt.size);

  // The tree rebuilt from today's log, with the roots of the sizes the receipt and the stored tree name.
  const wanted = new Set([receipt.size, ...(treeSize === null ? [] : [treeSize]), ...(latest ? [latest.size] : [])]);
  const roots = new Map<number, Hash>();
  const frontier = merkleFrontier(h);
  if (wanted.has(0)) roots.set(0, frontier.root());
  const rebuilt: RebuiltLeaf[] = [];
  for await (const events of readWholeLog(check.store)) {
    for (const e of events) {
      rebuilt.push({
        index: frontier.size,
        eventId: e.eventId,
        streamId: e.streamId,
        revision: e.revision,
        globalPosition: e.globalPosition,
        hash: e.hash,
        recordedAt: e.recordedAt,
      });
      frontier.append(h.leaf(eventLeafData(e)));
      if (wanted.has(frontier.size)) roots.set(frontier.size, frontier.root());
    }
  }

  const report = (): ReceiptReport => ({
    receipt: { origin: receipt.origin, size: receipt.size, root: bytesToBase64(receipt.root) },
    events: rebuilt.length,
    treeSize,
    latestCheckpoint:
      latest === null ? null : { size: latest.size, root: bytesToBase64(latest.root), madeAt: latest.madeAt },
    findings,
  });

  const rebuiltRoot = roots.get(receipt.size);
  let logChanged = false;
  if (rebuiltRoot === undefined) {
    logChanged = true;
    findings.push({
      kind: 'receipt_root',
      message: `today's log holds ${rebuilt.length} events, fewer than the ${receipt.size} the receipt was signed for`,
    });
  } else if (!equal(rebuiltRoot, receipt.root)) {
    logChanged = true;
    findings.push({
      kind: 'receipt_root',
      message: `the first ${receipt.size} events of today's log do not hash to the receipt's root (${bytesToBase64(rebuiltRoot)}, signed ${bytesToBase64(receipt.root)}): the log was changed within them`,
    });
  }

  if (log === null || treeSize === null) {
    if (logChanged)
      findings.push({
        kind: 'no_tree',
        message: `this database holds no stored tree to compare with: the receipt proves the log changed within its first ${receipt.size} events, not which`,
      });
    return report();
  }

  // The stored checkpoints: the receipt's own, and the latest, which must extend it.
  if (receiptCheckpoint === null)
    findings.push({
      kind: 'stored_checkpoint',
      message: `no stored checkpoint has the receipt's size ${receipt.size}: the checkpoints are append-only, so it was removed (or the receipt is of another log)`,
    });
  else if (!equal(receiptCheckpoint.root, receipt.root))
    findings.push({
      kind: 'stored_checkpoint',
      message: `the stored checkpoint of size ${receipt.size} has the root ${bytesToBase64(receiptCheckpoint.root)}, not the receipt's: the checkpoints were rewritten`,
    });
  if (latest === null)
    findings.push({ kind: 'stored_checkpoint', message: 'the database holds no signed checkpoint at all' });
  else {
    const signed = openCheckpoint(latest.signed, check.key, receipt.origin);
    if (E.isLeft(signed))
      findings.push({
        kind: 'stored_checkpoint',
        message: `the latest stored checkpoint (size ${latest.size}) is refused (${signed.left.rule}): ${signed.left.message}`,
      });
    else if (latest.size < receipt.size)
      findings.push({
        kind: 'consistency',
        message: `the latest stored checkpoint is of ${latest.size} events, fewer than the receipt's ${receipt.size}`,
      });
    else {
      const proof = await attempt(() => log.consistencyProof(receipt.size, latest.size));
      if (E.isLeft(proof))
        findings.push({
          kind: 'consistency',
          message: `the stored tree cannot prove that its checkpoint of ${latest.size} extends the receipt: ${proof.left}`,
        });
      else if (!verifyConsistency(h, receipt.size, latest.size, proof.right, receipt.root, signed.right.root))
        findings.push({
          kind: 'consistency',
          message: `the latest stored checkpoint (size ${latest.size}) does not extend the receipt's tree of ${receipt.size}: the consistency proof fails`,
        });
      const today = roots.get(latest.size);
      if (latest.size !== receipt.size && today !== undefined && !equal(today, signed.right.root))
        findings.push({
          kind: 'stored_root',
          message: `the first ${latest.size} events of today's log do not hash to the latest signed checkpoint's root: the log was changed after the receipt too`,
        });
    }
  }

  // The stored tree against the rebuilt one, at the receipt's size and at its own.
  let storedDiffers = false;
  let storedMatchesToday = false;
  for (const size of new Set([receipt.size, treeSize])) {
    if (size > treeSize) {
      storedDiffers = true;
      findings.push({
        kind: 'stored_root',
        message: `the stored tree holds ${treeSize} leaves, fewer than the receipt's ${receipt.size}`,
      });
      continue;
    }
    const stored = await attempt(() => log.root(size));
    const today = roots.get(size);
    if (E.isLeft(stored)) {
      storedDiffers = true;
      findings.push({ kind: 'stored_root', message: `the stored tree has no root of ${size} leaves: ${stored.left}` });
    } else if (today === undefined || !equal(stored.right, today)) {
      storedDiffers = true;
      findings.push({
        kind: 'stored_root',
        message: `the stored tree's root of ${size} leaves is not the one recomputed from today's log`,
      });
    } else if (size === receipt.size) storedMatchesToday = true;
  }

  if (logChanged || storedDiffers) {
    const leafFindings = compareLeaves(await storedLeaves(log, treeSize), rebuilt);
    findings.push(...leafFindings);
    if (logChanged && storedMatchesToday)
      findings.push({
        kind: 'tree_rewritten',
        message: `the tree tables were rewritten as well: the receipt proves the log changed within its first ${receipt.size} events, the stored leaves cannot say which`,
      });
  }

  // Events past the receipt recorded before its checkpoint was made: written into the past. An event the
  // receipt held, pushed past its size by an insertion before it, is that insertion's finding, not this one.
  if (receiptCheckpoint !== null) {
    const madeAt = Date.parse(receiptCheckpoint.madeAt);
    for (const e of rebuilt.slice(receipt.size)) {
      if (Date.parse(e.recordedAt) >= madeAt) continue;
      const held = await log.leafOfEvent(e.eventId);
      if (held !== null && held.index < receipt.size) continue;
      findings.push({
        kind: 'backdated',
        ...leafFinding(e),
        message: `${factsOf(e)}, event ${e.index} of today's log, was recorded at ${e.recordedAt}, ${ago(madeAt - Date.parse(e.recordedAt))} before the receipt's checkpoint was made (${receiptCheckpoint.madeAt}), yet the receipt does not hold it`,
      });
    }
  }
  return report();
};

export const receiptLines = (r: ReceiptReport): string[] => [
  ...(r.receipt === null
    ? []
    : [
        `receipt: ${r.receipt.origin}, ${r.receipt.size} events, root ${r.receipt.root}`,
        `rebuilt the tree from today's log: ${r.events} events; stored tree: ${r.treeSize === null ? 'none' : `${r.treeSize} leaves`}; latest checkpoint: ${r.latestCheckpoint === null ? 'none' : `${r.latestCheckpoint.size} events, made ${r.latestCheckpoint.madeAt}`}`,
      ]),
  ...r.findings.map((f) => `ALTERED  ${f.kind}  ${f.message}`),
  r.receipt === null
    ? 'the receipt was not checked against the log: it does not open with the keys given'
    : r.findings.length === 0
      ? `the receipt holds: today's log extends the log of ${r.receipt.size} events it was signed for, and the stored tree is today's log`
      : `${r.findings.length} receipt finding${r.findings.length === 1 ? '' : 's'}: the log is not the one the receipt was signed for`,
];
