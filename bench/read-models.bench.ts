// Catch-up throughput and peak memory of the projector's first build (issue 4): a demo campaign's log
// of 1,000,000 events is written into the event store, then a child process — so its peak RSS is its
// own — catches every projection up from nothing, as `projector run` does on an empty read-model
// database, on PostgreSQL and on PGlite (PGlite holding both the events and the read models).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { catchUpTogether, openPglite, openReadModels, projectionList } from '@banshishi/read-models';
import { bulkLoadDemo, getPGliteEventStore, getPostgresEventStore, pgliteExecutor } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import pg from 'pg';
import { round, writeResult } from './lib.js';

const postgresEvents = Number(process.env.BENCH_RM_EVENTS ?? 1_000_000);
const pgliteEvents = Number(process.env.BENCH_RM_PGLITE_EVENTS ?? 200_000);
const batchSize = Number(process.env.BENCH_RM_BATCH ?? 2000);
const seed = 2021;
// The generator makes about 0.86 events per unit of scale; the log is cut at the event count.
const scaleFor = (events: number) => Math.ceil(events * 1.25);

interface CatchUpFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
}

/** In the child: catch every projection up, then report. */
const child = async (kind: string, location: string, eventSchema: string, rmSchema: string) => {
  const started = performance.now();
  let events: number;
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: location, max: 2 });
    const store = await getPostgresEventStore({ pool, schema: eventSchema });
    const readModels = await openReadModels({ kind: 'postgres', connectionString: location }, rmSchema);
    events = await catchUpTogether({ store, readModels, projections: projectionList, batchSize });
    await readModels.close();
    await store.close();
    await pool.end();
  } else {
    const pglite = await openPglite(location);
    const store = await getPGliteEventStore({ pglite, schema: eventSchema });
    const readModels = await openReadModels({ kind: 'pglite', pglite }, rmSchema);
    events = await catchUpTogether({ store, readModels, projections: projectionList, batchSize });
    await readModels.close();
    await pglite.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const figures: CatchUpFigures = {
    events,
    seconds: round(seconds, 1),
    eventsPerSecond: Math.round(events / seconds),
    // maxRSS is in KiB on Linux.
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 0),
  };
  console.log(JSON.stringify(figures));
};

const runChild = (args: string[]): CatchUpFigures => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.status !== 0) throw new Error(`catch-up child failed with status ${run.status}: ${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as CatchUpFigures;
};

// The generator is loaded by the parent only, so the child's peak RSS is the catch-up's own.
const demoEvents = async (events: number) =>
  (await import('@banshishi/demo')).generateDemoEvents({ seed, scale: scaleFor(events) });

const onPostgres = async () => {
  const suffix = randomBytes(3).toString('hex');
  const eventSchema = `bench_rm_events_${suffix}`;
  const rmSchema = `bench_rm_${suffix}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const loading = performance.now();
    const log = await bulkLoadDemo(await demoEvents(postgresEvents), {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool,
      schema: eventSchema,
      limit: postgresEvents,
    });
    const loadSeconds = (performance.now() - loading) / 1000;
    console.log(`postgres: ${log.events} events generated and loaded in ${round(loadSeconds, 1)} s`);
    return { ...runChild(['postgres', databaseUrl, eventSchema, rmSchema]), batchSize };
  } finally {
    const { rows } = await pool.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname = $1 or nspname = $2 or nspname like $3',
      [eventSchema, rmSchema, `${rmSchema}\\_%`],
    );
    for (const { nspname } of rows) await pool.query(`drop schema if exists "${nspname}" cascade`);
    await pool.end();
  }
};

const onPglite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rm-pglite-'));
  try {
    const pglite = await openPglite(dir);
    const loading = performance.now();
    const log = await bulkLoadDemo(await demoEvents(pgliteEvents), {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      executor: pgliteExecutor(pglite),
      limit: pgliteEvents,
    });
    console.log(
      `pglite: ${log.events} events generated and loaded in ${round((performance.now() - loading) / 1000, 1)} s`,
    );
    await pglite.close();
    return { ...runChild(['pglite', dir, 'event_store', 'read_models']), batchSize };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const [mode, ...args] = process.argv.slice(2);
if (mode === 'child') {
  await child(args[0]!, args[1]!, args[2]!, args[3]!);
} else {
  const postgres = await onPostgres();
  console.log('postgres', postgres);
  const pglite = await onPglite();
  console.log('pglite', pglite);
  writeResult('read-models', {
    projections: projectionList.map((p) => p.name),
    postgres,
    pglite,
    aim: { eventsPerSecond: 30_000, peakRssMiB: 300 },
  });
}
