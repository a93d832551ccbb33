// Server mode as operators run it, for the specs and CI's smoke test: a small demo history in PostgreSQL
// with its last new problem held back, to be appended while the board runs (its page appears once the
// projector has applied it), and the board itself as its own Node process (`pnpm board`).
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { type BulkSegment, bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import type pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const server = join(here, '..', 'server.ts');
const root = join(here, '..', '..', '..', '..');

export interface HeldBackHistory {
  /** Everything the demo decided before the held-back problem was raised. */
  readonly backlog: readonly BulkSegment[];
  /** The held-back problem's 征题 (its ProblemSolicited), a new stream. */
  readonly fresh: BulkSegment;
  readonly problemId: string;
}

/** The demo server mode's specs and smoke test run on: the smallest. */
export const heldBackDemo = { seed: 9, scale: 300 } as const;

/** The smallest demo, cut just before its last problem is raised: a prefix of a valid history is valid. */
export const demoWithOneProblemHeldBack = (
  seed: number = heldBackDemo.seed,
  scale: number = heldBackDemo.scale,
): HeldBackHistory => {
  const segments = [...generateDemoEvents({ seed, scale })].flat();
  let at = segments.length - 1;
  while (at >= 0 && segments[at]!.events[0]?.type !== 'ProblemSolicited') at -= 1;
  const fresh = segments[at];
  if (fresh === undefined) throw new Error(`the demo (seed ${seed}, scale ${scale}) raised no problem`);
  return {
    backlog: segments.slice(0, at),
    fresh,
    problemId: (fresh.events[0]!.data as { problemId: string }).problemId,
  };
};

/** Loads the backlog into a fresh event-store schema (created and migrated here). */
export const loadBacklog = async (pool: pg.Pool, schema: string, history: HeldBackHistory) => {
  await bulkLoadDemo([history.backlog], {
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    pool,
    schema,
  });
};

/** Appends the held-back problem as any writer would, waking the projector's LISTEN. */
export const appendHeldBack = async (pool: pg.Pool, schema: string, history: HeldBackHistory) => {
  const store = await getPostgresEventStore({ pool, schema, migrate: false });
  try {
    await store.append(history.fresh.streamId, history.fresh.events, { expectedRevision: 'no_stream' });
  } finally {
    await store.close();
  }
};

/**
 * Drops the event schema, the read-model schema and the read models' build schemas (`<schema>_…`):
 * only what was created under these two names, never anything else in the database.
 */
export const dropServerModeSchemas = async (
  pool: pg.Pool,
  eventSchema: string,
  readModelSchema: string,
  others: readonly string[] = [],
) => {
  const { rows } = await pool.query<{ nspname: string }>(
    `select nspname from pg_namespace where nspname = any($1) or nspname like $2`,
    [[eventSchema, readModelSchema, ...others], `${readModelSchema.replaceAll('_', '\\_')}\\_%`],
  );
  for (const { nspname } of rows) await pool.query(`drop schema if exists "${nspname}" cascade`);
  return rows.map((r) => r.nspname);
};

/** Starts the board in server mode (server.ts through tsx, as `pnpm board` does) on a free port. */
export const startBoardProcess = (env: Readonly<Record<string, string>>, output: string[]): ChildProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', server], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return child;
};

/** The URL the board printed once listening (without the trailing slash); rejects if it ends first. */
export const boardUrlOf = (child: ChildProcess, output: string[], timeoutMs = 30_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const found = () => /公示 board: (http:\/\/\S+?)\/?\s/.exec(output.join(''))?.[1];
    const timer = setTimeout(() => finish(new Error(`the board printed no URL in ${timeoutMs} ms`)), timeoutMs);
    const onData = () => {
      const url = found();
      if (url !== undefined) finish(url);
    };
    const onExit = () => finish(new Error(`the board ended before listening:\n${output.join('')}`));
    const finish = (result: string | Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });

/** Polls `probe` until it is true or `timeoutMs` has passed; resolves with whether it became true. */
export const eventually = async (probe: () => Promise<boolean>, timeoutMs: number, everyMs = 200) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};
