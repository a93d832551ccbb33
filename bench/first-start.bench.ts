// What sealing costs the embedded first start: the demo seeded through command handling into a fresh
// PGlite, as `pnpm start` does (seedDemo, seed 2021), in the clear (the reference, as before sealing) and
// sealed with the subject keys in the same PGlite, in alternating rounds in one process.
import { createCorePersonalDataSealer } from '@banshishi/core';
import { seedDemo } from '@banshishi/demo';
import { getPGliteEventStore, getPGliteSubjectKeyStore } from '@banshishi/store-postgres';
import { PGlite } from '@electric-sql/pglite';
import { round, writeResult } from './lib.js';

const scale = Number(process.env.BENCH_FIRST_START_SCALE ?? 3000);
const rounds = Number(process.env.BENCH_FIRST_START_ROUNDS ?? 3);

const seedOnce = async (sealed: boolean) => {
  const pglite = await PGlite.create();
  const store = await getPGliteEventStore({ pglite });
  const keys = await getPGliteSubjectKeyStore({ pglite });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const manifest = await seedDemo(store, {
    seed: 2021,
    scale,
    personalData: sealed ? createCorePersonalDataSealer({ keys }) : 'in_clear',
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const { events } = await store.readAll({ limit: 1_000_000 });
  await keys.close();
  await store.close();
  await pglite.close();
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, events: events.length, manifest };
};

const runs: Record<'clear' | 'sealed', { seconds: number; cpuSeconds: number; events: number }[]> = {
  clear: [],
  sealed: [],
};
await seedOnce(true); // warm-up: module loading and JIT, not counted
for (let r = 0; r < rounds; r++)
  for (const form of r % 2 === 0 ? (['clear', 'sealed'] as const) : (['sealed', 'clear'] as const)) {
    const run = await seedOnce(form === 'sealed');
    runs[form].push(run);
    console.log(
      `round ${r + 1} ${form.padEnd(6)} ${run.events} events in ${round(run.seconds, 2)} s (CPU ${round(run.cpuSeconds, 2)} s)`,
    );
  }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const clear = median(runs.clear.map((r) => r.seconds));
const sealed = median(runs.sealed.map((r) => r.seconds));
const clearCpu = median(runs.clear.map((r) => r.cpuSeconds));
const sealedCpu = median(runs.sealed.map((r) => r.cpuSeconds));
console.log(
  `\nseeding ${runs.clear[0]!.events} events: clear ${round(clear, 2)} s, sealed ${round(sealed, 2)} s (median of ${rounds}); ` +
    `sealed / clear: ${round(sealed / clear, 2)}× the time, ${round(sealedCpu / clearCpu, 2)}× the CPU`,
);
writeResult('first-start', {
  scale,
  rounds,
  events: runs.clear[0]!.events,
  clearSeconds: round(clear, 2),
  sealedSeconds: round(sealed, 2),
  clearCpuSeconds: round(clearCpu, 2),
  sealedCpuSeconds: round(sealedCpu, 2),
  sealedOverClear: round(sealed / clear, 2),
  runs,
});
