// The pieces every workbench route uses: the page context of a signed-in person (or a redirect to the
// sign-in page), sending a page, and posting one form to the command API with the person's token, the
// role they act in, the revision they saw (If-Match) and the form's own key (Idempotency-Key), read
// back as done, refused (with the rule and field) or a conflict (someone acted first).
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { localMoment } from '../../http/deps.js';
import { languageOf } from '../../http/render.js';
import { catalogues } from '../../i18n/index.js';
import type { FormState } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import type { WorkbenchDeps } from '../deps.js';
import { common } from '../i18n/index.js';
import { type ApiAnswer, type ApiCall, type ApiRefusal, refusalOf } from './api-client.js';
import { type Principal, principalOf, type SessionTools, workbenchBase } from './session.js';

export type CommandOutcome =
  | { readonly kind: 'done'; readonly body: Record<string, unknown> }
  | { readonly kind: 'refused'; readonly refusal: ApiRefusal }
  | { readonly kind: 'conflict'; readonly refusal: ApiRefusal };

/**
 * Someone acted first: the revision the form was filled in at is stale (412), or the store kept
 * refusing the append under concurrent writers (409 with a store or retries rule).
 */
const isConflict = (refusal: ApiRefusal) =>
  refusal.status === 412 ||
  refusal.rule === 'command.stale_expected_revision' ||
  refusal.rule === 'store.wrong_expected_revision' ||
  refusal.rule === 'command.retries_exhausted';

export class SignInRequired extends Error {
  constructor() {
    super('sign-in required');
    this.name = 'SignInRequired';
  }
}

export class ApiUnavailable extends Error {
  readonly status = 503;
  constructor() {
    super('the command API is unavailable');
    this.name = 'ApiUnavailable';
  }
}

export interface WorkbenchKit {
  readonly deps: WorkbenchDeps;
  readonly tools: SessionTools;
  /** The context of a signed-in person; throws SignInRequired (the router redirects) when there is none. */
  signedIn(req: Request, res: Response): Promise<WorkbenchContext>;
  /** The context whoever it is (the sign-in page). */
  anyone(req: Request, res: Response): Promise<WorkbenchContext>;
  send(res: Response, page: VNode, status?: number): void;
  /** Posts one command for the person, in the role they act in. */
  command(
    ctx: WorkbenchContext,
    req: Request,
    call: Omit<ApiCall, 'acting' | 'clientAddress' | 'method'>,
  ): Promise<CommandOutcome>;
  /** Reads from the API for the person. */
  read(ctx: WorkbenchContext, req: Request, path: string): Promise<ApiAnswer>;
  /** A fresh key for a form: posting the same form twice stores one result. */
  formKey(): string;
  /**
   * One form post, start to end: the command is sent with the form's key and revision; when done the
   * person is sent on (303, so a reload does not post again); refused or in conflict, the page is drawn
   * again by `render` with the outcome (the refusal's status: 400, 403, 409, 412, 422…).
   */
  act(
    req: Request,
    res: Response,
    action: {
      readonly path: string;
      readonly body: unknown;
      /** Where to go when done; `?done=1` is added. */
      readonly done: string;
      readonly render: (ctx: WorkbenchContext, state: FormState) => Promise<VNode>;
      /** The context, when the route already made it. */
      readonly ctx?: WorkbenchContext;
      /**
       * Run once the API has answered, before the page: whether the command was taken, refused (a 4xx:
       * nothing was stored), or its fate is unknown (the API was unreachable, answered 5xx, or the call
       * threw: it may have been stored).
       */
      readonly settle?: (outcome: 'taken' | 'refused' | 'unknown') => Promise<void>;
    },
  ): Promise<void>;
}

/** The posted form's fields (urlencoded or multipart): only single string values are kept. */
export const formOf = (req: Request): Readonly<Record<string, string>> => {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** A trimmed text field; undefined when absent or blank, so the API names the missing field. */
export const textOf = (form: Readonly<Record<string, string>>, name: string): string | undefined => {
  const v = form[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

/** The revision a form was filled in at (its hidden field); undefined when absent or not a number. */
export const revisionOf = (form: Readonly<Record<string, string>>): number | undefined => {
  const v = form.revision;
  return v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
};

/** The form's own key, sent as Idempotency-Key (the browser posting twice stores one result). */
const formKeyOf = (form: Readonly<Record<string, string>>): string | undefined => {
  const v = form.formKey;
  return v !== undefined && /^[A-Za-z0-9-]{8,64}$/.test(v) ? v : undefined;
};

/** Adds `done=1` to a workbench path. */
export const withDone = (path: string) => `${path}${path.includes('?') ? '&' : '?'}done=1`;

const displayNameOf = async (deps: WorkbenchDeps, principal: Principal | null): Promise<string | null> => {
  if (principal === null) return null;
  const row = await deps.readModels.db
    .withSchema(deps.readModels.schema)
    .selectFrom('people')
    .select('public_name')
    .where('person_id', '=', principal.personId)
    .executeTakeFirst()
    .catch(() => undefined);
  return row?.public_name ?? null;
};

export const workbenchKit = (deps: WorkbenchDeps, tools: SessionTools): WorkbenchKit => {
  const contextOf = async (req: Request, res: Response, principal: Principal | null): Promise<WorkbenchContext> => {
    const lang = languageOf(req);
    return {
      lang,
      m: common[lang],
      labels: catalogues[lang].labels,
      url: req.originalUrl,
      csrf: tools.csrfToken(req, res),
      principal,
      displayName: await displayNameOf(deps, principal),
      signInKind: deps.signIn.kind,
      now: localMoment(deps.clock()),
    };
  };
  const clientAddress = (req: Request) => req.ip ?? '';
  const kit: WorkbenchKit = {
    deps,
    tools,
    async signedIn(req, res) {
      const { principal, unavailable } = await principalOf(req, deps.api);
      if (unavailable) throw new ApiUnavailable();
      if (principal === null) throw new SignInRequired();
      return contextOf(req, res, principal);
    },
    async anyone(req, res) {
      const { principal } = await principalOf(req, deps.api);
      return contextOf(req, res, principal);
    },
    send(res, page, status = 200) {
      res
        .status(status)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(`<!doctype html>${renderToString(page)}`);
    },
    async command(ctx, req, call) {
      const principal = ctx.principal;
      if (principal === null) throw new SignInRequired();
      const answer = await deps.api.call(principal.token, {
        ...call,
        method: 'POST',
        ...(principal.acting === null
          ? {}
          : { acting: { role: principal.acting.role, unitId: principal.acting.unitId } }),
        clientAddress: clientAddress(req),
      });
      if (answer.status >= 200 && answer.status < 300)
        return { kind: 'done', body: (answer.body ?? {}) as Record<string, unknown> };
      if (answer.status === 401) throw new SignInRequired();
      const refusal = refusalOf(answer);
      return isConflict(refusal) ? { kind: 'conflict', refusal } : { kind: 'refused', refusal };
    },
    async read(ctx, req, path) {
      const principal = ctx.principal;
      if (principal === null) throw new SignInRequired();
      const answer = await deps.api.call(principal.token, {
        method: 'GET',
        path,
        ...(principal.acting === null
          ? {}
          : { acting: { role: principal.acting.role, unitId: principal.acting.unitId } }),
        clientAddress: clientAddress(req),
      });
      if (answer.status === 401) throw new SignInRequired();
      if (answer.status >= 500) throw new ApiUnavailable();
      return answer;
    },
    formKey: () => randomUUID(),
    async act(req, res, action) {
      const ctx = action.ctx ?? (await kit.signedIn(req, res));
      const form = formOf(req);
      const revision = revisionOf(form);
      const idempotencyKey = formKeyOf(form);
      let outcome: CommandOutcome;
      try {
        outcome = await kit.command(ctx, req, {
          path: action.path,
          body: action.body,
          ...(revision === undefined ? {} : { ifMatch: revision }),
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        });
      } catch (error) {
        await action.settle?.('unknown');
        throw error;
      }
      await action.settle?.(
        outcome.kind === 'done'
          ? 'taken'
          : outcome.refusal.status >= 400 && outcome.refusal.status < 500
            ? 'refused'
            : 'unknown',
      );
      if (outcome.kind === 'done') {
        res.redirect(303, withDone(action.done));
        return;
      }
      const status = outcome.refusal.status >= 400 && outcome.refusal.status < 500 ? outcome.refusal.status : 503;
      kit.send(res, await action.render(ctx, outcome), status);
    },
  };
  return kit;
};

/** Where a signed-out person is sent, coming back here after signing in. */
export const signInPath = (back: string) => `${workbenchBase}/sign-in?back=${encodeURIComponent(back)}`;
