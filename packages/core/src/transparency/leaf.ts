// What a leaf of the transparency log commits to: one event's place in the log (its global position), its
// stream and revision, and its hash — which covers everything else of the event (integrity/hash-chain.ts).
// The tree's leaves are the events in the log's committed, gap-free order (the order subscriptions deliver),
// so leaf i is the i-th event of the log, whatever gaps its global positions have.
import { utf8ToBytes } from '@noble/hashes/utils';
import type { StoredEvent } from '../envelope.js';
import { canonicalEncode } from '../integrity/canonical.js';

/** The versioned tag that starts every leaf: a leaf of another log or another version never collides. */
export const eventLeafTag = 'banshishi/event-leaf/1';

export type LeafFacts = Pick<StoredEvent, 'streamId' | 'revision' | 'globalPosition' | 'hash'>;

/** The bytes a leaf hashes (RFC 9162 leaf input): the tag, a newline, and the canonical JSON of the facts. */
export const eventLeafData = (e: LeafFacts): Uint8Array =>
  utf8ToBytes(
    `${eventLeafTag}\n${canonicalEncode({ globalPosition: e.globalPosition, hash: e.hash, revision: e.revision, streamId: e.streamId })}`,
  );
