// The one small driver interface the SQL event store runs on, and its two implementations: a `pg` Pool
// (server mode) and PGlite (the embedded default). Everything else — schema, appends, reads — is shared
// SQL, so both back ends behave the same and pass the same conformance suite.

import { isBanshishiError } from '@banshishi/core';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { againIfConnectionLost, type ConnectionErrorHandler, guardPool, warnOnStderr } from './connection.js';

export type Row = Record<string, unknown>;

export interface SqlQuery {
  /** On the executor itself (not inside a transaction): for statements that are safe to run twice. */
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface SqlExecutor extends SqlQuery {
  /**
   * Runs `work` in one transaction on one session: commits when it resolves, rolls back when it throws.
   * After a rollback every session-level advisory lock is released too, because the append holds one
   * around its INSERT and a failed statement cannot release it inside the aborted transaction.
   */
  transaction<T>(work: (tx: SqlQuery) => Promise<T>): Promise<T>;
  /**
   * Runs one statement as a transaction of its own, on one session; if it fails, releases every
   * session-level advisory lock it may have left held, as `transaction` does after a rollback.
   */
  statement<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel`, and `onLost` (once) if the listening
   * session goes away after it began to listen; resolves to a function that stops listening. A session
   * that cannot be opened rejects instead.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface PgExecutorOptions {
  /** End the pool on `close()`: set when the store made it from a connection string. */
  readonly ownsPool?: boolean;
  /** Told of each connection lost under the executor (default: a line on stderr). */
  readonly onConnectionError?: ConnectionErrorHandler;
}

/**
 * A client of the pool, heard while it is checked out: a checked-out client that loses its connection emits
 * 'error', and unheard, that would end the process. The query in flight rejects as well, and that is where
 * the failure is handled. `release(true)` closes the client instead of handing it out again.
 */
const checkOut = async (pool: pg.Pool) => {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  const release = (destroy?: boolean) => {
    client.off('error', ignore);
    client.release(destroy);
  };
  return { client, release };
};

/**
 * An executor over a `pg` Pool, guarded while the executor is open so that a connection closed under it
 * cannot end the process (see guardPool). The pool is ended by `close()` only when `ownsPool` is set; a
 * pool the caller passed in stays theirs. A plain `query` that loses its connection runs again on another
 * (see againIfConnectionLost); `statement` and `transaction` leave that choice to the caller, who knows whether it is safe.
 */
export const pgExecutor = (
  pool: pg.Pool,
  { ownsPool = false, onConnectionError = warnOnStderr }: PgExecutorOptions = {},
): SqlExecutor => {
  const unguard = guardPool(pool, onConnectionError);
  const query: SqlQuery['query'] = <R extends Row>(text: string, params: readonly unknown[] = []) =>
    againIfConnectionLost('read', onConnectionError, async () => (await pool.query<R>(text, params as unknown[])).rows);

  return {
    query,
    async transaction(work) {
      const { client, release } = await checkOut(pool);
      const tx: SqlQuery = {
        query: async <R extends Row>(text: string, params: readonly unknown[] = []) =>
          (await client.query<R>(text, params as unknown[])).rows,
      };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          await client.query('SELECT pg_advisory_unlock_all()');
          // A refusal leaves a clean session; anything else (a lost reply, a hook standing in for one)
          // leaves it in a state nobody can vouch for, so it is closed rather than handed out again.
          release(!isBanshishiError(error));
        } catch {
          release(true);
        }
        throw error;
      }
    },
    async statement<R extends Row>(text: string, params: readonly unknown[] = []) {
      const { client, release } = await checkOut(pool);
      try {
        const { rows } = await client.query<R>(text, params as unknown[]);
        release();
        return rows;
      } catch (error) {
        try {
          await client.query('SELECT pg_advisory_unlock_all()');
          release();
        } catch {
          release(true);
        }
        throw error;
      }
    },
    async listen(channel, onNotify, onLost) {
      // A dedicated connection outside the pool: LISTEN holds its session for as long as we listen.
      const client = new pg.Client(pool.options);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      // Until LISTEN has taken, a failure rejects below; after it, the first sign of loss is reported
      // once ('error' and 'end' both follow a dropped session), and the store listens again.
      let listening = false;
      const lost = (error: unknown) => {
        if (!listening) return;
        listening = false;
        onLost(error);
      };
      client.on('error', lost);
      client.on('end', () => lost(new Error('the LISTEN connection ended')));
      try {
        await client.connect();
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      listening = true;
      return async () => {
        listening = false;
        client.removeAllListeners('end');
        client.removeAllListeners('error');
        client.on('error', () => {});
        await client.end();
      };
    },
    async close() {
      if (ownsPool) await pool.end();
      unguard();
    },
  };
};

/**
 * An executor over one PGlite instance. PGlite is a single session: its own transaction mutex makes
 * every other query wait while a transaction is open, which is what keeps concurrent appends apart.
 */
export const pgliteExecutor = (db: PGlite, { ownsDatabase = false }: { ownsDatabase?: boolean } = {}): SqlExecutor => {
  const query: SqlQuery['query'] = async <R extends Row>(text: string, params: readonly unknown[] = []) =>
    (await db.query<R>(text, params as unknown[])).rows;

  return {
    query,
    async transaction(work) {
      try {
        return await db.transaction((tx) =>
          work({
            query: async <R extends Row>(text: string, params: readonly unknown[] = []) =>
              (await tx.query<R>(text, params as unknown[])).rows,
          }),
        );
      } catch (error) {
        await db.query('SELECT pg_advisory_unlock_all()');
        throw error;
      }
    },
    async statement<R extends Row>(text: string, params: readonly unknown[] = []) {
      try {
        return await query<R>(text, params);
      } catch (error) {
        await db.query('SELECT pg_advisory_unlock_all()');
        throw error;
      }
    },
    async listen(channel, onNotify) {
      return db.listen(channel, onNotify);
    },
    async close() {
      if (ownsDatabase) await db.close();
    },
  };
};
