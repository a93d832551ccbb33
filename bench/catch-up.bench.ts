// The read-model catch-up against its ceiling, and its memory against the log's size (issue 16): a demo
// log of 1,000,000 events and one of 3,000,000 (seed 2021, in the clear), each caught up from
// nothing by a child process (so its peak RSS is its own) with every projection, as `projector run` does
// on an empty read-model database; and, in the same run, PostgreSQL alone writing one row per event of
// the 1,000,000 into a table shaped like `public_timeline` with `INSERT … SELECT` (no client, no
// round trips: the ceiling). Rounds alternate the order, so load drifting on the shared machine falls
// on every figure alike.
//
//   node --import tsx bench/run.ts catch-up
//
// BENCH_CU_EVENTS (1,000,000) and BENCH_CU_LARGE_EVENTS (3,000,000) set the two logs, BENCH_CU_ROUNDS (2)
// the rounds, BENCH_CU_BATCH the catch-up's batch (its default when unset). Each log is generated as the
// read-model bench does (scale 1.25 × its events, cut at them) and loaded once into a schema that is kept,
// `bench_cu_log_<events>`, so a second run skips the load (minutes at about 5,000 events/s). A prefix of
// the large log would not do for the small one: the generator writes the directory's people first.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { catchUpTogether, openReadModels, projectionList } from '@banshishi/read-models';
import { bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import pg from 'pg';
import { backendCpuMs, type CatchUpFigures, cpuMsSince, named, round, writeResult } from './lib.js';

const smallEvents = Number(process.env.BENCH_CU_EVENTS ?? 1_000_000);
const largeEvents = Number(process.env.BENCH_CU_LARGE_EVENTS ?? 3_000_000);
const rounds = Number(process.env.BENCH_CU_ROUNDS ?? 2);
const batchSize = process.env.BENCH_CU_BATCH === undefined ? undefined : Number(process.env.BENCH_CU_BATCH);
const keptPrefix = 'bench_cu_log_';
const seed = 2021;
// One projection alone (by name), to see what each costs.
const only = process.env.BENCH_CU_ONLY;
const projections = only === undefined ? projectionList : projectionList.filter((p) => p.name === only);

/** In the child: catch every projection up from nothing, then report. */
const child = async (eventSchema: string, rmSchema: string) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const applicationName = `bench-cu-${randomBytes(4).toString('hex')}`;
  const url = named(databaseUrl, applicationName);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const store = await getPostgresEventStore({ pool, schema: eventSchema });
  // A connection per projection, as the projector opens (apps/projector/src/main.ts): each writes its
  // batch without waiting for another's to end.
  const readModels = await openReadModels(
    { kind: 'postgres', connectionString: url, max: projections.length + 1 },
    rmSchema,
  );
  const events = await catchUpTogether({
    store,
    readModels,
    projections,
    ...(batchSize === undefined ? {} : { batchSize }),
  });
  const serverMs = await backendCpuMs(pool, applicationName);
  await readModels.close();
  await store.close();
  await pool.end();
  const seconds = (performance.now() - started) / 1000;
  const figures: CatchUpFigures = {
    events,
    seconds: round(seconds, 1),
    eventsPerSecond: Math.round(events / seconds),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 0),
    clientCpuUsPerEvent: round((cpuMsSince(cpu) * 1000) / events, 1),
    serverCpuUsPerEvent: serverMs === null ? null : round((serverMs * 1000) / events, 1),
  };
  console.log(JSON.stringify(figures));
};

const runChild = (eventSchema: string, rmSchema: string): CatchUpFigures => {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', eventSchema, rmSchema],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`catch-up child failed with status ${run.status}: ${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as CatchUpFigures;
};

const id = (name: string) => `"${name.replaceAll('"', '""')}"`;

const eventCount = async (pool: pg.Pool, schema: string) => {
  const { rows } = await pool.query<{ n: string }>(
    `select coalesce(max(global_position), 0) as n from ${id(schema)}.events`,
  );
  return Number(rows[0]!.n);
};

const schemaExists = async (pool: pg.Pool, schema: string) =>
  (await pool.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount === 1;

/** A log of `events` events, loaded unless a kept schema already holds it. */
const keptLog = async (pool: pg.Pool, events: number) => {
  const schema = `${keptPrefix}${events}`;
  if ((await schemaExists(pool, schema)) && (await eventCount(pool, schema)) === events) {
    console.log(`log of ${events} events kept in ${schema}`);
    return schema;
  }
  await pool.query(`drop schema if exists ${id(schema)} cascade`);
  const { generateDemoEvents } = await import('@banshishi/demo');
  // The generator makes about 0.86 events per unit of scale; the log is cut at the event count.
  const result = await bulkLoadDemo(generateDemoEvents({ seed, scale: Math.ceil(events * 1.25) }), {
    personalData: 'in_clear',
    pool,
    schema,
    limit: events,
  });
  console.log(`log of ${result.events} events loaded into ${schema} at ${result.eventsPerSecond} events/s`);
  return schema;
};

/**
 * The ceiling: one row per event of the log into a table shaped like `public_timeline` (its columns, its
 * primary key and item index, a jsonb of details), by one server-side statement in one transaction.
 */
const ceiling = async (pool: pg.Pool, log: string, target: string) => {
  await pool.query(`drop schema if exists ${id(target)} cascade`);
  await pool.query(`create schema ${id(target)}`);
  await pool.query(`create table ${id(target)}.timeline (
      stream_id text not null, revision integer not null, item_kind text not null, item_id text not null,
      event_type text not null, occurred_at timestamptz not null, actor_role text not null, actor_id text,
      details jsonb not null, global_position bigint not null, primary key (stream_id, revision))`);
  await pool.query(`create index on ${id(target)}.timeline (item_kind, item_id, revision)`);
  const started = performance.now();
  const { rowCount } = await pool.query(
    `insert into ${id(target)}.timeline
       select stream_id, revision, category, substr(stream_id, length(category) + 2), type, occurred_at::timestamptz,
              actor->>'role', actor->>'personId', data, global_position
         from ${id(log)}.events order by global_position`,
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.query(`drop schema ${id(target)} cascade`);
  return { rows: rowCount ?? 0, seconds: round(seconds, 1), rowsPerSecond: Math.round((rowCount ?? 0) / seconds) };
};

const dropSchemasLike = async (pool: pg.Pool, prefix: string) => {
  const { rows } = await pool.query<{ nspname: string }>(
    `select nspname from pg_namespace where nspname = $1 or nspname like $1 || '\\_%'`,
    [prefix],
  );
  for (const { nspname } of rows) await pool.query(`drop schema if exists ${id(nspname)} cascade`);
};

const main = async () => {
  const suffix = randomBytes(3).toString('hex');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const made: string[] = [];
  try {
    const smallLog = await keptLog(pool, smallEvents);
    const large = await keptLog(pool, largeEvents);
    const load = os.loadavg();
    const runs = {
      small: [] as CatchUpFigures[],
      large: [] as CatchUpFigures[],
      ceiling: [] as ReturnType<typeof ceiling> extends Promise<infer C> ? C[] : never,
    };
    const steps = ['ceiling', 'small', 'large'] as const;
    for (let r = 0; r < rounds; r++) {
      for (const step of r % 2 === 0 ? steps : [...steps].reverse()) {
        if (step === 'ceiling') {
          const figures = await ceiling(pool, smallLog, `bench_cu_ceiling_${suffix}`);
          console.log(`  round ${r + 1}, ceiling (INSERT … SELECT of ${smallEvents}):`, JSON.stringify(figures));
          runs.ceiling.push(figures);
        } else {
          const rm = `bench_cu_rm_${step}_${r}_${suffix}`;
          made.push(rm);
          const figures = runChild(step === 'small' ? smallLog : large, rm);
          console.log(`  round ${r + 1}, catch-up of ${figures.events}:`, JSON.stringify(figures));
          runs[step].push(figures);
          await dropSchemasLike(pool, rm);
        }
      }
    }
    const rate = (list: readonly { events?: number; rows?: number; seconds: number }[]) =>
      Math.round(list.reduce((s, f) => s + (f.events ?? f.rows ?? 0), 0) / list.reduce((s, f) => s + f.seconds, 0));
    const peak = (list: readonly CatchUpFigures[]) => Math.max(...list.map((f) => f.peakRssMiB));
    const mean = (list: readonly CatchUpFigures[], pick: (f: CatchUpFigures) => number | null) =>
      round(list.reduce((s, f) => s + (pick(f) ?? 0), 0) / list.length, 1);
    const summary = (events: number, list: readonly CatchUpFigures[]) => ({
      events,
      eventsPerSecond: rate(list),
      each: list.map((f) => f.eventsPerSecond),
      peakRssMiB: peak(list),
      clientCpuUsPerEvent: mean(list, (f) => f.clientCpuUsPerEvent),
      serverCpuUsPerEvent: mean(list, (f) => f.serverCpuUsPerEvent),
    });
    const figures = {
      small: summary(smallEvents, runs.small),
      large: summary(largeEvents, runs.large),
      ceiling: { rows: smallEvents, rowsPerSecond: rate(runs.ceiling), each: runs.ceiling.map((f) => f.rowsPerSecond) },
      ratios: {
        catchUpOverCeiling: 0,
        peakRssLargeOverSmall: 0,
      },
      loadAverage: { before: load.map((l) => round(l)), after: os.loadavg().map((l) => round(l)) },
      batchSize: batchSize ?? 'default',
      projections: projections.map((p) => p.name),
      aim: { eventsPerSecond: 30_000, peakRssMiB: 300, peakRssLargeOverSmall: 1.1 },
    };
    figures.ratios.catchUpOverCeiling = round(figures.small.eventsPerSecond / figures.ceiling.rowsPerSecond);
    figures.ratios.peakRssLargeOverSmall = round(figures.large.peakRssMiB / figures.small.peakRssMiB);
    console.log(
      `catch-up of ${smallEvents}: ${figures.small.eventsPerSecond} events/s (${figures.small.each.join(', ')}), ` +
        `ceiling (INSERT … SELECT) ${figures.ceiling.rowsPerSecond} rows/s (${figures.ceiling.each.join(', ')}): ` +
        `${figures.ratios.catchUpOverCeiling}× the ceiling; peak RSS ${figures.small.peakRssMiB} MiB`,
    );
    console.log(
      `catch-up of ${largeEvents}: ${figures.large.eventsPerSecond} events/s, peak RSS ${figures.large.peakRssMiB} MiB: ` +
        `${figures.ratios.peakRssLargeOverSmall}× the peak RSS at ${smallEvents}`,
    );
    console.log(
      `CPU µs/event at ${smallEvents}: ${figures.small.clientCpuUsPerEvent} client, ${figures.small.serverCpuUsPerEvent} server; ` +
        `load average ${figures.loadAverage.before.join(' ')} before, ${figures.loadAverage.after.join(' ')} after`,
    );
    writeResult('catch-up', figures);
  } finally {
    for (const schema of made) await dropSchemasLike(pool, schema);
    await pool.end();
  }
};

const [mode, ...args] = process.argv.slice(2);
if (mode === 'child') await child(args[0]!, args[1]!);
else await main();
