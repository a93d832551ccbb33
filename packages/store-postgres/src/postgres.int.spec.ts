// PostgreSQL-specific promises beyond the shared suite: the global log never runs ahead of a transaction
// still in flight, a reply lost after COMMIT is safe to retry, and migrations apply once however many
// processes start together.
import type { EventStore } from '@banshishi/core';
import { thingEvents } from '@banshishi/testkit';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSqlEventStore } from './event-store.js';
import { pgExecutor } from './executor.js';
import { migrations } from './migrations/index.js';
import { getPostgresEventStore } from './postgres.js';

let pool: pg.Pool;
const schemas: string[] = [];
beforeAll(async () => {
  pool = await connectTestDatabase();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});
// The frontier is the oldest transaction running anywhere in the database, so another test file's open
// transaction may hold back events for a moment. Wait until the expected events are visible (that is
// allowed); what must never happen is seeing a later event before an earlier one. No deadline of its own: how
// long another file's transaction stays open is not this spec's to guess (the test timeout bounds the wait).
const readAllOnceVisible = async (store: EventStore, count: number, after: string | null = null) => {
  for (;;) {
    const batch = await store.readAll({ after });
    if (batch.events.length >= count) return batch;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const schemaFor = (label: string) => {
  const schema = freshSchemaName(label);
  schemas.push(schema);
  return schema;
};

const event = thingEvents('postgres-spec');

const gate = () => {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
};

describe('PostgreSQL event store', () => {
  it('the global log does not show a committed event while an earlier position is still in flight', async () => {
    const held = gate();
    const reachedCommit = gate();
    const store = await getPostgresEventStore({
      pool,
      schema: schemaFor('ordering'),
      beforeCommit: async (streamId) => {
        if (streamId === 'problem-slow') {
          reachedCommit.open();
          await held.opened;
        }
      },
    });
    await store.append('unit-0', [event(0)], { expectedRevision: 'no_stream' });
    expect((await readAllOnceVisible(store, 1)).events.map((e) => e.streamId)).toEqual(['unit-0']);
    const slow = store.append('problem-slow', [event(1)], { expectedRevision: 'no_stream' });
    await reachedCommit.opened;
    // The slow append holds the lower position; this one takes a higher position and commits first.
    const fast = await store.append('wish-fast', [event(2)], { expectedRevision: 'no_stream' });
    const whileInFlight = await store.readAll();
    expect(whileInFlight.events.map((e) => e.streamId)).toEqual(['unit-0']);
    expect(whileInFlight.isEnd).toBe(true);

    held.open();
    const slowResult = await slow;
    expect(slowResult.lastPosition).toBeLessThan(fast.lastPosition);
    const rest = await readAllOnceVisible(store, 2, whileInFlight.checkpoint);
    expect(rest.events.map((e) => e.streamId)).toEqual(['problem-slow', 'wish-fast']);
    await store.close();
  });

  it('a subscriber that reads while an earlier append is in flight gets it later, in position order', async () => {
    const held = gate();
    const reachedCommit = gate();
    const store = await getPostgresEventStore({
      pool,
      schema: schemaFor('ordering_sub'),
      pollIntervalMs: 50,
      beforeCommit: async (streamId) => {
        if (streamId === 'problem-slow') {
          reachedCommit.open();
          await held.opened;
        }
      },
    });
    const received: string[] = [];
    const bothArrived = gate();
    const subscription = store.subscribe({
      onEvents: async (events) => {
        received.push(...events.map((e) => e.streamId));
        if (received.length >= 2) bothArrived.open();
      },
    });
    await subscription.caughtUp;
    const slow = store.append('problem-slow', [event(1)], { expectedRevision: 'no_stream' });
    await reachedCommit.opened;
    await store.append('wish-fast', [event(2)], { expectedRevision: 'no_stream' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    held.open();
    await slow;
    await bothArrived.opened;
    expect(received).toEqual(['problem-slow', 'wish-fast']);
    await store.close();
  });

  it('an append whose reply is lost after COMMIT, retried with the same ids, leaves one copy', async () => {
    let loseNextReply = true;
    const store = await getPostgresEventStore({
      pool,
      schema: schemaFor('lost_reply'),
      afterCommit: async () => {
        if (loseNextReply) {
          loseNextReply = false;
          throw new Error('connection lost before the reply reached the caller');
        }
      },
    });
    const batch = [event(1), event(2)];
    await expect(store.append('problem-1', batch, { expectedRevision: 'no_stream' })).rejects.toThrow(
      'connection lost',
    );
    const retried = await store.append('problem-1', batch, { expectedRevision: 'no_stream' });
    const read = await store.readStream('problem-1');
    expect(read.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
    expect(retried).toEqual({
      streamId: 'problem-1',
      firstRevision: 0,
      nextExpectedRevision: 1,
      lastPosition: read[1]!.globalPosition,
    });
    expect((await readAllOnceVisible(store, 2)).events).toHaveLength(2);
    await store.close();
  });

  // 'no_stream' (or a head the store has just read) appends in one self-committing statement; 'any' takes
  // the transaction. Either way the connection may die between the commit and its reply.
  it.each([
    ['in one statement', 'no_stream'],
    ['in a transaction', 'any'],
  ] as const)('a connection destroyed right after the commit of an append %s: the caller sees the failure, the retry finds the events', async (_, expectedRevision) => {
    // A pool whose clients answer the committing statement by committing and then dropping the socket,
    // as a network failure between the server and the caller would.
    const dropping = new Proxy(pool, {
      get(target, property, receiver) {
        if (property !== 'connect') return Reflect.get(target, property, receiver);
        return async () => {
          const client = (await target.connect()) as pg.PoolClient & { connection: { stream: { destroy(): void } } };
          const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
          client.query = (async (...args: unknown[]) => {
            const result = await query(...args);
            if (args[0] === 'COMMIT' || String(args[0]).includes('append_at_head')) {
              client.connection.stream.destroy();
              throw new Error('Connection terminated unexpectedly');
            }
            return result;
          }) as typeof client.query;
          return client;
        };
      },
    });
    const schema = schemaFor('dropped');
    await getPostgresEventStore({ pool, schema }).then((s) => s.close());
    const fragile = await getSqlEventStore(pgExecutor(dropping), { schema, migrate: false });
    const sturdy = await getPostgresEventStore({ pool, schema });
    const batch = [event(1), event(2), event(3)];
    await expect(fragile.append('wish-9', batch, { expectedRevision })).rejects.toThrow('Connection terminated');
    const retried = await sturdy.append('wish-9', batch, { expectedRevision });
    expect(retried).toMatchObject({ firstRevision: 0, nextExpectedRevision: 2 });
    expect(await sturdy.readStream('wish-9')).toHaveLength(3);
    await fragile.close();
    await sturdy.close();
  });

  it('migrations apply once when several stores start together, and not again on restart', async () => {
    const schema = schemaFor('migrate');
    const stores = await Promise.all(Array.from({ length: 4 }, () => getPostgresEventStore({ pool, schema })));
    const { rows } = await pool.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    await Promise.all(stores.map((s) => s.close()));
    const again = await getPostgresEventStore({ pool, schema });
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`)).rows[0].n).toBe(
      migrations.length,
    );
    await again.close();
  });

  it('an event id that is not a lower-case UUID is refused before anything is written', async () => {
    const store = await getPostgresEventStore({ pool, schema: schemaFor('ids') });
    const upper = { ...event(1), eventId: event(1).eventId.toUpperCase() };
    await expect(store.append('unit-1', [upper], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'validation',
      rule: 'store.invalid_event_id',
    });
    expect(await store.streamHead('unit-1')).toBeNull();
    await store.close();
  });

  it('a checkpoint from elsewhere is refused, not misread', async () => {
    const store = await getPostgresEventStore({ pool, schema: schemaFor('checkpoint') });
    await expect(store.readAll({ after: 'esdb:12/12' })).rejects.toThrow('not a PostgreSQL event-store checkpoint');
    await store.close();
  });
});
