// The audit through the event-store port alone (what `verify` reads from EventStoreDB): the demo campaign
// verifies and replays clean, and an event altered in the store is named at its stream and revision.
import type { StoredEvent } from '@banshishi/core';
import { demoHistory } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { replayStream } from './replay.js';
import { storeAuditLog } from './store-audit-log.js';
import { verifyEventLog } from './verify.js';

describe('the audit log over the store port', () => {
  it('visits every stream once, in stream-id order, and the untouched demo verifies', async () => {
    const { store, events } = await demoHistory(2, 300);
    const seen: string[] = [];
    const log = storeAuditLog(store, 50);
    await log.eachStream((s) => {
      seen.push(s.streamId);
    });
    expect(seen).toEqual([...new Set(events.map((e) => e.streamId))].sort());
    const report = await verifyEventLog(storeAuditLog(store, 50), { replay: replayStream });
    expect(report).toMatchObject({ streams: seen.length, events: events.length, findings: [] });
  });

  it('names an event whose payload was altered in the store', async () => {
    const { store } = await demoHistory(2, 300);
    // demoHistory's store is the in-memory one, which hands its log to tests that tamper with it.
    const log = (store as unknown as { log: StoredEvent[] }).log;
    const target = log.find((e) => e.type === 'ProblemClaimed')!;
    // The log and the stream hold the same object: an edit in place is what a tampered store returns.
    Object.assign(target, { data: { ...(target.data as object), promisedBy: '2099-12-31' } });
    const report = await verifyEventLog(storeAuditLog(store), { replay: replayStream });
    expect(report.findings.map(({ kind, streamId, revision }) => ({ kind, streamId, revision }))).toEqual([
      { kind: 'hash_mismatch', streamId: target.streamId, revision: target.revision },
    ]);
  });
});
