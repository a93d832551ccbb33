// Read-model databases for tests: a fresh in-memory PGlite, or a schema of its own on the real
// PostgreSQL (DATABASE_URL), so that test files run in parallel without seeing each other's tables.
import { randomBytes } from 'node:crypto';
import { type OpenReadModels, openReadModels } from '@banshishi/read-models';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { databaseUrl } from '../postgres/test-database.js';

export interface TestReadModels extends OpenReadModels {
  /** Drops everything this test created, then closes. */
  dispose(): Promise<void>;
}

export const pgliteReadModels = async (schema = 'read_models'): Promise<TestReadModels> => {
  const pglite = new PGlite();
  const rm = await openReadModels({ kind: 'pglite', pglite }, schema);
  return {
    ...rm,
    async dispose() {
      await rm.close();
      await pglite.close();
    },
  };
};

export const postgresReadModels = async (label: string): Promise<TestReadModels> => {
  const schema = `rm_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const rm = await openReadModels({ kind: 'postgres', connectionString: databaseUrl, max: 4 }, schema);
  return {
    ...rm,
    async dispose() {
      const { rows } = await sql<{ nspname: string }>`
        select nspname from pg_namespace where nspname = ${schema} or nspname like ${`${schema}\\_%`}`.execute(rm.db);
      for (const { nspname } of rows) await sql`drop schema if exists ${sql.id(nspname)} cascade`.execute(rm.db);
      await rm.close();
    },
  };
};
