// The audit's read of a store that has no tables to read as stored (EventStoreDB): every stream through the
// event-store port, in stream-id order. The store keeps no heads beside its streams and no transaction ids,
// so those checks have nothing to compare and each stream's head is its own last event; the chain, the
// revisions, the positions and every payload are checked as for PostgreSQL (docs/auditing.md).
import { categoryOf, type EventStore, readWholeLog, type StoredEvent } from '@banshishi/core';
import type { AuditLog, AuditStream } from '@banshishi/store-postgres';

const asAuditStream = (streamId: string, events: readonly StoredEvent[]): AuditStream => {
  const category = categoryOf(streamId);
  const last = events[events.length - 1];
  return {
    streamId,
    events: events.map((e) => ({ ...e, category, txId: '', frontier: 'final' as const })),
    head: last === undefined ? null : { revision: last.revision, hash: last.hash, category },
  };
};

export const storeAuditLog = (
  store: EventStore,
  pageSize = 5000,
): AuditLog & { stream(streamId: string): Promise<AuditStream> } => ({
  stream: async (streamId) => asAuditStream(streamId, await store.readStream(streamId)),
  async eachStream(visit) {
    const ids = new Set<string>();
    for await (const events of readWholeLog(store, { batchSize: pageSize }))
      for (const e of events) ids.add(e.streamId);
    for (const streamId of [...ids].sort()) await visit(asAuditStream(streamId, await store.readStream(streamId)));
    return { xmin: '', xmax: '' };
  },
  close: async () => {},
});
