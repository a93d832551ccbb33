// What an auditor runs: every stream read back from the event store, its hash chain recomputed and
// compared with the head the store recorded, and the first altered, dropped or reordered revision named.
import { type EventStore, type StoredEvent, verifyStream } from '@banshishi/core';

export interface StreamFinding {
  readonly streamId: string;
  readonly revision: number;
  readonly reason: string;
  readonly message: string;
}

export interface AuditReport {
  readonly streams: number;
  readonly events: number;
  readonly findings: readonly StreamFinding[];
}

/** Scans the whole log once to learn the streams, then verifies each stream read on its own. */
export const verifyAllStreams = async (
  store: EventStore,
  onProgress?: (streams: number) => void,
): Promise<AuditReport> => {
  const streamIds = new Set<string>();
  let after: string | null = null;
  let events = 0;
  for (;;) {
    const batch = await store.readAll({ after, limit: 5000 });
    for (const e of batch.events) streamIds.add(e.streamId);
    events += batch.events.length;
    after = batch.checkpoint;
    if (batch.isEnd) break;
  }
  const findings: StreamFinding[] = [];
  let done = 0;
  for (const streamId of [...streamIds].sort()) {
    const stream: readonly StoredEvent[] = await store.readStream(streamId);
    const head = await store.streamHead(streamId);
    const result = verifyStream(streamId, stream, head ?? undefined);
    if (!result.ok)
      findings.push({ streamId, revision: result.revision, reason: result.reason, message: result.message });
    if (++done % 1000 === 0) onProgress?.(done);
  }
  return { streams: streamIds.size, events, findings };
};

/** One line per event of a stream: when, who in which role, what — the auditor's view of an item. */
export const historyLines = (events: readonly StoredEvent[]): string[] =>
  events.map(
    (e) =>
      `${String(e.revision).padStart(4)}  ${e.occurredAt}  ${e.actor.personId} (${e.actor.role}${e.actor.unitId === undefined ? '' : ` @ ${e.actor.unitId}`})  ${e.type} v${e.schemaVersion}  hash ${e.hash.slice(0, 12)}`,
  );
