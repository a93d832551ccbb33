// `pnpm start`: the embedded main job. One process on PGlite in ./.data/banshishi: on first start it seeds
// the demo campaign (decided in memory by the deciders, bulk-loaded); the projections follow the log live; the board and the command
// API are served on one port, and the URLs and an office token printed. The transparency log follows the
// log too, signed with a key beside the data; its public key is printed with the URL. Ctrl-C stops cleanly; a restart
// reuses the data (and the token secret) and catches up.

import { join } from 'node:path';
import {
  apiBase,
  closeServer,
  decodeApiConfig,
  demoOfficeHolder,
  ensureEmbeddedTokenSecret,
  issueDevToken,
  onStopSignal,
} from '@banshishi/api';
import * as E from 'fp-ts/lib/Either.js';
import { pino } from 'pino';
import { decodeEmbeddedConfig } from './config.js';
import { ensureDemo, followProjections, openEmbedded, startEmbeddedTransparency } from './embedded.js';

const decoded = decodeEmbeddedConfig(process.env);
if (E.isLeft(decoded)) {
  for (const problem of decoded.left) process.stderr.write(`banshishi: ${problem}\n`);
  process.exit(2);
}
const config = decoded.right;
const logger = pino({ name: 'board', level: config.logLevel });
const tokenSecret = await ensureEmbeddedTokenSecret(config.dataDir);
const apiDecoded = decodeApiConfig(process.env, { embeddedSecret: tokenSecret });
if (E.isLeft(apiDecoded)) {
  for (const problem of apiDecoded.left) process.stderr.write(`banshishi: ${problem}\n`);
  process.exit(2);
}
const apiConfig = apiDecoded.right;

const main = async () => {
  console.log(`办实事 banshishi — embedded mode, data in ${config.dataDir}`);
  // The board, API and workbench are loaded while the database opens and the demo is seeded: on a fresh
  // clone tsx transpiles them meanwhile (off the main thread). A failure is reported where it is awaited.
  const serving = import('./embedded-app.js');
  serving.catch(() => {});
  const embedded = await openEmbedded(config);
  const started = performance.now();
  const unit = config.demoSeeding === 'deciders' ? 'commands' : 'events';
  const { seeded, manifest } = await ensureDemo(embedded, config, (n) => {
    if (n % 500 === 0 && process.stdout.isTTY) process.stdout.write(`  seeding demo campaign: ${n} ${unit}\r`);
  });
  if (seeded && manifest !== null) {
    const how = config.demoSeeding === 'deciders' ? 'command by command' : 'bulk-loaded';
    console.log(
      `seeded the demo campaign (seed ${config.demoSeed}): ${manifest.events.total} events decided by the deciders, ${how}, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } else {
    console.log('events already present: demo not seeded again');
  }
  const projecting = performance.now();
  const projections = followProjections(embedded);
  projections.done.catch((error: unknown) => logger.error({ err: error }, 'a projection stopped'));
  await projections.caughtUp;
  console.log(`projections up to date in ${((performance.now() - projecting) / 1000).toFixed(1)} s; following the log`);
  const checkpointing = performance.now();
  const transparency = await startEmbeddedTransparency(embedded, config, {
    logger: logger.child({ name: 'checkpointer' }),
  });
  await transparency.checkpointer.caughtUp;
  const latest = await transparency.publication.log.latestCheckpoint();
  console.log(
    `transparency log signed at ${latest?.size ?? 0} events in ${((performance.now() - checkpointing) / 1000).toFixed(1)} s; checkpoints in ${transparency.checkpointDir}`,
  );

  const { startEmbeddedServer } = await serving;
  const { server, url, hotlineKey } = await startEmbeddedServer({
    embedded,
    config,
    apiConfig,
    tokenSecret,
    logger,
    transparency: transparency.publication,
  });
  // Stoppable before it says it is up: whoever reads the URL may press Ctrl-C at once.
  onStopSignal(async () => {
    console.log('stopping…');
    await closeServer(server);
    await transparency.checkpointer.stop();
    await projections.stop();
    await embedded.close();
    console.log('stopped');
  });
  const office = demoOfficeHolder({ seed: config.demoSeed, scale: config.demoScale });
  const officeToken = await issueDevToken(tokenSecret, { personId: office.personId });
  console.log(`\n公示 board: ${url}  (Ctrl-C to stop)`);
  console.log(`工作台 workbench: ${url}workbench  (demo sign-in: pick any demo person)`);
  console.log(`command API: ${url}${apiBase.slice(1)}  (OpenAPI: ${url}openapi.json, docs: ${url}api/docs)`);
  console.log(
    `公开账本 transparency log: ${url}transparency  (public key ${join(transparency.keyDir, 'verifier.key')}: ${transparency.publication.verifier.encoded})`,
  );
  console.log(`Open311 intake: POST ${url}open311/v2/requests.json with api_key=${hotlineKey}`);
  console.log(`office token (${office.label}, 8 h; others: pnpm dev-token --list):\n${officeToken}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
