// `pnpm board`: the board in server mode, its own process in front of the read models in PostgreSQL that
// the projector process (apps/projector) keeps up to date. It only reads: the read models' control schema
// is migrated at start (as every reader of them does), the event log is never migrated or written, and is
// read for one thing only, the log's head in the freshness note. With TRANSPARENCY_VERIFIER_KEY it also
// publishes the transparency log that the checkpointer keeps beside the read models: it reads its tables
// and never signs (the signing key stays with the checkpointer). SIGTERM or SIGINT stops it cleanly.

import { closeServer, describedError, listen, onStopSignal } from '@banshishi/api';
import { openReadModels, pgPool, type ReadModelConnectionError } from '@banshishi/read-models';
import { type ConnectionErrorReport, getPostgresEventStore, type SqlEventStore } from '@banshishi/store-postgres';
import { openTransparencyLog } from '@banshishi/transparency';
import express from 'express';
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { pino } from 'pino';
import { decodeServerConfig } from './config.js';
import { createBoardApp } from './http/app.js';
import { freshnessReader, type LogHeadReader } from './http/freshness.js';
import { createEvidenceStore } from './workbench/evidence/store.js';
import { httpApiClient } from './workbench/http/api-client.js';
import { createWorkbenchRouter } from './workbench/router.js';

const decoded = decodeServerConfig(process.env);
if (E.isLeft(decoded)) {
  for (const problem of decoded.left) process.stderr.write(`board: ${problem}\n`);
  process.exit(2);
}
const config = decoded.right;
const logger = pino({ name: 'board', level: config.logLevel });

/** How the board's connections show in pg_stat_activity, unless DATABASE_URL names them itself. */
const applicationName = 'banshishi-board';

// PostgreSQL closing a connection (a restart, an idle timeout, an operator) must not end the board: the
// pools drop it and the next query opens a fresh one; a request that was in flight answers 500 (or 503
// on /healthz) and the next one is served. Logged by where, code and message only (docs/operations.md).
const connectionLost = (pool: 'events' | 'read-models', report: ConnectionErrorReport | ReadModelConnectionError) =>
  logger.warn({ pool, connection: report }, 'lost a connection to PostgreSQL; carrying on with a fresh one');

const described = describedError;

/**
 * The log's head for the freshness note. A log that cannot be read (not created yet, the server away)
 * leaves the lag unknown on the page instead of failing it; said once per outage, not once per request.
 */
const logHeadOf = (store: SqlEventStore): LogHeadReader => {
  let failing = false;
  return async () => {
    try {
      const head = await store.logHead();
      if (failing) logger.info('the event log can be read again');
      failing = false;
      return head;
    } catch (error) {
      if (!failing)
        logger.warn({ error: described(error) }, 'cannot read the event log head; the board shows the lag as unknown');
      failing = true;
      return undefined;
    }
  };
};

const main = async () => {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse())
      await close().catch((error: unknown) => logger.warn({ error: described(error) }, 'close failed'));
  };
  // Stoppable from the start, and before it says it is up: whoever reads the URL may stop it at once.
  onStopSignal(async (signal) => {
    logger.info({ signal }, 'stopping after the requests in flight');
    await closeAll();
    logger.info('board stopped');
  });
  try {
    // Pages run a handful of queries each: a few more connections than the projector's pool.
    const readPool = pgPool({
      connectionString: config.databaseUrl,
      max: 8,
      applicationName,
      onConnectionError: (report) => connectionLost('read-models', report),
    });
    closers.push(() => readPool.end());
    const readModels = await openReadModels({ kind: 'pool', pool: readPool }, config.readModelSchema);
    closers.push(() => readModels.close());

    const eventPool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, application_name: applicationName });
    closers.push(() => eventPool.end());
    const store = await getPostgresEventStore({
      pool: eventPool,
      schema: config.eventSchema,
      migrate: false,
      onConnectionError: (report) => connectionLost('events', report),
    });
    closers.push(() => store.close());

    const verifier = config.transparencyVerifier;
    const transparency =
      verifier === null
        ? null
        : { log: await openTransparencyLog({ db: readModels.db, schema: config.transparencySchema }), verifier };
    const board = createBoardApp({
      readModels,
      clock: () => new Date(),
      freshness: freshnessReader(readModels, logHeadOf(store)),
      logger,
      serve: config,
      transparency,
    });
    // The workbench, when configured: it posts through the command API over HTTP with the person's own
    // token (the API verifies it: a sign-on proxy in front sends Authorization, docs/operations.md).
    const wb = config.workbench;
    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy ?? false);
    if (wb !== null)
      app.use(
        '/workbench',
        createWorkbenchRouter({
          api: httpApiClient(() => wb.apiUrl),
          readModels,
          clock: () => new Date(),
          logger: logger.child({ name: 'workbench' }),
          signIn: { kind: 'token' },
          evidence: createEvidenceStore({ dir: wb.evidenceDir }),
          csrfSecret: wb.csrfSecret,
          secureCookies: wb.secureCookies,
        }),
      );
    app.use(board);
    const { server, url } = await listen(app, config.port, config.host);
    closers.push(() => closeServer(server));
    logger.info(
      {
        url,
        readModelSchema: config.readModelSchema,
        eventSchema: config.eventSchema,
        workbench: wb === null ? 'not served (WORKBENCH_API_URL unset)' : { api: wb.apiUrl },
        transparency: verifier === null ? 'not published (TRANSPARENCY_VERIFIER_KEY unset)' : { key: verifier.encoded },
      },
      'board listening (server mode)',
    );
    console.log(`公示 board: ${url}  (server mode; SIGTERM or Ctrl-C to stop)`);
    if (wb !== null) console.log(`工作台 workbench: ${url}workbench  (posting through ${wb.apiUrl})`);
  } catch (error) {
    await closeAll();
    throw error;
  }
};

main().catch((error: unknown) => {
  logger.fatal({ error: described(error) }, 'board failed to start');
  process.exit(1);
});
