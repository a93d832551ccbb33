// The forgetting property on PGlite, the embedded default: one database for the file, fresh schemas for
// the event store and the key store in each run, every text, jsonb and bytea column of both scanned.
import { describeForgettingProperty } from '@banshishi/testkit';
import { dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { bulkLoadDemo } from './bulk-import.js';
import { pgliteExecutor } from './executor.js';
import { findBytesInSchemas, findTextsInSchemas } from './forgetting-scan.js';
import { getPGliteSubjectKeyStore } from './key-store.js';
import { getPGliteEventStore } from './postgres.js';

const pglite = await PGlite.create();
afterAll(async () => {
  await pglite.close();
});
const db = pgliteExecutor(pglite);

describeForgettingProperty(
  'PGlite',
  async () => {
    const eventSchema = freshSchemaName('forget_events');
    const keySchema = freshSchemaName('forget_keys');
    const store = await getPGliteEventStore({ pglite, schema: eventSchema });
    const keys = await getPGliteSubjectKeyStore({ pglite, schema: keySchema });
    const schemas = [eventSchema, keySchema];
    return {
      store,
      keys,
      async load(batches, sealer) {
        await bulkLoadDemo(batches, { executor: db, schema: eventSchema, personalData: sealer });
      },
      findTexts: (needles) => findTextsInSchemas(db, schemas, needles),
      findBytes: (needles) => findBytesInSchemas(db, schemas, needles),
      async teardown() {
        await store.close();
        await keys.close();
        await dropSchema(pglite, eventSchema);
        await dropSchema(pglite, keySchema);
      },
    };
  },
  { runs: 3 },
);
