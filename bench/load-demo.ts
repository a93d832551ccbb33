// Bulk-loads the demo campaign into PostgreSQL and reports the rate:
//   npx tsx bench/load-demo.ts --seed 1 --scale 1000000 \
//     --database-url postgres://postgres@127.0.0.1:5432/test --schema demo
// Personal fields are sealed with keys kept in the same database (--key-schema, default personal_keys, where
// the office's command line looks for them), so the loaded demo can be revealed and forgotten like a real log.
import { parseArgs } from 'node:util';
import { createCorePersonalDataSealer } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';

const usage =
  'usage: load-demo.ts [--seed N] [--scale EVENTS] [--database-url URL] [--schema NAME] [--key-schema NAME] [--batch-size EVENTS] [--manifest]';

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
      'key-schema': { type: 'string', default: 'personal_keys' },
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
  const keys = await getPostgresSubjectKeyStore({
    connectionString: values['database-url'],
    schema: values['key-schema'],
    applicationName: 'banshishi-load-demo-keys',
  });
  const result = await bulkLoadDemo(source, {
    personalData: createCorePersonalDataSealer({ keys }),
    connectionString: values['database-url'],
    schema: values.schema,
    eventsPerTransaction: batchSize,
    onProgress: ({ events, elapsedMs }) => {
      if (elapsedMs - lastReport < 5000) return;
      lastReport = elapsedMs;
      console.log(`${events} events, ${Math.round((events / elapsedMs) * 1000)} events/s`);
    },
  }).finally(() => keys.close());
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
