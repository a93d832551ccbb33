// What the transparency log costs (issue 14): a demo campaign's history is bulk-loaded into PostgreSQL, then,
// in the same run, the whole log is read the way the checkpointer reads it — `readAll` pages in log order —
// three ways: the bare read (the reference, before and after), the read with each page appended to the tree
// kept in SQL (the checkpointer's whole work: leaves, completed nodes and the edge, one transaction per page),
// and the tree built in memory from the same events (hashing alone). Then the costs an auditor meets: signing a
// checkpoint, inclusion and consistency proofs, and rebuilding the tree from the log as `verify --receipt` does.
//   pnpm bench tlog                       (1,000,000 events)
//   BENCH_TLOG_EVENTS=100000 pnpm bench tlog
//   BENCH_TLOG_SCHEMA=<loaded schema>     (reads a log loaded before and leaves it in place)
import { randomBytes } from 'node:crypto';
import {
  createCorePersonalDataSealer,
  encodeSignerKey,
  eventLeafData,
  getInMemorySubjectKeyStore,
  merkleFrontier,
  merkleHasher,
  openCheckpoint,
  parseSignerKey,
  readWholeLog,
  verifyConsistency,
  verifyInclusion,
} from '@banshishi/core';
import { generateDemoEvents } from '@banshishi/demo';
import { bulkLoadDemo, getPostgresEventStore } from '@banshishi/store-postgres';
import { databaseUrl } from '@banshishi/testkit/postgres';
import { nodeSha256, openTransparencyLog } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { backendCpuMs, cpuMsSince, percentile, round, writeResult } from './lib.js';

const size = Number(process.env.BENCH_TLOG_EVENTS ?? 1_000_000);
const givenSchema = process.env.BENCH_TLOG_SCHEMA;
const pageSize = 5000;
const seed = 2021;

interface Figures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly clientCpuUsPerEvent: number;
  readonly serverCpuUsPerEvent: number | null;
}

const main = async () => {
  const applicationName = `bench-tlog-${randomBytes(4).toString('hex')}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2, idleTimeoutMillis: 0 });
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const schema = givenSchema ?? `bench_tlog_${randomBytes(4).toString('hex')}`;
  const treeSchema = `bench_tree_${randomBytes(4).toString('hex')}`;
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
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
    const store = await getPostgresEventStore({ pool, schema, migrate: false });

    const timed = async (name: string, run: () => Promise<number>): Promise<Figures> => {
      const serverBefore = await backendCpuMs(admin, applicationName);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const events = await run();
      const seconds = (performance.now() - started) / 1000;
      const clientMs = cpuMsSince(cpu);
      const serverAfter = await backendCpuMs(admin, applicationName);
      const figures: Figures = {
        events,
        seconds: round(seconds, 2),
        eventsPerSecond: Math.round(events / seconds),
        clientCpuUsPerEvent: round((clientMs * 1000) / events, 1),
        serverCpuUsPerEvent:
          serverBefore === null || serverAfter === null
            ? null
            : round(((serverAfter - serverBefore) * 1000) / events, 1),
      };
      console.log(`${name}:`, JSON.stringify(figures));
      return figures;
    };

    const bareRead = () =>
      timed('bare read', async () => {
        let events = 0;
        for await (const page of readWholeLog(store, { batchSize: pageSize })) events += page.length;
        return events;
      });

    const h = merkleHasher(nodeSha256);
    const read = await bareRead();
    const log = await openTransparencyLog({ db, schema: treeSchema });
    const built = await timed('read and appended to the tree in SQL (the checkpointer)', async () => {
      let events = 0;
      for await (const page of readWholeLog(store, { batchSize: pageSize })) {
        await log.append(page);
        events += page.length;
      }
      return events;
    });
    let memoryRoot: Uint8Array = new Uint8Array(0);
    const inMemory = await timed('read and hashed into a tree in memory (verify --receipt)', async () => {
      const frontier = merkleFrontier(h);
      let events = 0;
      for await (const page of readWholeLog(store, { batchSize: pageSize }))
        for (const e of page) {
          frontier.append(h.leaf(eventLeafData(e)));
          events += 1;
        }
      memoryRoot = frontier.root();
      return events;
    });
    const readAgain = await bareRead();
    const total = await log.size();
    const sqlRoot = await log.root();
    if (total !== read.events || Buffer.compare(Buffer.from(sqlRoot), Buffer.from(memoryRoot)) !== 0)
      throw new Error(`the tree in SQL (${total} leaves) and the tree in memory disagree`);

    // Signing, and the proofs an auditor asks for.
    const signer = (parseSignerKey(encodeSignerKey('bench.example/log', new Uint8Array(32).fill(1))) as E.Right<never>)
      .right as Parameters<typeof log.sign>[0];
    const signStarted = performance.now();
    const checkpoint = await log.sign(signer, 'bench.example/log');
    const signMs = performance.now() - signStarted;
    const opened = openCheckpoint(checkpoint.signed, signer.verifier);
    if (E.isLeft(opened) || (opened as E.Right<{ size: number }>).right.size !== total)
      throw new Error('the checkpoint does not open');

    const samples = 200;
    const inclusionMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const index = Math.floor(((i + 0.5) / samples) * total);
      const leaf = (await log.leaf(index))!;
      const t0 = performance.now();
      const proof = await log.inclusionProof(index, total);
      inclusionMs.push(performance.now() - t0);
      if (!verifyInclusion(h, leaf.leafHash, index, total, proof, sqlRoot)) throw new Error(`leaf ${index} unproved`);
    }
    const consistencyMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      const first = Math.max(1, Math.floor(((i + 0.5) / samples) * total));
      const t0 = performance.now();
      const proof = await log.consistencyProof(first, total);
      consistencyMs.push(performance.now() - t0);
      if (!verifyConsistency(h, first, total, proof, await log.root(first), sqlRoot))
        throw new Error(`size ${first} inconsistent`);
    }
    inclusionMs.sort((a, b) => a - b);
    consistencyMs.sort((a, b) => a - b);
    const tableBytes = Number(
      (
        await admin.query<{ bytes: string }>(
          `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
          [treeSchema],
        )
      ).rows[0]!.bytes,
    );

    const reference = Math.round((read.eventsPerSecond + readAgain.eventsPerSecond) / 2);
    const secondsPerEvent = (f: Figures) => f.seconds / f.events;
    const referenceSecondsPerEvent = (read.seconds + readAgain.seconds) / (read.events + readAgain.events);
    const checkpointUsPerEvent = round((secondsPerEvent(built) - referenceSecondsPerEvent) * 1e6, 1);
    console.log(
      `tree of ${total} events: built in SQL while reading in ${built.seconds} s (${built.eventsPerSecond} events/s, ` +
        `${round(built.eventsPerSecond / reference)}× the bare read of ${reference} events/s: ${checkpointUsPerEvent} µs ` +
        `per event over the read); in memory ${inMemory.seconds} s (${round(inMemory.eventsPerSecond / reference)}×); ` +
        `signing ${round(signMs, 1)} ms; inclusion proof p50 ${round(percentile(inclusionMs, 50), 2)} ms, p99 ` +
        `${round(percentile(inclusionMs, 99), 2)} ms; consistency proof p50 ${round(percentile(consistencyMs, 50), 2)} ms; ` +
        `tables ${round(tableBytes / 2 ** 20, 1)} MiB (${Math.round(tableBytes / total)} bytes per event)`,
    );
    writeResult('tlog', {
      history: { seed, events: total, personalData: 'sealed' },
      pageSize,
      bareRead: { before: read, after: readAgain, eventsPerSecond: reference },
      treeInSql: built,
      treeInMemory: inMemory,
      checkpointingUsPerEventOverRead: checkpointUsPerEvent,
      treeInSqlOverBareRead: round(built.eventsPerSecond / reference),
      signMs: round(signMs, 1),
      inclusionProofMs: { p50: round(percentile(inclusionMs, 50), 2), p99: round(percentile(inclusionMs, 99), 2) },
      consistencyProofMs: {
        p50: round(percentile(consistencyMs, 50), 2),
        p99: round(percentile(consistencyMs, 99), 2),
      },
      treeTablesMiB: round(tableBytes / 2 ** 20, 1),
      treeBytesPerEvent: Math.round(tableBytes / total),
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${treeSchema}" CASCADE`);
    if (givenSchema === undefined) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await db.destroy();
  }
};

await main();
