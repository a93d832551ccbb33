// The shared conformance suite against PGlite, the embedded default: one in-memory database for the file
// (starting PGlite takes seconds), a fresh schema per store.

import { describeEventStoreConformance } from '@banshishi/testkit';
import { dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, vi } from 'vitest';
import { getPGliteEventStore } from './postgres.js';

let database: Promise<PGlite> | null = null;
// Every request the executor makes goes through one of these; counting them shows a refusal never got there.
let calls: { mock: { calls: unknown[] } }[] = [];
const open = async () => {
  const pglite = await PGlite.create();
  calls = [vi.spyOn(pglite, 'query'), vi.spyOn(pglite, 'transaction'), vi.spyOn(pglite, 'exec')];
  return pglite;
};
afterAll(async () => {
  if (database !== null) await (await database).close();
});

describeEventStoreConformance('PGlite', async () => {
  database ??= open();
  const pglite = await database;
  const schema = freshSchemaName('conformance');
  const store = await getPGliteEventStore({ pglite, schema, pollIntervalMs: 200 });
  return {
    store,
    backendCalls: () => calls.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    async teardown() {
      await store.close();
      await dropSchema(pglite, schema);
    },
    async overwriteData(streamId, revision, data) {
      await pglite.query(`UPDATE "${schema}".events SET data = $3::jsonb WHERE stream_id = $1 AND revision = $2`, [
        streamId,
        revision,
        JSON.stringify(data),
      ]);
    },
  };
});
