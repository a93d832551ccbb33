// The read-model migrations on an embedded PGlite: safe to run again, and not thrown off by another session
// dropping its own schema while kysely's migrator lists every schema's tables.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteKysely, pglitePool } from '../sql/pglite.js';
import { migrateReadModels } from './index.js';

/**
 * A Kysely on `pglite` whose connection fails catalogue listings the way PostgreSQL does when a schema vanishes
 * under one (3F000): the `nth` listing the migrator makes, or every listing when `nth` is 'all'.
 */
const withSchemaDroppedDuringListing = (pglite: PGlite, dropped: string, nth: number | 'all') => {
  const pool = pglitePool(pglite);
  let listings = 0;
  const failing: PostgresPool = {
    connect: async () => {
      const client = await pool.connect();
      const query = (text: string, params: readonly unknown[]) => {
        if (/pg_catalog|information_schema/.test(text)) {
          listings += 1;
          if (nth === 'all' || listings === nth)
            return Promise.reject(Object.assign(new Error(`schema "${dropped}" does not exist`), { code: '3F000' }));
        }
        return client.query(text, params);
      };
      return { query, release: () => client.release() } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
  return new Kysely<unknown>({ dialect: new PostgresDialect({ pool: failing }) });
};

let pglite: PGlite | undefined;
afterEach(async () => {
  await pglite?.close();
});

describe('read-model migrations', () => {
  it('another session dropping its schema while the migrator lists tables does not fail the migration', async () => {
    for (const nth of [1, 2, 3, 4, 5, 6]) {
      await pglite?.close();
      pglite = new PGlite();
      const db = withSchemaDroppedDuringListing(pglite, 'test_someone_else', nth);
      await expect(migrateReadModels(db, 'read_models'), `a drop during listing ${nth}`).resolves.toBeDefined();
    }
    const db = pgliteKysely<unknown>(pglite!);
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from pg_tables where schemaname = 'read_models' and tablename = 'read_model_migrations'`.execute(
      db,
    );
    expect(tables.rows[0]?.n).toBe(1);
  });

  it('a failure that names our own schema is not retried away', async () => {
    pglite = new PGlite();
    const db = withSchemaDroppedDuringListing(pglite, 'read_models', 'all');
    await expect(migrateReadModels(db, 'read_models')).rejects.toThrow('schema "read_models" does not exist');
  });
});
