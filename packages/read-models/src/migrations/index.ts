// Versioned migrations of the read-model database's own tables (the projection runtime's control
// tables), one file each (`NNNN-what-it-does.ts`, docs/architecture.md): a shipped file never changes, new
// DDL goes into a new file listed here in order. Projection tables are not migrated: a projection that
// changes shape bumps its version and is rebuilt beside the live one (runtime/builds.ts).
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { projectionControl } from './0001-projection-control.js';

const migrationsFor = (schema: string): Record<string, Migration> => ({
  '0001-projection-control': projectionControl(schema),
});

/**
 * kysely's migrator finds its own table by listing the tables of every schema; a schema that another session
 * drops at that moment fails the listing (3F000, `schema "…" does not exist`). Nothing of ours was touched, so
 * the migration is simply tried again.
 */
const isOthersDroppedSchema = (error: unknown, ours: string): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  const named = /schema "([^"]+)" does not exist/.exec(message)?.[1];
  return (code === '3F000' || named !== undefined) && named !== ours;
};

/**
 * Brings the read-model schema up to date; safe to call at every start and from several processes at
 * once (kysely's migrator takes a lock). Throws with the failing migration's name and error.
 */
export const migrateReadModels = async (db: Kysely<unknown>, schema: string): Promise<MigrationResultSet> => {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(schema) },
    migrationTableSchema: schema,
    migrationTableName: 'read_model_migrations',
    migrationLockTableName: 'read_model_migrations_lock',
  });
  let result = await migrator.migrateToLatest();
  for (
    let attempt = 1;
    attempt < 5 && result.error !== undefined && isOthersDroppedSchema(result.error, schema);
    attempt++
  )
    result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`read-model migration ${failed?.migrationName ?? '(before any ran)'} failed: ${cause}`, {
      cause: result.error,
    });
  }
  return result;
};
