// The SQL store's side of bad input, on PGlite: refusals happen before the executor is asked for anything
// (no lock, no statement, no connection), and the limits are options of the store. And the head of its
// log, which the projector reads for its lag.
import { BanshishiError, type NewEvent, storeRules, uuidFromName, verifyStream } from '@banshishi/core';
import { dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSqlEventStore } from './event-store.js';
import { pgliteExecutor, type Row, type SqlExecutor } from './executor.js';
import { nodeSha256Hex } from './node-hash.js';

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pglite.close();
});

/** The PGlite executor, recording every call the store makes to it once `recording` is on. */
const spiedExecutor = () => {
  const inner = pgliteExecutor(pglite);
  const calls: string[] = [];
  const record = { on: false };
  const note = (what: string) => {
    if (record.on) calls.push(what);
  };
  const executor: SqlExecutor = {
    query<R extends Row>(text: string, params?: readonly unknown[]) {
      note('query');
      return inner.query<R>(text, params);
    },
    statement<R extends Row>(text: string, params?: readonly unknown[]) {
      note('statement');
      return inner.statement<R>(text, params);
    },
    transaction(work) {
      note('transaction');
      return inner.transaction(work);
    },
    listen(channel, onNotify, onLost) {
      note('listen');
      return inner.listen(channel, onNotify, onLost);
    },
    close: () => inner.close(),
  };
  return { executor, calls, record };
};

let counter = 0;
const event = (data: unknown): NewEvent => {
  counter += 1;
  return {
    eventId: uuidFromName(`store-postgres/event-store.spec/${counter}`),
    type: 'Thing',
    schemaVersion: 1,
    data,
    occurredAt: '2026-12-01T09:30:00+08:00',
    actor: { personId: 'person-1', role: 'office' },
    correlationId: 'corr',
    causationId: 'cause',
  };
};

describe('the SQL event store refuses bad input before it reaches the database', () => {
  it('a 20 MB append is refused as store.event_too_large without a single call to the executor', async () => {
    const schema = freshSchemaName('bad_input');
    const { executor, calls, record } = spiedExecutor();
    const store = await getSqlEventStore(executor, { schema });
    record.on = true;
    const error = await store
      .append('problem-huge', [event({ text: 'x'.repeat(20_000_000) })], { expectedRevision: 'no_stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BanshishiError);
    expect([(error as BanshishiError).code, (error as BanshishiError).rule]).toEqual([
      'validation',
      storeRules.eventTooLarge,
    ]);
    expect(calls).toEqual([]);
    record.on = false;
    expect(await store.readStream('problem-huge')).toEqual([]);
    await store.close();
    await dropSchema(pglite, schema);
  });

  it('the limits are options of the store: maxEventBytes and maxStreamIdLength as configured, checked first', async () => {
    const schema = freshSchemaName('bad_input');
    const { executor, calls, record } = spiedExecutor();
    const store = await getSqlEventStore(executor, { schema, maxEventBytes: 400, maxStreamIdLength: 12 });
    record.on = true;
    await expect(
      store.append('problem-1', [event({ text: 'x'.repeat(400) })], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject({ code: 'validation', rule: storeRules.eventTooLarge });
    await expect(store.append('problem-12345', [event({})], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      code: 'validation',
      rule: storeRules.invalidStreamId,
    });
    expect(calls).toEqual([]);
    await store.append('problem-1234', [event({ text: 'fits' })], { expectedRevision: 'no_stream' });
    expect(calls.length).toBeGreaterThan(0);
    await store.close();
    await dropSchema(pglite, schema);
  });
});

describe('the log head of the SQL event store', () => {
  it('is null for an empty log and then the newest event of any stream, with its store time', async () => {
    const schema = freshSchemaName('log_head');
    let now = new Date('2026-12-01T01:00:00.000Z');
    const store = await getSqlEventStore(pgliteExecutor(pglite), { schema, clock: () => now });
    expect(await store.logHead()).toBeNull();
    await store.append('thing-1', [event({ n: 1 }), event({ n: 2 })], { expectedRevision: 'no_stream' });
    now = new Date('2026-12-01T02:00:00.000Z');
    const { lastPosition } = await store.append('thing-2', [event({ n: 3 })], { expectedRevision: 'no_stream' });
    expect(await store.logHead()).toEqual({ position: lastPosition, recordedAt: '2026-12-01T02:00:00.000Z' });
    await store.close();
    await dropSchema(pglite, schema);
  });
});

describe('the hash chain of the SQL event store', () => {
  it("is sealed with the hasher it is given (node:crypto's by default), and verifies with core's portable one", async () => {
    const schema = freshSchemaName('chain_hasher');
    const hashed: string[] = [];
    const store = await getSqlEventStore(pgliteExecutor(pglite), {
      schema,
      sha256: (text) => {
        hashed.push(text);
        return nodeSha256Hex(text);
      },
    });
    await store.append('thing-1', [event({ n: 1 })], { expectedRevision: 'no_stream' });
    await store.append('thing-1', [event({ n: 2 }), event({ n: 3 })], { expectedRevision: 0 });
    expect(hashed).toHaveLength(3);
    expect(verifyStream('thing-1', await store.readStream('thing-1'))).toMatchObject({ ok: true });
    await store.close();
    await dropSchema(pglite, schema);
  });
});
