// The problem's item page and its forms (转办, 不予受理, 督办, 考核评, 回访, 领题, 进展, 解题, 上报, 评题),
// and the evidence files the workbench keeps. How a post is handled is item-routes.tsx's; here is what a
// problem's forms send and how its page is drawn.
import { publicProblem } from '@banshishi/read-models';
import { Router } from 'express';
import type { WorkbenchContext } from '../context.js';
import { sendEvidence } from '../evidence/serve.js';
import { textOf, type WorkbenchKit } from '../http/kit.js';
import { directoryOf, loadItem } from '../items.js';
import { type ProblemAction, ProblemPage, problemPath } from '../pages/problem.js';
import { itemRoutes } from './item-routes.js';

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

export const problemsRoutes = (kit: WorkbenchKit): Router => {
  const router = Router();
  router.use(
    itemRoutes<ProblemAction>(kit, {
      collection: 'problems',
      contactRead: 'raiser-contact',
      pathOf: problemPath,
      isAction,
      command: (action, form, ctx) => ({
        path: commands[action].path,
        body: commands[action].body(form, ctx) as object,
      }),
      evidence: { action: 'solve', into: (stored) => stored.map((e) => ({ kind: e.kind, uri: e.uri })) },
      async page(ctx, req, id, state, options, contactPanel) {
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
            contact={contactPanel(item)}
          />
        );
      },
    }),
  );

  // Evidence is for the people working on the items; the board shows that there is some, not the files.
  router.get('/evidence/:sha256', async (req, res) => {
    await kit.signedIn(req, res);
    await sendEvidence(kit.deps.evidence, req.params.sha256, res);
  });

  return router;
};
