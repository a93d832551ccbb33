// The two doors into the SQL event store: PostgreSQL through a `pg` Pool (server mode) and PGlite in a
// local folder or in memory (the embedded default). Both migrate the schema before handing the store out.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { warnOnStderr } from './connection.js';
import { getSqlEventStore, type SqlEventStore, type SqlEventStoreOptions } from './event-store.js';
import { pgExecutor, pgliteExecutor } from './executor.js';

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

export const getPostgresEventStore = async (options: PostgresEventStoreOptions): Promise<SqlEventStore> => {
  const onConnectionError = options.onConnectionError ?? warnOnStderr;
  const executor =
    'pool' in options
      ? pgExecutor(options.pool, { onConnectionError })
      : pgExecutor(
          new pg.Pool({
            connectionString: options.connectionString,
            application_name: options.applicationName ?? 'banshishi-event-store',
          }),
          { ownsPool: true, onConnectionError },
        );
  try {
    return await getSqlEventStore(executor, options);
  } catch (error) {
    await executor.close();
    throw error;
  }
};

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

export const getPGliteEventStore = async (options: PGliteEventStoreOptions = {}): Promise<SqlEventStore> => {
  const executor =
    'pglite' in options
      ? pgliteExecutor(options.pglite)
      : // Loaded only when asked for: the module costs some 40 MB of resident memory, which a store on
        // PostgreSQL would carry for nothing.
        pgliteExecutor(await (await import('@electric-sql/pglite')).PGlite.create(options.dataDir), {
          ownsDatabase: true,
        });
  try {
    return await getSqlEventStore(executor, options);
  } catch (error) {
    await executor.close();
    throw error;
  }
};
