// The problem's item page and its forms, and the evidence files the workbench keeps. Every form posts one
// command through the kit (its key as Idempotency-Key, the revision it was filled in at as If-Match): done
// goes back to the page with a notice; refused or in conflict, the page is drawn again from the item as
// it is now, with the refusal beside the field it names, or the notice that someone acted first.
import { publicProblem } from '@banshishi/read-models';
import { type Request, type Response, Router } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { type FormState, fresh, refusalMessage } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { evidenceRules } from '../evidence/refusals.js';
import { sendEvidence } from '../evidence/serve.js';
import { storeUploads } from '../evidence/upload.js';
import { formOf, textOf, type WorkbenchKit } from '../http/kit.js';
import { directoryOf, isItemId, loadItem } from '../items.js';
import { type ContactOutcome, ContactPanel, mayReadContact } from '../pages/contact.js';
import { MessagePage } from '../pages/message.js';
import { type PostedForm, type ProblemAction, ProblemPage, problemPath } from '../pages/problem.js';

type Form = Readonly<Record<string, string>>;

/** Each form's command: the API path under the problem and the body made of the posted fields. */
const commands: Readonly<
  Record<ProblemAction, { readonly path: string; readonly body: (form: Form, ctx: WorkbenchContext) => unknown }>
> = {
  assign: { path: 'assign', body: (f) => ({ toUnitId: textOf(f, 'toUnitId'), note: textOf(f, 'note') }) },
  reject: {
    path: 'reject',
    body: (f) => ({ ground: textOf(f, 'ground'), reason: textOf(f, 'reason'), duplicateOf: textOf(f, 'duplicateOf') }),
  },
  supervise: { path: 'supervise', body: (f) => ({ ground: textOf(f, 'ground'), note: textOf(f, 'note') }) },
  // 考核评 when acting as the office; otherwise the raiser's own verdict, of the kind their role gives.
  evaluate: {
    path: 'evaluate',
    body: (f, ctx) => {
      const role = ctx.principal?.acting?.role;
      return role === 'office'
        ? {
            kind: 'assessment',
            verdict: textOf(f, 'verdict'),
            ...(f.raiserUnreachable === 'true' ? { raiserUnreachable: true } : {}),
          }
        : { kind: role, verdict: textOf(f, 'verdict'), comment: textOf(f, 'comment') };
    },
  },
  // 回访: the raiser's verdict, recorded by the office on their behalf.
  callback: {
    path: 'evaluate',
    body: (f) => ({ kind: textOf(f, 'kind'), verdict: textOf(f, 'verdict'), onBehalfOfRaiser: true }),
  },
  claim: { path: 'claim', body: (f) => ({ plan: textOf(f, 'plan'), promisedBy: textOf(f, 'promisedBy') }) },
  progress: { path: 'progress', body: (f) => ({ note: textOf(f, 'note') }) },
  solve: { path: 'solve', body: (f) => ({ summary: textOf(f, 'summary') }) },
  escalate: { path: 'escalate', body: (f) => ({ reason: textOf(f, 'reason') }) },
};

const isAction = (name: string): name is ProblemAction => Object.hasOwn(commands, name);

/** Form fields never shown back: the hidden round-trip fields. */
const shownBack = (form: Form): Form =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k !== '_csrf' && k !== 'formKey' && k !== 'revision'));

export const problemsRoutes = (kit: WorkbenchKit): Router => {
  const router = Router();

  const notFound = (ctx: WorkbenchContext) => (
    <MessagePage ctx={ctx} heading={ctx.m.errors.heading} text={ctx.m.item.notFound} />
  );

  /** The page drawn from the item as it is now; null when it is gone or not this person's to see. */
  const page = async (
    ctx: WorkbenchContext,
    req: Request,
    id: string,
    state: FormState,
    options: {
      readonly done?: boolean;
      readonly posted?: PostedForm;
      /** After a contact read: what it answered, or its refusal, and the reason typed. */
      readonly contact?: ContactOutcome;
    } = {},
  ) => {
    const item = await loadItem(kit, ctx, req, 'problem', id);
    if (item === null) return null;
    const [row, dir] = await Promise.all([publicProblem(kit.deps.readModels, id, ctx.now), directoryOf(kit)]);
    return (
      <ProblemPage
        ctx={ctx}
        view={{ item, row, dir }}
        state={state}
        done={options.done ?? false}
        posted={options.posted ?? null}
        formKey={kit.formKey}
        contact={
          mayReadContact(ctx, item) && (
            <ContactPanel
              ctx={ctx}
              action={`${problemPath(id)}/contact`}
              formKey={kit.formKey()}
              state={options.contact?.state ?? fresh}
              revealed={options.contact?.revealed ?? null}
              {...(options.contact?.statement === undefined ? {} : { statement: options.contact.statement })}
            />
          )
        }
      />
    );
  };

  router.get('/problems/:id', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const shown = await page(ctx, req, req.params.id, fresh, { done: req.query.done === '1' });
    if (shown === null) kit.send(res, notFound(ctx), 404);
    else kit.send(res, shown);
  });

  // 查看联系方式: the API records the read before it answers; the values are drawn on this answer only.
  router.post('/problems/:id/contact', async (req: Request, res: Response, next) => {
    const { id } = req.params as { id: string };
    if (!isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const statement = textOf(form, 'statement');
    const outcome = await kit.command(ctx, req, {
      path: `/problems/${encodeURIComponent(id)}/raiser-contact`,
      body: { purpose: textOf(form, 'purpose'), statement },
    });
    const contact: ContactOutcome =
      outcome.kind === 'done'
        ? { state: fresh, revealed: (outcome.body.fields ?? {}) as Record<string, unknown> }
        : { state: outcome, revealed: null, ...(statement === undefined ? {} : { statement }) };
    const shown = await page(ctx, req, id, outcome.kind === 'done' ? fresh : outcome, { contact });
    const status = outcome.kind === 'done' ? 200 : outcome.refusal.status < 500 ? outcome.refusal.status : 503;
    if (shown === null) kit.send(res, notFound(ctx), 404);
    else kit.send(res, shown, status);
  });

  router.post('/problems/:id/:action', async (req: Request, res: Response, next) => {
    const { id, action } = req.params as { id: string; action: string };
    if (!isAction(action) || !isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const posted: PostedForm = { action, values: shownBack(form) };
    // Refused on an item this person may not see: the refusal is all there is to show.
    const render = async (c: WorkbenchContext, state: FormState) =>
      (await page(c, req, id, state, { posted })) ??
      (state.kind === 'fresh' ? (
        notFound(c)
      ) : (
        <MessagePage
          ctx={c}
          heading={c.m.form.refused}
          text={refusalMessage(c, state.refusal)}
          back={problemPath(id)}
        />
      ));
    const command = commands[action];
    let body = command.body(form, ctx) as Record<string, unknown>;
    if (action === 'solve') {
      // The files are kept (stripped, by their hash) before the command names them; a refused upload is
      // shown as the API's refusals are, against the evidence field, and nothing is sent.
      const stored = await storeUploads(kit.deps.evidence, req);
      if (E.isLeft(stored)) {
        const status = stored.left.rule === evidenceRules.tooLarge ? 413 : 422;
        const refusal = {
          status,
          rule: stored.left.rule,
          code: 'evidence',
          message: stored.left.message,
          fields: [{ path: stored.left.field, message: stored.left.message }],
          currentRevision: null,
        };
        kit.send(res, await render(ctx, { kind: 'refused', refusal }), status);
        return;
      }
      body = { ...body, evidence: stored.right.map((e) => ({ kind: e.kind, uri: e.uri })) };
    }
    await kit.act(req, res, {
      ctx,
      path: `/problems/${encodeURIComponent(id)}/${command.path}`,
      body,
      done: problemPath(id),
      render,
    });
  });

  // Evidence is for the people working on the items; the board shows that there is some, not the files.
  router.get('/evidence/:sha256', async (req, res) => {
    await kit.signedIn(req, res);
    await sendEvidence(kit.deps.evidence, req.params.sha256, res);
  });

  return router;
};
