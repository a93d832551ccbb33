// The head of the whole log, as a projector reads it for its lag: the newest event's position and store
// time, or null while the log is empty.
import { uuidFromName } from '@banshishi/core';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPGliteEventStore } from './postgres.js';

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pglite.close();
});

const event = (n: number) => ({
  eventId: uuidFromName(`store-postgres/log-head.spec/${n}`),
  type: 'Thing',
  schemaVersion: 1,
  data: { n },
  occurredAt: '2026-12-01T09:30:00+08:00',
  actor: { personId: 'person-1', role: 'office' as const },
  correlationId: 'corr',
  causationId: 'cause',
});

describe('the log head of the SQL event store', () => {
  it('is null for an empty log and then the newest event of any stream, with its store time', async () => {
    let now = new Date('2026-12-01T01:00:00.000Z');
    const store = await getPGliteEventStore({ pglite, schema: 'log_head', clock: () => now });
    expect(await store.logHead()).toBeNull();
    await store.append('thing-1', [event(1), event(2)], { expectedRevision: 'no_stream' });
    now = new Date('2026-12-01T02:00:00.000Z');
    const { lastPosition } = await store.append('thing-2', [event(3)], { expectedRevision: 'no_stream' });
    expect(await store.logHead()).toEqual({ position: lastPosition, recordedAt: '2026-12-01T02:00:00.000Z' });
    await store.close();
  });
});
