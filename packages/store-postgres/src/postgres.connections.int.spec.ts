// Lost connections (issue 7): PostgreSQL may close any connection at any time — a restart, an idle
// timeout, an operator's pg_terminate_backend. A store must not take its process down with it, and a
// subscription must carry on without losing or repeating an event. Each store here connects under an
// application name of its own, so only its own backends are cut.
import { thingEvents } from '@banshishi/testkit';
import {
  connectTestDatabase,
  dropSchema,
  freshApplicationName,
  freshSchemaName,
  terminateBackends,
  urlNamed,
} from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresEventStore } from './postgres.js';

let admin: pg.Pool;
const schemas: string[] = [];
beforeAll(async () => {
  admin = await connectTestDatabase({ max: 2 });
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

const schemaFor = (label: string) => {
  const schema = freshSchemaName(label);
  schemas.push(schema);
  return schema;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = () => {};

const event = thingEvents('connections-spec');

describe('PostgreSQL event store when connections drop', () => {
  it('a store survives its idle pooled connections being terminated', async () => {
    const name = freshApplicationName('idle');
    const store = await getPostgresEventStore({
      connectionString: urlNamed(name),
      schema: schemaFor('idle'),
      onConnectionError: quiet,
    });
    // Several appends at once, so the pool holds several connections when they are cut.
    await Promise.all(
      [0, 1, 2, 3].map((n) => store.append(`thing-${n}`, [event(n)], { expectedRevision: 'no_stream' })),
    );
    expect(await terminateBackends(admin, name)).toBeGreaterThan(0);
    // Let the pool hear of it while idle: unheard, that 'error' event ended the process.
    await sleep(300);
    await store.append('thing-0', [event(4)], { expectedRevision: 0 });
    expect((await store.readStream('thing-0')).map((e) => e.data)).toEqual([{ n: 0 }, { n: 4 }]);
    // The global log may lag behind another file's open transaction; wait for it, then count.
    let all = await store.readAll();
    while (all.events.length < 5) {
      await sleep(20);
      all = await store.readAll();
    }
    expect(all.events).toHaveLength(5);
    await store.close();
  });

  it('an append cut inside its transaction is tried again on another connection and stored once', async () => {
    const name = freshApplicationName('busy_append');
    const reports: { where: string; code: string | null }[] = [];
    let cut = false;
    const store = await getPostgresEventStore({
      connectionString: urlNamed(name),
      schema: schemaFor('busy_append'),
      onConnectionError: (report) => reports.push({ where: report.where, code: report.code }),
      beforeCommit: async () => {
        if (cut) return;
        cut = true;
        expect(await terminateBackends(admin, name)).toBeGreaterThan(0);
        await sleep(100);
      },
    });
    const result = await store.append('thing-1', [event(1)], { expectedRevision: 'no_stream' });
    expect(result.firstRevision).toBe(0);
    expect((await store.readStream('thing-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(reports.map((r) => r.where)).toContain('append');
    await store.close();
  });

  it('a subscription delivers every event once and in order while its connections and the writer’s are terminated, idle and busy', async () => {
    const schema = schemaFor('subscription');
    const writerName = freshApplicationName('writer');
    const readerName = freshApplicationName('reader');
    const writer = await getPostgresEventStore({
      connectionString: urlNamed(writerName),
      schema,
      onConnectionError: quiet,
    });
    const streams = 20;
    const revisions = new Map<string, number>();
    const appendOne = async (n: number) => {
      const streamId = `thing-${n % streams}`;
      const at = revisions.get(streamId);
      await writer.append(streamId, [event(n)], { expectedRevision: at ?? 'no_stream' });
      revisions.set(streamId, (at ?? -1) + 1);
    };
    let n = 0;
    // A backlog for the catch-up to chew on.
    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(Array.from({ length: streams }, () => appendOne(n++)));
    }

    // Only NOTIFY or a lost connection wakes this reader between reads: the poll is set beyond the test,
    // so the test also shows that a lost LISTEN connection is listened again.
    const reader = await getPostgresEventStore({
      connectionString: urlNamed(readerName),
      schema,
      pollIntervalMs: 600_000,
      onConnectionError: quiet,
    });
    const delivered: string[] = [];
    const failures: unknown[] = [];
    const subscription = reader.subscribe({
      batchSize: 25,
      onEvents: async (events) => {
        delivered.push(...events.map((e) => e.eventId));
        await sleep(2);
      },
      onError: (error) => failures.push(error),
    });

    // Busy: cut the reader three times during its catch-up, at a fifth, two fifths and three fifths of the
    // backlog delivered. (Cutting after fixed sleeps let a fast, quiet machine finish the catch-up first.)
    let cutWhileBusy = 0;
    for (let cut = 0; cut < 3; cut++) {
      const reached = Math.floor((n * (cut + 1)) / 5);
      while (delivered.length < reached && failures.length === 0) await sleep(1);
      cutWhileBusy += await terminateBackends(admin, readerName);
    }
    expect(delivered.length, 'the catch-up was over before the cuts').toBeLessThan(n);
    expect(cutWhileBusy).toBeGreaterThan(0);
    await subscription.caughtUp;

    // Idle: the pool's resting connections and the LISTEN connection.
    await sleep(200);
    expect(await terminateBackends(admin, readerName)).toBeGreaterThan(0);
    await sleep(300);

    // Busy again: an append loop, with the writer and the reader cut while it runs.
    const target = n + 300;
    const appending = (async () => {
      while (n < target) await appendOne(n++);
    })();
    appending.catch(() => {});
    let cutWhileAppending = 0;
    for (let cut = 0; cut < 6; cut++) {
      await sleep(100);
      cutWhileAppending += await terminateBackends(admin, writerName);
      cutWhileAppending += await terminateBackends(admin, readerName);
    }
    await appending;
    expect(cutWhileAppending).toBeGreaterThan(0);

    // However long other files' transactions hold the frontier back, everything arrives (the test timeout
    // bounds the wait); then the log is read whole and compared.
    while (delivered.length < target) await sleep(20);
    await subscription.stop();
    expect(failures).toEqual([]);

    const all: string[] = [];
    for (let after: string | null = null; ; ) {
      const batch = await writer.readAll({ after, limit: 1000 });
      all.push(...batch.events.map((e) => e.eventId));
      after = batch.checkpoint;
      if (batch.isEnd) break;
    }
    expect(all).toHaveLength(target);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toEqual(all);
    await reader.close();
    await writer.close();
  });
});
