// The auditor's CLI (纪检, 督查, the leading-group office):
//   verify              check every stream of the events and heads tables: hash chain, recorded head,
//                       read frontier, positions, categories, payloads (docs/auditing.md)
//   history <streamId>  who did what, when, in which role, to one item
// Events come from PostgreSQL (DATABASE_URL, EVENT_STORE_SCHEMA) or the embedded PGlite folder
// (PGLITE_DIR, default .data/banshishi). Exit status 0 when everything verifies, 1 when something does not.
import {
  getPGliteAuditLog,
  getPGliteEventStore,
  getPostgresAuditLog,
  getPostgresEventStore,
} from '@banshishi/store-postgres';
import { type AuditReport, historyLines, verifyEventLog } from './verify.js';

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

// The audit reads the tables as stored, not through the store's readers (which hide what the
// subscription frontier hides), in one read-only snapshot.
const openAuditLog = () =>
  process.env.DATABASE_URL === undefined
    ? getPGliteAuditLog({ dataDir: process.env.PGLITE_DIR ?? '.data/banshishi', schema })
    : Promise.resolve(getPostgresAuditLog({ connectionString: process.env.DATABASE_URL, schema }));

const printReport = (report: AuditReport) => {
  console.log(`verified ${report.streams} streams, ${report.events} events`);
  for (const f of report.findings) console.log(`ALTERED  ${f.kind}  ${f.message}`);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const altered = new Set(report.findings.map((f) => f.streamId)).size;
  console.log(
    report.findings.length === 0
      ? 'every stream verifies'
      : `${count(report.findings.length, 'finding')} in ${count(altered, 'stream')}: the log is not what was written`,
  );
};

const verify = async (): Promise<number> => {
  const log = await openAuditLog();
  try {
    const report = await verifyEventLog(log, {
      onProgress: (n) => process.stderr.write(`  verified ${n} streams\r`),
    });
    printReport(report);
    return report.findings.length === 0 ? 0 : 1;
  } finally {
    await log.close();
  }
};

const history = async (): Promise<number> => {
  const store = await openStore();
  try {
    const events = await store.readStream(streamId!);
    if (events.length === 0) {
      process.stderr.write(`no stream ${streamId}\n`);
      return 1;
    }
    for (const line of historyLines(events)) console.log(line);
    return 0;
  } finally {
    await store.close();
  }
};

(command === 'verify' ? verify() : history()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
