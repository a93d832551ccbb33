// The auditor's CLI (纪检, 督查, the leading-group office):
//   verify              check every stream of the events and heads tables: hash chain, recorded head,
//                       read frontier, positions, categories, payloads (docs/auditing.md)
//   history <streamId>  who did what, when, in which role, to one item
// Events come from PostgreSQL (DATABASE_URL, EVENT_STORE_SCHEMA) or the embedded PGlite folder
// (PGLITE_DIR, default .data/banshishi). Exit status 0 when everything verifies, 1 when something does not.
import { auditForgetting } from '@banshishi/core';
import {
  getPGliteAuditLog,
  getPGliteEventStore,
  getPGliteSubjectKeyStore,
  getPostgresAuditLog,
  getPostgresEventStore,
  getPostgresSubjectKeyStore,
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
    const keysClean = await verifyForgettings();
    return report.findings.length === 0 && keysClean ? 0 : 1;
  } finally {
    await log.close();
  }
};

// The key store held to the log (docs/privacy.md): every destroyed key has its SubjectForgotten record, and
// every record its destroyed key. Opened after the log is closed: a PGlite folder has one user at a time.
const keySchema = process.env.KEY_STORE_SCHEMA ?? 'personal_keys';
const isMissingRelation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '3F000';
};

const openStoreAndKeys = async () => {
  if (process.env.DATABASE_URL !== undefined) {
    const url = process.env.DATABASE_URL;
    const store = await getPostgresEventStore({
      connectionString: url,
      applicationName: 'banshishi-audit',
      schema,
      migrate: false,
    });
    try {
      const keys = await getPostgresSubjectKeyStore({
        connectionString: url,
        applicationName: 'banshishi-audit',
        schema: keySchema,
        migrate: false,
      });
      return { store, keys, close: async () => {} };
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(process.env.PGLITE_DIR ?? '.data/banshishi');
  try {
    const store = await getPGliteEventStore({ pglite, schema, migrate: false });
    const keys = await getPGliteSubjectKeyStore({ pglite, schema: keySchema, migrate: false });
    return { store, keys, close: () => pglite.close() };
  } catch (error) {
    await pglite.close();
    throw error;
  }
};

const verifyForgettings = async (): Promise<boolean> => {
  let opened: Awaited<ReturnType<typeof openStoreAndKeys>>;
  try {
    opened = await openStoreAndKeys();
  } catch (error) {
    if (!isMissingRelation(error)) throw error;
    console.log(`key store: no ${keySchema}.subject_keys here (nothing was ever sealed in this database)`);
    return true;
  }
  const { store, keys } = opened;
  try {
    const audit = await auditForgetting({ store, keys });
    for (const t of audit.unrecorded)
      console.log(
        `ALTERED  forgotten_without_record  ${t.subject}: key destroyed at ${t.forgottenAt}, no SubjectForgotten in the log`,
      );
    for (const r of audit.notCarriedOut)
      console.log(
        `ALTERED  forgetting_not_carried_out  ${r.subject}: recorded at ${r.streamId}@${r.revision}, its key is still held`,
      );
    const clean = audit.unrecorded.length === 0 && audit.notCarriedOut.length === 0;
    console.log(
      clean
        ? `key store: ${audit.recorded} forgettings recorded, each carried out, no key destroyed without a record`
        : 'key store: it does not match the forgettings the log records',
    );
    return clean;
  } finally {
    await keys.close();
    await store.close();
    await opened.close();
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
