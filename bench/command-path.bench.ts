// Commands per second and latency through the full command path (read stream → fold → decide → append at
// the expected revision), 16 writers on distinct streams, on PostgreSQL and PGlite; then the very events our
// PostgreSQL run stored, through Emmett's CommandHandler on the same server, so the two stores are compared
// on identical work in one run (issue 3).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  commandHandler,
  createCorePersonalDataSealer,
  type DecisionContext,
  type DirectorySnapshot,
  directoryViewOf,
  type EventStore,
  getInMemorySubjectKeyStore,
  type ProblemCommand,
  type ProblemEvent,
  type ProblemState,
  problemDecider,
  problemEventRegistry,
  problemStreamId,
  problemStreamIdOf,
  type UnitInfo,
} from '@banshishi/core';
import { getPGliteEventStore, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { type EventStore as EmmettEventStore, CommandHandler as emmettCommandHandler } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { percentile, round, runConcurrent, writeResult } from './lib.js';

const concurrency = 16;
const postgresCommands = Number(process.env.BENCH_COMMANDS ?? 20_000);
const pgliteCommands = Number(process.env.BENCH_PGLITE_COMMANDS ?? 5_000);
const warmupCommands = 1_000;
const rounds = 4;
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

/** The five commands of one problem's life, in order: 征题 → 领题 → progress → 解题 → 评题 (closes it). */
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
        raiser: { kind: 'resident', personId: residentId },
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

/** The events one command stores: what Emmett is given for the same step. */
type Step = readonly ProblemEvent[];

/**
 * The events each step of problem `n`'s life yields, decided in memory by the same pure decider. Decisions
 * depend only on the command, the state and the static directory, so these are exactly the events the
 * store run appended (checked against what it returned before Emmett runs).
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

/**
 * CPU time so far of the server backends serving connections named `applicationName`, read from /proc;
 * null when the server is elsewhere. Both processes share the same 2 cores, so a command's cost is the sum.
 */
const serverCpuMs = async (admin: pg.Pool, applicationName: string): Promise<number | null> => {
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

/** Our command path over `store`: `run(prefix, commands)` samples it and hands back what each step stored. */
const banshishiRunner = (store: EventStore, label: string, server: () => Promise<number | null>) => {
  const handle = commandHandler({
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    store,
    decider: problemDecider,
    registry: problemEventRegistry,
    streamIdOf: problemStreamIdOf,
    context: async () => context,
  });
  return async (prefix: string, commands: number) => {
    const stored = new Map<string, Step>();
    const timing = await sample(server, () =>
      runLifecycles(commands, async (n, step) => {
        const command = lifecycle(`${prefix}-${n}`, n)[step]!;
        const result = await handle(command);
        if (result._tag === 'Left') throw new Error(`${label}: ${command.type} refused: ${result.left.message}`);
        stored.set(
          `${n}/${step}`,
          result.right.events.map((e) => ({ type: e.type, data: e.data }) as ProblemEvent),
        );
      }),
    );
    return { timing, stored };
  };
};

/**
 * Emmett's CommandHandler (read, fold with our evolve, append at the expected version) on the problems of
 * one of our runs, each handler returning the step's events as our run stored them.
 */
const emmettRunner = (eventStore: EmmettEventStore, server: () => Promise<number | null>) => {
  const handle = emmettCommandHandler<ProblemState, ProblemEvent>({
    evolve: problemDecider.evolve,
    initialState: () => problemDecider.initialState,
  });
  return async (prefix: string, stored: ReadonlyMap<string, Step>) => {
    const steps = Array.from({ length: Math.ceil(stored.size / 5) + concurrency }, (_, n) =>
      decidedLifecycle(`${prefix}-${n}`, n),
    );
    for (const [key, events] of stored) {
      const [n, step] = key.split('/').map(Number) as [number, number];
      if (JSON.stringify(steps[n]?.[step]) !== JSON.stringify(events))
        throw new Error(`emmett: step ${step} of problem ${n} would differ from what our store appended`);
    }
    return sample(server, () =>
      runLifecycles(stored.size, async (n, step) => {
        const events = steps[n]?.[step] as ProblemEvent[];
        await handle(eventStore, problemStreamId(`${prefix}-${n}`), () => events);
      }),
    );
  };
};

const main = async () => {
  const runId = randomBytes(4).toString('hex');
  const ourSchema = `bench_command_path_${runId}`;
  const emmettSchema = `bench_emmett_${runId}`;
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
    const emmettStore = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool: emmettPool } });
    // Emmett migrates lazily inside the first command's session; 16 sessions opening at once would hold
    // every pooled connection while the migration waits for one.
    await emmettStore.schema.migrate();
    const runOurs = banshishiRunner(postgres, 'postgres', () => serverCpuMs(admin, ourApplication));
    const runEmmett = emmettRunner(emmettStore, () => serverCpuMs(admin, emmettApplication));

    // Warm both up, then alternate rounds: the machine is shared, so load that comes and goes falls on
    // both stores alike instead of on whichever happened to run during it.
    const warm = await runOurs('warmup', warmupCommands);
    await runEmmett('warmup', warm.stored);
    const perRound = Math.ceil(postgresCommands / rounds);
    const oursSamples: Sample[] = [];
    const emmettSamples: Sample[] = [];
    for (let r = 0; r < rounds; r++) {
      console.log(`round ${r + 1}/${rounds}: ${perRound} commands through banshishi, then the same through Emmett`);
      const ours = await runOurs(`bench-${r}`, perRound);
      oursSamples.push(ours.timing);
      emmettSamples.push(await runEmmett(`bench-${r}`, ours.stored));
    }
    await postgres.close();
    await emmettStore.close();

    const pglite = await getPGliteEventStore({ schema: 'event_store' });
    console.log(`banshishi on PGlite (in memory): ${warmupCommands} warm-up commands, then ${pgliteCommands}`);
    const runEmbedded = banshishiRunner(pglite, 'pglite', async () => null);
    await runEmbedded('warmup', warmupCommands);
    const embedded = figuresOf([(await runEmbedded('bench', pgliteCommands)).timing]);
    await pglite.close();

    const ours = { figures: figuresOf(oursSamples) };
    const emmett = figuresOf(emmettSamples);
    const rows = [
      ['banshishi PostgreSQL', ours.figures],
      ['Emmett PostgreSQL', emmett],
      ['banshishi PGlite', embedded],
    ] as const;
    console.log(
      `\n${'store'.padEnd(22)}${'commands'.padStart(10)}${'cmd/s'.padStart(9)}${'p50 ms'.padStart(9)}` +
        `${'p99 ms'.padStart(9)}${'client CPU ms/cmd'.padStart(19)}${'server CPU ms/cmd'.padStart(19)}`,
    );
    for (const [name, f] of rows)
      console.log(
        `${name.padEnd(22)}${String(f.commands).padStart(10)}${String(f.commandsPerSecond).padStart(9)}` +
          `${f.p50Ms.toFixed(2).padStart(9)}${f.p99Ms.toFixed(2).padStart(9)}` +
          `${f.clientCpuMsPerCommand.toFixed(3).padStart(19)}${(f.serverCpuMsPerCommand?.toFixed(3) ?? '–').padStart(19)}`,
      );
    const ratio = {
      commandsPerSecond: round(ours.figures.commandsPerSecond / emmett.commandsPerSecond),
      p50: round(ours.figures.p50Ms / emmett.p50Ms),
      p99: round(ours.figures.p99Ms / emmett.p99Ms),
    };
    console.log(
      `banshishi / Emmett: ${ratio.commandsPerSecond}× the commands/s, ${ratio.p50}× the p50, ${ratio.p99}× the p99`,
    );

    writeResult('command-path', {
      workload:
        'problem lifecycles (solicit → claim → progress note → solve → resident evaluation that closes), ' +
        'each writer on its own streams; streams hold 0–4 events when read and 6 when closed',
      warmupCommandsPerStore: warmupCommands,
      banshishiPostgres: ours.figures,
      emmettPostgres: emmett,
      ratioBanshishiOverEmmett: ratio,
      banshishiPGlite: embedded,
      postgres: { poolSize: concurrency, server: (await admin.query('SHOW server_version')).rows[0].server_version },
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${ourSchema}" CASCADE`).catch(() => {});
    await admin.query(`DROP SCHEMA IF EXISTS "${emmettSchema}" CASCADE`).catch(() => {});
    await Promise.all([admin.end(), ourPool.end(), emmettPool.end()].map((p) => p.catch(() => {})));
  }
};

await main();
