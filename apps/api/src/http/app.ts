// The command API as an express app: correlation ids and request logs, security headers, a rate limit per
// address and one per token, JSON bodies of bounded size, bearer-token authentication, one route per
// command and read from the route tables, and one error handler that answers every refusal as problem
// details and never leaks a stack trace. Mounted beside the board in the embedded main job, or served
// alone (main.ts).
import { randomUUID } from 'node:crypto';
import {
  createCorePersonalDataSealer,
  createDirectoryContextLoader,
  type DirectoryView,
  type EventStore,
  isBanshishiError,
  recordPersonalDataAccess,
  type SubjectKeyStore,
} from '@banshishi/core';
import { isTransient, type ReadModels } from '@banshishi/read-models';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type * as E from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Principal } from '../actors.js';
import { lifecycleHandlers } from '../lifecycles.js';
import { open311ErrorBody } from '../open311/answers.js';
import { docsCssPath, docsCssUrl, renderApiDocs } from '../openapi/docs-page.js';
import { openApiDocument } from '../openapi/document.js';
import { apiBase, commandRoutes } from '../routes/command-routes.js';
import { readRoutes } from '../routes/read-routes.js';
import { securityHeaders } from '../security-headers.js';
import { commandEndpoint } from './commands.js';
import type { ApiContext, ReadModelFreshness } from './context.js';
import { apiMetrics } from './metrics.js';
import { type Open311Intake, open311Endpoint } from './open311.js';
import {
  type ApiError,
  ApiFailure,
  apiRefusal,
  apiRules,
  fromDomain,
  httpError,
  sendProblem,
} from './problem-details.js';
import {
  itemEndpoint,
  meEndpoint,
  myClaimableEndpoint,
  myClaimsEndpoint,
  myItemsEndpoint,
  myQueueEndpoint,
  personalDataEndpoint,
} from './reads.js';

/** A verified bearer token, or why not (auth/tokens.ts). */
export type TokenVerifier = (
  authorization: string | undefined,
) => Promise<E.Either<{ readonly reason: string; readonly message: string }, Principal>>;

export interface Integration {
  /** How far into the past an act recorded offline may be dated (X-Occurred-At). */
  readonly maxBackdateMs: number;
}

export interface ApiLimits {
  readonly bodyBytes: number;
  readonly perAddressPerMinute: number;
  readonly perTokenPerMinute: number;
}

export interface ApiDeps {
  readonly store: EventStore;
  readonly keys: SubjectKeyStore;
  readonly readModels: ReadModels;
  readonly freshness: () => Promise<ReadModelFreshness>;
  readonly verifyToken: TokenVerifier;
  /** Client apps (the token's `azp`) allowed to send acts recorded offline, by client id. */
  readonly integrations: Readonly<Record<string, Integration>>;
  readonly logger: Logger;
  readonly limits: ApiLimits;
  readonly trustProxy?: false | number | string;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  readonly boardUrl?: string;
  /** How far ahead of the clock a business time may run (core's default: 5 minutes). */
  readonly maxClockAheadMs?: number;
  /** Open311 intake: the clients allowed to post and the ground each unit covers (none: every key refused). */
  readonly open311?: Open311Intake;
}

/** The API's version, as the OpenAPI document states it. */
export const apiVersion = '1.0.0';

export const defaultApiLimits: ApiLimits = { bodyBytes: 64 * 1024, perAddressPerMinute: 600, perTokenPerMinute: 300 };

/** `/problems/{problemId}/claim` → `/problems/:problemId/claim`. */
const expressPath = (path: string) => `${apiBase}${path.replace(/\{(\w+)\}/g, ':$1')}`;

const correlationPattern = /^[A-Za-z0-9._:-]{8,128}$/;

/** Express's and body-parser's own 4xx errors, by their `type`, as the API's refusals. */
const parserError = (error: { type?: unknown; status?: unknown }): ApiError | null => {
  switch (error.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'validation', rule: apiRules.notJson, message: 'body: not valid JSON' };
    case 'entity.too.large':
      return httpError(413, 'validation', apiRules.bodyTooLarge, 'body: larger than this API accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return httpError(415, 'unsupported', apiRules.unsupportedMediaType, 'body: send JSON in UTF-8');
    default:
      return null;
  }
};

export const createApiApp = (deps: ApiDeps): Express => {
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const metrics = apiMetrics();
  const contextLoader = createDirectoryContextLoader(deps.store);
  // Every reveal a command needs (亮梦's check) is recorded in the log before a value is opened.
  const personalData = createCorePersonalDataSealer({
    keys: deps.keys,
    onReveal: recordPersonalDataAccess({ store: deps.store, sealer: () => personalData, clock }),
  });
  const ctx: ApiContext = {
    store: deps.store,
    keys: deps.keys,
    personalData,
    readModels: deps.readModels,
    freshness: deps.freshness,
    directorySoFar: () => contextLoader.builder.viewAt(),
    directoryContext: (command) => contextLoader(command),
    clock,
    newId,
    maxBackdateMsOf: (principal) =>
      principal.clientId === undefined ? undefined : deps.integrations[principal.clientId]?.maxBackdateMs,
    boardUrl: deps.boardUrl ?? '',
  };
  const handlers = lifecycleHandlers({
    store: deps.store,
    context: contextLoader,
    personalData,
    clock,
    ...(deps.maxClockAheadMs === undefined ? {} : { maxClockAheadMs: deps.maxClockAheadMs }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'simple');
  app.set('etag', false);

  app.use((req, res, next) => {
    const offered = req.get('x-correlation-id') ?? req.get('x-request-id');
    const id = offered !== undefined && correlationPattern.test(offered) ? offered : newId();
    res.locals.correlationId = id;
    res.set('X-Correlation-Id', id);
    next();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => (res as Response).locals.correlationId as string,
      // Method, path and status only: bodies carry residents' words, headers carry tokens.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(metrics.middleware);
  app.use(securityHeaders());

  const tooMany = (req: Request, res: Response) =>
    sendProblem(
      res,
      httpError(429, 'too_many', apiRules.tooManyRequests, 'too many requests: slow down and retry later'),
      req.originalUrl,
    );
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.limits.perAddressPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: tooMany,
    }),
  );

  app.get(`${apiBase}/healthz`, async (_req, res) => {
    try {
      await deps.store.readAll({ limit: 1 });
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'unavailable' });
    }
  });
  // The document is built once from the route tables and codecs: what is served is what is documented.
  const document = JSON.stringify(openApiDocument({ version: apiVersion }));
  app.get('/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(document);
  });
  // The readable docs, rendered on the server from the same document: no script, nothing from elsewhere.
  const parsedDocument = JSON.parse(document) as Parameters<typeof renderApiDocs>[0];
  const docsPages = { zh: renderApiDocs(parsedDocument, 'zh'), en: renderApiDocs(parsedDocument, 'en') };
  app.get('/api/docs', (req, res) => {
    const lang = req.query.lang === 'en' ? 'en' : 'zh';
    res.set('Cache-Control', 'public, max-age=300').type('html').send(docsPages[lang]);
  });
  app.get(docsCssUrl, (_req, res, next) => {
    res.sendFile(docsCssPath, { maxAge: '1h' }, (error) => error && next(error));
  });
  app.get(`${apiBase}/metrics`, async (_req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });

  // Everything else under the base needs a bearer token; roles come from the directory, not from it.
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const verified = await deps.verifyToken(req.get('authorization'));
    if (verified._tag === 'Left') {
      const unavailable = verified.left.reason === 'keys_unavailable';
      // RFC 6750 §3.1: no error code for a request that sent no credentials at all.
      if (!unavailable)
        res.set('WWW-Authenticate', verified.left.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"');
      sendProblem(
        res,
        unavailable
          ? httpError(503, 'unavailable', apiRules.keysUnavailable, verified.left.message)
          : httpError(401, 'unauthenticated', apiRules.unauthenticated, verified.left.message),
        req.originalUrl,
      );
      return;
    }
    // A valid token for someone the directory does not know (or no longer does) acts as nobody.
    // Known to the directory as last read, or else after reading what is new: one read fewer per request.
    const active = (view: DirectoryView) => view.person(verified.right.personId)?.active === true;
    if (!active(ctx.directorySoFar()) && !active((await ctx.directoryContext()).directory)) {
      sendProblem(
        res,
        apiRefusal(
          'forbidden',
          apiRules.notInDirectory,
          `${verified.right.personId} is not an active person of the directory`,
        ),
        req.originalUrl,
      );
      return;
    }
    res.locals.principal = verified.right;
    const role = req.get('x-acting-role');
    const unitId = req.get('x-acting-unit');
    res.locals.acting = { ...(role === undefined ? {} : { role }), ...(unitId === undefined ? {} : { unitId }) };
    next();
  };
  const perToken = rateLimit({
    windowMs: 60_000,
    limit: deps.limits.perTokenPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `person:${(res.locals.principal as Principal).personId}`,
    handler: tooMany,
  });
  const json = express.json({ limit: deps.limits.bodyBytes, strict: false, type: () => true });
  /** A command's body is JSON: said so by its content type, or absent altogether. */
  const jsonBody = (req: Request, res: Response, next: NextFunction) => {
    const length = req.get('content-length');
    const hasBody = req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) {
      req.body = undefined;
      next();
      return;
    }
    if (!req.is(['application/json', 'application/*+json'])) {
      sendProblem(
        res,
        httpError(415, 'unsupported', apiRules.unsupportedMediaType, 'body: send application/json'),
        req.originalUrl,
      );
      return;
    }
    json(req, res, next);
  };

  const wrap =
    (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
      handler(req, res).catch(next);

  for (const route of commandRoutes)
    app.post(expressPath(route.path), authenticate, perToken, jsonBody, wrap(commandEndpoint(ctx, handlers, route)));

  const reads: Record<string, (req: Request, res: Response) => Promise<void>> = {
    me: meEndpoint(ctx),
    myClaims: myClaimsEndpoint(ctx),
    myClaimable: myClaimableEndpoint(ctx),
    myItems: myItemsEndpoint(ctx),
    myQueue: myQueueEndpoint(ctx),
    getProblem: itemEndpoint(ctx, 'problem'),
    getWish: itemEndpoint(ctx, 'wish'),
    readProblemRaiser: personalDataEndpoint(ctx, 'problem'),
    readWishWisher: personalDataEndpoint(ctx, 'wish'),
  };
  for (const route of readRoutes) {
    const handler = reads[route.operationId];
    if (handler === undefined) continue;
    if (route.method === 'get') app.get(expressPath(route.path), authenticate, perToken, wrap(handler));
    else app.post(expressPath(route.path), authenticate, perToken, jsonBody, wrap(handler));
  }

  const open311Form = express.urlencoded({ extended: false, limit: deps.limits.bodyBytes, parameterLimit: 100 });
  app.post(
    '/open311/v2/requests.:format',
    (req: Request, res: Response, next: NextFunction) => {
      if (req.params.format !== 'json' && req.params.format !== 'xml') {
        next();
        return;
      }
      open311Form(req, res, next);
    },
    wrap(open311Endpoint(ctx, handlers.problem, deps.open311 ?? { clients: [], areas: [] })),
  );

  // A known path asked with another method is a 405 naming the allowed ones; anything else under the base, 404.
  const known = [...commandRoutes, ...readRoutes].map((r) => ({
    pattern: new RegExp(`^${expressPath(r.path).replace(/:\w+/g, '[^/]+')}$`),
    method: r.method.toUpperCase(),
  }));
  app.use((req: Request, res: Response) => {
    const allowed = known.filter((k) => k.pattern.test(req.originalUrl.split('?')[0]!)).map((k) => k.method);
    if (allowed.length > 0) {
      res.set('Allow', [...new Set(allowed)].join(', '));
      sendProblem(
        res,
        httpError(405, 'unsupported', apiRules.methodNotAllowed, `${req.method} is not allowed here`),
        req.originalUrl,
      );
      return;
    }
    sendProblem(
      res,
      { status: 404, code: 'not_found', rule: apiRules.notFound, message: 'no such resource' },
      req.originalUrl,
    );
  });

  app.use((thrown: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (req.path.startsWith('/open311/')) {
      // Open311 clients read the spec's error list, in the format the path asks for.
      const status = (thrown as { status?: unknown }).status;
      const sqlState = (thrown as { code?: unknown }).code;
      const away = isTransient(thrown) || sqlState === '42P01' || sqlState === '3F000';
      const code = typeof status === 'number' && status >= 400 && status < 500 ? status : away ? 503 : 500;
      if (code >= 500) req.log.error({ err: thrown }, 'Open311 request failed');
      const format = req.path.endsWith('.xml') ? 'xml' : 'json';
      const body = open311ErrorBody(format, [
        { code, description: code < 500 ? 'malformed request' : 'not available just now; retry shortly' },
      ]);
      res.status(code).set('Cache-Control', 'no-store').type(body.contentType).send(body.body);
      return;
    }
    if (thrown instanceof ApiFailure) {
      sendProblem(res, thrown.error, req.originalUrl);
      return;
    }
    const parsed = parserError(thrown as { type?: unknown });
    if (parsed !== null) {
      sendProblem(res, parsed, req.originalUrl);
      return;
    }
    if (isBanshishiError(thrown) && thrown.code !== 'integrity') {
      sendProblem(res, fromDomain(thrown.error), req.originalUrl);
      return;
    }
    const status = (thrown as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendProblem(
        res,
        { status, code: 'validation', rule: 'api.malformed_request', message: 'malformed request' },
        req.originalUrl,
      );
      return;
    }
    // The database away (a restart, a dropped connection) or the read models not built yet: try again soon.
    const code = (thrown as { code?: unknown }).code;
    if (isTransient(thrown) || code === '42P01' || code === '3F000') {
      req.log.warn({ error: { code, message: String((thrown as Error).message).split('\n')[0] } }, 'answered 503');
      res.set('Retry-After', '2');
      sendProblem(
        res,
        httpError(503, 'unavailable', apiRules.unavailable, 'not available just now; retry shortly'),
        req.originalUrl,
      );
      return;
    }
    req.log.error({ err: thrown }, 'request failed');
    sendProblem(
      res,
      httpError(500, 'internal', apiRules.internal, 'internal error; the correlation id names it in the logs'),
      req.originalUrl,
    );
  });

  return app;
};
