// The board under load (issue 9): requests/s and p50/p99 latency of the 公示栏 list, an item page, the
// 评价榜 and Open311's requests.json, 50 keep-alive clients each, over read models built from 1,000,000
// events on PostgreSQL, beside a bare express handler measured in the same run (the machine's ceiling).
// The server runs in a child process of its own, so the load generator (this process) does not take its CPU.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { catchUpTogether, openReadModels, projectionList } from '@banshishi/read-models';
import { bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import pg from 'pg';
import type { BoardDeps } from '../apps/board/src/http/deps.js';
import { percentile, round, writeResult } from './lib.js';

const events = Number(process.env.BENCH_BOARD_EVENTS ?? 1_000_000);
const concurrency = Number(process.env.BENCH_BOARD_CLIENTS ?? 50);
const seconds = Number(process.env.BENCH_BOARD_SECONDS ?? 10);
const warmUpSeconds = Number(process.env.BENCH_BOARD_WARMUP ?? 2);
const poolSize = Number(process.env.BENCH_BOARD_POOL ?? 10);
// Kept across runs: a rerun reuses the log and the read models when they are complete (see ensureData).
const eventSchema = process.env.BENCH_BOARD_EVENT_SCHEMA ?? 'bench_board_events';
const rmSchema = process.env.BENCH_BOARD_RM_SCHEMA ?? 'bench_board_rm';
const seed = 2021;
// The generator makes about 0.86 events per unit of scale; the log is cut at the event count.
const scaleFor = (n: number) => Math.ceil(n * 1.25);
/**
 * The server's "now": a day after the newest problem was raised (the log is cut at its event count, so it
 * ends before the demo campaign does), set by the parent; Open311's default window is the last 90 days.
 */
const boardNow = process.env.BENCH_BOARD_NOW ?? '2022-01-10T12:00:00+08:00';
const serverApplication = 'bench_board';
const profileDir = process.env.BENCH_BOARD_PROFILE;
/** BENCH_BOARD_ONLY=list,item: only the targets whose name contains one of these words. */
const only = process.env.BENCH_BOARD_ONLY?.split(',');

const withApplication = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
};

// ---------------------------------------------------------------------------------------------------------
// The data: a demo log of `events` events and the three projections caught up over it, kept between runs.

const schemaExists = async (admin: pg.Pool, name: string) =>
  (await admin.query('select 1 from pg_namespace where nspname = $1', [name])).rowCount === 1;

const dropReadModels = async (admin: pg.Pool) => {
  const { rows } = await admin.query<{ nspname: string }>(
    'select nspname from pg_namespace where nspname = $1 or nspname like $2',
    [rmSchema, `${rmSchema}\\_%`],
  );
  for (const { nspname } of rows) await admin.query(`drop schema if exists "${nspname}" cascade`);
};

/**
 * The log is reused when it holds exactly `events` events; the read models when their schema is marked as
 * built over that log by the current projection versions. Anything else is rebuilt: a changed projection
 * (a version bump) rebuilds the read models only, a changed event count both.
 */
const ensureData = async (admin: pg.Pool) => {
  const started = performance.now();
  let logEvents = 0;
  if (await schemaExists(admin, eventSchema)) {
    const { rows } = await admin.query<{ n: string }>(`select count(*) as n from "${eventSchema}".events`);
    logEvents = Number(rows[0]!.n);
  }
  let loadedLog = false;
  if (logEvents !== events) {
    console.log(`board: loading ${events} demo events into "${eventSchema}" (found ${logEvents})`);
    await admin.query(`drop schema if exists "${eventSchema}" cascade`);
    await dropReadModels(admin);
    const { generateDemoEvents } = await import('@banshishi/demo');
    const log = await bulkLoadDemo(generateDemoEvents({ seed, scale: scaleFor(events) }), {
      personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
      pool: admin,
      schema: eventSchema,
      limit: events,
    });
    logEvents = log.events;
    loadedLog = true;
    console.log(`board: ${log.events} events loaded in ${round((performance.now() - started) / 1000, 1)} s`);
  }
  // A complete build is marked on the read-model schema with the log it was built from and the projection
  // versions; a build's own position is its last event of its categories, not the log's head, so it
  // cannot tell "complete" by itself.
  const built = JSON.stringify({
    events: logEvents,
    versions: Object.fromEntries(projectionList.map((p) => [p.name, p.version])),
  });
  const { rows: marks } = await admin.query<{ mark: string | null }>(
    'select obj_description(oid, $2) as mark from pg_namespace where nspname = $1',
    [rmSchema, 'pg_namespace'],
  );
  const builtReadModels = loadedLog || marks[0]?.mark !== built;
  if (builtReadModels) {
    await dropReadModels(admin);
    console.log(`board: catching the read models in "${rmSchema}" up over ${logEvents} events`);
    const catching = performance.now();
    const store = await getPostgresEventStore({ pool: admin, schema: eventSchema, migrate: false });
    const readModels = await openReadModels({ kind: 'postgres', connectionString: databaseUrl, max: 3 }, rmSchema);
    try {
      await catchUpTogether({ store, readModels, projections: projectionList });
    } finally {
      await readModels.close();
      await store.close();
    }
    // A freshly filled table has no statistics yet, and the planner would guess its size.
    const { rows } = await admin.query<{ schema_name: string }>(
      `select b.schema_name from "${rmSchema}".projection_builds b
         join "${rmSchema}".projection_versions v on v.projection = b.projection and v.live_build = b.build`,
    );
    for (const { schema_name } of rows) {
      const tables = await admin.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [
        schema_name,
      ]);
      for (const { tablename } of tables.rows) await admin.query(`analyze "${schema_name}"."${tablename}"`);
    }
    await admin.query(`comment on schema "${rmSchema}" is '${built.replaceAll("'", "''")}'`);
    console.log(`board: read models built in ${round((performance.now() - catching) / 1000, 1)} s`);
  }
  return { events: logEvents, loadedLog, builtReadModels, seconds: round((performance.now() - started) / 1000, 1) };
};

// ---------------------------------------------------------------------------------------------------------
// The servers, each in a child process: the board over the read models, and the bare express reference.

const boardRequire = createRequire(new URL('../apps/board/package.json', import.meta.url));

/** The board as server mode serves it: PostgreSQL read models, the log's head for freshness, logs silent. */
const serveBoard = async () => {
  const [{ createBoardApp }, { freshnessReader }, { listen }] = await Promise.all([
    import('../apps/board/src/http/app.js'),
    import('../apps/board/src/http/freshness.js'),
    import('../apps/api/src/serve.js'),
  ]);
  // pino is the board's dependency, not the bench's: taken from the board's folder.
  const { pino } = boardRequire('pino') as { pino: (options: { level: string }) => BoardDeps['logger'] };
  const connectionString = withApplication(databaseUrl, serverApplication);
  const readModels = await openReadModels({ kind: 'postgres', connectionString, max: poolSize }, rmSchema);
  const logPool = new pg.Pool({ connectionString, max: 1 });
  const store = await getPostgresEventStore({ pool: logPool, schema: eventSchema, migrate: false });
  const app = createBoardApp({
    readModels,
    clock: () => new Date(boardNow),
    freshness: freshnessReader(readModels, () => store.logHead()),
    logger: pino({ level: 'silent' }),
    // Far above what 50 clients send in a run: the limit must not answer for the board.
    serve: { rateLimitPerMinute: 1_000_000_000 },
  });
  return listen(app, 0, '127.0.0.1');
};

/** The machine's ceiling: express with one handler sending a fixed page of the list's size, no middleware. */
const serveBare = async (bytes: number) => {
  // express is the board's dependency, not the bench's: taken from the board's folder, typed by what is used.
  type BareApp = http.RequestListener & {
    disable(setting: string): void;
    get(path: string, handler: (req: unknown, res: { type(t: string): { send(body: string): void } }) => void): void;
  };
  const express = boardRequire('express') as () => BareApp;
  const { listen } = await import('../apps/api/src/serve.js');
  const app = express();
  app.disable('x-powered-by');
  const row = '<tr><td>P-000000</td><td>某街道某社区</td><td>已销号</td><td>2021-06-01</td></tr>\n';
  const page = `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>公示栏</title></head><body><table>\n${row.repeat(Math.max(1, Math.ceil(bytes / Buffer.byteLength(row))))}</table></body></html>`;
  app.get('/', (_req, res) => res.type('html').send(page));
  return listen(app as unknown as Parameters<typeof listen>[0], 0, '127.0.0.1');
};

/** Starts `board.bench.ts serve <kind>` and resolves with its URL once it listens. */
const startServer = (kind: 'board' | 'bare', bareBytes = 0): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    // BENCH_BOARD_PROFILE=<folder>: the server writes a CPU profile there when it stops.
    const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const child = spawn(
      process.execPath,
      [...profile, '--import', 'tsx', fileURLToPath(import.meta.url), 'serve', kind, String(bareBytes)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve({ child, url: (JSON.parse(line) as { url: string }).url.replace(/\/$/, '') });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
  });

const stopServer = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** CPU time so far of a process on this machine, from /proc (ms); null when it is gone. */
const cpuMsOf = async (pid: number): Promise<number | null> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

/** CPU so far of the PostgreSQL backends serving the board (found by application_name). */
const backendCpuMs = async (admin: pg.Pool): Promise<number> => {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
    serverApplication,
  ]);
  let total = 0;
  for (const { pid } of rows) total += (await cpuMsOf(pid)) ?? 0;
  return total;
};

// ---------------------------------------------------------------------------------------------------------
// The load: `concurrency` loops on keep-alive connections, each sending its next request when the last
// answer has been read in full, for a warm-up and then a fixed time; every request's latency is kept.

interface Answer {
  readonly status: number;
  readonly bytes: number;
}

const get = (agent: http.Agent, url: string, gzip = true): Promise<Answer> =>
  new Promise((resolve, reject) => {
    // As a browser asks: the board compresses, the bare handler does not (no middleware at all).
    const headers = gzip ? { 'accept-encoding': 'gzip', 'accept-language': 'zh' } : { 'accept-language': 'zh' };
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });

interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly statuses: Record<string, number>;
  readonly bytes: number;
  readonly errors: number;
}

const load = async (nextUrl: () => string, durationS: number, agent: http.Agent): Promise<LoadResult> => {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const answer = await get(agent, nextUrl());
          latenciesMs.push(performance.now() - t0);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          bytes += answer.bytes;
        } catch {
          errors++;
        }
      }
    }),
  );
  const took = (performance.now() - started) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return { requests: latenciesMs.length, seconds: took, latenciesMs, statuses, bytes, errors };
};

interface TargetFigures {
  readonly target: string;
  readonly path: string;
  readonly statuses: Record<string, number>;
  /** False when any answer was not 2xx (or a request failed): then no figures are reported. */
  readonly ok: boolean;
  readonly requests?: number;
  readonly requestsPerSecond?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Bytes on the wire (gzip where the server compresses), and of one uncompressed answer. */
  readonly meanBytes?: number;
  readonly pageBytes?: number;
  /** The machine's 1-minute load average before and after the run (2 cores: 2 is full). */
  readonly loadAverage?: readonly [number, number];
  /** CPU per request of the server process, its PostgreSQL backends, and this load generator (ms). */
  readonly serverCpuMsPerRequest?: number;
  readonly postgresCpuMsPerRequest?: number;
  readonly clientCpuMsPerRequest?: number;
}

const measure = async (
  target: string,
  path: string,
  nextUrl: () => string,
  serverPid: number,
  admin: pg.Pool | null,
): Promise<TargetFigures> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    // One request first: a target that is not there (a route not merged yet) is not loaded at all.
    // Uncompressed, so the size of the page itself is known (the bare handler sends one as large).
    const probe = await get(agent, nextUrl(), false).catch(() => ({ status: 0, bytes: 0 }));
    if (probe.status < 200 || probe.status >= 300) {
      console.log(`${target}: ${path} answered ${probe.status}; not measured`);
      return { target, path, statuses: { [probe.status]: 1 }, ok: false };
    }
    await load(nextUrl, warmUpSeconds, agent);
    const loadBefore = os.loadavg()[0]!;
    const serverBefore = await cpuMsOf(serverPid);
    const pgBefore = admin === null ? 0 : await backendCpuMs(admin);
    const clientBefore = process.cpuUsage();
    const run = await load(nextUrl, seconds, agent);
    const client = process.cpuUsage(clientBefore);
    const serverAfter = await cpuMsOf(serverPid);
    const pgAfter = admin === null ? 0 : await backendCpuMs(admin);
    const ok = run.errors === 0 && Object.keys(run.statuses).every((s) => Number(s) >= 200 && Number(s) < 300);
    const statuses = run.errors === 0 ? run.statuses : { ...run.statuses, failed: run.errors };
    if (!ok) {
      console.log(`${target}: ${path} answered ${JSON.stringify(statuses)}; not reported`);
      return { target, path, statuses, ok };
    }
    const n = run.requests;
    return {
      target,
      path,
      statuses,
      ok,
      requests: n,
      requestsPerSecond: round(n / run.seconds, n / run.seconds < 10 ? 1 : 0),
      p50Ms: round(percentile(run.latenciesMs, 50)),
      p99Ms: round(percentile(run.latenciesMs, 99)),
      meanBytes: Math.round(run.bytes / n),
      pageBytes: probe.bytes,
      loadAverage: [round(loadBefore), round(os.loadavg()[0]!)],
      serverCpuMsPerRequest: round(((serverAfter ?? 0) - (serverBefore ?? 0)) / n, 3),
      postgresCpuMsPerRequest: round((pgAfter - pgBefore) / n, 3),
      clientCpuMsPerRequest: round((client.user + client.system) / 1000 / n, 3),
    };
  } finally {
    agent.destroy();
  }
};

// ---------------------------------------------------------------------------------------------------------

const pick = <A>(xs: readonly A[]): A => xs[Math.floor(Math.random() * xs.length)]!;

const main = async () => {
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const data = await ensureData(admin);
    // What the item and filter targets ask for: problems spread over the whole log, and the street with
    // the most problems (a filter that still matches many rows).
    const views = `"${rmSchema}"`;
    const ids = (
      await admin.query<{ problem_id: string }>(
        `select problem_id from ${views}.public_problems order by md5(problem_id) limit 1000`,
      )
    ).rows.map((r) => r.problem_id);
    const street = (
      await admin.query<{ unit_id: string; n: string }>(
        `select s.unit_id, count(*) as n from ${views}.public_problems p
           join ${views}.units u on u.unit_id = p.unit_id
           join ${views}.units s on s.unit_id = u.level2_id and s.kind = 'street'
          group by s.unit_id order by n desc limit 1`,
      )
    ).rows[0];
    const problems = Number(
      (await admin.query<{ n: string }>(`select count(*) as n from ${views}.public_problems`)).rows[0]!.n,
    );
    console.log(`board: ${data.events} events, ${problems} public problems; street ${street?.unit_id}`);

    const newest = (await admin.query<{ at: Date }>(`select max(solicited_at) as at from ${views}.public_problems`))
      .rows[0]!.at;
    process.env.BENCH_BOARD_NOW = new Date(newest.getTime() + 86_400_000).toISOString();
    console.log(`board: the server's clock is ${process.env.BENCH_BOARD_NOW}`);
    const board = await startServer('board');
    const results: TargetFigures[] = [];
    let listBytes = 0;
    try {
      const targets: [string, string, () => string][] = [
        ['list', '/disclosure', () => `${board.url}/disclosure`],
        [
          'list, street and closed',
          `/disclosure?unit=<street>&status=closed`,
          () => `${board.url}/disclosure?unit=${encodeURIComponent(street!.unit_id)}&status=closed`,
        ],
        // Each request a page of its own (of the first 800 pages of 50): what the list costs when the board's
        // one-second response cache cannot help, as when readers page through rather than open the same list.
        [
          'list, a different page each time (uncached)',
          '/disclosure?page=<1..800>',
          () => `${board.url}/disclosure?page=${1 + Math.floor(Math.random() * 800)}`,
        ],
        ['item', '/problems/<id>', () => `${board.url}/problems/${encodeURIComponent(pick(ids))}`],
        ['评价榜 rankings', '/rankings', () => `${board.url}/rankings`],
        ['Open311 requests', '/open311/v2/requests.json', () => `${board.url}/open311/v2/requests.json`],
      ];
      for (const [target, path, nextUrl] of targets.filter(
        ([t]) => only === undefined || only.some((w) => t.includes(w)),
      )) {
        const figures = await measure(target, path, nextUrl, board.child.pid!, admin);
        if (target === 'list' && figures.pageBytes !== undefined) listBytes = figures.pageBytes;
        results.push(figures);
        console.log(JSON.stringify(figures));
      }
    } finally {
      await stopServer(board.child);
    }
    const bare = await startServer('bare', listBytes || 30_000);
    let reference: TargetFigures;
    try {
      reference = await measure('bare express handler', '/', () => `${bare.url}/`, bare.child.pid!, null);
      console.log(JSON.stringify(reference));
    } finally {
      await stopServer(bare.child);
    }
    const ceiling = reference.requestsPerSecond;
    const rows = [...results, reference].map((r) => ({
      ...r,
      ...(r.requestsPerSecond === undefined || ceiling === undefined
        ? {}
        : { ratioToBare: round(r.requestsPerSecond / ceiling, 3) }),
    }));
    console.log(
      '\n| target | path | requests/s | p50 ms | p99 ms | × bare | page / wire bytes | CPU ms/request: server / postgres / load generator | load avg |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---|---|');
    for (const r of rows) {
      console.log(
        r.ok
          ? `| ${r.target} | \`${r.path}\` | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.ratioToBare ?? ''} | ${r.pageBytes} / ${r.meanBytes} | ${r.serverCpuMsPerRequest} / ${r.postgresCpuMsPerRequest} / ${r.clientCpuMsPerRequest} | ${r.loadAverage?.join(' → ')} |`
          : `| ${r.target} | \`${r.path}\` | not measured: answered ${JSON.stringify(r.statuses)} | | | | | | |`,
      );
    }
    writeResult('board', {
      data: {
        events: data.events,
        publicProblems: problems,
        eventSchema,
        rmSchema,
        reused: !data.loadedLog && !data.builtReadModels,
        preparedSeconds: data.seconds,
      },
      clients: concurrency,
      seconds,
      warmUpSeconds,
      poolSize,
      boardNow: process.env.BENCH_BOARD_NOW,
      targets: rows,
      aim: { target: 'list', requestsPerSecond: 1000, p99Ms: 50 },
    });
  } finally {
    await admin.end();
  }
};

const [mode, kind, arg] = process.argv.slice(2);
if (mode === 'serve') {
  const { server, url } = kind === 'bare' ? await serveBare(Number(arg)) : await serveBoard();
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
  console.log(JSON.stringify({ url }));
} else if (mode === 'prepare') {
  // Only the data: `node --import tsx bench/board.bench.ts prepare` builds (or checks) the schemas.
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  console.log(await ensureData(admin).finally(() => admin.end()));
} else {
  await main();
}
