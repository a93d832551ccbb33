// Kysely over a pg Pool, reading values the same way as the PGlite dialect (see types.ts).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { textParsers } from './types.js';

export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser = format === 'binary' ? undefined : textParsers[oid];
    return parser ?? pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

export interface PgPoolOptions {
  readonly connectionString: string;
  readonly max?: number;
  readonly applicationName?: string;
}

export const pgPool = (options: PgPoolOptions): pg.Pool =>
  new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    application_name: options.applicationName ?? 'banshishi-read-models',
    types: pgTypes,
  });

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
