// Opening the read-model database: PGlite (embedded, the default) or PostgreSQL, migrated to the
// latest control schema, with a close that releases exactly what was opened here.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { migrateReadModels } from './migrations/index.js';
import type { ReadModels } from './runtime/builds.js';
import type { Database } from './schema.js';
import { type PgPoolOptions, pgKysely } from './sql/pg.js';
import { pgliteKysely } from './sql/pglite.js';

export type ReadModelConnection =
  | { readonly kind: 'pglite'; readonly pglite: PGliteInterface }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      readonly max?: number;
      readonly onConnectionError?: PgPoolOptions['onConnectionError'];
    }
  | { readonly kind: 'pool'; readonly pool: pg.Pool };

export interface OpenReadModels extends ReadModels {
  close(): Promise<void>;
}

export const defaultReadModelSchema = 'read_models';

export const openReadModels = async (
  connection: ReadModelConnection,
  schema: string = defaultReadModelSchema,
): Promise<OpenReadModels> => {
  const db: Kysely<Database> =
    connection.kind === 'pglite'
      ? pgliteKysely<Database>(connection.pglite)
      : connection.kind === 'pool'
        ? pgKysely<Database>(connection.pool)
        : pgKysely<Database>({
            connectionString: connection.connectionString,
            ...(connection.max === undefined ? {} : { max: connection.max }),
            ...(connection.onConnectionError === undefined ? {} : { onConnectionError: connection.onConnectionError }),
          });
  try {
    await migrateReadModels(db as unknown as Kysely<unknown>, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, schema, close: () => db.destroy() };
};
