// The workbench as an express router mounted at /workbench beside the board: forms are parsed
// (urlencoded, or multipart with evidence), every post must carry this session's CSRF token, the
// signed-in person is asked of the API, and each area's routes do the rest. Errors answer as pages in
// the person's language: a signed-out person is sent to sign in and comes back; nothing answers 5xx but
// an unavailable API (503) or a real fault.
import { securityHeaders } from '@banshishi/api';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { WorkbenchDeps } from './deps.js';
import { evidenceUpload } from './evidence/upload.js';
import { ApiUnavailable, SignInRequired, signInPath, workbenchKit } from './http/kit.js';
import { sessionTools, workbenchBase } from './http/session.js';
import { HomePage } from './pages/home.js';
import { MessagePage } from './pages/message.js';
import { SignInPage } from './pages/sign-in.js';
import { listsRoutes } from './routes/lists.js';
import { officeRoutes } from './routes/office.js';
import { problemsRoutes } from './routes/problems.js';
import { wishesRoutes } from './routes/wishes.js';

/** Only paths inside the workbench may be come back to after signing in or switching roles. */
export const safeBack = (value: unknown): string =>
  typeof value === 'string' && value.length < 2000 && /^\/workbench(?:[/?#]|$)/.test(value) && !/[\\\r\n]/.test(value)
    ? value
    : workbenchBase;

export const createWorkbenchRouter = (deps: WorkbenchDeps): Router => {
  const tools = sessionTools({ csrfSecret: deps.csrfSecret, secureCookies: deps.secureCookies });
  const kit = workbenchKit(deps, tools);
  const router = Router();

  // The board's headers (a CSP allowing nothing but this origin, no framing) and request log lines that
  // carry the method, path and status only: a form's fields (a resident's words) are never logged.
  router.use(securityHeaders());
  router.use(
    pinoHttp({
      logger: deps.logger,
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  router.use(compression());
  router.use(tools.session);
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(evidenceUpload({ maxBytes: deps.maxUploadBytes ?? 10 * 1024 * 1024, maxFiles: deps.maxUploadFiles ?? 5 }));
  // Every post carries the form token of this session (a hidden field): one from elsewhere is refused
  // before anything is read or sent on.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || tools.csrfValid(req)) return next();
    try {
      const ctx = await kit.anyone(req, res);
      const referer = req.get('referer');
      const back = safeBack(referer === undefined ? undefined : new URL(referer, 'http://x').pathname);
      kit.send(res, <MessagePage ctx={ctx} heading={ctx.m.form.refused} text={ctx.m.form.csrf} back={back} />, 403);
    } catch (error) {
      next(error);
    }
  });

  router.get('/sign-in', async (req, res) => {
    const ctx = await kit.anyone(req, res);
    const message =
      req.query.out === '1'
        ? 'signedOut'
        : req.query.failed === '1'
          ? 'rejected'
          : ctx.principal === null && req.query.back !== undefined
            ? 'notSignedIn'
            : null;
    kit.send(
      res,
      <SignInPage
        ctx={ctx}
        people={deps.signIn.kind === 'demo' ? deps.signIn.people : null}
        back={safeBack(req.query.back)}
        message={message}
      />,
    );
  });

  router.post('/sign-in', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const back = safeBack(body.back);
    let token: string | null = null;
    if (deps.signIn.kind === 'demo') {
      const personId = body.personId;
      const known = deps.signIn.people.find((p) => p.personId === personId);
      token = known === undefined ? null : await deps.signIn.issue(known.personId);
    } else if (typeof body.token === 'string' && /^[A-Za-z0-9._-]{10,4096}$/.test(body.token.trim())) {
      token = body.token.trim();
    }
    // The token is only kept when the API takes it: a bad paste says so instead of signing in.
    const accepted =
      token !== null &&
      (await deps.api.call(token, { method: 'GET', path: '/me', clientAddress: req.ip ?? '' })).status === 200;
    if (!accepted || token === null) {
      res.redirect(303, `${workbenchBase}/sign-in?failed=1&back=${encodeURIComponent(back)}`);
      return;
    }
    tools.signIn(res, token);
    res.redirect(303, back);
  });

  router.post('/sign-out', (_req, res) => {
    tools.signOut(res);
    res.redirect(303, `${workbenchBase}/sign-in?out=1`);
  });

  router.post('/acting', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const body = req.body as Record<string, unknown>;
    const role = ctx.principal?.roles.find((r) => `${r.role}@${r.unitId}` === body.acting);
    if (role !== undefined) tools.chooseActing(res, role);
    res.redirect(303, safeBack(body.back));
  });

  router.get('/', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    kit.send(res, <HomePage ctx={ctx} />);
  });

  router.use(officeRoutes(kit));
  router.use(problemsRoutes(kit));
  router.use(wishesRoutes(kit));
  router.use(listsRoutes(kit));

  router.use(async (req: Request, res: Response) => {
    const ctx = await kit.anyone(req, res);
    kit.send(res, <MessagePage ctx={ctx} heading={ctx.m.errors.heading} text={ctx.m.errors.notFound} />, 404);
  });

  router.use(async (thrown: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (thrown instanceof SignInRequired) {
      const back = req.method === 'GET' ? req.originalUrl : (req.get('referer') ?? workbenchBase);
      res.set('Cache-Control', 'no-store').redirect(303, signInPath(safeBack(back.replace(/^https?:\/\/[^/]+/, ''))));
      return;
    }
    const status =
      thrown instanceof ApiUnavailable
        ? 503
        : ((thrown as { status?: number }).status ?? (thrown as { statusCode?: number }).statusCode ?? 500);
    const known = typeof status === 'number' && status >= 400 && status < 500;
    if (!known && !(thrown instanceof ApiUnavailable)) req.log?.error({ err: thrown }, 'workbench request failed');
    try {
      const ctx = await kit.anyone(req, res).catch(() => null);
      if (ctx === null) {
        res.status(503).type('text/plain').send('service unavailable');
        return;
      }
      const text =
        thrown instanceof ApiUnavailable ? ctx.m.form.unavailable : known ? ctx.m.form.refused : ctx.m.errors.internal;
      if (thrown instanceof ApiUnavailable) res.set('Retry-After', '5');
      kit.send(
        res,
        <MessagePage ctx={ctx} heading={ctx.m.errors.heading} text={text} />,
        known ? status : thrown instanceof ApiUnavailable ? 503 : 500,
      );
    } catch {
      res.status(500).type('text/plain').send('internal error');
    }
  });
  return router;
};
