// The event store's migrations on PGlite: shipped ones never change (their text is pinned), and a store
// that was migrated before the migrations moved into files of their own opens and migrates as before.
import { createHash } from 'node:crypto';
import { uuidFromName } from '@banshishi/core';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { getSqlEventStore } from '../event-store.js';
import { pgliteExecutor } from '../executor.js';
import { migrate, migrations } from './index.js';

let pglite: PGlite | undefined;
afterEach(async () => {
  await pglite?.close();
  pglite = undefined;
});

/**
 * What the code before the migration files left in a store's schema after applying the first `upTo`
 * migrations: their DDL (the same text, as the pins below prove) and their rows in `schema_migrations`,
 * recorded by version and name.
 */
const migratedByTheOldLayout = async (db: PGlite, schema: string, upTo: number) => {
  await db.transaction(async (tx) => {
    await tx.query(`CREATE SCHEMA "${schema}"`);
    await tx.query(`SELECT set_config('search_path', $1, true)`, [`"${schema}"`]);
    await tx.query(
      `CREATE TABLE schema_migrations (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const recorded = [
      { version: 1, name: 'events_and_streams' },
      { version: 2, name: 'append_at_head' },
    ].filter((m) => m.version <= upTo);
    for (const { version, name } of recorded) {
      for (const statement of migrations.find((m) => m.version === version)!.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, name]);
    }
  });
};

const event = (n: number) => ({
  eventId: uuidFromName(`store-postgres/migrations.spec/${n}`),
  type: 'Thing',
  schemaVersion: 1,
  data: { n },
  occurredAt: '2026-12-01T09:30:00+08:00',
  actor: { personId: 'person-1', role: 'office' as const },
  correlationId: 'corr',
  causationId: 'cause',
});

describe('event-store migrations', () => {
  it('a shipped migration never changes: each one is pinned by the digest of its statements', () => {
    const digests = migrations.map((m) => [
      m.version,
      m.name,
      createHash('sha256').update(m.statements.join('\n;\n')).digest('hex'),
    ]);
    expect(digests).toEqual([
      [1, 'events_and_streams', 'a26e930b3454f12a3461d620f56137050bccd099943c4d8497af29c2e709d557'],
      [2, 'append_at_head', '9d244b2a2e69acee1744a74823a6cd3ee0cb555a6a777ae3e9db81173840e282'],
    ]);
  });

  it('the migrations are listed in order, numbered 1, 2, 3 … without a gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('a store migrated by the code before the migration files opens, migrates nothing and appends', async () => {
    pglite = new PGlite();
    await migratedByTheOldLayout(pglite, 'old_store', 2);
    const executor = pgliteExecutor(pglite);
    expect(await migrate(executor, { schema: 'old_store' })).toEqual([]);
    const store = await getSqlEventStore(executor, { schema: 'old_store' });
    await store.append('thing-1', [event(1)], { expectedRevision: 'no_stream' });
    await store.append('thing-1', [event(2)], { expectedRevision: 0 });
    expect((await store.readStream('thing-1')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    const recorded = await pglite.query<{ version: number; name: string }>(
      'SELECT version, name FROM old_store.schema_migrations ORDER BY version',
    );
    expect(recorded.rows).toEqual([
      { version: 1, name: 'events_and_streams' },
      { version: 2, name: 'append_at_head' },
    ]);
    await store.close();
  });

  it('a store the old code left at the first migration gets the second, and only that', async () => {
    pglite = new PGlite();
    await migratedByTheOldLayout(pglite, 'old_store', 1);
    const executor = pgliteExecutor(pglite);
    expect(await migrate(executor, { schema: 'old_store' })).toEqual([2]);
    const store = await getSqlEventStore(executor, { schema: 'old_store' });
    await store.append('thing-1', [event(1)], { expectedRevision: 'no_stream' });
    await store.append('thing-1', [event(2)], { expectedRevision: 0 });
    expect(await store.streamHead('thing-1')).toMatchObject({ revision: 1 });
    await store.close();
  });
});
