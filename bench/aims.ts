// The aims of the performance issue (docs/performance.md, "Issue 16"), read back from the results the
// benches wrote: each figure beside its reference from the same run, the ratio, and whether the aim holds.
// `pnpm bench` prints this after the benches it ran; `node --import tsx bench/aims.ts` prints it alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, round } from './lib.js';

interface Result {
  readonly measuredAt: string;
  readonly figures: Record<string, unknown>;
}

const read = (name: string): Result | null => {
  try {
    return JSON.parse(readFileSync(join(resultsDir, `${name}.json`), 'utf8')) as Result;
  } catch {
    return null;
  }
};

/** A number at a dotted path of the figures, or undefined when the result or the path is missing. */
const at = (result: Result | null, path: string): number | undefined => {
  let value: unknown = result?.figures;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'number' ? value : undefined;
};

interface Aim {
  readonly aim: string;
  readonly result: Result | null;
  readonly figure: number | undefined;
  readonly unit: string;
  readonly reference: number | undefined;
  readonly referenceName: string;
  /** Whether the aim holds, given the figure and the reference. */
  readonly holds: (figure: number, reference: number) => boolean;
}

const commandPath = read('command-path');
const catchUp = read('catch-up');
const firstStart = read('first-start');
const pgliteAtIssue = 369;

const aims: Aim[] = [
  {
    aim: 'command path on PostgreSQL, sealed (keys in memory) ≥ 1.5× Emmett',
    result: commandPath,
    figure: at(commandPath, 'postgres.sealedKeysInMemory.commandsPerSecond'),
    unit: 'commands/s',
    reference: at(commandPath, 'postgres.emmettSealedEvents.commandsPerSecond'),
    referenceName: 'Emmett, the same sealed events',
    holds: (f, r) => f / r >= 1.5,
  },
  {
    aim: 'command path on PostgreSQL, sealed (keys in PostgreSQL) ≥ 1.5× Emmett',
    result: commandPath,
    figure: at(commandPath, 'postgres.sealedKeysInPostgres.commandsPerSecond'),
    unit: 'commands/s',
    reference: at(commandPath, 'postgres.emmettSealedEvents.commandsPerSecond'),
    referenceName: 'Emmett, the same sealed events',
    holds: (f, r) => f / r >= 1.5,
  },
  {
    aim: 'command path on PGlite, sealed (keys in memory) ≥ 2× the path as it was',
    result: commandPath,
    figure: at(commandPath, 'pglite.sealedKeysInMemory.commandsPerSecond'),
    unit: 'commands/s',
    reference: at(commandPath, 'pglite.beforeSealedKeysInMemory.commandsPerSecond'),
    referenceName: 'the path as it was, same run',
    holds: (f, r) => f / r >= 2,
  },
  {
    aim: `command path on PGlite, sealed (keys in memory) ≥ 2× the issue's ${pgliteAtIssue}/s`,
    result: commandPath,
    figure: at(commandPath, 'pglite.sealedKeysInMemory.commandsPerSecond'),
    unit: 'commands/s',
    reference: pgliteAtIssue,
    referenceName: 'the issue, another day',
    holds: (f, r) => f / r >= 2,
  },
  {
    aim: 'catch-up on PostgreSQL ≥ 30,000 events/s over 1,000,000 events',
    result: catchUp,
    figure: at(catchUp, 'small.eventsPerSecond'),
    unit: 'events/s',
    reference: at(catchUp, 'ceiling.rowsPerSecond'),
    referenceName: 'INSERT … SELECT ceiling, rows/s',
    holds: (f) => f >= 30_000,
  },
  {
    aim: 'catch-up peak RSS ≤ 300 MiB at 1,000,000 events',
    result: catchUp,
    figure: at(catchUp, 'small.peakRssMiB'),
    unit: 'MiB',
    reference: 300,
    referenceName: 'the aim',
    holds: (f, r) => f <= r,
  },
  {
    aim: 'catch-up peak RSS at 3,000,000 events within 10% of 1,000,000',
    result: catchUp,
    figure: at(catchUp, 'large.peakRssMiB'),
    unit: 'MiB',
    reference: at(catchUp, 'small.peakRssMiB'),
    referenceName: 'at 1,000,000 events',
    holds: (f, r) => f <= r * 1.1,
  },
  {
    aim: 'embedded first start ≤ 10 s (cold tsx cache)',
    result: firstStart,
    figure: at(firstStart, 'medians.bulk cold'),
    unit: 's',
    reference: at(firstStart, 'medians.deciders cold'),
    referenceName: 'seeding through the deciders',
    holds: (f) => f <= 10,
  },
  {
    aim: 'embedded first start ≤ 10 s (warm tsx cache)',
    result: firstStart,
    figure: at(firstStart, 'medians.bulk warm'),
    unit: 's',
    reference: at(firstStart, 'medians.deciders warm'),
    referenceName: 'seeding through the deciders',
    holds: (f) => f <= 10,
  },
];

console.log('\n### the performance aims (issue 16), from bench/results/*.json');
for (const aim of aims) {
  if (aim.figure === undefined || aim.reference === undefined) {
    console.log(`- ${aim.aim}: no figure (run the bench that writes it)`);
    continue;
  }
  // Times read best as how many times faster; every other figure as itself over its reference.
  const faster = aim.unit === 's';
  const ratio = faster ? aim.reference / aim.figure : aim.figure / aim.reference;
  console.log(
    `- ${aim.aim}: ${aim.figure.toLocaleString('en')} ${aim.unit} against ${aim.reference.toLocaleString('en')} ` +
      `(${aim.referenceName}), ${round(ratio, 2)}×${faster ? ' faster' : ''}: ` +
      `${aim.holds(aim.figure, aim.reference) ? 'met' : 'NOT met'} (measured ${aim.result?.measuredAt})`,
  );
}
