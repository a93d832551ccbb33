// Shared helpers for benchmarks: latency percentiles, a results file per benchmark, and the machine the
// figures were measured on, so runs can be compared over time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export const percentile = (sortedMs: readonly number[], p: number): number => {
  if (sortedMs.length === 0) return Number.NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
};

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const machine = () => ({
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGiB: round(os.totalmem() / 2 ** 30, 1),
});

/** Writes `bench/results/<name>.json` and prints the figures. */
export const writeResult = (name: string, figures: Record<string, unknown>): void => {
  mkdirSync(resultsDir, { recursive: true });
  const record = { name, measuredAt: new Date().toISOString(), machine: machine(), figures };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\n== ${name}`);
  console.log(JSON.stringify(figures, null, 2));
};

/** Runs `worker` in `concurrency` parallel loops until `total` operations are done; returns latencies in ms. */
export const runConcurrent = async (
  total: number,
  concurrency: number,
  worker: (index: number, lane: number) => Promise<void>,
): Promise<{ latenciesMs: number[]; seconds: number }> => {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await worker(i, lane);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return { latenciesMs, seconds };
};

/**
 * CPU time so far of the server backends serving connections named `applicationName`, read from /proc;
 * null when the server is elsewhere. The server shares this machine's cores, so an operation's cost is
 * this process's CPU plus theirs.
 */
export const backendCpuMs = async (admin: pg.Pool, applicationName: string): Promise<number | null> => {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    applicationName,
  ]);
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) return null;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / 100;
};

/** This process's CPU (user and system) since `since`, in ms. */
export const cpuMsSince = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** What one catch-up of a log by a child process measured (the read-model and catch-up benches). */
export interface CatchUpFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
  /** The child's CPU per event, loading its modules excluded. */
  readonly clientCpuUsPerEvent: number;
  /** Its PostgreSQL backends' CPU per event (null on PGlite, which runs in the child). */
  readonly serverCpuUsPerEvent: number | null;
}

/** A connection string whose sessions show as `applicationName`, so their backends' CPU can be told apart. */
export const named = (connectionString: string, applicationName: string): string => {
  const url = new URL(connectionString);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
};
