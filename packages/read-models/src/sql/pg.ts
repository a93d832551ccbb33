// Kysely over a pg Pool, reading values the same way as the PGlite dialect (see types.ts), on a pool
// that outlives PostgreSQL closing its connections (a restart, an idle timeout, pg_terminate_backend).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { textParsers } from './types.js';

export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser = format === 'binary' ? undefined : textParsers[oid];
    return parser ?? pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

/** A connection PostgreSQL closed under the pool: its code and the server's one-line message, no more. */
export interface ReadModelConnectionError {
  readonly code: string | null;
  readonly message: string;
}

export interface PgPoolOptions {
  readonly connectionString: string;
  readonly max?: number;
  /** Unless the URL sets `application_name`. */
  readonly applicationName?: string;
  /** Told of each pooled connection lost at rest (default: a line on stderr). */
  readonly onConnectionError?: (error: ReadModelConnectionError) => void;
}

const warnOnStderr = (error: ReadModelConnectionError) =>
  process.stderr.write(
    `read-models: lost a pooled connection${error.code === null ? '' : ` (${error.code})`}: ${error.message}; ` +
      'the next query opens a fresh one\n',
  );

/**
 * A pool whose connections may die without taking the process along. One at rest makes the pool emit
 * 'error', one checked out (inside a kysely transaction, between two statements) makes its client emit
 * 'error'; unheard, either is an uncaught exception. pg has already dropped the connection by then, so
 * the next query gets a fresh one; a statement in flight rejects on its own, and its caller retries
 * (the projector redoes the batch, whose rows and checkpoint share one transaction). Never the raw
 * error in the report: its `client` holds the connection parameters.
 */
export const pgPool = (options: PgPoolOptions): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    application_name: options.applicationName ?? 'banshishi-read-models',
    types: pgTypes,
  });
  const report = options.onConnectionError ?? warnOnStderr;
  pool.on('error', (error: Error & { code?: unknown }) =>
    report({
      code: typeof error.code === 'string' ? error.code : null,
      message: (error.message.split('\n')[0] ?? '').slice(0, 200),
    }),
  );
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
};

/**
 * A Kysely over a new pool (ended by `db.destroy()`), or over a pool the caller owns and ends itself
 * (`db.destroy()` then leaves it open, since others may share it).
 */
export const pgKysely = <DB>(pool: pg.Pool | PgPoolOptions): Kysely<DB> =>
  new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: pool instanceof pg.Pool ? { connect: () => pool.connect(), end: async () => {} } : pgPool(pool),
    }),
  });
