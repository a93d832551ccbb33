// Commands per second and latency through the full command path (read stream → fold → decide → append at
// the expected revision), 16 writers on distinct streams, on PostgreSQL and PGlite; then the very events our
// PostgreSQL run stored, through Emmett's CommandHandler on the same server, so the two stores are compared
// on identical work in one run (issue 3). Beside our runners, the path as it was before issue 16 (every
// command reads its stream, the hash chain in portable JavaScript) runs in the same rounds as the reference.
import { randomBytes } from 'node:crypto';
import {
  commandHandler,
  createCorePersonalDataSealer,
  type DecisionContext,
  type DirectorySnapshot,
  directoryViewOf,
  type EventStore,
  getInMemorySubjectKeyStore,
  isSealedValue,
  type NewEvent,
  type PersonalDataSealer,
  type ProblemCommand,
  type ProblemEvent,
  type ProblemState,
  problemDecider,
  problemEventRegistry,
  problemStreamId,
  problemStreamIdOf,
  type SubjectKeyStore,
  sha256Hex,
  type UnitInfo,
} from '@banshishi/core';
import { openPglite } from '@banshishi/read-models';
import {
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
} from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { type EventStore as EmmettEventStore, CommandHandler as emmettCommandHandler } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { backendCpuMs, percentile, round, runConcurrent, writeResult } from './lib.js';

const concurrency = 16;
const postgresCommands = Number(process.env.BENCH_COMMANDS ?? 20_000);
const pgliteCommands = Number(process.env.BENCH_PGLITE_COMMANDS ?? 5_000);
const warmupCommands = 1_000;
const rounds = 4;
// Four rounds as on PostgreSQL: PGlite runs in this process, so a burst of load elsewhere falls on whichever
// runner is in its round; with five runners, two rounds left the same runner 2× apart from one run to the next.
const pgliteRounds = 4;
/** PGlite's commands/s on the command path when issue 16 was filed (sealed, 16 writers). */
const pgliteWhenFiled = 369;
const now = '2025-03-03T09:00:00+08:00';

// A district with 4 streets, 2 communities each, 2 grids per community; a secretary leads each community,
// a resident lives in each grid, and the district has its leading-group office.
const directorySnapshot = () => {
  const units: UnitInfo[] = [{ unitId: 'district', name: '胶州市', kind: 'district', parentId: null }];
  const holdings: DirectorySnapshot['holdings'][number][] = [
    { personId: 'office-1', role: 'office', unitId: 'district', since: '2024-01-01' },
  ];
  const grids: { gridId: string; secretaryId: string; residentId: string }[] = [];
  for (let s = 0; s < 4; s++) {
    const streetId = `street-${s}`;
    units.push({ unitId: streetId, name: `街道 ${s}`, kind: 'street', parentId: 'district' });
    for (let c = 0; c < 2; c++) {
      const communityId = `${streetId}-community-${c}`;
      const secretaryId = `secretary-${s}-${c}`;
      units.push({ unitId: communityId, name: `社区 ${c}`, kind: 'community', parentId: streetId });
      holdings.push({ personId: secretaryId, role: 'secretary', unitId: communityId, since: '2024-01-01' });
      for (let g = 0; g < 2; g++) {
        const gridId = `${communityId}-grid-${g}`;
        const residentId = `resident-${s}-${c}-${g}`;
        units.push({ unitId: gridId, name: `网格 ${g}`, kind: 'grid', parentId: communityId });
        holdings.push({ personId: residentId, role: 'resident', unitId: gridId, since: '2024-01-01' });
        grids.push({ gridId, secretaryId, residentId });
      }
    }
  }
  return { snapshot: { units, holdings }, grids };
};

const { snapshot, grids } = directorySnapshot();
const context: DecisionContext = {
  directory: directoryViewOf(snapshot),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};

/**
 * The five commands of one problem's life, in order: 征题 → 领题 → progress → 解题 → 评题 (closes it). The
 * first carries the raiser's name, phone and address and a description, the last a comment: five personal
 * values per life, sealed when sealing is on.
 */
const lifecycle = (problemId: string, n: number): ProblemCommand[] => {
  const { gridId, secretaryId, residentId } = grids[n % grids.length]!;
  const resident = { metadata: { actor: { personId: residentId, role: 'resident' as const }, now } };
  const secretary = { metadata: { actor: { personId: secretaryId, role: 'secretary' as const }, now } };
  return [
    {
      type: 'solicitProblem',
      data: {
        problemId,
        unitId: gridId,
        source: 'resident',
        grade: 'small',
        title: '楼道灯不亮',
        description: '三号楼二单元楼道灯坏了两周，晚上老人上下楼不方便',
        category: 'infrastructure',
        // Every personal field a resident's report can carry, so sealing has all of them to do.
        raiser: {
          kind: 'resident',
          personId: residentId,
          name: `居民 ${n % grids.length}`,
          phone: `1380000${String(n % 10_000).padStart(4, '0')}`,
          address: `三号楼二单元 ${(n % 30) + 101} 室`,
        },
      },
      ...resident,
    },
    {
      type: 'claimProblem',
      data: { problemId, plan: '联系物业更换灯具并检查线路', promisedBy: '2025-03-10' },
      ...secretary,
    },
    { type: 'noteProblemProgress', data: { problemId, note: '已联系物业，灯具已订购' }, ...secretary },
    {
      type: 'solveProblem',
      data: {
        problemId,
        summary: '更换了三号楼二单元全部楼道灯',
        evidence: [{ kind: 'photo', uri: 'https://files.example/p/1.jpg', caption: '更换后' }],
      },
      ...secretary,
    },
    {
      type: 'evaluateProblem',
      data: { problemId, kind: 'resident', verdict: 'satisfied', comment: '修得很快' },
      ...resident,
    },
  ];
};

/** The events one command decided or stored. */
type Step = readonly ProblemEvent[];

/**
 * The events each step of problem `n`'s life yields, decided in memory by the same pure decider. Decisions
 * depend only on the command, the state and the static directory, so these are exactly the events a run
 * appended, before sealing (checked against what it returned, below).
 */
const decidedLifecycle = (problemId: string, n: number): Step[] => {
  let state = problemDecider.initialState;
  return lifecycle(problemId, n).map((command) => {
    const decision = problemDecider.decide(command, state, context);
    if (decision._tag === 'Left') throw new Error(`${command.type} refused: ${decision.left.message}`);
    state = decision.right.reduce(problemDecider.evolve, state);
    return decision.right;
  });
};

/** How many sealed values a payload holds, wherever they sit. */
const sealedValuesIn = (data: unknown): number => {
  if (isSealedValue(data)) return 1;
  if (typeof data !== 'object' || data === null) return 0;
  return Object.values(data).reduce<number>((sum, v) => sum + sealedValuesIn(v), 0);
};

/** A key store that counts the keys asked of it: one per command carrying personal data. */
const countingKeys = (keys: SubjectKeyStore) => {
  let asked = 0;
  const store: SubjectKeyStore = {
    keyFor: (subject) => {
      asked++;
      return keys.keyFor(subject);
    },
    lookup: (subjects) => keys.lookup(subjects),
    destroy: (subject, at) => keys.destroy(subject, at),
    forgottenSubjects: () => keys.forgottenSubjects(),
  };
  return { store, asked: () => asked };
};

/**
 * One way of treating personal data on our command path: in the clear (the reference), or sealed with a key
 * store; and the path as it is, or as it was before issue 16 (`before`: no remembered state, so every command
 * reads and decodes its stream, and a store that hashes the chain with core's portable SHA-256).
 */
interface Variant {
  readonly key: string;
  readonly label: string;
  readonly personalData: PersonalDataSealer | 'in_clear';
  /** Keys asked of the key store so far (0 in the clear). */
  readonly keysAsked: () => number;
  readonly before: boolean;
}

const inClear = (label: string): Variant => ({
  key: 'clear',
  label,
  personalData: 'in_clear',
  keysAsked: () => 0,
  before: false,
});

const sealedWith = (key: string, label: string, keys: SubjectKeyStore, before = false): Variant => {
  const counted = countingKeys(keys);
  return {
    key,
    label,
    personalData: createCorePersonalDataSealer({ keys: counted.store }),
    keysAsked: counted.asked,
    before,
  };
};

/** The same sealed runner on the path as it was: the reference each change is measured against. */
const asBefore = (variant: Variant, keys: SubjectKeyStore): Variant =>
  sealedWith(
    `before${variant.key[0]!.toUpperCase()}${variant.key.slice(1)}`,
    `${variant.label}, as before`,
    keys,
    true,
  );

const verification = { code: 'verification', statement: 'the command-path benchmark checks what it stored' } as const;

/**
 * Checks that what a run stored is what the decider decides for the same problems: equal as stored in the
 * clear, equal once revealed when sealed. Returns how many sealed values the run stored.
 */
const checkStored = async (variant: Variant, prefix: string, stored: ReadonlyMap<string, readonly NewEvent[]>) => {
  let sealedValues = 0;
  const decided = new Map<number, Step[]>();
  for (const [key, events] of stored) {
    const [n, step] = key.split('/').map(Number) as [number, number];
    if (!decided.has(n)) decided.set(n, decidedLifecycle(`${prefix}-${n}`, n));
    const lifecycleSteps = decided.get(n)!;
    let clear: readonly Pick<NewEvent, 'type' | 'data'>[] = events;
    if (variant.personalData !== 'in_clear') {
      sealedValues += events.reduce((sum, e) => sum + sealedValuesIn(e.data), 0);
      const revision = lifecycleSteps.slice(0, step).reduce((sum, s) => sum + s.length, 0);
      const revealed = await variant.personalData.reveal(
        events.map((e, i) => ({ ...e, streamId: problemStreamId(`${prefix}-${n}`), revision: revision + i })),
        verification,
      );
      if (revealed._tag === 'Left') throw new Error(`${variant.label}: ${revealed.left.message}`);
      clear = revealed.right;
    }
    const same = JSON.stringify(clear.map((e) => ({ type: e.type, data: e.data })));
    if (same !== JSON.stringify(lifecycleSteps[step]))
      throw new Error(`${variant.label}: step ${step} of problem ${n} stored other events than the decider decides`);
  }
  return sealedValues;
};

/**
 * Runs `total` commands with `concurrency` writers. A writer takes the next problem, walks it through its
 * five steps one command at a time, then takes the next, so no two writers ever share a stream.
 */
const runLifecycles = async (total: number, runCommand: (problemNumber: number, step: number) => Promise<void>) => {
  let nextProblem = 0;
  const lanes = Array.from({ length: concurrency }, () => ({ problem: -1, step: 5 }));
  return runConcurrent(total, concurrency, async (_, laneIndex) => {
    const lane = lanes[laneIndex]!;
    if (lane.step === 5) {
      lane.problem = nextProblem++;
      lane.step = 0;
    }
    await runCommand(lane.problem, lane.step);
    lane.step++;
  });
};

interface Sample {
  readonly latenciesMs: number[];
  readonly seconds: number;
  readonly cpuMs: number;
  /** CPU the store's PostgreSQL backends spent, when the server runs on this machine (else null). */
  readonly serverCpuMs: number | null;
}

/** Times one run, with the CPU this process and the store's server backends spent on it. */
const sample = async (
  server: () => Promise<number | null>,
  run: () => Promise<{ latenciesMs: number[]; seconds: number }>,
): Promise<Sample> => {
  const serverBefore = await server();
  const cpuBefore = process.cpuUsage();
  const { latenciesMs, seconds } = await run();
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = await server();
  return {
    latenciesMs,
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    serverCpuMs: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
  };
};

const figuresOf = (samples: readonly Sample[]) => {
  const latencies = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const cpuMs = samples.reduce((sum, s) => sum + s.cpuMs, 0);
  const serverMs = samples.every((s) => s.serverCpuMs !== null)
    ? samples.reduce((sum, s) => sum + s.serverCpuMs!, 0)
    : null;
  return {
    commands: latencies.length,
    concurrency,
    rounds: samples.length,
    seconds: round(seconds, 3),
    commandsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    clientCpuMsPerCommand: round(cpuMs / latencies.length, 3),
    serverCpuMsPerCommand: serverMs === null ? null : round(serverMs / latencies.length, 3),
  };
};

interface Run {
  readonly timing: Sample;
  /** What each step stored, keyed `problem/step`. */
  readonly stored: ReadonlyMap<string, readonly NewEvent[]>;
  readonly sealedValues: number;
  readonly keysAsked: number;
}

/** Our command path over `store`: `run(prefix, commands)` samples it and checks what each step stored. */
const banshishiRunner = (store: EventStore, variant: Variant, server: () => Promise<number | null>) => {
  const handle = commandHandler({
    personalData: variant.personalData,
    store,
    decider: problemDecider,
    registry: problemEventRegistry,
    streamIdOf: problemStreamIdOf,
    context: async () => context,
    ...(variant.before ? { cachedStreams: 0 } : {}),
  });
  return async (prefix: string, commands: number): Promise<Run> => {
    const stored = new Map<string, readonly NewEvent[]>();
    const keysBefore = variant.keysAsked();
    const timing = await sample(server, () =>
      runLifecycles(commands, async (n, step) => {
        const command = lifecycle(`${prefix}-${n}`, n)[step]!;
        const result = await handle(command);
        if (result._tag === 'Left')
          throw new Error(`${variant.label}: ${command.type} refused: ${result.left.message}`);
        stored.set(`${n}/${step}`, result.right.events);
      }),
    );
    const keysAsked = variant.keysAsked() - keysBefore;
    return { timing, stored, sealedValues: await checkStored(variant, prefix, stored), keysAsked };
  };
};

/**
 * Emmett's CommandHandler (read, fold with our evolve, append at the expected version) on the problems of
 * one of our runs, each handler returning the step's events exactly as that run stored them (sealed).
 */
const emmettRunner = (eventStore: EmmettEventStore, server: () => Promise<number | null>) => {
  const handle = emmettCommandHandler<ProblemState, ProblemEvent>({
    evolve: problemDecider.evolve,
    initialState: () => problemDecider.initialState,
  });
  return (prefix: string, stored: ReadonlyMap<string, readonly NewEvent[]>) => {
    // Which steps of which problems a run got through depends on how its writers were scheduled, so
    // Emmett's writers walk exactly those: each takes the next problem and runs its stored steps in order.
    const problems = new Map<number, ProblemEvent[][]>();
    for (const [key, events] of stored) {
      const [n, step] = key.split('/').map(Number) as [number, number];
      const steps = problems.get(n) ?? [];
      steps[step] = events.map((e) => ({ type: e.type, data: e.data }) as ProblemEvent);
      problems.set(n, steps);
    }
    const queue = [...problems].sort(([a], [b]) => a - b);
    return sample(server, async () => {
      const latenciesMs: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
            const [n, steps] = next;
            for (const events of steps) {
              const t0 = performance.now();
              await handle(eventStore, problemStreamId(`${prefix}-${n}`), () => events);
              latenciesMs.push(performance.now() - t0);
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { latenciesMs: latenciesMs.sort((a, b) => a - b), seconds };
    });
  };
};

/** Runs each of ours once per round, in an order that turns with the round, so drifting load falls on all alike. */
const alternate = async (
  runners: readonly { readonly variant: Variant; readonly run: (prefix: string, commands: number) => Promise<Run> }[],
  rounds: number,
  perRound: number,
  afterEach: (variant: Variant, run: Run, round: number) => Promise<void> = async () => {},
) => {
  const runs = new Map<string, Run[]>(runners.map((r) => [r.variant.key, []]));
  for (let r = 0; r < rounds; r++) {
    const order = [...runners.slice(r % runners.length), ...runners.slice(0, r % runners.length)];
    console.log(`round ${r + 1}/${rounds}: ${perRound} commands each, ${order.map((o) => o.variant.label).join(', ')}`);
    for (const { variant, run } of order) {
      const done = await run(`${variant.key}-${r}`, perRound);
      runs.get(variant.key)!.push(done);
      await afterEach(variant, done, r);
    }
  }
  return runs;
};

/** The figures of a variant's runs, with the sealed values and key requests per command that show sealing ran. */
const variantFigures = (runs: readonly Run[]) => {
  const figures = figuresOf(runs.map((r) => r.timing));
  return {
    ...figures,
    sealedValuesPerCommand: round(runs.reduce((sum, r) => sum + r.sealedValues, 0) / figures.commands, 3),
    keysAskedPerCommand: round(runs.reduce((sum, r) => sum + r.keysAsked, 0) / figures.commands, 3),
  };
};
type Figures = ReturnType<typeof figuresOf>;

/** `a` over `b` on every figure, as the sealed/clear and banshishi/Emmett lines print. */
const ratioOf = (a: Figures, b: Figures) => ({
  commandsPerSecond: round(a.commandsPerSecond / b.commandsPerSecond),
  p50: round(a.p50Ms / b.p50Ms),
  p99: round(a.p99Ms / b.p99Ms),
  clientCpu: round(a.clientCpuMsPerCommand / b.clientCpuMsPerCommand),
  serverCpu:
    a.serverCpuMsPerCommand === null || b.serverCpuMsPerCommand === null
      ? null
      : round(a.serverCpuMsPerCommand / b.serverCpuMsPerCommand),
});

const printTable = (rows: readonly (readonly [string, Figures & { sealedValuesPerCommand?: number }])[]) => {
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  console.log(
    `\n${'store'.padEnd(width)}${'commands'.padStart(10)}${'cmd/s'.padStart(9)}${'p50 ms'.padStart(9)}` +
      `${'p99 ms'.padStart(9)}${'client CPU ms/cmd'.padStart(19)}${'server CPU ms/cmd'.padStart(19)}` +
      `${'sealed/cmd'.padStart(12)}`,
  );
  for (const [name, f] of rows)
    console.log(
      `${name.padEnd(width)}${String(f.commands).padStart(10)}${String(f.commandsPerSecond).padStart(9)}` +
        `${f.p50Ms.toFixed(2).padStart(9)}${f.p99Ms.toFixed(2).padStart(9)}` +
        `${f.clientCpuMsPerCommand.toFixed(3).padStart(19)}${(f.serverCpuMsPerCommand?.toFixed(3) ?? '–').padStart(19)}` +
        `${(f.sealedValuesPerCommand?.toFixed(2) ?? '–').padStart(12)}`,
    );
};

const printRatio = (name: string, r: ReturnType<typeof ratioOf>) =>
  console.log(
    `${name}: ${r.commandsPerSecond}× the commands/s, ${r.p50}× the p50, ${r.p99}× the p99, ` +
      `${r.clientCpu}× the client CPU, ${r.serverCpu ?? '–'}× the server CPU`,
  );

const main = async () => {
  const runId = randomBytes(4).toString('hex');
  const ourSchema = `bench_command_path_${runId}`;
  const emmettSchema = `bench_emmett_${runId}`;
  const keySchema = `bench_personal_keys_${runId}`;
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  // One connection per writer for both stores, so neither waits on a pool the other did not.
  const ourApplication = `bench-banshishi-${runId}`;
  const emmettApplication = `bench-emmett-${runId}`;
  const ourPool = new pg.Pool({ connectionString: databaseUrl, max: concurrency, application_name: ourApplication });
  // Emmett creates its tables in the current schema: a schema of its own keeps them off ours and off public.
  const emmettPool = new pg.Pool({
    connectionString: databaseUrl,
    max: concurrency,
    application_name: emmettApplication,
    options: `-c search_path=${emmettSchema}`,
  });
  try {
    await admin.query(`CREATE SCHEMA "${emmettSchema}"`);

    const postgres = await getPostgresEventStore({ pool: ourPool, schema: ourSchema });
    // The store as it was, on the same tables: the hash chain in portable JavaScript.
    const postgresBefore = await getPostgresEventStore({ pool: ourPool, schema: ourSchema, sha256: sha256Hex });
    const emmettStore = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool: emmettPool } });
    // Emmett migrates lazily inside the first command's session; 16 sessions opening at once would hold
    // every pooled connection while the migration waits for one.
    await emmettStore.schema.migrate();
    const ourServer = () => backendCpuMs(admin, ourApplication);
    // Emmett is given what the sealed run with keys in memory stored: the same sealed events, no sealing.
    const sealedInMemory = sealedWith('sealedKeysInMemory', 'sealed, keys in memory', getInMemorySubjectKeyStore());
    // The key store a deployment runs: its own schema, on the event store's pool (one key read per command
    // that carries personal data, on a connection the writer would otherwise leave idle).
    const postgresKeys = await getPostgresSubjectKeyStore({ pool: ourPool, schema: keySchema });
    const sealedInPostgres = sealedWith('sealedKeysInPostgres', 'sealed, keys in PostgreSQL', postgresKeys);
    const postgresVariants = [
      inClear('in the clear'),
      sealedInMemory,
      sealedInPostgres,
      asBefore(sealedInMemory, getInMemorySubjectKeyStore()),
      asBefore(sealedInPostgres, postgresKeys),
    ];
    const ours = postgresVariants.map((variant) => ({
      variant,
      run: banshishiRunner(variant.before ? postgresBefore : postgres, variant, ourServer),
    }));
    const runEmmett = emmettRunner(emmettStore, () => backendCpuMs(admin, emmettApplication));

    // Warm every runner up, then alternate rounds: the machine is shared, so load that comes and goes
    // falls on every runner alike instead of on whichever happened to run during it.
    for (const { variant, run } of ours) {
      const warm = await run(`warmup-${variant.key}`, warmupCommands);
      if (variant === sealedInMemory) await runEmmett(`warmup-${variant.key}`, warm.stored);
    }
    const emmettSamples: Sample[] = [];
    const postgresRuns = await alternate(
      ours,
      rounds,
      Math.ceil(postgresCommands / rounds),
      async (variant, run, r) => {
        if (variant === sealedInMemory) emmettSamples.push(await runEmmett(`${variant.key}-${r}`, run.stored));
      },
    );
    await postgres.close();
    await postgresBefore.close();
    await postgresKeys.close();
    await emmettStore.close();

    const pglite = await openPglite();
    const embedded = await getPGliteEventStore({ pglite, schema: 'event_store' });
    const embeddedBefore = await getPGliteEventStore({ pglite, schema: 'event_store', sha256: sha256Hex });
    const pgliteKeys = await getPGliteSubjectKeyStore({ pglite, schema: 'personal_keys' });
    const pgliteInMemory = sealedWith('sealedKeysInMemory', 'sealed, keys in memory', getInMemorySubjectKeyStore());
    const pgliteSealed = sealedWith('sealedKeysInPGlite', 'sealed, keys in PGlite', pgliteKeys);
    const pgliteVariants = [
      inClear('in the clear'),
      pgliteInMemory,
      pgliteSealed,
      asBefore(pgliteInMemory, getInMemorySubjectKeyStore()),
      asBefore(pgliteSealed, pgliteKeys),
    ];
    console.log(`banshishi on PGlite (in memory): ${warmupCommands} warm-up commands each, then ${pgliteCommands}`);
    const embeddedRunners = pgliteVariants.map((variant) => ({
      variant,
      run: banshishiRunner(variant.before ? embeddedBefore : embedded, variant, async () => null),
    }));
    for (const { variant, run } of embeddedRunners) await run(`warmup-${variant.key}`, warmupCommands);
    // PGlite has no autovacuum, so nothing else would ever ANALYZE the tables, created empty: without
    // statistics the plans grow worse with the log (2 → 5.5 ms of CPU per command over 10,000 commands here;
    // 1.3 ms after an ANALYZE). Measured as a deployment that analyzes after a bulk of writes would run.
    await pglite.query('ANALYZE');
    const pgliteRuns = await alternate(embeddedRunners, pgliteRounds, Math.ceil(pgliteCommands / pgliteRounds));
    await embedded.close();
    await embeddedBefore.close();
    await pglite.close();

    const figuresBy = (runs: ReadonlyMap<string, Run[]>) =>
      Object.fromEntries([...runs].map(([key, r]) => [key, variantFigures(r)]));
    const onPostgres = figuresBy(postgresRuns);
    const onPglite = figuresBy(pgliteRuns);
    const emmett = figuresOf(emmettSamples);
    printTable([
      ...postgresVariants.map((v) => [`banshishi PostgreSQL, ${v.label}`, onPostgres[v.key]!] as const),
      ['Emmett PostgreSQL, the sealed events', emmett] as const,
      ...pgliteVariants.map((v) => [`banshishi PGlite, ${v.label}`, onPglite[v.key]!] as const),
    ]);
    const current = (variants: readonly Variant[]) => variants.filter((v) => !v.before);
    const sealedOverClear = (figures: Record<string, Figures>, variants: readonly Variant[]) =>
      Object.fromEntries(
        current(variants)
          .filter((v) => v.key !== 'clear')
          .map((v) => [v.key, ratioOf(figures[v.key]!, figures.clear!)]),
      );
    /** Each sealed runner over itself on the path as it was. */
    const nowOverBefore = (figures: Record<string, Figures>, variants: readonly Variant[]) =>
      Object.fromEntries(
        variants
          .filter((v) => v.before)
          .map((before) => {
            const now = variants.find((v) => `${v.label}, as before` === before.label)!;
            return [now.key, ratioOf(figures[now.key]!, figures[before.key]!)];
          }),
      );
    const ratios = {
      postgresSealedOverClear: sealedOverClear(onPostgres, postgresVariants),
      pgliteSealedOverClear: sealedOverClear(onPglite, pgliteVariants),
      postgresOverBefore: nowOverBefore(onPostgres, postgresVariants),
      pgliteOverBefore: nowOverBefore(onPglite, pgliteVariants),
      banshishiOverEmmett: Object.fromEntries(
        postgresVariants.map((v) => [v.key, ratioOf(onPostgres[v.key]!, emmett)]),
      ),
      pgliteCommandsPerSecondOverWhenFiled: Object.fromEntries(
        pgliteVariants.map((v) => [v.key, round(onPglite[v.key]!.commandsPerSecond / pgliteWhenFiled)]),
      ),
    };
    console.log('');
    for (const v of current(postgresVariants).slice(1))
      printRatio(`PostgreSQL, ${v.label} / in the clear`, ratios.postgresSealedOverClear[v.key]!);
    for (const v of current(pgliteVariants).slice(1))
      printRatio(`PGlite, ${v.label} / in the clear`, ratios.pgliteSealedOverClear[v.key]!);
    for (const [key, r] of Object.entries(ratios.postgresOverBefore))
      printRatio(`PostgreSQL, ${postgresVariants.find((v) => v.key === key)!.label} / as before`, r);
    for (const [key, r] of Object.entries(ratios.pgliteOverBefore))
      printRatio(`PGlite, ${pgliteVariants.find((v) => v.key === key)!.label} / as before`, r);
    for (const v of postgresVariants)
      printRatio(`banshishi PostgreSQL ${v.label} / Emmett`, ratios.banshishiOverEmmett[v.key]!);
    for (const v of pgliteVariants)
      console.log(
        `PGlite, ${v.label}: ${onPglite[v.key]!.commandsPerSecond} commands/s, ` +
          `${ratios.pgliteCommandsPerSecondOverWhenFiled[v.key]}× the ${pgliteWhenFiled} of when issue 16 was filed`,
      );

    writeResult('command-path', {
      workload:
        "problem lifecycles (solicit with the raiser's name, phone, address and a description → claim → progress " +
        'note → solve → resident evaluation with a comment, which closes), each writer on its own streams; ' +
        'streams hold 0–4 events when read and 6 when closed; 5 personal values per lifecycle',
      warmupCommandsPerRunner: warmupCommands,
      postgres: { ...onPostgres, emmettSealedEvents: emmett },
      pglite: onPglite,
      ratios,
      server: {
        poolSize: concurrency,
        version: (await admin.query('SHOW server_version')).rows[0].server_version,
      },
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${ourSchema}" CASCADE`).catch(() => {});
    await admin.query(`DROP SCHEMA IF EXISTS "${emmettSchema}" CASCADE`).catch(() => {});
    await admin.query(`DROP SCHEMA IF EXISTS "${keySchema}" CASCADE`).catch(() => {});
    await Promise.all([admin.end(), ourPool.end(), emmettPool.end()].map((p) => p.catch(() => {})));
  }
};

await main();
