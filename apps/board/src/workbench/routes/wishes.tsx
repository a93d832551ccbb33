// The wish's item page and its forms (领梦, 放弃认领, 圆梦, 确认, 亮梦, 撤销). How a post is handled is
// item-routes.tsx's; here is what a wish's forms send and how its page is drawn, with a member's open
// claims against the limit beside 领梦.
import { listPublicWishes } from '@banshishi/read-models';
import type { Request, Router } from 'express';
import type { WorkbenchContext } from '../context.js';
import { textOf, type WorkbenchKit } from '../http/kit.js';
import { directoryOf, loadItem } from '../items.js';
import { type WishAction, WishPage, wishPath } from '../pages/wish.js';
import { itemRoutes } from './item-routes.js';

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

/** A member's open claims against the limit, as the API counts them for the quota; null for anyone else. */
const claimsOf = async (kit: WorkbenchKit, ctx: WorkbenchContext, req: Request) => {
  if (ctx.principal?.acting?.role !== 'member') return null;
  const answer = await kit.read(ctx, req, '/me/claims');
  const counts = (answer.body as { wishClaims?: { open?: unknown; limit?: unknown } | null } | null)?.wishClaims;
  return answer.status === 200 && typeof counts?.open === 'number' && typeof counts.limit === 'number'
    ? { open: counts.open, limit: counts.limit }
    : null;
};

export const wishesRoutes = (kit: WorkbenchKit): Router =>
  itemRoutes<WishAction>(kit, {
    collection: 'wishes',
    contactRead: 'wisher-contact',
    pathOf: wishPath,
    isAction,
    command: (action, form) => ({ path: action, body: bodies[action](form) }),
    evidence: { action: 'fulfil', into: (stored) => stored.map((e) => e.uri) },
    async page(ctx, req, id, state, options, contactPanel) {
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
          contact={contactPanel(item)}
        />
      );
    },
  });
