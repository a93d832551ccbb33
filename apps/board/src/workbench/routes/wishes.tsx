// The wish's item page and its forms (领梦, 放弃认领, 圆梦, 确认, 亮梦, 撤销). Every form posts one command
// through the kit (its key as Idempotency-Key, the revision it was filled in at as If-Match): done goes back
// to the page with a notice; refused or in conflict, the page is drawn again from the wish as it is now,
// with the refusal beside the field it names, or the notice that someone acted first.
import { listPublicWishes } from '@banshishi/read-models';
import { type Request, type Response, Router } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import { type FormState, fresh, refusalMessage } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { evidenceRules } from '../evidence/refusals.js';
import { storeUploads } from '../evidence/upload.js';
import { formOf, textOf, type WorkbenchKit } from '../http/kit.js';
import { directoryOf, isItemId, loadItem } from '../items.js';
import { type ContactOutcome, ContactPanel, mayReadContact } from '../pages/contact.js';
import { MessagePage } from '../pages/message.js';
import { type PostedForm, type WishAction, WishPage, wishPath } from '../pages/wish.js';

type Form = Readonly<Record<string, string>>;

/** Each form's command body, made of the posted fields; the API path is `/wishes/:id/<action>`. */
const bodies: Readonly<Record<WishAction, (form: Form) => Record<string, unknown>>> = {
  claim: () => ({}),
  release: (f) => ({ reason: textOf(f, 'reason') }),
  fulfil: (f) => ({ summary: textOf(f, 'summary') }),
  confirm: (f) => ({ verdict: textOf(f, 'verdict'), comment: textOf(f, 'comment') }),
  showcase: (f) => ({ story: textOf(f, 'story') }),
  cancel: (f) => ({ grounds: textOf(f, 'grounds'), reason: textOf(f, 'reason') }),
};

const isAction = (name: string): name is WishAction => Object.hasOwn(bodies, name);

/** Form fields never shown back: the hidden round-trip fields. */
const shownBack = (form: Form): Form =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k !== '_csrf' && k !== 'formKey' && k !== 'revision'));

/** A member's open claims against the limit, as the API counts them for the quota; null for anyone else. */
const claimsOf = async (kit: WorkbenchKit, ctx: WorkbenchContext, req: Request) => {
  if (ctx.principal?.acting?.role !== 'member') return null;
  const answer = await kit.read(ctx, req, '/me/claims');
  const counts = (answer.body as { wishClaims?: { open?: unknown; limit?: unknown } | null } | null)?.wishClaims;
  return answer.status === 200 && typeof counts?.open === 'number' && typeof counts.limit === 'number'
    ? { open: counts.open, limit: counts.limit }
    : null;
};

export const wishesRoutes = (kit: WorkbenchKit): Router => {
  const router = Router();

  const notFound = (ctx: WorkbenchContext) => (
    <MessagePage ctx={ctx} heading={ctx.m.errors.heading} text={ctx.m.item.notFound} />
  );

  /** The page drawn from the wish as it is now; null when it is gone or not this person's to see. */
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
    const item = await loadItem(kit, ctx, req, 'wish', id);
    if (item === null) return null;
    const [rows, dir, claims] = await Promise.all([
      listPublicWishes(kit.deps.readModels, { wishIds: [id], limit: 1 }),
      directoryOf(kit),
      claimsOf(kit, ctx, req),
    ]);
    return (
      <WishPage
        ctx={ctx}
        view={{ item, row: rows[0], dir, claims }}
        state={state}
        done={options.done ?? false}
        posted={options.posted ?? null}
        formKey={kit.formKey}
        contact={
          mayReadContact(ctx, item) && (
            <ContactPanel
              ctx={ctx}
              action={`${wishPath(id)}/contact`}
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

  router.get('/wishes/:id', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const shown = await page(ctx, req, req.params.id, fresh, { done: req.query.done === '1' });
    if (shown === null) kit.send(res, notFound(ctx), 404);
    else kit.send(res, shown);
  });

  // 查看联系方式: the API records the read before it answers; the values are drawn on this answer only.
  router.post('/wishes/:id/contact', async (req: Request, res: Response, next) => {
    const { id } = req.params as { id: string };
    if (!isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const statement = textOf(form, 'statement');
    const outcome = await kit.command(ctx, req, {
      path: `/wishes/${encodeURIComponent(id)}/wisher-contact`,
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

  router.post('/wishes/:id/:action', async (req: Request, res: Response, next) => {
    const { id, action } = req.params as { id: string; action: string };
    if (!isAction(action) || !isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const posted: PostedForm = { action, values: shownBack(form) };
    // Refused on a wish this person may not see: the refusal is all there is to show.
    const render = async (c: WorkbenchContext, state: FormState) =>
      (await page(c, req, id, state, { posted })) ??
      (state.kind === 'fresh' ? (
        notFound(c)
      ) : (
        <MessagePage ctx={c} heading={c.m.form.refused} text={refusalMessage(c, state.refusal)} back={wishPath(id)} />
      ));
    let body = bodies[action](form);
    if (action === 'fulfil') {
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
      body = { ...body, evidence: stored.right.map((e) => e.uri) };
    }
    await kit.act(req, res, {
      ctx,
      path: `/wishes/${encodeURIComponent(id)}/${action}`,
      body,
      done: wishPath(id),
      render,
    });
  });

  return router;
};
