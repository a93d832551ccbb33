// The subject-key store on a real PostgreSQL: the shared conformance suite, one fresh schema per store,
// then what only several processes on one server can show: stores that open a fresh schema at once migrate
// it once, and first uses racing from separate pools still agree on one key.
import { describeSubjectKeyStoreConformance } from '@banshishi/testkit';
import {
  connectTestDatabase,
  dropSchema,
  freshApplicationName,
  freshSchemaName,
  urlNamed,
} from '@banshishi/testkit/postgres';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getPostgresSubjectKeyStore } from './key-store.js';

const pool = connectTestDatabase();
afterAll(async () => (await pool).end());

/** A store with a pool of its own, as another process would have. */
const ownStore = (schema: string) =>
  getPostgresSubjectKeyStore({ connectionString: urlNamed(freshApplicationName('keys')), schema });

describeSubjectKeyStoreConformance(
  'PostgreSQL',
  async () => {
    const db = await pool;
    const schema = freshSchemaName('keys');
    const store = await getPostgresSubjectKeyStore({ pool: db, schema });
    return {
      store,
      validatesInput: true,
      rawRows: async () => (await db.query<Record<string, unknown>>(`SELECT * FROM "${schema}".subject_keys`)).rows,
      async teardown() {
        await store.close();
        await dropSchema(db, schema);
      },
    };
  },
  {
    async durable() {
      const schema = freshSchemaName('keys');
      return {
        open: () => ownStore(schema),
        teardown: async () => dropSchema(await pool, schema),
      };
    },
  },
);

describe('subject-key store on PostgreSQL', () => {
  it('stores opening one fresh schema at once migrate it once and agree on the keys of subjects they race for', async () => {
    const db = await pool;
    const schema = freshSchemaName('keys');
    const stores = await Promise.all(Array.from({ length: 4 }, () => ownStore(schema)));
    try {
      const subjects = Array.from({ length: 5 }, (_, i) => `person-race-${i}`);
      for (const subject of subjects) {
        const keys = await Promise.all(
          stores.flatMap((store) => [store.keyFor(subject), store.keyFor(subject), store.keyFor(subject)]),
        );
        expect(new Set(keys.map((k) => Buffer.from(k).toString('hex'))).size).toBe(1);
      }
      const ledger = await db.query(`SELECT version FROM "${schema}".subject_key_migrations`);
      expect(ledger.rows).toEqual([{ version: 1 }]);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".subject_keys`);
      expect(rows[0]!.n).toBe(subjects.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(db, schema);
    }
  });

  it('first uses that all miss the read race on the insert: one inserts, the others read its key', async () => {
    const db = await connectTestDatabase({ max: 20 });
    const schema = freshSchemaName('keys');
    const store = await getPostgresSubjectKeyStore({ pool: db, schema });
    try {
      // Twenty open connections, so the twenty reads go out together and none sees another's insert.
      await Promise.all(Array.from({ length: 20 }, () => db.query('SELECT pg_sleep(0.05)')));
      const sent = vi.spyOn(db, 'query');
      const keys = await Promise.all(Array.from({ length: 20 }, () => store.keyFor('person-warm-race')));
      expect(new Set(keys.map((k) => Buffer.from(k).toString('hex'))).size).toBe(1);
      const inserts = sent.mock.calls.filter(([text]) => String(text).trim().startsWith('INSERT')).length;
      expect(inserts).toBeGreaterThan(1);
    } finally {
      await store.close();
      await dropSchema(db, schema);
      await db.end();
    }
  });

  it('a pool the caller passed in stays open after close', async () => {
    const db = await pool;
    const schema = freshSchemaName('keys');
    const store = await getPostgresSubjectKeyStore({ pool: db, schema });
    await store.close();
    await store.close();
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await dropSchema(db, schema);
  });
});
