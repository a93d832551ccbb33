// The embedded mode's one port: the command API answers its own paths, the workbench /workbench (posting
// through that same API over HTTP, as any client does), the board everything else. Shared by the main
// job and the specs that drive the whole thing in a browser, so they test what `pnpm start` serves.
import { createHmac } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiConfig,
  apiBase,
  createApiApp,
  demoPeople,
  embeddedOpen311Client,
  isApiRequest,
  issueDevToken,
  listen,
  tokenVerifierFor,
} from '@banshishi/api';
import { demoServiceAreas } from '@banshishi/demo';
import { freshnessOf } from '@banshishi/read-models';
import express from 'express';
import type { Logger } from 'pino';
import type { EmbeddedConfig } from './config.js';
import type { Embedded } from './embedded.js';
import { createBoardApp } from './http/app.js';
import type { TransparencyPublication } from './http/deps.js';
import { freshnessReader } from './http/freshness.js';
import { createEvidenceStore } from './workbench/evidence/store.js';
import { httpApiClient } from './workbench/http/api-client.js';
import { createWorkbenchRouter } from './workbench/router.js';

export interface EmbeddedServer {
  readonly server: Server;
  /** The board's address, ending in `/`. */
  readonly url: string;
  readonly apiUrl: string;
  readonly workbenchUrl: string;
  /** The Open311 hotline's key (the demo's 12345 hotline client). */
  readonly hotlineKey: string;
}

export const startEmbeddedServer = async (options: {
  readonly embedded: Embedded;
  readonly config: EmbeddedConfig;
  readonly apiConfig: ApiConfig;
  readonly tokenSecret: Uint8Array;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** Where evidence is kept; `<dataDir>/evidence` by default. */
  readonly evidenceDir?: string;
  /** The transparency log the board publishes (embedded.ts, startEmbeddedTransparency); none: not published. */
  readonly transparency?: TransparencyPublication;
}): Promise<EmbeddedServer> => {
  const { embedded, config, apiConfig, tokenSecret, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const board = createBoardApp({
    readModels: embedded.readModels,
    clock,
    freshness: freshnessReader(embedded.readModels, () => embedded.store.logHead()),
    logger,
    serve: config,
    transparency: options.transparency ?? null,
  });
  const demo = { seed: config.demoSeed, scale: config.demoScale };
  const office = demoPeople(demo).find((p) => p.role === 'office');
  const hotline = embeddedOpen311Client(tokenSecret, office?.personId ?? 'office');
  const api = createApiApp({
    store: embedded.store,
    keys: embedded.keys,
    readModels: embedded.readModels,
    freshness: () => freshnessOf(embedded.readModels, () => embedded.store.logHead()),
    verifyToken: await tokenVerifierFor(apiConfig.tokens),
    integrations: apiConfig.integrations,
    logger: logger.child({ name: 'api' }),
    limits: apiConfig.limits,
    // The workbench on this port says whose request it passes on (X-Forwarded-For): the rate limit is per person.
    trustProxy: apiConfig.trustProxy === false ? 'loopback' : apiConfig.trustProxy,
    open311: { clients: [...apiConfig.open311Clients, hotline], areas: demoServiceAreas(demo) },
  });
  // The workbench posts through the API on this very port, once it is known.
  let apiUrl = '';
  // In memory (PGLITE_DIR=memory://) nothing outlives the process, so evidence goes to a temporary folder.
  const evidenceDir =
    options.evidenceDir ??
    (config.dataDir.startsWith('memory://')
      ? await mkdtemp(join(tmpdir(), 'banshishi-evidence-'))
      : join(config.dataDir, 'evidence'));
  const workbench = createWorkbenchRouter({
    api: httpApiClient(() => apiUrl),
    readModels: embedded.readModels,
    clock,
    logger: logger.child({ name: 'workbench' }),
    signIn: {
      kind: 'demo',
      people: demoPeople(demo),
      issue: (personId) => issueDevToken(tokenSecret, { personId }),
    },
    evidence: createEvidenceStore({ dir: evidenceDir }),
    // Derived from the token secret kept in the data folder: forms stay valid across a restart.
    csrfSecret: createHmac('sha256', tokenSecret).update('banshishi workbench csrf').digest('base64url'),
    secureCookies: false,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use('/workbench', workbench);
  app.use((req, res, next) => (isApiRequest(req.method, req.path) ? api(req, res, next) : board(req, res, next)));
  const { server, url } = await listen(app, config.port, config.host);
  apiUrl = `${url}${apiBase.slice(1)}`;
  return { server: server as Server, url, apiUrl, workbenchUrl: `${url}workbench`, hotlineKey: hotline.apiKey };
};
