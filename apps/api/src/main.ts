// `pnpm api`: the command API in server mode, its own process on PostgreSQL: it appends to the event log
// (migrating its schema, as the one writer), seals personal fields with the keys in the key store, and
// reads the read models the projector keeps for the work lists. SIGTERM or SIGINT stops it cleanly.
import { freshnessOf, openReadModels, pgPool } from '@banshishi/read-models';
import { getPostgresEventStore, getPostgresSubjectKeyStore } from '@banshishi/store-postgres';
import * as E from 'fp-ts/lib/Either.js';
import { pino } from 'pino';
import { readServiceAreas } from './config.js';
import { createApiApp } from './http/app.js';
import { closeServer, describedError, listen, onStopSignal } from './serve.js';
import { decodeApiServerConfig } from './server-config.js';
import { tokenVerifierFor } from './token-keys.js';

const decoded = decodeApiServerConfig(process.env);
if (E.isLeft(decoded)) {
  for (const problem of decoded.left) process.stderr.write(`api: ${problem}\n`);
  process.exit(2);
}
const config = decoded.right;
const logger = pino({ name: 'api', level: config.logLevel });
const applicationName = 'banshishi-api';

const described = describedError;

const main = async () => {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse())
      await close().catch((error: unknown) => logger.warn({ error: described(error) }, 'close failed'));
  };
  onStopSignal(async (signal) => {
    logger.info({ signal }, 'stopping after the requests in flight');
    await closeAll();
    logger.info('api stopped');
  });
  try {
    // A dropped connection is logged and replaced: the next request gets a fresh one (docs/operations.md).
    const lost = (pool: string) => (report: unknown) =>
      logger.warn({ pool, connection: report }, 'lost a connection to PostgreSQL; carrying on with a fresh one');
    const store = await getPostgresEventStore({
      connectionString: config.databaseUrl,
      schema: config.eventSchema,
      applicationName,
      onConnectionError: lost('events'),
    });
    closers.push(() => store.close());
    const keys = await getPostgresSubjectKeyStore({
      connectionString: config.databaseUrl,
      schema: config.keySchema,
      applicationName,
      onConnectionError: lost('keys'),
    });
    closers.push(() => keys.close());
    const readPool = pgPool({
      connectionString: config.databaseUrl,
      max: 4,
      applicationName,
      onConnectionError: lost('read-models'),
    });
    closers.push(() => readPool.end());
    const readModels = await openReadModels({ kind: 'pool', pool: readPool }, config.readModelSchema);
    closers.push(() => readModels.close());

    const app = createApiApp({
      store,
      keys,
      readModels,
      freshness: () => freshnessOf(readModels, () => store.logHead().catch(() => undefined)),
      verifyToken: await tokenVerifierFor(config.tokens),
      integrations: config.integrations,
      logger,
      limits: config.limits,
      trustProxy: config.trustProxy,
      boardUrl: config.boardUrl,
      open311: { clients: config.open311Clients, areas: await readServiceAreas(config.open311AreasFile) },
    });
    const { server, url } = await listen(app, config.port, config.host);
    closers.push(() => closeServer(server));
    logger.info(
      { url, eventSchema: config.eventSchema, readModelSchema: config.readModelSchema },
      'api listening (server mode)',
    );
    console.log(`command API: ${url}api/v1  (server mode; SIGTERM or Ctrl-C to stop)`);
  } catch (error) {
    await closeAll();
    throw error;
  }
};

main().catch((error: unknown) => {
  logger.fatal({ error: described(error) }, 'api failed to start');
  process.exit(1);
});
