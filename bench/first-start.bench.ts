// The embedded first start as a user sees it: `npx -y pnpm@10.34.8 start` (as the README says) on a fresh
// PGLITE_DIR, timed from the spawn until the board's front page answers 200 with the demo campaign in it.
// The demo seeded the new way (decided in memory, bulk-loaded: the default) against the old way
// (BANSHISHI_DEMO_SEEDING=deciders, command by command), alternating in rounds, each with a cold tsx cache
// (a fresh TMPDIR: a fresh clone's, or a fresh machine's) and with a warm one (the same TMPDIR each time).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, writeResult } from './lib.js';

const rounds = Number(process.env.BENCH_FIRST_START_ROUNDS ?? 3);
const aimSeconds = 10;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const seedings = ['bulk', 'deciders'] as const;
type Seeding = (typeof seedings)[number];
type Cache = 'cold' | 'warm';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * CPU seconds (user and system) of every process in a process group, with their reaped children: on this
 * shared machine the wall time depends on the other benches, the CPU spent much less.
 */
const groupCpuSeconds = (group: number): number => {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== group) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / 100;
};

interface Start {
  readonly seconds: number;
  /** CPU of npx, pnpm and the main job until the board answered. */
  readonly cpuSeconds: number;
  /** When each line of the main job's report appeared, seconds after the spawn. */
  readonly phases: Record<string, number>;
}

/** What the main job prints as it goes, by the phase a line ends. */
const phaseOf = (line: string): string | null =>
  line.startsWith('办实事')
    ? 'modules loaded'
    : line.startsWith('seeded the demo')
      ? 'seeded'
      : line.startsWith('projections up to date')
        ? 'projected'
        : line.startsWith('transparency log signed')
          ? 'transparency signed'
          : line.includes('公示 board:')
            ? 'listening'
            : null;

const firstStart = async (seeding: Seeding, tmpDir: string): Promise<Start> => {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'banshishi-first-start-'));
  const port = await freePort();
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  const child = spawn('npx', ['-y', 'pnpm@10.34.8', '-s', 'start'], {
    cwd: repo,
    env: { ...process.env, PGLITE_DIR: dataDir, PORT: String(port), BANSHISHI_DEMO_SEEDING: seeding, TMPDIR: tmpDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: npx, pnpm and node are stopped together.
    detached: true,
  });
  const phases: Record<string, number> = {};
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = String(chunk);
    output += text;
    for (const line of text.split('\n')) {
      const phase = phaseOf(line);
      if (phase !== null) phases[phase] = round(since(), 2);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += String(chunk);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  try {
    for (;;) {
      if (exited) throw new Error(`the main job exited before serving:\n${output}`);
      if (since() > 300) throw new Error(`no board after 300 s:\n${output}`);
      const page = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      if (page?.status === 200 && (await page.text()).includes('千名书记解千题'))
        return { seconds: since(), cpuSeconds: groupCpuSeconds(child.pid!), phases };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGINT');
    await new Promise((resolve) => (exited ? resolve(undefined) : child.once('exit', resolve)));
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const warmTmp = mkdtempSync(join(os.tmpdir(), 'banshishi-first-start-warm-'));
const loadBefore = os.loadavg();
await firstStart('bulk', warmTmp); // warms the shared tsx cache and npx's pnpm: not counted

const runs: Record<`${Seeding} ${Cache}`, Start[]> = {
  'bulk cold': [],
  'deciders cold': [],
  'bulk warm': [],
  'deciders warm': [],
};
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? seedings : ([...seedings].reverse() as Seeding[]);
  for (const cache of r % 2 === 0 ? (['cold', 'warm'] as const) : (['warm', 'cold'] as const))
    for (const seeding of order) {
      const coldTmp = mkdtempSync(join(os.tmpdir(), 'banshishi-first-start-cold-'));
      const start = await firstStart(seeding, cache === 'cold' ? coldTmp : warmTmp);
      rmSync(coldTmp, { recursive: true, force: true });
      runs[`${seeding} ${cache}`].push(start);
      const phases = Object.entries(start.phases)
        .map(([phase, at]) => `${phase} ${at} s`)
        .join(', ');
      console.log(
        `round ${r + 1} ${`${seeding} ${cache}`.padEnd(13)} board serving the demo after ${round(start.seconds, 2)} s, ` +
          `CPU ${round(start.cpuSeconds, 2)} s (${phases}; load ${os.loadavg()[0]!.toFixed(2)})`,
      );
    }
}
rmSync(warmTmp, { recursive: true, force: true });
const loadAfter = os.loadavg();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mediansOf = (figure: (start: Start) => number) =>
  Object.fromEntries(
    Object.entries(runs).map(([form, starts]) => [form, round(median(starts.map(figure)), 2)]),
  ) as Record<keyof typeof runs, number>;
const medians = mediansOf((s) => s.seconds);
const cpuMedians = mediansOf((s) => s.cpuSeconds);
console.log('');
for (const cache of ['cold', 'warm'] as const) {
  const bulk = medians[`bulk ${cache}`];
  const deciders = medians[`deciders ${cache}`];
  console.log(
    `first start, ${cache} tsx cache: ${bulk} s bulk-seeded against ${deciders} s seeded through the deciders ` +
      `(median of ${rounds}): ${round(deciders / bulk, 2)}× faster; aim ≤ ${aimSeconds} s ${bulk <= aimSeconds ? 'met' : 'not met'}; ` +
      `CPU ${cpuMedians[`bulk ${cache}`]} s against ${cpuMedians[`deciders ${cache}`]} s (${round(cpuMedians[`deciders ${cache}`] / cpuMedians[`bulk ${cache}`], 2)}×)`,
  );
}
console.log(
  `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
);
writeResult('first-start', {
  command: 'npx -y pnpm@10.34.8 start, fresh PGLITE_DIR; until GET / answers 200 with the demo',
  rounds,
  aimSeconds,
  medians,
  cpuMedians,
  speedupCold: round(medians['deciders cold'] / medians['bulk cold'], 2),
  speedupWarm: round(medians['deciders warm'] / medians['bulk warm'], 2),
  loadAverageBefore: loadBefore.map((l) => round(l, 2)),
  loadAverageAfter: loadAfter.map((l) => round(l, 2)),
  runs,
});
