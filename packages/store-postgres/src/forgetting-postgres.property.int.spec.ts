// The forgetting property on PostgreSQL: the event store and the key store in schemas of their own, the
// history loaded sealed through the bulk path, every text, jsonb and bytea column of both scanned.
import { describeForgettingProperty } from '@banshishi/testkit';
import { connectTestDatabase, dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { afterAll } from 'vitest';
import { bulkLoadDemo } from './bulk-import.js';
import { pgExecutor } from './executor.js';
import { findBytesInSchemas, findTextsInSchemas } from './forgetting-scan.js';
import { getPostgresSubjectKeyStore } from './key-store.js';
import { getPostgresEventStore } from './postgres.js';

const pool = await connectTestDatabase({ max: 6 });
afterAll(async () => {
  await pool.end();
});
const db = pgExecutor(pool);

describeForgettingProperty('PostgreSQL', async () => {
  const eventSchema = freshSchemaName('forget_events');
  const keySchema = freshSchemaName('forget_keys');
  const store = await getPostgresEventStore({ pool, schema: eventSchema });
  const keys = await getPostgresSubjectKeyStore({ pool, schema: keySchema });
  const schemas = [eventSchema, keySchema];
  return {
    store,
    keys,
    async load(batches, sealer) {
      await bulkLoadDemo(batches, { pool, schema: eventSchema, personalData: sealer });
    },
    findTexts: (needles) => findTextsInSchemas(db, schemas, needles),
    findBytes: (needles) => findBytesInSchemas(db, schemas, needles),
    async teardown() {
      await store.close();
      await keys.close();
      await dropSchema(pool, eventSchema);
      await dropSchema(pool, keySchema);
    },
  };
});
