// Clients race and retry: twenty claims of one problem at once give exactly one 2xx and nineteen 409s (or,
// each sending the If-Match it read, nineteen 412s), and a command retried with its Idempotency-Key after
// the answer was lost stores its events once. On the PostgreSQL event store, as in server mode.

import { request } from 'node:http';
import { getPostgresEventStore, type SqlEventStore } from '@banshishi/store-postgres';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './test-support/api-fixture.js';

let admin: pg.Pool;
let schema: string;
let store: SqlEventStore;
let api: ApiFixture;

beforeAll(async () => {
  admin = await connectTestDatabase();
  schema = freshSchemaName('api_race');
  store = await getPostgresEventStore({ pool: admin, schema });
  api = await startApiFixture({ store, readModels: false });
});

afterAll(async () => {
  await api?.close();
  await store?.close();
  await dropSchema(admin, schema);
  await admin.end();
});

const promisedBy = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

const raise = async (problemId: string) => {
  const raised = await api.request('res1', 'POST', '/problems', {
    body: {
      problemId,
      unitId: 'd1-s1-c1',
      source: 'resident',
      grade: 'small',
      title: '楼道灯不亮',
      raiser: { kind: 'resident', personId: 'res1' },
    },
  });
  expect(raised.status).toBe(201);
  return raised;
};

const claim = (problemId: string, headers: Record<string, string> = {}) =>
  api.request('sec-c1', 'POST', `/problems/${problemId}/claim`, {
    body: { plan: '联系物业更换灯泡', promisedBy: promisedBy() },
    headers,
  });

describe('twenty clients claiming one problem at once', () => {
  it('exactly one claim is accepted and the other nineteen are told of the conflict (409)', async () => {
    await raise('race-1');
    const answers = await Promise.all(Array.from({ length: 20 }, () => claim('race-1')));
    const statuses = answers.map((a) => a.status).sort();
    // Whole lists, so a failure shows every answer: a loser dated before the winner is a conflict too.
    expect(statuses).toEqual([200, ...Array.from({ length: 19 }, () => 409)]);
    for (const refused of answers.filter((a) => a.status === 409))
      expect((refused.body as { rule: string }).rule).toMatch(
        /^problem\.claim\.already_claimed$|^command\.retries_exhausted$|^command\.overtaken$/,
      );
    const events = await store.readStream('problem-race-1');
    expect(events.map((e) => e.type)).toEqual(['ProblemSolicited', 'ProblemClaimed']);
  });

  it('with the If-Match each read, exactly one is accepted and the other nineteen fail the precondition (412)', async () => {
    const raised = await raise('race-2');
    const etag = raised.headers.get('etag')!;
    expect(etag).toBe('"0"');
    const answers = await Promise.all(Array.from({ length: 20 }, () => claim('race-2', { 'if-match': etag })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    for (const refused of answers.filter((a) => a.status === 412)) {
      expect(refused.body).toMatchObject({ status: 412, code: 'precondition_failed', currentRevision: 1 });
      expect(refused.headers.get('etag')).toBe('"1"');
    }
    expect(await store.readStream('problem-race-2')).toHaveLength(2);
  });
});

describe('a command retried with its Idempotency-Key', () => {
  it('after a dropped answer, the retry returns the first result and the events are stored once', async () => {
    await raise('retry-1');
    const key = 'claim-retry-1-7d1c';
    // The first request is handled, but its answer never reaches the client: the connection drops once
    // the claim is stored, before a byte of the answer is read.
    const token = await api.token('sec-c1');
    const body = JSON.stringify({ plan: '联系物业更换灯泡', promisedBy: promisedBy() });
    const dropped = request(`${api.url}/api/v1/problems/retry-1/claim`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'idempotency-key': key,
      },
    });
    dropped.on('error', () => {});
    dropped.end(body);
    while ((await store.readStream('problem-retry-1')).length < 2) await new Promise((r) => setTimeout(r, 5));
    dropped.destroy();
    const first = await claim('retry-1', { 'idempotency-key': key });
    const again = await claim('retry-1', { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([200, 200]);
    for (const retry of [first, again]) {
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toMatchObject({
        replayed: true,
        revision: 1,
        events: [{ type: 'ProblemClaimed', revision: 1 }],
      });
    }
    const events = await store.readStream('problem-retry-1');
    expect(events.map((e) => e.type)).toEqual(['ProblemSolicited', 'ProblemClaimed']);
  });

  it('twenty retries racing with one key store one set of events and all see the same result', async () => {
    await raise('retry-2');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => claim('retry-2', { 'idempotency-key': 'race-key-2' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const ids = new Set(answers.map((a) => JSON.stringify((a.body as { events: unknown[] }).events)));
    expect(ids.size).toBe(1);
    expect(await store.readStream('problem-retry-2')).toHaveLength(2);
  });

  it('the same key with a different body is refused (422) and stores nothing', async () => {
    await raise('retry-3');
    const key = 'claim-retry-3';
    expect((await claim('retry-3', { 'idempotency-key': key })).status).toBe(200);
    const other = await api.request('sec-c1', 'POST', '/problems/retry-3/claim', {
      body: { plan: '另一个方案', promisedBy: promisedBy() },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      rule: 'api.idempotency_key_reused',
      fields: [{ path: 'header.idempotency-key' }],
    });
    expect(await store.readStream('problem-retry-3')).toHaveLength(2);
  });

  it('a new problem sent without an id twice with one key is raised once, under an id derived from the key', async () => {
    const body = {
      unitId: 'd1-s1-c1',
      source: 'resident',
      grade: 'minor',
      title: '垃圾桶破损',
      raiser: { kind: 'resident', personId: 'res1' },
    };
    const first = await api.request('res1', 'POST', '/problems', {
      body,
      headers: { 'idempotency-key': 'raise-once' },
    });
    const again = await api.request('res1', 'POST', '/problems', {
      body,
      headers: { 'idempotency-key': 'raise-once' },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const streamId = (first.body as { streamId: string }).streamId;
    expect((again.body as { streamId: string }).streamId).toBe(streamId);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });
});
