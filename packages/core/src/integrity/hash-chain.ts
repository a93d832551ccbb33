// The per-stream SHA-256 hash chain (docs/architecture.md, "Hash chain"). Every store seals appended events
// with `sealEvents`, so the chain is the same whichever adapter wrote it; auditors check a stream with
// `verifyStream`.
// The hash covers every field of the sealed event except `globalPosition`, which is the store's index
// into the log rather than part of the event; dropping or reordering is caught by revisions and links.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { type NewEvent, newEventOf, type SealedEvent } from '../envelope.js';
import { canonicalEncode } from './canonical.js';

export const genesisHash = '0'.repeat(64);

export const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

/** The exact text that is hashed for one sealed event. */
export const hashInput = (event: Omit<SealedEvent, 'hash'>): string =>
  canonicalEncode({
    streamId: event.streamId,
    revision: event.revision,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
    prevHash: event.prevHash,
  });

export const hashOf = (event: Omit<SealedEvent, 'hash'>): string => sha256Hex(hashInput(event));

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
): SealedEvent[] => {
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
    const hash = hashOf(unsealed);
    sealed.push({ ...unsealed, hash });
    prevHash = hash;
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
): Verification => {
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
      recomputed = hashOf(event);
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
