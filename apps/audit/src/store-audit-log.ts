// The audit's read of a store that has no tables to read as stored (EventStoreDB): every stream through the
// event-store port, in stream-id order. The store keeps no heads beside its streams and no transaction ids,
// so those checks have nothing to compare and each stream's head is its own last event; the chain, the
// revisions, the positions and every payload are checked as for PostgreSQL (docs/auditing.md).
import { categoryOf, type EventStore, readWholeLog } from '@banshishi/core';
import type { AuditLog, AuditStream } from '@banshishi/store-postgres';

export const storeAuditLog = (store: EventStore, pageSize = 5000): AuditLog => ({
  async eachStream(visit) {
    const ids = new Set<string>();
    for await (const events of readWholeLog(store, { batchSize: pageSize }))
      for (const e of events) ids.add(e.streamId);
    for (const streamId of [...ids].sort()) {
      const events = await store.readStream(streamId);
      const category = categoryOf(streamId);
      const last = events[events.length - 1];
      const stream: AuditStream = {
        streamId,
        events: events.map((e) => ({ ...e, category, txId: '', frontier: 'final' as const })),
        head: last === undefined ? null : { revision: last.revision, hash: last.hash, category },
      };
      await visit(stream);
    }
    return { xmin: '', xmax: '' };
  },
  close: async () => {},
});
