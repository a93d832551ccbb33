// Ten thousand hostile requests against the API on the PostgreSQL event store and key store: wrong types,
// unknown fields, huge and deeply nested bodies, broken JSON, wrong content types, forged tokens, people
// acting on other people's items, injection in ids, abused headers and odd methods. None may answer 5xx
// or be accepted, and not one row of either store may change.

import {
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
  type SqlEventStore,
  type SqlSubjectKeyStore,
} from '@banshishi/store-postgres';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, fixturePeople, startApiFixture } from './test-support/api-fixture.js';
import {
  type Answer,
  combosOf,
  generate,
  groupsOf,
  itemsOf,
  judge,
  makeTokens,
  sendAll,
  setUpWorld,
  summaryOf,
  tally,
} from './test-support/hostile-requests.js';

/** Fixed, so a failure can be replayed; FUZZ_SEED picks another run. */
const seed = Number(process.env.FUZZ_SEED ?? 20_261_202);
const total = 10_500;
const concurrency = 12;

let admin: pg.Pool;
let schema: string;
let keySchema: string;
let store: SqlEventStore;
let keys: SqlSubjectKeyStore;
let api: ApiFixture;
let before: string;
let answers: Answer[] = [];

/** Every row of every table in `schemas`, as JSON text, in a fixed order: tables from the catalogue. */
const dump = async (schemas: readonly string[]): Promise<string> => {
  const tables: Record<string, string[]> = {};
  for (const s of schemas) {
    const { rows } = await admin.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [s],
    );
    for (const { table_name } of rows) {
      const read = await admin.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${s}"."${table_name}" t ORDER BY row_to_json(t)::text COLLATE "C"`,
      );
      tables[`${s}.${table_name}`] = read.rows.map((r) => r.row);
    }
  }
  return JSON.stringify(tables);
};

/** Where two dumps first differ: the table, and the first row that is not the same. */
const firstDifference = (a: string, b: string): string => {
  const left = JSON.parse(a) as Record<string, string[]>;
  const right = JSON.parse(b) as Record<string, string[]>;
  for (const table of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const l = left[table] ?? [];
    const r = right[table] ?? [];
    const gone = l.filter((row) => !r.includes(row));
    const added = r.filter((row) => !l.includes(row));
    if (gone.length > 0 || added.length > 0)
      return `${table}: ${l.length} rows before, ${r.length} after; first gone: ${gone[0]?.slice(0, 600) ?? '-'}; first added: ${added[0]?.slice(0, 600) ?? '-'}`;
  }
  return 'no table differs (order only)';
};

const listed = (label: string, found: readonly Answer[]) =>
  `${found.length} ${label} (seed ${seed}), by what was sent:\n${groupsOf(found)}\nthe first 20:\n${found.slice(0, 20).map(summaryOf).join('\n')}`;

beforeAll(async () => {
  admin = await connectTestDatabase();
  schema = freshSchemaName('api_fuzz');
  keySchema = freshSchemaName('api_fuzz_keys');
  store = await getPostgresEventStore({ pool: admin, schema });
  keys = await getPostgresSubjectKeyStore({ pool: admin, schema: keySchema });
  api = await startApiFixture({ store, keys });
  await setUpWorld(api, '');
  await setUpWorld(api, '-spare');
  await api.projected();
  before = await dump([schema, keySchema]);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await store?.close();
  await keys?.close();
  await dropSchema(admin, schema);
  await dropSchema(admin, keySchema);
  await admin.end();
});

describe('ten thousand hostile requests', () => {
  it('none is answered 5xx or accepted, and every refusal under the API is problem details', async () => {
    const tokens = await makeTokens(api, [...fixturePeople, 'member-fz']);
    const requests = generate(combosOf(itemsOf(''), itemsOf('-spare'), tokens), total, seed);
    const started = Date.now();
    answers = await sendAll(api.url, requests, concurrency);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `hostile requests: ${answers.length} in ${seconds} s, ${concurrency} in flight, seed ${seed}\n${tally(answers)}`,
    );

    expect(answers.length).toBeGreaterThanOrEqual(10_000);
    const { serverErrors, accepted, notProblemDetails } = judge(answers);
    const failures = [
      serverErrors.length === 0 ? '' : listed('answered 5xx or not at all', serverErrors),
      accepted.length === 0 ? '' : listed('accepted (2xx)', accepted),
      notProblemDetails.length === 0
        ? ''
        : listed('4xx under /api/v1 that are not problem details with status, code and rule', notProblemDetails),
    ].filter((f) => f !== '');
    if (failures.length > 0) console.log(failures.join('\n\n'));
    expect(failures).toEqual([]);
  }, 600_000);

  it('afterwards the API still answers its health check', async () => {
    const health = await api.request(null, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it('afterwards every row of the event store and the key store is byte for byte what it was', async () => {
    expect(answers.length).toBeGreaterThan(0);
    const after = await dump([schema, keySchema]);
    if (after !== before) console.log(`the stores changed: ${firstDifference(before, after)}`);
    expect(after === before, firstDifference(before, after)).toBe(true);
  });
});
