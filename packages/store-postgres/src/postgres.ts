// The two doors into the SQL event store: PostgreSQL through a `pg` Pool (server mode) and PGlite in a
// local folder or in memory (the embedded default). Both migrate the schema before handing the store out.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { warnOnStderr } from './connection.js';
import { getSqlEventStore, type SqlEventStore, type SqlEventStoreOptions } from './event-store.js';
import { pgExecutor, pgliteExecutor, type SqlExecutor } from './executor.js';

export type PostgresEventStoreOptions = SqlEventStoreOptions &
  (
    | {
        /** A pool the caller owns: `close()` leaves it open. */
        readonly pool: pg.Pool;
      }
    | {
        /**
         * The store makes its own pool and ends it on `close()`. Its connections show in pg_stat_activity
         * as `applicationName` (default `banshishi-event-store`), unless the URL sets `application_name`.
         */
        readonly connectionString: string;
        readonly applicationName?: string;
      }
  );

/** Where a pg door connects: a caller's pool, or a pool of its own from a connection string. */
export type PgConnection =
  | { readonly pool: pg.Pool }
  | { readonly connectionString: string; readonly applicationName?: string };

/**
 * An executor for a pg door, and the store built on it; the executor is closed again if building fails.
 * `defaultName` is what the door's own connections show in pg_stat_activity.
 */
export const onPostgres = async <T>(
  options: PgConnection & { readonly onConnectionError?: SqlEventStoreOptions['onConnectionError'] },
  defaultName: string,
  build: (executor: SqlExecutor) => Promise<T>,
): Promise<T> => {
  const onConnectionError = options.onConnectionError ?? warnOnStderr;
  const executor =
    'pool' in options
      ? pgExecutor(options.pool, { onConnectionError })
      : pgExecutor(
          new pg.Pool({
            connectionString: options.connectionString,
            application_name: options.applicationName ?? defaultName,
          }),
          { ownsPool: true, onConnectionError },
        );
  try {
    return await build(executor);
  } catch (error) {
    await executor.close();
    throw error;
  }
};

/** The same for a PGlite door: a caller's instance, or one of its own in a folder or in memory. */
export const onPGlite = async <T>(
  options: { readonly pglite: PGlite } | { readonly dataDir?: string },
  build: (executor: SqlExecutor) => Promise<T>,
): Promise<T> => {
  const executor =
    'pglite' in options
      ? pgliteExecutor(options.pglite)
      : // Loaded only when asked for: the module costs some 40 MB of resident memory, which a store on
        // PostgreSQL would carry for nothing.
        pgliteExecutor(await (await import('@electric-sql/pglite')).PGlite.create(options.dataDir), {
          ownsDatabase: true,
        });
  try {
    return await build(executor);
  } catch (error) {
    await executor.close();
    throw error;
  }
};

export const getPostgresEventStore = (options: PostgresEventStoreOptions): Promise<SqlEventStore> =>
  onPostgres(options, 'banshishi-event-store', (executor) => getSqlEventStore(executor, options));

export type PGliteEventStoreOptions = SqlEventStoreOptions &
  (
    | {
        /** An instance the caller owns: `close()` leaves it open. */
        readonly pglite: PGlite;
      }
    | {
        /** A folder for the database files; absent, the database lives in memory. */
        readonly dataDir?: string;
      }
  );

export const getPGliteEventStore = (options: PGliteEventStoreOptions = {}): Promise<SqlEventStore> =>
  onPGlite(options, (executor) => getSqlEventStore(executor, options));
