// An exact retry is the same ids and the same content: a client that lost the reply sends the very events
// again and gets the earlier result; the same ids with anything changed are a different append, refused as a
// duplicate rather than answered with success while the new content is dropped.
import { type NewEvent, newEventOf, type SealedEvent } from '../envelope.js';
import { hashOf } from '../integrity/hash-chain.js';

/**
 * Whether `event` is the event already stored as `stored`. Sealed where `stored` was sealed, it hashes to the
 * stored hash exactly when every envelope field and the payload are the same (in canonical form, so the order
 * of object keys does not matter, and a store that hands back jsonb in another spelling compares the same).
 */
export const isStoredAs = (stored: SealedEvent, event: NewEvent): boolean =>
  stored.eventId === event.eventId &&
  hashOf({
    ...newEventOf(event),
    streamId: stored.streamId,
    revision: stored.revision,
    recordedAt: stored.recordedAt,
    prevHash: stored.prevHash,
  }) === stored.hash;
