// The forgetting property on the in-memory store and key store: the reference the SQL adapters are held to.
import { getInMemoryEventStore, getInMemorySubjectKeyStore, type NewEvent, type StreamOpening } from '@banshishi/core';
import { describeForgettingProperty } from './forgetting-property.js';

describeForgettingProperty(
  'the in-memory store',
  async () => {
    const store = getInMemoryEventStore();
    const keys = getInMemorySubjectKeyStore();
    const haystack = () => JSON.stringify(store.log);
    return {
      store,
      keys,
      async load(batches, sealer) {
        const openings = new Map<string, StreamOpening>();
        const revisions = new Map<string, number>();
        for (const batch of batches)
          for (const { streamId, events } of batch) {
            const sealed: NewEvent[] = await sealer.seal(streamId, events, openings.get(streamId));
            if (!openings.has(streamId)) openings.set(streamId, events[0]!);
            const at = revisions.get(streamId);
            const appended = await store.append(streamId, sealed, { expectedRevision: at ?? 'no_stream' });
            revisions.set(streamId, appended.nextExpectedRevision);
          }
      },
      async findTexts(needles) {
        const text = haystack() + JSON.stringify(keys.rows().map((r) => r.subject));
        return needles.filter((n) => text.includes(n)).map((needle) => ({ needle, where: 'log' }));
      },
      async findBytes(needles) {
        const rows = keys.rows();
        const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
        return needles.flatMap((n, i) => (rows.some((r) => r.key !== null && same(r.key, n)) ? [`key ${i}`] : []));
      },
      async teardown() {},
    };
  },
  { runs: 20 },
);
