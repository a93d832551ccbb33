// The auditor's CLI (纪检, 督查, the leading-group office):
//   verify              recompute every stream's hash chain against the recorded heads
//   history <streamId>  who did what, when, in which role, to one item
// Events come from PostgreSQL (DATABASE_URL, EVENT_STORE_SCHEMA) or the embedded PGlite folder
// (PGLITE_DIR, default .data/banshishi). Exit status 0 when everything verifies, 1 when something does not.
import { getPGliteEventStore, getPostgresEventStore } from '@banshishi/store-postgres';
import { historyLines, verifyAllStreams } from './verify.js';

const usage = 'usage: audit verify | audit history <streamId>';
const [command, streamId] = process.argv.slice(2);
if (command !== 'verify' && !(command === 'history' && streamId !== undefined)) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}

const schema = process.env.EVENT_STORE_SCHEMA ?? 'event_store';
const openStore = () =>
  process.env.DATABASE_URL === undefined
    ? getPGliteEventStore({ dataDir: process.env.PGLITE_DIR ?? '.data/banshishi', schema, migrate: false })
    : // Named in pg_stat_activity; a connection PostgreSQL closes under a long verify is replaced, not fatal.
      getPostgresEventStore({
        connectionString: process.env.DATABASE_URL,
        applicationName: 'banshishi-audit',
        schema,
        migrate: false,
      });

const main = async (): Promise<number> => {
  const store = await openStore();
  try {
    if (command === 'history') {
      const events = await store.readStream(streamId!);
      if (events.length === 0) {
        process.stderr.write(`no stream ${streamId}\n`);
        return 1;
      }
      for (const line of historyLines(events)) console.log(line);
      return 0;
    }
    const report = await verifyAllStreams(store, (n) => process.stderr.write(`  verified ${n} streams\r`));
    console.log(`verified ${report.streams} streams, ${report.events} events`);
    for (const f of report.findings) console.log(`ALTERED  ${f.message}`);
    console.log(
      report.findings.length === 0
        ? 'every hash chain verifies'
        : `${report.findings.length} streams fail verification`,
    );
    return report.findings.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
