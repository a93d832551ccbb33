// Every resident's personal value in a board's log, read through the `personal(...)` marks of core's
// problem and wish codecs (raisers' names, phones, addresses, their own descriptions and comments,
// wishers' details): the strings no export, feed or page may ever contain.
import { type Checkpoint, type EventStore, personalValues, problemEvents, wishEvents } from '@banshishi/core';
import type * as t from 'io-ts';

const codecs = new Map<string, t.Mixed>([...problemEvents, ...wishEvents].map((d) => [d.type, d.codec as t.Mixed]));

export const residentPersonalValues = async (store: Pick<EventStore, 'readAll'>): Promise<string[]> => {
  const found = new Set<string>();
  let after: Checkpoint | null = null;
  for (;;) {
    const batch = await store.readAll({ after, limit: 100_000 });
    for (const event of batch.events) {
      const codec = codecs.get(event.type);
      if (codec !== undefined) for (const value of personalValues(codec, event.data)) found.add(value);
    }
    if (batch.isEnd || batch.checkpoint === null) break;
    after = batch.checkpoint;
  }
  // Very short values (a one-character comment, say) would match by chance; none of the demo's are.
  return [...found].filter((v) => v.trim().length >= 2);
};
