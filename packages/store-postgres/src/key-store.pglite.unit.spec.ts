// The subject-key store on PGlite: the shared conformance suite (one in-memory database for the file,
// a fresh schema per store; a folder of its own for the test that keys outlive the store), then what only
// this adapter promises: its migration pinned, its own schema, and the destroyed key gone from the page.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSubjectKeyStoreConformance } from '@banshishi/testkit';
import { dropSchema, freshSchemaName } from '@banshishi/testkit/postgres';
import { PGlite } from '@electric-sql/pglite';
import { pageinspect } from '@electric-sql/pglite/contrib/pageinspect';
import { afterAll, describe, expect, it } from 'vitest';
import { getPGliteSubjectKeyStore } from './key-store.js';
import { subjectKeyMigrations } from './migrations/subject-keys/index.js';
import { getPGliteEventStore } from './postgres.js';

// pageinspect, for the test that reads the table's page itself.
let database: Promise<PGlite> | null = null;
const shared = async () => {
  database ??= PGlite.create({ extensions: { pageinspect } }).then(async (db) => {
    await db.exec('CREATE EXTENSION IF NOT EXISTS pageinspect');
    return db;
  });
  return database;
};
afterAll(async () => {
  if (database !== null) await (await database).close();
});

describeSubjectKeyStoreConformance(
  'PGlite',
  async () => {
    const pglite = await shared();
    const schema = freshSchemaName('keys');
    const store = await getPGliteSubjectKeyStore({ pglite, schema });
    return {
      store,
      validatesInput: true,
      rawRows: async () => (await pglite.query<Record<string, unknown>>(`SELECT * FROM "${schema}".subject_keys`)).rows,
      async teardown() {
        await store.close();
        await dropSchema(pglite, schema);
      },
    };
  },
  {
    async durable() {
      const dataDir = await mkdtemp(join(tmpdir(), 'banshishi-keys-'));
      return {
        open: () => getPGliteSubjectKeyStore({ dataDir }),
        teardown: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
);

describe('subject-key store on PGlite', () => {
  it('a shipped migration never changes: each one is pinned by the digest of its statements', () => {
    const digests = subjectKeyMigrations.map((m) => [
      m.version,
      m.name,
      createHash('sha256').update(m.statements.join('\n;\n')).digest('hex'),
    ]);
    expect(digests).toEqual([[1, 'subject_keys', 'f62307a40db1fec882e221795b206206b7aa693ade39f9afc851bda6375ec9ee']]);
  });

  it('keys live in a schema of their own: the event store beside them holds no key, and opening again migrates nothing', async () => {
    const pglite = await shared();
    const [events, keys] = [freshSchemaName('events'), freshSchemaName('keys')];
    const eventStore = await getPGliteEventStore({ pglite, schema: events });
    const keyStore = await getPGliteSubjectKeyStore({ pglite, schema: keys });
    try {
      await keyStore.keyFor('person-1');
      const tables = async (schema: string) =>
        (
          await pglite.query<{ table_name: string }>(
            'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
            [schema],
          )
        ).rows.map((r) => r.table_name);
      expect(await tables(keys)).toEqual(['subject_key_migrations', 'subject_keys']);
      expect(await tables(events)).not.toContain('subject_keys');
      const again = await getPGliteSubjectKeyStore({ pglite, schema: keys });
      expect((await again.lookup(['person-1'])).get('person-1')?.state).toBe('active');
      await again.close();
      const ledger = await pglite.query(`SELECT version FROM "${keys}".subject_key_migrations`);
      expect(ledger.rows).toEqual([{ version: 1 }]);
    } finally {
      await keyStore.close();
      await eventStore.close();
      await dropSchema(pglite, keys);
      await dropSchema(pglite, events);
    }
  });

  it('a destroyed key is gone from the table page as well: the VACUUM after the destroy removed the old row version', async () => {
    const pglite = await shared();
    const schema = freshSchemaName('keys');
    const store = await getPGliteSubjectKeyStore({ pglite, schema });
    try {
      const subjects = Array.from({ length: 5 }, (_, i) => `person-page-${i}`);
      const keys = await Promise.all(subjects.map(async (s) => Buffer.from(await store.keyFor(s)).toString('hex')));
      const page = async () =>
        Buffer.from(
          (await pglite.query<{ p: Uint8Array }>(`SELECT get_raw_page('"${schema}".subject_keys', 0) AS p`)).rows[0]!.p,
        ).toString('hex');
      const before = await page();
      expect(keys.map((k) => before.includes(k))).toEqual(keys.map(() => true));
      await store.destroy(subjects[1]!, '2026-12-01T09:30:00+08:00');
      await store.destroy(subjects[3]!, '2026-12-01T09:30:00+08:00');
      const after = await page();
      expect([0, 2, 4].map((i) => after.includes(keys[i]!))).toEqual([true, true, true]);
      expect([1, 3].map((i) => after.includes(keys[i]!))).toEqual([false, false]);
    } finally {
      await store.close();
      await dropSchema(pglite, schema);
    }
  });
});
