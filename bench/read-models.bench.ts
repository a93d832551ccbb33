// Catch-up throughput and peak memory of the projector's first build (issue 4): a demo campaign's log
// of 1,000,000 events is written into the event store, then a child process — so its peak RSS is its
// own — catches every projection up from nothing, as `projector run` does on an empty read-model
// database, on PostgreSQL and on PGlite (PGlite holding both the events and the read models). The same
// history is loaded twice, personal fields in the clear and sealed, so both are measured in one run.
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
import { backendCpuMs, type CatchUpFigures, cpuMsSince, named, round, writeResult } from './lib.js';

const postgresEvents = Number(process.env.BENCH_RM_EVENTS ?? 1_000_000);
const pgliteEvents = Number(process.env.BENCH_RM_PGLITE_EVENTS ?? 200_000);
const batchSize = Number(process.env.BENCH_RM_BATCH ?? 2000);
// Catch-ups of each form: two, clear then sealed and then the other way round.
const catchUpRounds = Number(process.env.BENCH_RM_ROUNDS ?? 2);
const seed = 2021;
// The generator makes about 0.86 events per unit of scale; the log is cut at the event count.
const scaleFor = (events: number) => Math.ceil(events * 1.25);

/** In the child: catch every projection up, then report. */
const child = async (kind: string, location: string, eventSchema: string, rmSchema: string) => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let events: number;
  let serverMs: number | null = null;
  if (kind === 'postgres') {
    // Every session of the catch-up (the log's and the read models') under one name, read before they close.
    const applicationName = `bench-rm-catch-up-${randomBytes(4).toString('hex')}`;
    const url = named(location, applicationName);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const store = await getPostgresEventStore({ pool, schema: eventSchema });
    const readModels = await openReadModels({ kind: 'postgres', connectionString: url }, rmSchema);
    events = await catchUpTogether({ store, readModels, projections: projectionList, batchSize });
    serverMs = await backendCpuMs(pool, applicationName);
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
  const clientMs = cpuMsSince(cpu);
  const figures: CatchUpFigures = {
    events,
    seconds: round(seconds, 1),
    eventsPerSecond: Math.round(events / seconds),
    // maxRSS is in KiB on Linux.
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 0),
    clientCpuUsPerEvent: round((clientMs * 1000) / events, 1),
    serverCpuUsPerEvent: serverMs === null ? null : round((serverMs * 1000) / events, 1),
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

/** The same history written two ways: personal fields in the clear (the reference) or sealed. */
const forms = ['clear', 'sealed'] as const;
type Form = (typeof forms)[number];
const personalDataOf = (form: Form) =>
  form === 'clear' ? 'in_clear' : createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() });

interface LoadFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The events table with its indexes and TOAST, per event. */
  readonly bytesPerEvent: number;
  /** This process's CPU per event, generating the demo history included (alike for both forms). */
  readonly clientCpuUsPerEvent: number;
  /** The loading sessions' backends' CPU per event (null on PGlite). */
  readonly serverCpuUsPerEvent: number | null;
}

const tableBytes = async (query: (sql: string) => Promise<{ bytes: string | number }[]>, schema: string) =>
  Number((await query(`select pg_total_relation_size('"${schema}".events') as bytes`))[0]!.bytes);

/**
 * Catches each form up `rounds` times, the order turning with the round (clear, sealed, then sealed, clear),
 * so load that drifts on the shared machine falls on both alike. `catchUp(form, round)` runs one child.
 */
const alternateCatchUps = (catchUp: (form: Form, round: number) => CatchUpFigures) => {
  const runs: Record<Form, CatchUpFigures[]> = { clear: [], sealed: [] };
  for (let r = 0; r < catchUpRounds; r++)
    for (const form of r % 2 === 0 ? forms : [...forms].reverse()) {
      const figures = catchUp(form, r);
      console.log(`  catch-up ${r + 1}/${catchUpRounds}, ${form}:`, JSON.stringify(figures));
      runs[form].push(figures);
    }
  return runs;
};

/** The catch-ups of one form together: events/s over their summed time, the highest peak RSS. */
const together = (runs: readonly CatchUpFigures[]) => {
  const events = runs.reduce((sum, r) => sum + r.events, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    events: runs[0]!.events,
    runs: runs.length,
    eventsPerSecond: Math.round(events / seconds),
    eachEventsPerSecond: runs.map((r) => r.eventsPerSecond),
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    clientCpuUsPerEvent: round(runs.reduce((sum, r) => sum + r.clientCpuUsPerEvent, 0) / runs.length, 1),
    serverCpuUsPerEvent: runs.every((r) => r.serverCpuUsPerEvent !== null)
      ? round(runs.reduce((sum, r) => sum + r.serverCpuUsPerEvent!, 0) / runs.length, 1)
      : null,
    batchSize,
  };
};

const ratioOrNull = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a / b));

/** Times one bulk load with this process's CPU and, given a pool and its sessions' name, the server's. */
const timedLoad = async (
  load: () => Promise<{ events: number; elapsedMs: number; eventsPerSecond: number }>,
  server: () => Promise<number | null>,
) => {
  const serverBefore = await server();
  const cpu = process.cpuUsage();
  const log = await load();
  const clientMs = cpuMsSince(cpu);
  const serverAfter = await server();
  return {
    events: log.events,
    seconds: round(log.elapsedMs / 1000, 1),
    eventsPerSecond: log.eventsPerSecond,
    clientCpuUsPerEvent: round((clientMs * 1000) / log.events, 1),
    serverCpuUsPerEvent:
      serverBefore === null || serverAfter === null
        ? null
        : round(((serverAfter - serverBefore) * 1000) / log.events, 1),
  };
};

const compare = (loads: Record<Form, LoadFigures>, runs: Record<Form, CatchUpFigures[]>) => {
  const catchUp = { clear: together(runs.clear), sealed: together(runs.sealed) };
  return {
    load: loads,
    catchUp,
    sealedOverClear: {
      loadEventsPerSecond: round(loads.sealed.eventsPerSecond / loads.clear.eventsPerSecond),
      bytesPerEvent: round(loads.sealed.bytesPerEvent / loads.clear.bytesPerEvent),
      catchUpEventsPerSecond: round(catchUp.sealed.eventsPerSecond / catchUp.clear.eventsPerSecond),
      peakRss: round(catchUp.sealed.peakRssMiB / catchUp.clear.peakRssMiB),
      loadClientCpu: round(loads.sealed.clientCpuUsPerEvent / loads.clear.clientCpuUsPerEvent),
      loadServerCpu: ratioOrNull(loads.sealed.serverCpuUsPerEvent, loads.clear.serverCpuUsPerEvent),
      catchUpClientCpu: round(catchUp.sealed.clientCpuUsPerEvent / catchUp.clear.clientCpuUsPerEvent),
      catchUpServerCpu: ratioOrNull(catchUp.sealed.serverCpuUsPerEvent, catchUp.clear.serverCpuUsPerEvent),
    },
  };
};

const onPostgres = async () => {
  const suffix = randomBytes(3).toString('hex');
  const eventSchema = (form: Form) => `bench_rm_events_${form}_${suffix}`;
  const rmSchema = (form: Form, r: number) => `bench_rm_${form}_${r}_${suffix}`;
  const applicationName = `bench-rm-load-${suffix}`;
  // Idle sessions kept open, so none takes its CPU figure with it when it closes between two readings.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: applicationName,
    idleTimeoutMillis: 0,
  });
  try {
    const loads = {} as Record<Form, LoadFigures>;
    for (const form of forms) {
      const log = await timedLoad(
        async () =>
          bulkLoadDemo(await demoEvents(postgresEvents), {
            personalData: personalDataOf(form),
            pool,
            schema: eventSchema(form),
            limit: postgresEvents,
          }),
        () => backendCpuMs(pool, applicationName),
      );
      const bytes = await tableBytes(async (sql) => (await pool.query(sql)).rows, eventSchema(form));
      loads[form] = { ...log, bytesPerEvent: Math.round(bytes / log.events) };
      console.log(`postgres, ${form}: ${log.events} events generated and loaded`, JSON.stringify(loads[form]));
    }
    const runs = alternateCatchUps((form, r) =>
      runChild(['postgres', databaseUrl, eventSchema(form), rmSchema(form, r)]),
    );
    return compare(loads, runs);
  } finally {
    // The schemas this run made: the two logs, and each catch-up's read models with their build schemas.
    const made = forms.flatMap((form) => [
      eventSchema(form),
      ...Array.from({ length: catchUpRounds }, (_, r) => rmSchema(form, r)),
    ]);
    const { rows } = await pool.query<{ nspname: string }>(
      `select nspname from pg_namespace
        where nspname = any($1::text[]) or exists (select 1 from unnest($1::text[]) m where nspname like m || '\\_%')`,
      [made],
    );
    for (const { nspname } of rows) await pool.query(`drop schema if exists "${nspname}" cascade`);
    await pool.end();
  }
};

const onPglite = async () => {
  const dirs = {} as Record<Form, string>;
  try {
    const loads = {} as Record<Form, LoadFigures>;
    for (const form of forms) {
      dirs[form] = mkdtempSync(join(tmpdir(), `bench-rm-pglite-${form}-`));
      const pglite = await openPglite(dirs[form]);
      const log = await timedLoad(
        async () =>
          bulkLoadDemo(await demoEvents(pgliteEvents), {
            personalData: personalDataOf(form),
            executor: pgliteExecutor(pglite),
            limit: pgliteEvents,
          }),
        async () => null,
      );
      const bytes = await tableBytes(
        async (sql) => (await pglite.query<{ bytes: string | number }>(sql)).rows,
        'event_store',
      );
      await pglite.close();
      loads[form] = { ...log, bytesPerEvent: Math.round(bytes / log.events) };
      console.log(`pglite, ${form}: ${log.events} events generated and loaded`, JSON.stringify(loads[form]));
    }
    // Each round builds the read models anew in a schema of its own beside the events.
    const runs = alternateCatchUps((form, r) => runChild(['pglite', dirs[form], 'event_store', `read_models_${r}`]));
    return compare(loads, runs);
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
};

const [mode, ...args] = process.argv.slice(2);
if (mode === 'child') {
  await child(args[0]!, args[1]!, args[2]!, args[3]!);
} else {
  const postgres = await onPostgres();
  console.log('postgres', JSON.stringify(postgres.sealedOverClear));
  const pglite = await onPglite();
  console.log('pglite', JSON.stringify(pglite.sealedOverClear));
  for (const [store, f] of [
    ['PostgreSQL', postgres],
    ['PGlite', pglite],
  ] as const) {
    for (const form of forms)
      console.log(
        `${store}, ${form}: load ${f.load[form].eventsPerSecond} events/s (${f.load[form].bytesPerEvent} bytes/event, ` +
          `CPU µs/event ${f.load[form].clientCpuUsPerEvent} client, ${f.load[form].serverCpuUsPerEvent ?? '–'} server), ` +
          `catch-up ${f.catchUp[form].eventsPerSecond} events/s (${f.catchUp[form].eachEventsPerSecond.join(', ')}; ` +
          `CPU µs/event ${f.catchUp[form].clientCpuUsPerEvent} client, ${f.catchUp[form].serverCpuUsPerEvent ?? '–'} server), ` +
          `peak RSS ${f.catchUp[form].peakRssMiB} MiB`,
      );
    const r = f.sealedOverClear;
    console.log(
      `${store}, sealed / clear: ${r.loadEventsPerSecond}× the load rate, ${r.bytesPerEvent}× the bytes per event, ` +
        `${r.catchUpEventsPerSecond}× the catch-up rate, ${r.peakRss}× the peak RSS; CPU per event: load ` +
        `${r.loadClientCpu}× client, ${r.loadServerCpu ?? '–'}× server, catch-up ${r.catchUpClientCpu}× client, ` +
        `${r.catchUpServerCpu ?? '–'}× server`,
    );
  }
  writeResult('read-models', {
    projections: projectionList.map((p) => p.name),
    history: {
      seed,
      postgresEvents,
      pgliteEvents,
      sealing: 'keys in memory; the catch-up reads sealed values as markers and never decrypts',
    },
    postgres,
    pglite,
    aim: { eventsPerSecond: 30_000, peakRssMiB: 300 },
  });
}
