// The read-model migrations as shipped: each one's SQL, compiled by kysely, is pinned, because a shipped
// migration never changes (new DDL goes into a new file).
import { createHash } from 'node:crypto';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { projectionControl } from './0001-projection-control.js';

/** The SQL a migration sends, compiled by kysely for PostgreSQL without a database to run it on. */
const sqlOf = async (up: (db: Kysely<unknown>) => Promise<void>): Promise<string[]> => {
  const sent: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (d) => new PostgresIntrospector(d),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (event.level === 'query') sent.push(event.query.sql);
    },
  });
  await up(db);
  return sent;
};

describe('shipped read-model migrations', () => {
  // A kysely upgrade that compiles the same builder calls differently shows here too: then the DDL must be
  // checked to mean the same, and the pin records the new text.
  it('a shipped migration never changes: each one is pinned by the digest of the SQL it sends', async () => {
    const digest = (statements: readonly string[]) =>
      createHash('sha256').update(statements.join('\n;\n')).digest('hex');
    expect(digest(await sqlOf((db) => projectionControl('read_models').up(db)))).toBe(
      'ff551fcb87f0c38bae70e8b7b90bb1416ad3b80dd762890dd9726e338682b74b',
    );
  });
});
