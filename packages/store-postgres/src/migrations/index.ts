// Versioned schema migrations of the event store, one file each (`NNNN-what-it-does.ts`, docs/architecture.md):
// a shipped file never changes, new DDL goes into a new file listed at the end. `migrate` applies the
// missing ones in order, in one transaction, under an advisory lock, so several processes starting at once
// apply each migration exactly once.
import { quoteIdent, type SqlExecutor } from '../executor.js';
import { eventsAndStreams } from './0001-events-and-streams.js';
import { appendAtHead } from './0002-append-at-head.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [eventsAndStreams, appendAtHead];

/** Lock-key namespaces (the first key of the two-key advisory locks), one per use. */
export const lockSpaces = { migrate: 0x62_73_73_01, position: 0x62_73_73_02, stream: 0x62_73_73_03 } as const;

/**
 * Applies every migration of `list` that `ledger` (a table in `schema`) does not record yet, in one
 * transaction under the advisory lock of the schema; returns the versions applied now. The event store
 * and the subject-key store each keep their own list and ledger.
 */
export const applyMigrations = async (
  executor: SqlExecutor,
  { schema, list, ledger }: { schema: string; list: readonly Migration[]; ledger: string },
): Promise<number[]> =>
  executor.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [lockSpaces.migrate, schema]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await tx.query(`SELECT set_config('search_path', $1, true)`, [quoteIdent(schema)]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(ledger)} (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM ${quoteIdent(ledger)}`)).map((r) => r.version),
    );
    const applied: number[] = [];
    for (const migration of list) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query(`INSERT INTO ${quoteIdent(ledger)} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });

/** Applies every event-store migration the schema lacks; returns the versions applied now. */
export const migrate = async (executor: SqlExecutor, { schema }: { schema: string }): Promise<number[]> =>
  applyMigrations(executor, { schema, list: migrations, ledger: 'schema_migrations' });
