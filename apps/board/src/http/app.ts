// The board as an express app: security headers with a strict CSP (no inline script), compression,
// request logs, metrics, a rate limit on every public route, the pages and the data routes, and one error
// handler that answers each route family in its own format and never leaks a stack trace.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from '@banshishi/api';
import { liveBuildStates, projectionList } from '@banshishi/read-models';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { sql } from 'kysely';
import { pinoHttp } from 'pino-http';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { catalogues } from '../i18n/index.js';
import { ErrorPage } from '../pages/error.js';
import { chartDataRoutes } from '../routes/chart-data.js';
import { exportRoutes } from '../routes/exports.js';
import { feedRoutes } from '../routes/feeds.js';
import { figureExportRoutes } from '../routes/figure-exports.js';
import { ledgerRoutes } from '../routes/ledger.js';
import { open311Routes, sendOpen311Errors } from '../routes/open311.js';
import { pageRoutes } from '../routes/pages.js';
import { transparencyRoutes } from '../routes/transparency.js';
import type { BoardDeps } from './deps.js';
import {
  BadParameter,
  boardErrorOf,
  isBoardError,
  NotFound,
  NotReady,
  problemDetailsOf,
  retryAfterSeconds,
} from './errors.js';
import { boardMetrics } from './metrics.js';
import { proofCheckBundle, proofCheckPath } from './proof-check-bundle.js';
import { languageOf, pageContext } from './render.js';
import { responseCache } from './response-cache.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const echartsFile = require.resolve('echarts/dist/echarts.min.js');

/** Route families by how they answer errors (the transparency log's routes but its page are data). */
const familyOf = (path: string): 'open311' | 'data' | 'page' =>
  path.startsWith('/open311/')
    ? 'open311'
    : path.startsWith('/api/') ||
        path.startsWith('/transparency/') ||
        /\.(json|csv|atom|xml)$/.test(path) ||
        path === '/metrics'
      ? 'data'
      : 'page';

export const createBoardApp = (deps: BoardDeps): Express => {
  const app = express();
  app.disable('x-powered-by');
  // The rate limit is per client address: only a proxy named in the configuration may say what it is.
  app.set('trust proxy', deps.serve.trustProxy ?? false);
  app.set('query parser', 'simple');
  const metrics = boardMetrics();

  app.use(
    pinoHttp({
      logger: deps.logger,
      // The query string holds filter values only (units, dates, statuses); cookies and headers are not logged.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(metrics.middleware);
  app.use(securityHeaders());
  app.use(compression());

  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(deps.readModels.db);
      // Ready once every projection has a live build: before that, pages would have nothing to show.
      const live = await liveBuildStates(deps.readModels);
      if (live.length < projectionList.length) {
        res.status(503).set('Cache-Control', 'no-store').set('Retry-After', String(retryAfterSeconds));
        res.json({ status: 'starting' });
        return;
      }
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });

  // ECharts from the installed package (its folder under node_modules/.pnpm is a dot-folder, hence `allow`).
  app.get('/static/vendor/echarts.min.js', (_req, res, next) => {
    res.sendFile(echartsFile, { maxAge: '1d', dotfiles: 'allow' }, (error) => error && next(error));
  });
  const proofCheck = proofCheckBundle();
  app.get(proofCheckPath, async (_req, res) => {
    res
      .set('Cache-Control', 'public, max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(await proofCheck());
  });
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/static/favicon.svg'));
  app.use('/static', express.static(join(here, '..', 'static'), { maxAge: '1h', index: false, fallthrough: true }));

  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.serve.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, res) => {
        res.set('Cache-Control', 'no-store');
        const family = familyOf(req.path);
        const m = catalogues[languageOf(req)];
        if (family === 'open311') sendOpen311Errors(res, req.path, 429, 'too many requests');
        else if (family === 'data')
          res
            .status(429)
            .type('application/problem+json')
            .send(JSON.stringify({ type: 'about:blank', title: 'Too many requests', status: 429 }));
        else res.status(429).type('text/plain').send(m.errors.tooMany);
      },
    }),
  );

  app.use(responseCache({ ttlMs: deps.responseCacheMs ?? 1_000 }));
  app.use(figureExportRoutes(deps));
  app.use(exportRoutes(deps));
  app.use(feedRoutes(deps));
  app.use(ledgerRoutes(deps));
  app.use(pageRoutes(deps));
  app.use(transparencyRoutes(deps));
  app.use(open311Routes(deps));
  app.use(chartDataRoutes(deps));

  app.use((req: Request, _res: Response, next: NextFunction) => next(new NotFound(req.path)));

  app.use(async (thrown: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = boardErrorOf(thrown);
    if (error instanceof NotReady) res.set('Retry-After', String(retryAfterSeconds));
    // A body parser or express itself may throw its own 4xx (a malformed URL, say): keep its status.
    const status = isBoardError(error)
      ? error.status
      : ((error as { status?: number }).status ?? (error as { statusCode?: number }).statusCode);
    const known = isBoardError(error)
      ? error
      : status === 404
        ? new NotFound(req.path)
        : typeof status === 'number' && status >= 400 && status < 500
          ? new BadParameter('request', 'malformed request')
          : null;
    if (known === null) req.log.error({ err: error }, 'request failed');
    res.set('Cache-Control', 'no-store');
    if (res.headersSent) return;
    const family = familyOf(req.path);
    if (family === 'open311') {
      const code = known?.status ?? 500;
      res.status(code).json([{ code, description: known?.message ?? 'internal error' }]);
      return;
    }
    if (family === 'data') {
      const body =
        known === null
          ? { type: 'about:blank', title: 'Internal error', status: 500 }
          : problemDetailsOf(known, req.originalUrl);
      res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
      return;
    }
    const ctx = await pageContext(req, deps).catch(() => null);
    const m = catalogues[languageOf(req)];
    const page = h(ErrorPage, { ctx, m, error: known });
    res
      .status(known?.status ?? 500)
      .type('html')
      .send(`<!doctype html>${renderToString(page)}`);
  });

  return app;
};
