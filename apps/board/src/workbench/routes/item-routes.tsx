// What a problem's and a wish's routes share: the item page, the recorded contact read (查看联系方式), and
// one post per action — its evidence files kept first when the action takes some, then the command sent
// through the kit; done goes back to the page, refused or in conflict draws the page again from the item
// as it is now. Each lifecycle gives its page, its actions and how a form becomes a command's body.
import { type Request, type Response, Router } from 'express';
import * as E from 'fp-ts/lib/Either.js';
import type { VNode } from 'preact';
import { type FormState, fresh, refusalMessage } from '../components.js';
import type { WorkbenchContext } from '../context.js';
import { evidenceRules } from '../evidence/refusals.js';
import type { StoredEvidence } from '../evidence/store.js';
import { stageUploads } from '../evidence/upload.js';
import { formOf, textOf, type WorkbenchKit } from '../http/kit.js';
import { isItemId, type LoadedItem } from '../items.js';
import { type ContactOutcome, ContactPanel, mayReadContact } from '../pages/contact.js';
import { MessagePage } from '../pages/message.js';

type Form = Readonly<Record<string, string>>;

export interface PageOptions<A extends string> {
  readonly done?: boolean;
  readonly posted?: { readonly action: A; readonly values: Form };
  /** After a contact read: what it answered, or its refusal, and the reason typed. */
  readonly contact?: ContactOutcome;
}

export interface ItemRoutes<A extends string> {
  /** `problems` or `wishes`: the workbench's and the API's collection. */
  readonly collection: 'problems' | 'wishes';
  /** The API's recorded read of the item's personal fields. */
  readonly contactRead: 'raiser-contact' | 'wisher-contact';
  readonly pathOf: (id: string) => string;
  readonly isAction: (name: string) => name is A;
  /** The command an action posts: the API path under the item, and the body made of the form. */
  readonly command: (action: A, form: Form, ctx: WorkbenchContext) => { readonly path: string; readonly body: object };
  /** The action whose form carries evidence files, and how the stored files go into its body. */
  readonly evidence: { readonly action: A; readonly into: (stored: readonly StoredEvidence[]) => unknown };
  /** The item's page drawn as it is now; null when it is gone or not this person's to see. */
  readonly page: (
    ctx: WorkbenchContext,
    req: Request,
    id: string,
    state: FormState,
    options: PageOptions<A>,
    contactPanel: (item: LoadedItem) => VNode | null,
  ) => Promise<VNode | null>;
}

/** Form fields never shown back: the hidden round-trip fields. */
const shownBack = (form: Form): Form =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k !== '_csrf' && k !== 'formKey' && k !== 'revision'));

export const itemRoutes = <A extends string>(kit: WorkbenchKit, spec: ItemRoutes<A>): Router => {
  const router = Router();
  const base = `/${spec.collection}/:id`;

  const notFound = (ctx: WorkbenchContext) => (
    <MessagePage ctx={ctx} heading={ctx.m.errors.heading} text={ctx.m.item.notFound} />
  );

  const page = (ctx: WorkbenchContext, req: Request, id: string, state: FormState, options: PageOptions<A> = {}) =>
    spec.page(ctx, req, id, state, options, (item) =>
      mayReadContact(ctx, item) ? (
        <ContactPanel
          ctx={ctx}
          action={`${spec.pathOf(id)}/contact`}
          formKey={kit.formKey()}
          state={options.contact?.state ?? fresh}
          revealed={options.contact?.revealed ?? null}
          {...(options.contact?.statement === undefined ? {} : { statement: options.contact.statement })}
        />
      ) : null,
    );

  router.get(base, async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const { id } = req.params as { id: string };
    const shown = await page(ctx, req, id, fresh, { done: req.query.done === '1' });
    if (shown === null) kit.send(res, notFound(ctx), 404);
    else kit.send(res, shown);
  });

  // 查看联系方式: the API records the read before it answers; the values are drawn on this answer only.
  router.post(`${base}/contact`, async (req: Request, res: Response, next) => {
    const { id } = req.params as { id: string };
    if (!isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const statement = textOf(form, 'statement');
    const outcome = await kit.command(ctx, req, {
      path: `/${spec.collection}/${encodeURIComponent(id)}/${spec.contactRead}`,
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

  router.post(`${base}/:action`, async (req: Request, res: Response, next) => {
    const { id, action } = req.params as { id: string; action: string };
    if (!spec.isAction(action) || !isItemId(id)) return next();
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const posted = { action, values: shownBack(form) };
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
          back={spec.pathOf(id)}
        />
      ));
    const command = spec.command(action, form, ctx);
    let body: object = command.body;
    let settle: ((outcome: 'taken' | 'refused' | 'unknown') => Promise<void>) | undefined;
    if (action === spec.evidence.action) {
      // The files are checked, stripped and staged before the command names them by their hash, and
      // discarded when the API refuses it; a refused upload is shown as the API's refusals are, against the
      // evidence field, and nothing is sent.
      const stored = await stageUploads(kit.deps.evidence, req);
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
      const staged = stored.right;
      body = { ...body, evidence: spec.evidence.into(staged.stored) };
      // Kept unless surely refused: a file too many is better than an event naming a file that is gone.
      settle = (outcome) => (outcome === 'refused' ? staged.discard() : staged.keep());
    }
    await kit.act(req, res, {
      ctx,
      path: `/${spec.collection}/${encodeURIComponent(id)}/${command.path}`,
      body,
      done: spec.pathOf(id),
      render,
      ...(settle === undefined ? {} : { settle }),
    });
  });

  return router;
};
