// Commands per second and latency through the command API over HTTP (issue 11): 50 clients each walking
// problems through 征题 → 领题 → 解题 → 评题 with JSON bodies, bearer tokens and Idempotency-Keys, beside the
// same four commands through the API's lifecycle handlers in process, on the same PostgreSQL store and key
// store, in one run. The API is served in this process and, for CPU that is its own, in a child process.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type Actor,
  type CommandMetadata,
  commandHandler,
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  type DirectoryContextLoader,
  type EventStore,
  personDecider,
  personEventRegistry,
  personStreamIdOf,
  type SubjectKeyStore,
  unitDecider,
  unitEventRegistry,
  unitStreamIdOf,
} from '@banshishi/core';
import { freshnessOf, openReadModels } from '@banshishi/read-models';
import { getPostgresEventStore, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import pg from 'pg';
import { createTokenVerifier, issueDevToken } from '../apps/api/src/auth/tokens.js';
import { type ApiDeps, createApiApp } from '../apps/api/src/http/app.js';
import { lifecycleHandlers } from '../apps/api/src/lifecycles.js';
import { apiBase } from '../apps/api/src/routes/command-routes.js';
import { closeServer, listen } from '../apps/api/src/serve.js';
import { backendCpuMs, percentile, round, writeResult } from './lib.js';

const clients = Number(process.env.BENCH_API_CLIENTS ?? 50);
/** Problems walked through their four commands per runner, over all rounds. */
const items = Number(process.env.BENCH_API_ITEMS ?? 2_000);
const warmupItems = Number(process.env.BENCH_API_WARMUP ?? 100);
const rounds = Number(process.env.BENCH_API_ROUNDS ?? 2);
/** `same`: the API in this process; `child`: in a child process; `both` (default). */
const serverModes =
  (process.env.BENCH_API_SERVER ?? 'both') === 'both' ? ['same', 'child'] : [process.env.BENCH_API_SERVER!];
const streets = 5;
const communitiesPerStreet = 5;
const residentsPerCommunity = 2;

const apiRequire = createRequire(new URL('../apps/api/package.json', import.meta.url));

// ---------------------------------------------------------------------------------------------------------
// The directory: a district, 5 streets of 5 communities, a secretary and 2 residents in each, so each of the
// 50 clients has a resident of its own and shares its community's secretary with one other client.

interface Lane {
  readonly communityId: string;
  readonly secretaryId: string;
  readonly residentId: string;
}

const lanesOfDirectory = (): Lane[] => {
  const lanes: Lane[] = [];
  for (let s = 0; s < streets; s++)
    for (let c = 0; c < communitiesPerStreet; c++)
      for (let r = 0; r < residentsPerCommunity; r++)
        lanes.push({ communityId: `s${s}-c${c}`, secretaryId: `sec-${s}-${c}`, residentId: `res-${s}-${c}-${r}` });
  return lanes;
};
const lanes = lanesOfDirectory();
const laneOf = (client: number) => lanes[client % lanes.length]!;

const system: Actor = { personId: 'system', role: 'system' };

/** Sets the directory up as `system` through core's handlers, a day in the past, names sealed. */
const setUpDirectory = async (store: EventStore, keys: SubjectKeyStore) => {
  const context = createDirectoryContextLoader(store);
  const personalData = createCorePersonalDataSealer({ keys });
  const units = commandHandler({
    store,
    decider: unitDecider,
    registry: unitEventRegistry,
    streamIdOf: unitStreamIdOf,
    context,
    personalData,
  });
  const people = commandHandler({
    store,
    decider: personDecider,
    registry: personEventRegistry,
    streamIdOf: personStreamIdOf,
    context,
    personalData,
  });
  const metadata = { actor: system, now: new Date(Date.now() - 86_400_000).toISOString() };
  const must = async (done: Promise<{ _tag: string; left?: { message: string } }>) => {
    const r = await done;
    if (r._tag === 'Left') throw new Error(`setup refused: ${r.left?.message}`);
  };
  await must(
    units({ type: 'registerUnit', data: { unitId: 'd', name: '胶州市', kind: 'district', parentId: null }, metadata }),
  );
  for (let s = 0; s < streets; s++) {
    await must(
      units({
        type: 'registerUnit',
        data: { unitId: `s${s}`, name: `街道 ${s}`, kind: 'street', parentId: 'd' },
        metadata,
      }),
    );
    for (let c = 0; c < communitiesPerStreet; c++)
      await must(
        units({
          type: 'registerUnit',
          data: { unitId: `s${s}-c${c}`, name: `社区 ${s}-${c}`, kind: 'community', parentId: `s${s}` },
          metadata,
        }),
      );
  }
  const holders = [
    ...new Map(
      lanes.map((l) => [
        l.secretaryId,
        { personId: l.secretaryId, kind: 'official', role: 'secretary', unitId: l.communityId },
      ]),
    ).values(),
    ...lanes.map((l) => ({ personId: l.residentId, kind: 'resident', role: 'resident', unitId: l.communityId })),
  ];
  for (const { personId, kind, role, unitId } of holders) {
    await must(
      people({ type: 'registerPerson', data: { personId, kind, name: `姓名 ${personId}` }, metadata } as never),
    );
    await must(people({ type: 'grantRole', data: { personId, role, unitId }, metadata } as never));
  }
  return holders.length;
};

// ---------------------------------------------------------------------------------------------------------
// The four commands of a problem's life, as the API's bodies (path parameters left out). The 征题 carries
// the raiser's name, phone and address and a description, the 评题 a comment: sealed, with the key store.

const promisedBy = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

type Step = 'solicitProblem' | 'claimProblem' | 'solveProblem' | 'evaluateProblem';
const steps: readonly Step[] = ['solicitProblem', 'claimProblem', 'solveProblem', 'evaluateProblem'];

const bodyOf = (step: Step, problemId: string, lane: Lane, n: number): Record<string, unknown> => {
  switch (step) {
    case 'solicitProblem':
      return {
        problemId,
        unitId: lane.communityId,
        source: 'resident',
        grade: 'small',
        title: '楼道灯不亮',
        description: '三号楼二单元楼道灯坏了两周，晚上老人上下楼不方便',
        category: 'infrastructure',
        raiser: {
          kind: 'resident',
          personId: lane.residentId,
          name: `居民 ${lane.residentId}`,
          phone: `1380000${String(n % 10_000).padStart(4, '0')}`,
          address: `三号楼二单元 ${(n % 30) + 101} 室`,
        },
      };
    case 'claimProblem':
      return { plan: '联系物业更换灯具并检查线路', promisedBy: promisedBy() };
    case 'solveProblem':
      return {
        summary: '更换了三号楼二单元全部楼道灯',
        evidence: [{ kind: 'photo', uri: 'https://files.example/p/1.jpg', caption: '更换后' }],
      };
    case 'evaluateProblem':
      return { kind: 'resident', verdict: 'satisfied', comment: '修得很快' };
  }
};

const pathOf = (step: Step, problemId: string) =>
  step === 'solicitProblem'
    ? `${apiBase}/problems`
    : `${apiBase}/problems/${problemId}/${{ claimProblem: 'claim', solveProblem: 'solve', evaluateProblem: 'evaluate' }[step]}`;

const actorOf = (step: Step, lane: Lane): Actor =>
  step === 'claimProblem' || step === 'solveProblem'
    ? { personId: lane.secretaryId, role: 'secretary' }
    : { personId: lane.residentId, role: 'resident' };

/** One command of problem `n` (its `step`), by lane `lane`, with an Idempotency-Key of its own. */
type Exec = (step: Step, problemId: string, lane: Lane, n: number, key: string) => Promise<void>;

// ---------------------------------------------------------------------------------------------------------
// Runners: the in-process command path, and HTTP clients against a served API.

/**
 * The directory as the loader has it after one catch-up, handed to every command without reading the log
 * again: what the command path costs when concurrent commands do not each wait for a read of their own.
 * Only for the directory this bench sets up once; it would miss changes made while it runs.
 */
const caughtUpOnce = async (store: EventStore): Promise<DirectoryContextLoader> => {
  const loader = createDirectoryContextLoader(store);
  await loader.catchUp();
  const load = async (command?: { readonly metadata: CommandMetadata }) => ({
    directory: loader.builder.viewAt(command?.metadata.now),
    wishClaims: { openClaimsOf: loader.builder.openClaimsOf, openWishesOf: loader.builder.openWishesOf, limit: 3 },
  });
  return Object.assign(load, { catchUp: async () => {}, builder: loader.builder });
};

/** Core's command path as the API dispatches to it, without HTTP: lifecycleHandlers over the same store. */
const inProcessExec = (store: EventStore, keys: SubjectKeyStore, context: DirectoryContextLoader): Exec => {
  const handlers = lifecycleHandlers({
    store,
    context,
    personalData: createCorePersonalDataSealer({ keys }),
    clock: () => new Date(),
  });
  return async (step, problemId, lane, n, key) => {
    const actor = actorOf(step, lane);
    const done = await handlers.problem(
      {
        type: step,
        data: { ...bodyOf(step, problemId, lane, n), problemId },
        metadata: { actor, now: new Date().toISOString() },
      },
      { idempotencyKey: `${actor.personId}/${key}` },
    );
    if (done._tag === 'Left')
      throw new Error(`in process: ${step} of ${problemId} refused: ${done.left.rule}: ${done.left.message}`);
    if (done.right.replayed || done.right.events.length === 0)
      throw new Error(`in process: ${step} of ${problemId} stored nothing`);
  };
};

const post = (
  agent: http.Agent,
  url: URL,
  token: string,
  body: string,
  key: string,
): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': key,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** 50 keep-alive connections at most, one per client; every answer must be the 2xx of a stored command. */
const httpExec = (base: string, tokens: ReadonlyMap<string, string>, agent: http.Agent): Exec => {
  return async (step, problemId, lane, n, key) => {
    const actor = actorOf(step, lane);
    const answer = await post(
      agent,
      new URL(pathOf(step, problemId), base),
      tokens.get(actor.personId)!,
      JSON.stringify(bodyOf(step, problemId, lane, n)),
      key,
    );
    const expected = step === 'solicitProblem' ? 201 : 200;
    if (answer.status !== expected)
      throw new Error(`HTTP: ${step} of ${problemId} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
    const result = JSON.parse(answer.text) as { replayed: boolean; events: unknown[] };
    if (result.replayed || result.events.length === 0) throw new Error(`HTTP: ${step} of ${problemId} stored nothing`);
  };
};

interface Sample {
  readonly latenciesMs: Record<Step, number[]>;
  readonly seconds: number;
  readonly cpuMs: number;
  /** The API's child process, when it runs in one. */
  readonly serverCpuMs: number | null;
  readonly postgresCpuMs: number | null;
  readonly loadAverage: readonly [number, number];
  readonly calls: Calls;
}

/** `clients` loops, each taking the next problem and sending its four commands one after the other. */
const runItems = async (prefix: string, count: number, exec: Exec) => {
  const latenciesMs = Object.fromEntries(steps.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const lane = laneOf(client);
      for (let n = next++; n < count; n = next++) {
        const problemId = `${prefix}-${n}`;
        for (const step of steps) {
          const t0 = performance.now();
          await exec(step, problemId, lane, n, `${problemId}-${step}`);
          latenciesMs[step].push(performance.now() - t0);
        }
      }
    }),
  );
  return { latenciesMs, seconds: (performance.now() - started) / 1000 };
};

/** CPU time so far of a process on this machine, from /proc (ms); null when it is gone. */
const cpuMsOf = async (pid: number): Promise<number | null> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

// ---------------------------------------------------------------------------------------------------------
// Store and key-store calls per command, counted in this process (the child's are not seen): where the
// round trips of a command go.

interface Calls {
  readStream: number;
  readAll: number;
  append: number;
  keyFor: number;
  lookup: number;
  /** Wall time the directory catch-up's reads took, summed: they run one after another, never two at once. */
  readAllMs: number;
}
const noCalls = (): Calls => ({ readStream: 0, readAll: 0, append: 0, keyFor: 0, lookup: 0, readAllMs: 0 });
const calls = noCalls();
const callsSince = (before: Calls): Calls =>
  Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, v - before[k as keyof Calls]])) as unknown as Calls;

const countedStore = <S extends EventStore>(store: S): S => ({
  ...store,
  readStream: (...a: Parameters<EventStore['readStream']>) => {
    calls.readStream++;
    return store.readStream(...a);
  },
  readAll: async (...a: Parameters<EventStore['readAll']>) => {
    calls.readAll++;
    const t0 = performance.now();
    try {
      return await store.readAll(...a);
    } finally {
      calls.readAllMs += performance.now() - t0;
    }
  },
  append: (...a: Parameters<EventStore['append']>) => {
    calls.append++;
    return store.append(...a);
  },
});
const countedKeys = (keys: SubjectKeyStore): SubjectKeyStore => ({
  keyFor: (subject) => {
    calls.keyFor++;
    return keys.keyFor(subject);
  },
  lookup: (subjects) => {
    calls.lookup++;
    return keys.lookup(subjects);
  },
  destroy: (subject, at) => keys.destroy(subject, at),
  forgottenSubjects: () => keys.forgottenSubjects(),
});

// ---------------------------------------------------------------------------------------------------------
// The API as server mode builds it: PostgreSQL event store and key store (a pool of 10 each, their
// defaults), a bearer-token verifier, pino at info into /dev/null (its per-request log line is real work),
// rate limits far above what the run sends.

interface Schemas {
  readonly events: string;
  readonly keys: string;
  readonly readModels: string;
  readonly applicationName: string;
  readonly secretHex: string;
}

const buildApi = async (
  schemas: Schemas,
  wrap: { store: <S extends EventStore>(s: S) => S; keys: (k: SubjectKeyStore) => SubjectKeyStore },
) => {
  // pino is the API's dependency, not the bench's: taken from the API's folder, typed by what is used.
  const { pino } = apiRequire('pino') as {
    pino: ((options: { level: string }, destination: unknown) => unknown) & {
      destination(o: { dest: string; sync: boolean }): unknown;
    };
  };
  const store = await getPostgresEventStore({
    connectionString: databaseUrl,
    schema: schemas.events,
    applicationName: schemas.applicationName,
  });
  const keys = await getPostgresSubjectKeyStore({
    connectionString: databaseUrl,
    schema: schemas.keys,
    applicationName: schemas.applicationName,
  });
  const readModels = await openReadModels(
    { kind: 'postgres', connectionString: databaseUrl, max: 2 },
    schemas.readModels,
  );
  const app = createApiApp({
    store: wrap.store(store),
    keys: wrap.keys(keys),
    readModels,
    freshness: () => freshnessOf(readModels, null),
    verifyToken: createTokenVerifier({ keys: { kind: 'secret', secret: Buffer.from(schemas.secretHex, 'hex') } }),
    integrations: {},
    logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })) as ApiDeps['logger'],
    limits: { bodyBytes: 64 * 1024, perAddressPerMinute: 1_000_000_000, perTokenPerMinute: 1_000_000_000 },
  });
  const { server, url } = await listen(app, 0, '127.0.0.1');
  return {
    url,
    close: async () => {
      await closeServer(server);
      await Promise.all([store.close(), keys.close(), readModels.close()]);
    },
  };
};

/** Starts `api-http.bench.ts serve` and resolves with its URL once it listens. */
const startChild = (schemas: Schemas): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_API_SCHEMAS: JSON.stringify(schemas) },
    });
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`the API's child process exited with ${code} before listening`)));
  });

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

// ---------------------------------------------------------------------------------------------------------

const figuresOf = (samples: readonly Sample[]) => {
  const all = samples.flatMap((s) => steps.flatMap((step) => s.latenciesMs[step])).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const n = all.length;
  const sumOf = (f: (s: Sample) => number | null) =>
    samples.every((s) => f(s) !== null) ? samples.reduce((sum, s) => sum + f(s)!, 0) : null;
  const perCommand = (ms: number | null) => (ms === null ? null : round(ms / n, 3));
  const summed = samples.reduce((acc, s) => {
    for (const k of Object.keys(acc) as (keyof Calls)[]) acc[k] += s.calls[k];
    return acc;
  }, noCalls());
  return {
    commands: n,
    clients,
    rounds: samples.length,
    seconds: round(seconds, 3),
    commandsPerSecond: Math.round(n / seconds),
    p50Ms: round(percentile(all, 50)),
    p99Ms: round(percentile(all, 99)),
    maxMs: round(all[n - 1] ?? Number.NaN),
    byCommand: Object.fromEntries(
      steps.map((step) => {
        const l = samples.flatMap((s) => s.latenciesMs[step]).sort((a, b) => a - b);
        return [
          step,
          {
            commands: l.length,
            p50Ms: round(percentile(l, 50)),
            p99Ms: round(percentile(l, 99)),
            maxMs: round(l[l.length - 1] ?? Number.NaN),
          },
        ];
      }),
    ),
    /** This process: the in-process runner's whole path, or the load generator (and the API when it runs here). */
    processCpuMsPerCommand: perCommand(sumOf((s) => s.cpuMs)),
    serverProcessCpuMsPerCommand: perCommand(sumOf((s) => s.serverCpuMs)),
    postgresCpuMsPerCommand: perCommand(sumOf((s) => s.postgresCpuMs)),
    loadAverage: [samples[0]?.loadAverage[0] ?? 0, samples[samples.length - 1]?.loadAverage[1] ?? 0],
    /** Calls counted in this process (zero for the child's). */
    storeCallsPerCommand: Object.fromEntries(
      Object.entries(summed)
        .filter(([k]) => k !== 'readAllMs')
        .map(([k, v]) => [k, round(v / n, 3)]),
    ),
    /** Of the wall time, the share the directory's reads were in flight (they are serialised: 1 is saturated). */
    directoryReadBusy: summed.readAll === 0 ? null : round(summed.readAllMs / 1000 / seconds, 3),
    directoryReadMeanMs: summed.readAll === 0 ? null : round(summed.readAllMs / summed.readAll, 3),
  };
};
type Figures = ReturnType<typeof figuresOf>;

const ratioOf = (a: Figures, b: Figures) => ({
  commandsPerSecond: round(a.commandsPerSecond / b.commandsPerSecond),
  p50: round(a.p50Ms / b.p50Ms),
  p99: round(a.p99Ms / b.p99Ms),
});

const main = async () => {
  const runId = randomBytes(4).toString('hex');
  const schemas: Schemas = {
    events: `bench_api_events_${runId}`,
    keys: `bench_api_keys_${runId}`,
    readModels: `bench_api_rm_${runId}`,
    applicationName: `bench-api-${runId}`,
    secretHex: randomBytes(32).toString('hex'),
  };
  // Each runner's pools under a name of their own: a pool idle while another runner is measured closes its
  // connections, and their CPU must not leave the measured runner's reading.
  const sameSchemas: Schemas = { ...schemas, applicationName: `bench-api-http-${runId}` };
  const childSchemas: Schemas = { ...schemas, applicationName: `bench-api-child-${runId}` };
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const store = countedStore(
    await getPostgresEventStore({
      connectionString: databaseUrl,
      schema: schemas.events,
      applicationName: schemas.applicationName,
    }),
  );
  const rawKeys = await getPostgresSubjectKeyStore({
    connectionString: databaseUrl,
    schema: schemas.keys,
    applicationName: schemas.applicationName,
  });
  const keys = countedKeys(rawKeys);
  const closers: (() => Promise<void>)[] = [() => store.close(), () => rawKeys.close()];
  try {
    const setupStarted = performance.now();
    const people = await setUpDirectory(store, keys);
    const setupSeconds = round((performance.now() - setupStarted) / 1000, 2);
    console.log(
      `api-http: directory of ${people} people set up in ${setupSeconds} s; ${clients} clients, ${items} problems per runner`,
    );
    const secret = Buffer.from(schemas.secretHex, 'hex');
    const tokens = new Map<string, string>();
    for (const person of new Set(lanes.flatMap((l) => [l.secretaryId, l.residentId])))
      tokens.set(person, await issueDevToken(secret, { personId: person, ttlSec: 3600 }));

    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    closers.push(async () => agent.destroy());
    interface Runner {
      readonly key: string;
      readonly label: string;
      readonly exec: Exec;
      readonly serverPid: number | null;
      readonly applicationName: string;
    }
    const runners: Runner[] = [
      {
        key: 'inProcess',
        label: 'in process (lifecycleHandlers)',
        exec: inProcessExec(store, keys, createDirectoryContextLoader(store)),
        serverPid: null,
        applicationName: schemas.applicationName,
      },
      {
        key: 'inProcessDirectoryOnce',
        label: 'in process, directory read once',
        exec: inProcessExec(store, keys, await caughtUpOnce(store)),
        serverPid: null,
        applicationName: schemas.applicationName,
      },
    ];
    if (serverModes.includes('same')) {
      const api = await buildApi(sameSchemas, { store: countedStore, keys: countedKeys });
      closers.push(api.close);
      runners.push({
        key: 'httpSameProcess',
        label: 'HTTP, API in this process',
        exec: httpExec(api.url, tokens, agent),
        serverPid: null,
        applicationName: sameSchemas.applicationName,
      });
    }
    if (serverModes.includes('child')) {
      const { child, url } = await startChild(childSchemas);
      closers.push(() => stopChild(child));
      runners.push({
        key: 'httpChild',
        label: 'HTTP, API in a child process',
        exec: httpExec(url, tokens, agent),
        serverPid: child.pid!,
        applicationName: childSchemas.applicationName,
      });
    }

    const sample = async (runner: Runner, prefix: string, count: number): Promise<Sample> => {
      const load0 = os.loadavg()[0]!;
      const server0 = runner.serverPid === null ? null : await cpuMsOf(runner.serverPid);
      const pg0 = await backendCpuMs(admin, runner.applicationName);
      const calls0 = { ...calls };
      const cpu0 = process.cpuUsage();
      const { latenciesMs, seconds } = await runItems(prefix, count, runner.exec);
      const cpu = process.cpuUsage(cpu0);
      const done = callsSince(calls0);
      const server1 = runner.serverPid === null ? null : await cpuMsOf(runner.serverPid);
      const pg1 = await backendCpuMs(admin, runner.applicationName);
      return {
        latenciesMs,
        seconds,
        cpuMs: (cpu.user + cpu.system) / 1000,
        serverCpuMs: server0 === null || server1 === null ? null : server1 - server0,
        postgresCpuMs: pg0 === null || pg1 === null ? null : pg1 - pg0,
        loadAverage: [round(load0), round(os.loadavg()[0]!)],
        calls: done,
      };
    };

    for (const runner of runners) {
      console.log(`warm-up: ${warmupItems} problems, ${runner.label}`);
      await sample(runner, `warm-${runner.key}-${runId}`, warmupItems);
    }
    const samples = new Map<string, Sample[]>(runners.map((r) => [r.key, []]));
    const perRound = Math.ceil(items / rounds);
    for (let r = 0; r < rounds; r++) {
      const order = [...runners.slice(r % runners.length), ...runners.slice(0, r % runners.length)];
      for (const runner of order) {
        const s = await sample(runner, `r${r}-${runner.key}-${runId}`, perRound);
        samples.get(runner.key)!.push(s);
        console.log(
          `round ${r + 1}/${rounds} ${runner.label}: ${Math.round((perRound * steps.length) / s.seconds)} commands/s, load ${s.loadAverage.join(' → ')}`,
        );
      }
    }

    const figures = Object.fromEntries(runners.map((r) => [r.key, figuresOf(samples.get(r.key)!)]));
    const reference = figures.inProcess!;
    const ratios = Object.fromEntries(
      runners.slice(1).map((r) => [`${r.key}OverInProcess`, ratioOf(figures[r.key]!, reference)]),
    );

    const width = Math.max(...runners.map((r) => r.label.length)) + 2;
    console.log(
      `\n${'runner'.padEnd(width)}${'commands'.padStart(9)}${'cmd/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}` +
        `${'CPU ms/cmd: this process / API child / PostgreSQL'.padStart(52)}`,
    );
    for (const r of runners) {
      const f = figures[r.key]!;
      const cpu = [f.processCpuMsPerCommand, f.serverProcessCpuMsPerCommand, f.postgresCpuMsPerCommand].map((v) =>
        v === null ? '–' : v.toFixed(3),
      );
      console.log(
        `${r.label.padEnd(width)}${String(f.commands).padStart(9)}${String(f.commandsPerSecond).padStart(8)}${f.p50Ms.toFixed(2).padStart(9)}` +
          `${f.p99Ms.toFixed(2).padStart(9)}${f.maxMs.toFixed(1).padStart(9)}${cpu.join(' / ').padStart(52)}`,
      );
      for (const step of steps) {
        const b = f.byCommand[step]!;
        console.log(
          `  ${step.padEnd(width - 2)}${String(b.commands).padStart(9)}${''.padStart(8)}${b.p50Ms.toFixed(2).padStart(9)}${b.p99Ms.toFixed(2).padStart(9)}${b.maxMs.toFixed(1).padStart(9)}`,
        );
      }
      console.log(
        `  store calls per command (this process): ${JSON.stringify(f.storeCallsPerCommand)}; directory reads in flight ` +
          `${f.directoryReadBusy ?? '–'} of the time, ${f.directoryReadMeanMs ?? '–'} ms each`,
      );
    }
    for (const r of runners.slice(1)) {
      const x = ratios[`${r.key}OverInProcess`]!;
      console.log(
        `${r.label} / in process: ${x.commandsPerSecond}× the commands/s, ${x.p50}× the p50, ${x.p99}× the p99`,
      );
    }

    writeResult('api-http', {
      workload:
        "problem lives through the API's four commands (solicit with the raiser's name, phone, address and a description → " +
        'claim → solve with a photo → resident evaluation with a comment, which closes), each client its own resident and its ' +
        "community's secretary; sealed with the PostgreSQL key store; an Idempotency-Key on every command",
      clients,
      problemsPerRunner: perRound * rounds,
      warmupProblemsPerRunner: warmupItems,
      directory: { people, communities: streets * communitiesPerStreet, setupSeconds },
      httpClient: 'node:http, keep-alive agent, one socket per client at most',
      runners: Object.fromEntries(runners.map((r) => [r.key, { label: r.label, ...figures[r.key]! }])),
      ratios,
      server: {
        version: (await admin.query('SHOW server_version')).rows[0].server_version,
        eventStorePool: 10,
        keyStorePool: 10,
      },
    });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    for (const schema of [schemas.events, schemas.keys, schemas.readModels])
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await admin.end();
  }
};

if (process.argv[2] === 'serve') {
  const schemas = JSON.parse(process.env.BENCH_API_SCHEMAS!) as Schemas;
  const api = await buildApi(schemas, { store: (s) => s, keys: (k) => k });
  process.on('SIGTERM', () => {
    api.close().then(() => process.exit(0));
  });
  console.log(JSON.stringify({ url: api.url }));
} else {
  await main();
}
