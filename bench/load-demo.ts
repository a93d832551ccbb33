// Bulk-loads the demo campaign into PostgreSQL and reports the rate:
//   npx tsx bench/load-demo.ts --seed 1 --scale 1000000 \
//     --database-url postgres://postgres@127.0.0.1:5432/test --schema demo
import { parseArgs } from 'node:util';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';

const usage =
  'usage: load-demo.ts [--seed N] [--scale EVENTS] [--database-url URL] [--schema NAME] [--batch-size EVENTS] [--manifest]';

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '2000' },
      'database-url': {
        type: 'string',
        default: databaseUrl,
      },
      schema: { type: 'string', default: 'demo' },
      'batch-size': { type: 'string', default: '20000' },
      manifest: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const whole = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got ${text}\n${usage}`);
    return n;
  };
  const seed = whole('seed', values.seed);
  const scale = whole('scale', values.scale);
  const batchSize = whole('batch-size', values['batch-size']);

  const source = generateDemoEvents({ seed, scale, batchSize });
  let lastReport = 0;
  const result = await bulkLoadDemo(source, {
    personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
    connectionString: values['database-url'],
    schema: values.schema,
    eventsPerTransaction: batchSize,
    onProgress: ({ events, elapsedMs }) => {
      if (elapsedMs - lastReport < 5000) return;
      lastReport = elapsedMs;
      console.log(`${events} events, ${Math.round((events / elapsedMs) * 1000)} events/s`);
    },
  });
  const manifest = source.manifest();
  console.log(
    `loaded ${result.events} events in ${result.streams} streams into schema "${values.schema}" ` +
      `in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.eventsPerSecond} events/s ` +
      `(${result.transactions} transactions; ${manifest.problems.total} problems, ${manifest.wishes.total} wishes)`,
  );
  if (values.manifest) {
    const { personal, ...rest } = manifest;
    console.log(JSON.stringify(rest, null, 2));
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
