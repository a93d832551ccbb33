// The per-stream SHA-256 hash chain (docs/architecture.md, "Hash chain"). Every store seals appended events
// with `sealEvents`, so the chain is the same whichever adapter wrote it; auditors check a stream with
// `verifyStream`.
// The hash covers every field of the sealed event except `globalPosition`, which is the store's index
// into the log rather than part of the event; dropping or reordering is caught by revisions and links.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { type NewEvent, newEventOf, type SealedEvent } from '../envelope.js';
import { encodeFields } from './canonical.js';

export const genesisHash = '0'.repeat(64);

/** SHA-256 of a text's UTF-8 bytes as 64 lower-case hex digits: the one primitive the chain needs. */
export type Sha256Hex = (text: string) => string;

/**
 * The default, in plain JavaScript (@noble/hashes), so core runs wherever JavaScript does. A runtime with
 * a native SHA-256 (Node's node:crypto) passes its own as `sha256` and gets the same hashes several times
 * faster.
 */
export const sha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

/** How the chain is computed; every field has a default that is right everywhere. */
export interface HashChainOptions {
  readonly sha256?: Sha256Hex;
}

// The hashed fields in canonical (UTF-16 code unit) order, so encoding an event sorts nothing.
const hashedFields = [
  'streamId',
  'revision',
  'eventId',
  'type',
  'schemaVersion',
  'occurredAt',
  'recordedAt',
  'actor',
  'correlationId',
  'causationId',
  'data',
  'prevHash',
].sort();

/** The exact text that is hashed for one sealed event: the canonical encoding of its hashed fields. */
export const hashInput = (event: Omit<SealedEvent, 'hash'>): string =>
  encodeFields(event as unknown as Readonly<Record<string, unknown>>, hashedFields);

export const hashOf = (event: Omit<SealedEvent, 'hash'>, hash: Sha256Hex = sha256Hex): string => hash(hashInput(event));

export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/** Seals events onto a stream whose last event is `head` (null for a new stream). */
export const sealEvents = (
  streamId: string,
  head: StreamHead | null,
  events: readonly NewEvent[],
  recordedAt: string,
  options: HashChainOptions = {},
): SealedEvent[] => {
  const hash = options.sha256 ?? sha256Hex;
  const sealed: SealedEvent[] = [];
  let prevHash = head?.hash ?? genesisHash;
  let revision = head === null ? 0 : head.revision + 1;
  for (const event of events) {
    const unsealed = {
      ...newEventOf(event),
      streamId,
      revision,
      recordedAt,
      prevHash,
    };
    const sealedHash = hashOf(unsealed, hash);
    sealed.push({ ...unsealed, hash: sealedHash });
    prevHash = sealedHash;
    revision += 1;
  }
  return sealed;
};

export type Verification =
  | { readonly ok: true; readonly head: StreamHead | null }
  | {
      readonly ok: false;
      /** The first revision at which the stream stops being what was written. */
      readonly revision: number;
      readonly reason:
        | 'wrong_stream'
        | 'revision_gap'
        | 'broken_link'
        | 'hash_mismatch'
        | 'head_mismatch'
        | 'unhashable';
      readonly message: string;
    };

/**
 * Verifies a whole stream, read forwards from revision 0. Dropping the last events of a stream leaves a
 * valid shorter chain; pass the head recorded elsewhere (the store's stream table, an audit receipt) as
 * `expectedHead` to catch that too.
 */
export const verifyStream = (
  streamId: string,
  events: readonly SealedEvent[],
  expectedHead?: StreamHead,
  options: HashChainOptions = {},
): Verification => {
  const hash = options.sha256 ?? sha256Hex;
  let prevHash = genesisHash;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const fail = (reason: Exclude<Verification, { ok: true }>['reason'], message: string): Verification => ({
      ok: false,
      revision: i,
      reason,
      message: `${streamId}@${i}: ${message}`,
    });
    if (event.streamId !== streamId) return fail('wrong_stream', `event belongs to stream ${event.streamId}`);
    if (event.revision !== i) return fail('revision_gap', `expected revision ${i}, found ${event.revision}`);
    if (event.prevHash !== prevHash) return fail('broken_link', 'prevHash does not match the previous event');
    let recomputed: string;
    try {
      recomputed = hashOf(event, hash);
    } catch (e) {
      return fail('unhashable', e instanceof Error ? e.message : String(e));
    }
    if (recomputed !== event.hash) return fail('hash_mismatch', 'content does not match its hash');
    prevHash = event.hash;
  }
  const head = events.length === 0 ? null : { revision: events.length - 1, hash: prevHash };
  if (
    expectedHead !== undefined &&
    (head === null || head.revision !== expectedHead.revision || head.hash !== expectedHead.hash)
  ) {
    const revision = Math.min(events.length, expectedHead.revision);
    return {
      ok: false,
      revision,
      reason: 'head_mismatch',
      message: `${streamId}@${revision}: stream ends at ${head?.revision ?? 'nothing'}, the recorded head is ${expectedHead.revision}`,
    };
  }
  return { ok: true, head };
};
