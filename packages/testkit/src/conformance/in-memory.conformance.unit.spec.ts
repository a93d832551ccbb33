// The reference implementation against the suite: if this fails, the suite or the port is wrong.
import { getInMemoryEventStore, type StoredEvent } from '@banshishi/core';
import { describeEventStoreConformance } from './event-store-conformance.js';

describeEventStoreConformance('in-memory', async () => {
  const store = getInMemoryEventStore();
  return {
    store,
    teardown: () => store.close(),
    async overwriteData(streamId, revision, data) {
      const event = store.log.find((e) => e.streamId === streamId && e.revision === revision);
      if (event === undefined) throw new Error(`no event ${streamId}@${revision}`);
      // The log and the stream index share each event object; altering it in place alters both views.
      (event as { -readonly [K in keyof StoredEvent]: StoredEvent[K] }).data = data;
    },
  };
});
