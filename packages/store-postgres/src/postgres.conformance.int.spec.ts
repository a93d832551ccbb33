// The shared conformance suite against a real PostgreSQL, one fresh schema per store.

import { describeEventStoreConformance } from '@banshishi/testkit';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { afterAll, vi } from 'vitest';
import { getPostgresEventStore } from './postgres.js';

const pool = connectTestDatabase();
afterAll(async () => (await pool).end());

describeEventStoreConformance('PostgreSQL', async () => {
  const db = await pool;
  const schema = freshSchemaName('conformance');
  const store = await getPostgresEventStore({ pool: db, schema, pollIntervalMs: 200 });
  // The executor sends every statement through the pool: a query, or a connection checked out for one.
  const calls = [vi.spyOn(db, 'query'), vi.spyOn(db, 'connect')];
  return {
    store,
    backendCalls: () => calls.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    async teardown() {
      for (const spy of calls) spy.mockRestore();
      await store.close();
      await dropSchema(db, schema);
    },
    async overwriteData(streamId, revision, data) {
      await db.query(`UPDATE "${schema}".events SET data = $3::jsonb WHERE stream_id = $1 AND revision = $2`, [
        streamId,
        revision,
        JSON.stringify(data),
      ]);
    },
  };
});
