// The projector process: decode configuration, open the event store and the read-model database, run
// (or rebuild) the named projections, serve /metrics, and on SIGTERM finish the batches in flight and
// exit 0. A failure it will not retry is logged and ends the process with status 1.
import type { EventStore } from '@banshishi/core';
import {
  projections as available,
  type OpenReadModels,
  openPglite,
  openReadModels,
  type PGlite,
  type ReadModelConnectionError,
  StoppedError,
  stopper,
} from '@banshishi/read-models';
import { getEventStoreDBEventStore } from '@banshishi/store-esdb';
import { type ConnectionErrorReport, getPGliteEventStore, getPostgresEventStore } from '@banshishi/store-postgres';
import { type Checkpointer, newSignerKeyFile, openTransparencyLog, startCheckpointer } from '@banshishi/transparency';
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { pino } from 'pino';
import { decodeConfig } from './config.js';
import { projectorMetrics, serveMetrics } from './metrics.js';
import { rebuildAll, type StoreHead, startProjector } from './projector.js';

// `projector new-key <origin> <file>`: a new signer key for the transparency log, before anything is opened.
if (process.argv[2] === 'new-key') {
  const [origin, file] = process.argv.slice(3);
  if (origin === undefined || file === undefined || process.argv.length > 5) {
    process.stderr.write('usage: projector new-key <origin, e.g. banshishi.jiaozhou.example/log> <key file>\n');
    process.exit(2);
  }
  const made = await newSignerKeyFile(file, origin);
  if (E.isLeft(made)) {
    process.stderr.write(`projector new-key: ${made.left}\n`);
    process.exit(2);
  }
  process.stdout.write(`${made.right.verifier.encoded}\n`);
  process.stderr.write(`wrote the signer key to ${file} (mode 0600); above is its public key, to publish\n`);
  process.exit(0);
}

const decoded = decodeConfig(process.argv.slice(2), process.env);
if (E.isLeft(decoded)) {
  for (const problem of decoded.left) process.stderr.write(`projector: ${problem}\n`);
  process.exit(2);
}
const config = decoded.right;
const logger = pino({ name: 'projector', level: config.logLevel });

// PostgreSQL closing a connection (a restart, an idle timeout, an operator) is survived: the pools drop it
// and open a fresh one, cut reads are read again, and a cut batch is redone (its rows and checkpoint share
// one transaction). Each loss is logged by where, code and message only (docs/operations.md).
const connectionLost = (pool: 'events' | 'read-models', report: ConnectionErrorReport | ReadModelConnectionError) =>
  logger.warn({ pool, connection: report }, 'lost a connection to PostgreSQL; carrying on with a fresh one');

const open = async () => {
  const closers: (() => Promise<void>)[] = [];
  let pglite: PGlite | undefined;
  let store: EventStore;
  let head: (() => Promise<StoreHead | null>) | undefined;
  const events = config.events;
  if (events.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: events.url, max: 2, application_name: 'banshishi-projector' });
    closers.push(() => pool.end());
    const sqlStore = await getPostgresEventStore({
      pool,
      schema: events.schema,
      onConnectionError: (report) => connectionLost('events', report),
    });
    store = sqlStore;
    head = () => sqlStore.logHead();
  } else if (events.kind === 'pglite') {
    const db = await openPglite(events.dataDir);
    pglite = db;
    closers.push(() => db.close());
    const sqlStore = await getPGliteEventStore({ pglite: db, schema: events.schema });
    store = sqlStore;
    head = () => sqlStore.logHead();
  } else {
    store = getEventStoreDBEventStore(
      { connectionString: events.url },
      events.namespace === undefined ? {} : { namespace: events.namespace },
    );
  }
  closers.unshift(() => store.close());
  let readModels: OpenReadModels;
  if (config.readModels.kind === 'postgres') {
    readModels = await openReadModels(
      {
        kind: 'postgres',
        connectionString: config.readModels.url,
        // A connection per projection and one more: catching up, each projection writes its batch without
        // waiting for another's to end (docs/performance.md, "Issue 16: read-model catch-up").
        max: config.projections.length + 1,
        onConnectionError: (report) => connectionLost('read-models', report),
      },
      config.readModelSchema,
    );
  } else {
    const db = pglite ?? (await openPglite(config.readModels.dataDir));
    if (pglite === undefined) closers.push(() => db.close());
    readModels = await openReadModels({ kind: 'pglite', pglite: db }, config.readModelSchema);
  }
  closers.unshift(() => readModels.close());
  return {
    store,
    readModels,
    head,
    close: async () => {
      for (const close of closers) await close().catch((error: unknown) => logger.warn({ err: error }, 'close failed'));
    },
  };
};

// The transparency log's checkpointer runs in the projector's process: it follows the same store from its own
// cursor, writes into the same read-model database the board publishes from, and needs no process of its own
// to be deployed, watched and stopped (docs/auditing.md, "The transparency log").
const startTransparency = async (resources: Awaited<ReturnType<typeof open>>): Promise<Checkpointer | undefined> => {
  const t = config.transparency;
  if (t === null) return undefined;
  const log = await openTransparencyLog({ db: resources.readModels.db, schema: t.schema });
  return startCheckpointer({
    store: resources.store,
    log,
    signer: t.signer,
    origin: t.origin,
    intervalMs: t.intervalMs,
    batchSize: config.batchSize,
    logger: logger.child({ name: 'transparency' }),
    ...(t.checkpointDir === undefined ? {} : { checkpointDir: t.checkpointDir }),
  });
};

const main = async (): Promise<number> => {
  const metrics = projectorMetrics();
  const server = config.metricsPort === 0 ? undefined : await serveMetrics(metrics.registry, config.metricsPort);
  const resources = await open();
  const deps = {
    store: resources.store,
    readModels: resources.readModels,
    projections: config.projections.map((name) => available[name as keyof typeof available]),
    batchSize: config.batchSize,
    logEveryBatches: config.logEveryBatches,
    logger,
    metrics,
    ...(resources.head === undefined ? {} : { head: resources.head }),
  };
  logger.info(
    {
      command: config.command,
      projections: config.projections,
      events: config.events.kind,
      metricsPort: config.metricsPort,
    },
    'projector starting',
  );
  const stop = stopper();
  let status = 0;
  try {
    if (config.command === 'checkpoint') {
      // On demand: the tree brought up to everything committed now, signed, and the note printed (the receipt).
      const checkpointer = (await startTransparency(resources))!;
      try {
        await checkpointer.caughtUp;
        const made = await checkpointer.checkpointNow();
        process.stdout.write(made.signed);
      } finally {
        await checkpointer.stop();
      }
    } else if (config.command === 'rebuild') {
      const onSignal = () => stop.stop();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      await rebuildAll(deps, stop);
    } else {
      const running = startProjector(deps);
      const checkpointer = await startTransparency(resources);
      if (checkpointer === undefined)
        logger.info('no TRANSPARENCY_KEY_FILE or TRANSPARENCY_SIGNER_KEY: no transparency log');
      const onSignal = (signal: string) => {
        logger.info({ signal }, 'stopping after the batches in flight');
        void running.stop();
      };
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      process.once('SIGINT', () => onSignal('SIGINT'));
      running.caughtUp.then(() => logger.info('caught up'));
      checkpointer?.caughtUp.then(() => logger.info('the transparency log caught up and signed'));
      try {
        await running.done;
      } finally {
        await checkpointer?.stop();
      }
    }
  } catch (error) {
    if (!(error instanceof StoppedError)) {
      logger.error({ err: error }, 'projector stopped on an error it will not retry');
      status = 1;
    }
  } finally {
    await resources.close();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }
  logger.info({ status }, 'projector stopped');
  return status;
};

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    logger.fatal({ err: error }, 'projector failed to start');
    process.exit(1);
  },
);
