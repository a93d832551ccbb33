// How fast `audit verify` checks a log (issue 13: 1,000,000 events on PostgreSQL in under 60 s): a demo
// campaign's history is bulk-loaded into a schema of its own, personal fields sealed as in a real log, then
// read in the same run several ways — the bare read (the audit's paged SELECT, rows parsed, nothing checked:
// the reference, before and after), verify as the CLI runs it (node:crypto's SHA-256, the replay through
// every decider), verify without the replay, and that again with core's portable SHA-256. Events/s, and CPU
// per event of this process and of its server backend, for each.
//   pnpm bench verify                       (1,000,000 events)
//   BENCH_VERIFY_EVENTS=100000 pnpm bench verify
//   BENCH_VERIFY_SCHEMA=<loaded schema>     (reads a log loaded before and leaves it in place)
import { randomBytes } from 'node:crypto';
import { createCorePersonalDataSealer, getInMemorySubjectKeyStore, type Sha256Hex, sha256Hex } from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPostgresAuditLog, type SqlAuditLog } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import pg from 'pg';
import { replayStream } from '../apps/audit/src/replay.js';
import { type Replay, verifyEventLog } from '../apps/audit/src/verify.js';
import { backendCpuMs, cpuMsSince, round, writeResult } from './lib.js';

const size = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);
const givenSchema = process.env.BENCH_VERIFY_SCHEMA;
const pageSize = Number(process.env.BENCH_VERIFY_PAGE ?? 5000);
const seed = 2021;

// The replay as `verify` runs it, counting the events it is handed: every stream of the demo decodes, so
// it must see every event once.
let replayedEvents = 0;
const countedReplay: Replay = (streamId, decoded) => {
  replayedEvents += decoded.length;
  return replayStream(streamId, decoded);
};

interface Figures {
  readonly events: number;
  readonly streams: number;
  readonly findings: number | null;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly clientCpuUsPerEvent: number;
  readonly serverCpuUsPerEvent: number | null;
}

const main = async () => {
  const applicationName = `bench-verify-${randomBytes(4).toString('hex')}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  // One connection for every read, kept open, so the backend's CPU can be read before and after each.
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1, idleTimeoutMillis: 0 });
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const schema = givenSchema ?? `bench_verify_${randomBytes(4).toString('hex')}`;
  try {
    if (givenSchema === undefined) {
      const loaded = await bulkLoadDemo(generateDemoEvents({ seed, scale: Math.ceil(size * 1.25) }), {
        personalData: createCorePersonalDataSealer({ keys: getInMemorySubjectKeyStore() }),
        connectionString: databaseUrl,
        schema,
        limit: size,
      });
      console.log(`loaded ${loaded.events} events in ${loaded.streams} streams (${loaded.eventsPerSecond} events/s)`);
    }
    const log: SqlAuditLog = getPostgresAuditLog({ pool, schema, pageSize });
    const counted = await log.count();
    console.log(`the log holds ${counted.events} events in ${counted.streams} streams`);

    const timed = async (
      name: string,
      run: () => Promise<{ streams: number; events: number; findings: number | null }>,
    ) => {
      const serverBefore = await backendCpuMs(admin, applicationName);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await run();
      const seconds = (performance.now() - started) / 1000;
      const clientMs = cpuMsSince(cpu);
      const serverAfter = await backendCpuMs(admin, applicationName);
      const figures: Figures = {
        ...result,
        seconds: round(seconds, 1),
        eventsPerSecond: Math.round(result.events / seconds),
        clientCpuUsPerEvent: round((clientMs * 1000) / result.events, 1),
        serverCpuUsPerEvent:
          serverBefore === null || serverAfter === null
            ? null
            : round(((serverAfter - serverBefore) * 1000) / result.events, 1),
      };
      console.log(`${name}:`, JSON.stringify(figures));
      return figures;
    };

    const bareRead = () =>
      timed('bare read', async () => {
        let streams = 0;
        let events = 0;
        await log.eachStream((stream) => {
          streams += 1;
          events += stream.events.length;
        });
        return { streams, events, findings: null };
      });
    const verify = (name: string, options: { sha256?: Sha256Hex; replay?: Replay }) =>
      timed(name, async () => {
        const report = await verifyEventLog(log, options);
        return { streams: report.streams, events: report.events, findings: report.findings.length };
      });

    const read = await bareRead();
    const cli = await verify('verify as the CLI runs it (node:crypto, replay)', { replay: countedReplay });
    if (replayedEvents !== cli.events) throw new Error(`the replay saw ${replayedEvents} of ${cli.events} events`);
    const noReplay = await verify('verify without the replay', {});
    const portable = await verify("verify without the replay, core's portable SHA-256", { sha256: sha256Hex });
    const readAgain = await bareRead();

    // The bare read before and after, so a machine that got busier or quieter meanwhile shows.
    const reference = Math.round((read.eventsPerSecond + readAgain.eventsPerSecond) / 2);
    const ratio = (f: Figures) => round(f.eventsPerSecond / reference);
    console.log(
      `verify: ${cli.events} events in ${cli.seconds} s, ${cli.eventsPerSecond} events/s, ${ratio(cli)}× the bare ` +
        `read (${reference} events/s); without the replay ${noReplay.eventsPerSecond} events/s (${ratio(noReplay)}×), ` +
        `and with core's portable SHA-256 then ${portable.eventsPerSecond} events/s (${ratio(portable)}×)`,
    );
    writeResult('verify', {
      history: { seed, events: counted.events, streams: counted.streams, personalData: 'sealed' },
      pageSize,
      bareRead: { before: read, after: readAgain, eventsPerSecond: reference },
      verify: cli,
      verifyWithoutReplay: noReplay,
      verifyWithoutReplayPortableSha256: portable,
      verifyOverBareRead: ratio(cli),
      aim: { events: 1_000_000, seconds: 60 },
    });
    await log.close();
  } finally {
    if (givenSchema === undefined) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await pool.end();
  }
};

await main();
