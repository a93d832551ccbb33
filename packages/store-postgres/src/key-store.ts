// The subject-key store (the SubjectKeyStore port of @banshishi/core) on PostgreSQL and PGlite: one row per
// data subject in a schema of its own (default `personal_keys`), apart from the event store's, so a backup
// of the event log holds no key and the keys are backed up, restored and destroyed on their own.

import {
  assertSubjectKey,
  checkForgottenAt,
  checkSubjectId,
  checkSubjectIds,
  type DestroyOutcome,
  newSubjectKey,
  type SubjectKeyState,
  type SubjectKeyStore,
  subjectForgottenError,
} from '@banshishi/core';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { ConnectionErrorHandler } from './connection.js';
import { quoteIdent, type SqlExecutor } from './executor.js';
import { applyMigrations } from './migrations/index.js';
import { subjectKeyLedger, subjectKeyMigrations } from './migrations/subject-keys/index.js';
import { onPGlite, onPostgres } from './postgres.js';

export { subjectKeyStoreRules } from '@banshishi/core';

export interface SqlSubjectKeyStoreOptions {
  /** The schema that holds the keys (default `personal_keys`): never the event store's. */
  readonly schema?: string;
  /** Apply missing migrations before the store is handed out (default true). */
  readonly migrate?: boolean;
  /** Makes keys (default: random). Tests pass a seeded one to make sealed histories comparable. */
  readonly newKey?: (subject: string) => Uint8Array;
}

export type SqlSubjectKeyStore = SubjectKeyStore & {
  /** The schema holding this store's table. */
  readonly schema: string;
  /** Ends the store; a pool or PGlite instance the caller passed in stays open. */
  close(): Promise<void>;
};

// A type, not an interface: the executor's Row wants an index signature, which only a type alias infers.
type KeyRow = {
  readonly key: Uint8Array | null;
  readonly forgotten_at: Date | string | null;
};

const isoOf = (at: Date | string): string => (at instanceof Date ? at : new Date(at)).toISOString();

/**
 * A copy of the bytes the driver read: `pg` hands out a Buffer that may be a window on a pooled
 * allocation shared with other values, and the caller should hold nothing but the key.
 */
const keyOf = (subject: string, row: KeyRow): Uint8Array => {
  if (row.forgotten_at !== null) throw subjectForgottenError(subject, isoOf(row.forgotten_at));
  if (row.key === null) throw new Error(`key store: the row of ${subject} has neither key nor tombstone`);
  return assertSubjectKey(subject, new Uint8Array(row.key));
};

/** The store over any executor; `getPostgresSubjectKeyStore` and `getPGliteSubjectKeyStore` are the usual doors. */
export const getSqlSubjectKeyStore = async (
  executor: SqlExecutor,
  options: SqlSubjectKeyStoreOptions = {},
): Promise<SqlSubjectKeyStore> => {
  const schema = options.schema ?? 'personal_keys';
  const newKey = options.newKey ?? (() => newSubjectKey());
  if (options.migrate ?? true)
    await applyMigrations(executor, { schema, list: subjectKeyMigrations, ledger: subjectKeyLedger });
  const table = `${quoteIdent(schema)}.subject_keys`;
  let closed = false;

  const read = async (subject: string): Promise<KeyRow | undefined> =>
    (await executor.query<KeyRow>(`SELECT key, forgotten_at FROM ${table} WHERE subject = $1`, [subject]))[0];

  /**
   * The key's bytes stay in the old row version until VACUUM removes it, and in the page until the space
   * is written over: so a VACUUM right after the destroy, outside its transaction (VACUUM refuses to run in
   * one). Best effort: it removes nothing that an older snapshot elsewhere may still see, and a failure
   * (a role that does not own the table) leaves the work to autovacuum rather than failing a destroy that
   * has committed. Bytes on disk are gone only once their pages are reused; the WAL and earlier backups of
   * this schema hold the key until they are recycled. Full-disk encryption is the operator's part.
   */
  const vacuum = async () => {
    try {
      await executor.query(`VACUUM ${table}`);
    } catch {
      // Left to autovacuum, as above.
    }
  };

  return {
    schema,

    async keyFor(subject) {
      checkSubjectId(subject, 'subject');
      // Known subjects, nearly every call, cost one read and write nothing. A first use inserts and lets
      // the primary key pick the winner of a race: a loser's INSERT waits for the winner's commit, does
      // nothing, and its next statement (a fresh snapshot) reads the winner's key.
      const known = await read(subject);
      if (known !== undefined) return keyOf(subject, known);
      const candidate = assertSubjectKey(subject, newKey(subject));
      const [inserted] = await executor.query<KeyRow>(
        `INSERT INTO ${table} (subject, key) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING RETURNING key, forgotten_at`,
        [subject, candidate],
      );
      const row = inserted ?? (await read(subject));
      if (row === undefined) throw new Error(`key store: the row of ${subject} is gone after a conflicting insert`);
      return keyOf(subject, row);
    },

    async lookup(subjects) {
      const wanted = [...new Set(checkSubjectIds(subjects))];
      const out = new Map<string, SubjectKeyState>();
      if (wanted.length === 0) return out;
      const rows = await executor.query<KeyRow & { subject: string }>(
        `SELECT subject, key, forgotten_at FROM ${table} WHERE subject = ANY($1::text[])`,
        [wanted],
      );
      for (const row of rows)
        out.set(
          row.subject,
          row.forgotten_at !== null
            ? { state: 'forgotten', forgottenAt: isoOf(row.forgotten_at) }
            : { state: 'active', key: keyOf(row.subject, row) },
        );
      return out;
    },

    async forgottenSubjects() {
      const rows = await executor.query<{ subject: string; forgotten_at: Date | string }>(
        `SELECT subject, forgotten_at FROM ${table} WHERE forgotten_at IS NOT NULL ORDER BY forgotten_at, subject`,
      );
      return rows.map((r) => ({ subject: r.subject, forgottenAt: isoOf(r.forgotten_at) }));
    },

    async destroy(subject, forgottenAt) {
      checkSubjectId(subject, 'subject');
      checkForgottenAt(forgottenAt);
      const outcome = await executor.transaction(async (tx): Promise<DestroyOutcome> => {
        // Each statement below must see what committed before it began (the last one relies on that),
        // whatever isolation the server defaults to.
        await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
        // The UPDATE leaves the old row version, key and all, until VACUUM (below).
        const shred = async () =>
          (
            await tx.query(
              `UPDATE ${table} SET key = NULL, forgotten_at = $2
                WHERE subject = $1 AND forgotten_at IS NULL RETURNING subject`,
              [subject, forgottenAt],
            )
          ).length > 0;
        if (await shred()) return 'destroyed';
        const tombstone = await tx.query(
          `INSERT INTO ${table} (subject, forgotten_at) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING RETURNING subject`,
          [subject, forgottenAt],
        );
        if (tombstone.length > 0) return 'never_had_key';
        // The row is there: a tombstone, or a first keyFor that committed after the UPDATE's snapshot and
        // which this statement's fresh snapshot now sees.
        return (await shred()) ? 'destroyed' : 'already_forgotten';
      });
      if (outcome === 'destroyed') await vacuum();
      return outcome;
    },

    async close() {
      if (closed) return;
      closed = true;
      await executor.close();
    },
  };
};

export type PostgresSubjectKeyStoreOptions = SqlSubjectKeyStoreOptions & {
  /** Told of each connection lost under the store (default: a line on stderr). */
  readonly onConnectionError?: ConnectionErrorHandler;
} & (
    | {
        /** A pool the caller owns: `close()` leaves it open. */
        readonly pool: pg.Pool;
      }
    | {
        /**
         * The store makes its own pool and ends it on `close()`. Its connections show in pg_stat_activity
         * as `applicationName` (default `banshishi-key-store`), unless the URL sets `application_name`.
         */
        readonly connectionString: string;
        readonly applicationName?: string;
      }
  );

export const getPostgresSubjectKeyStore = (options: PostgresSubjectKeyStoreOptions): Promise<SqlSubjectKeyStore> =>
  onPostgres(options, 'banshishi-key-store', (executor) => getSqlSubjectKeyStore(executor, options));

export type PGliteSubjectKeyStoreOptions = SqlSubjectKeyStoreOptions &
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

export const getPGliteSubjectKeyStore = (options: PGliteSubjectKeyStoreOptions = {}): Promise<SqlSubjectKeyStore> =>
  onPGlite(options, (executor) => getSqlSubjectKeyStore(executor, options));

export type BatchedSubjectKeyStore = SubjectKeyStore & {
  /** Stores every key made since the last flush, in one statement. */
  flush(): Promise<void>;
};

/**
 * For one writer that makes many keys at once while nobody else makes any (the embedded first start's demo
 * seeding: hundreds of people, one INSERT and one read each otherwise). Every row of the store is read once;
 * a new subject's key is made in memory and handed out at once; `flush` stores the new keys in one
 * statement. Nothing sealed with a key may be stored before its flush has returned. A key made meanwhile by
 * another writer fails the flush, since values sealed with ours would not open with it. Lookups, destroys
 * and tombstones flush first and then ask the store.
 */
export const batchedSubjectKeyStore = async (
  executor: SqlExecutor,
  store: SqlSubjectKeyStore,
  options: Pick<SqlSubjectKeyStoreOptions, 'newKey'> = {},
): Promise<BatchedSubjectKeyStore> => {
  const newKey = options.newKey ?? (() => newSubjectKey());
  const table = `${quoteIdent(store.schema)}.subject_keys`;
  const rows = new Map<string, KeyRow>();
  for (const row of await executor.query<KeyRow & { subject: string }>(
    `SELECT subject, key, forgotten_at FROM ${table}`,
  ))
    rows.set(row.subject, row);
  const made = new Map<string, Uint8Array>();

  const flush = async () => {
    if (made.size === 0) return;
    const keys = JSON.stringify(
      [...made].map(([subject, key]) => ({ subject, key: Buffer.from(key).toString('base64') })),
    );
    const stored = await executor.query<{ subject: string }>(
      `INSERT INTO ${table} (subject, key)
       SELECT k.subject, decode(k.key, 'base64') FROM json_to_recordset($1::json) AS k(subject text, key text)
       ON CONFLICT (subject) DO NOTHING
       RETURNING subject`,
      [keys],
    );
    if (stored.length !== made.size) {
      const done = new Set(stored.map((r) => r.subject));
      const taken = [...made.keys()].filter((s) => !done.has(s));
      throw new Error(`key store: another writer made the keys of ${taken.join(', ')} while these were being made`);
    }
    made.clear();
  };

  return {
    async keyFor(subject) {
      checkSubjectId(subject, 'subject');
      const known = rows.get(subject);
      if (known !== undefined) return keyOf(subject, known);
      const key = assertSubjectKey(subject, newKey(subject));
      rows.set(subject, { key, forgotten_at: null });
      made.set(subject, key);
      return key;
    },
    async lookup(subjects) {
      await flush();
      return store.lookup(subjects);
    },
    async destroy(subject, forgottenAt) {
      await flush();
      const outcome = await store.destroy(subject, forgottenAt);
      rows.set(subject, { key: null, forgotten_at: forgottenAt });
      return outcome;
    },
    async forgottenSubjects() {
      await flush();
      return store.forgottenSubjects();
    },
    flush,
  };
};
