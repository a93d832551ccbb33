// Kysely over PGlite. PGlite is one PostgreSQL backend with one session, so a kysely transaction must
// hold that session from BEGIN to COMMIT with nobody else's statements landing inside it. PGlite's own
// transaction mutex is that lock: a kysely transaction runs inside `pglite.transaction()`, and plain
// queries go through `pglite.query()`, which waits for any open transaction. Using PGlite's mutex rather
// than one of our own also keeps us safe when the event store shares the same PGlite instance.
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite, PGliteInterface, Transaction } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { readClusterTemplate } from './pglite-template.js';
import { textParsers } from './types.js';

const commands = new Set(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE']);
const options = { parsers: textParsers };

const begin = /^\s*(begin|start\s+transaction)\b(.*)$/is;
const commit = /^\s*(commit|end)\s*;?\s*$/i;
const rollback = /^\s*rollback\s*;?\s*$/i;

interface OpenTransaction {
  readonly tx: Transaction;
  /** Lets `pglite.transaction()` return, which commits unless `tx.rollback()` ran. */
  readonly finish: () => void;
  /** Settles when PGlite has committed or rolled back; rejects when COMMIT failed. */
  readonly done: Promise<void>;
}

const openTransaction = (pglite: PGliteInterface): Promise<OpenTransaction> =>
  new Promise((resolve, reject) => {
    let finish: () => void = () => {};
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    let handed = false;
    const done = pglite.transaction(async (tx) => {
      handed = true;
      resolve({ tx, finish, done });
      await finished;
    });
    // BEGIN itself failing (a closed instance) rejects before the transaction was handed over.
    done.catch((error: unknown) => {
      if (!handed) reject(error);
    });
  });

export interface PglitePoolOptions {
  /** Close the PGlite instance when the pool ends; leave false when it is shared (e.g. with the event store). */
  readonly closeOnEnd?: boolean;
}

/** A pg-Pool look-alike over one PGlite instance, as kysely's PostgresDialect expects. */
export const pglitePool = (pglite: PGliteInterface, poolOptions: PglitePoolOptions = {}): PostgresPool => {
  let ended = false;
  const shape = (result: { rows: unknown[]; command?: string; affectedRows?: number; rowCount?: number }) => {
    const command = (result.command ?? 'SELECT').toUpperCase();
    return {
      command: (commands.has(command) ? command : 'SELECT') as 'SELECT',
      rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
      rows: result.rows,
    };
  };
  const empty = { command: 'SELECT' as const, rowCount: 0, rows: [] };

  return {
    async connect() {
      if (ended) throw new Error('the PGlite pool has ended');
      let open: OpenTransaction | null = null;
      const close = async (how: 'commit' | 'rollback') => {
        const current = open;
        open = null;
        if (current === null) return;
        if (how === 'rollback' && !current.tx.closed) await current.tx.rollback();
        current.finish();
        await current.done;
      };
      const client = {
        async query(sql: string, parameters: ReadonlyArray<unknown>) {
          const started = begin.exec(sql);
          if (started !== null) {
            if (open !== null) throw new Error('a transaction is already open on this PGlite connection');
            open = await openTransaction(pglite);
            // `start transaction isolation level …` keeps its settings as the first statement of the block.
            const settings = started[2]?.trim() ?? '';
            if (settings !== '') await open.tx.query(`set transaction ${settings}`, [], options);
            return empty;
          }
          if (open !== null && commit.test(sql)) {
            await close('commit');
            return empty;
          }
          if (open !== null && rollback.test(sql)) {
            await close('rollback');
            return empty;
          }
          const result =
            open === null
              ? await pglite.query(sql, [...parameters], options)
              : await open.tx.query(sql, [...parameters], options);
          return shape(result);
        },
        release() {
          // A connection handed back with its transaction still open was abandoned: roll it back.
          close('rollback').catch(() => {});
        },
      };
      return client as unknown as PostgresPoolClient;
    },
    async end() {
      ended = true;
      if (poolOptions.closeOnEnd === true) await pglite.close();
    },
  };
};

export const pgliteKysely = <DB>(pglite: PGliteInterface, poolOptions: PglitePoolOptions = {}): Kysely<DB> =>
  new Kysely<DB>({ dialect: new PostgresDialect({ pool: pglitePool(pglite, poolOptions) }) });

/**
 * Opens (creating if needed) an embedded database in a folder, or in memory without one. PGlite creates
 * only the last folder of the path, so a fresh checkout's `.data/banshishi` needs its parents made first.
 * A new database (in memory, or a folder without a cluster's PG_VERSION, where PGlite would run initdb)
 * starts from the cluster template of the installed PGlite when there is one (`pglite-template.ts`): the
 * cluster initdb would write, without running initdb. A folder that holds a cluster is opened as it is;
 * other files in the folder (the embedded app's token secret) stay.
 */
export const openPglite = async (dataDir?: string): Promise<PGlite> => {
  const inFolder = dataDir !== undefined && !dataDir.includes('://');
  const fresh = inFolder ? !(await holdsCluster(dataDir)) : dataDir === undefined || dataDir.startsWith('memory://');
  if (inFolder) await mkdir(dataDir, { recursive: true });
  // Loaded here, not at the top: the module costs some 40 MB of resident memory, which a projector on
  // PostgreSQL would carry for nothing.
  const { PGlite } = await import('@electric-sql/pglite');
  const template = fresh ? await readClusterTemplate() : null;
  if (template === null) return PGlite.create(dataDir);
  return PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    loadDataDir: new Blob([new Uint8Array(template)]),
  });
};

const holdsCluster = async (folder: string): Promise<boolean> => {
  try {
    await access(join(folder, 'PG_VERSION'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
};
