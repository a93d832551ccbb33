// The workbench's lists and raise forms: 领题与领梦 (GET /workbench/claims, from the API's /me/claims and
// /me/claimable, shown for the role one acts in), 我要反映 (GET /workbench/raise, posting 征题 and 寻梦 to
// the API with the form's key, so a double post stores one item, and going on to the new item's page)
// and 我的事项 (GET /workbench/mine, from /me/items).
import { type Request, type Response, Router } from 'express';
import type { WorkbenchContext } from '../context.js';
import type { ApiRefusal } from '../http/api-client.js';
import { formOf, textOf, type WorkbenchKit, withDone } from '../http/kit.js';
import { directoryOf } from '../items.js';
import { areaPath } from '../layout.js';
import { ClaimsPage, type ClaimsView, problemPath, type WorkLists, wishPath } from '../pages/claims.js';
import { MinePage } from '../pages/mine.js';
import { type RaiseForm, RaisePage, type RaiseView, type UnitOption } from '../pages/raise.js';

type Directory = Awaited<ReturnType<typeof directoryOf>>;

/** The unit and every live unit below it, depth first, as a select lists them. */
const unitsWithin = (dir: Directory, rootId: string | undefined): UnitOption[] => {
  const root = rootId === undefined ? undefined : dir.unitById.get(rootId);
  if (root === undefined || root.retired) return [];
  const out: UnitOption[] = [];
  const walk = (unitId: string) => {
    const unit = dir.unitById.get(unitId);
    if (unit === undefined || unit.retired) return;
    out.push({ unitId: unit.unit_id, name: unit.name, level: unit.level });
    for (const child of dir.childrenOf.get(unit.unit_id) ?? []) walk(child.unit_id);
  };
  walk(root.unit_id);
  return out;
};

/** The channels each role records a problem through, as core's decider allows them. */
const problemSources: Readonly<Record<string, readonly string[]>> = {
  resident: ['resident'],
  enterprise: ['enterprise'],
  grid_worker: ['grid_visit'],
  secretary: ['suggestion_drive'],
  office: ['resident', 'enterprise', 'grid_visit', 'suggestion_drive', 'supervision_case'],
};
/** Who records wishes (寻梦): the resident themself, or a collector on their behalf. */
const wishRoles = new Set(['resident', 'grid_worker', 'member', 'secretary']);

const freshForm = (kit: WorkbenchKit): RaiseForm => ({ formKey: kit.formKey(), state: { kind: 'fresh' }, values: {} });

const raiseView = async (
  kit: WorkbenchKit,
  ctx: WorkbenchContext,
  forms: { readonly problem?: RaiseForm; readonly wish?: RaiseForm } = {},
): Promise<RaiseView> => {
  const acting = ctx.principal?.acting ?? null;
  const role = acting?.role ?? '';
  const units = unitsWithin(await directoryOf(kit), acting?.unitId);
  const sources = problemSources[role];
  return {
    problem:
      sources === undefined
        ? null
        : {
            units,
            sources,
            onBehalf: role !== 'resident' && role !== 'enterprise',
            form: forms.problem ?? freshForm(kit),
          },
    wish: wishRoles.has(role) ? { units, self: role === 'resident', form: forms.wish ?? freshForm(kit) } : null,
  };
};

/** The refusal's field paths as the form's own inputs: `body.wisher.phone` → `body.wisherPhone`. */
const formFieldsOf = (refusal: ApiRefusal, names: Readonly<Record<string, string>>): ApiRefusal => ({
  ...refusal,
  fields: refusal.fields.map((f) => {
    const nested = Object.entries(names).find(([path]) => f.path === path || f.path.startsWith(`${path}.`));
    return nested === undefined ? f : { ...f, path: `body.${nested[1]}` };
  }),
});

const problemFieldNames = {
  'body.raiser.name': 'raiserName',
  'body.raiser.enterpriseName': 'raiserName',
  'body.raiser.phone': 'raiserPhone',
  'body.raiser.contactPhone': 'raiserPhone',
  'body.raiser': 'raiserName',
};
const wishFieldNames = { 'body.wisher.phone': 'wisherPhone', 'body.wisher': 'wisherName' };

/** 征题's body from the form: the source and the raiser follow from the acting role. */
const problemBody = (ctx: WorkbenchContext, form: Readonly<Record<string, string>>) => {
  const principal = ctx.principal;
  const role = principal?.acting?.role ?? '';
  const sources = problemSources[role] ?? [];
  const source = sources.length > 1 ? (textOf(form, 'source') ?? '') : (sources[0] ?? '');
  const name = textOf(form, 'raiserName');
  const phone = textOf(form, 'raiserPhone');
  const raiser =
    role === 'resident'
      ? { kind: 'resident', personId: principal?.personId }
      : role === 'enterprise'
        ? { kind: 'enterprise', enterpriseName: ctx.displayName ?? '', enterpriseId: principal?.personId }
        : source === 'enterprise'
          ? { kind: 'enterprise', enterpriseName: name ?? '', ...(phone === undefined ? {} : { contactPhone: phone }) }
          : name !== undefined || phone !== undefined || source === 'resident'
            ? {
                kind: 'resident',
                ...(name === undefined ? {} : { name }),
                ...(phone === undefined ? {} : { phone }),
              }
            : undefined;
  const category = textOf(form, 'category');
  const description = textOf(form, 'description');
  return {
    unitId: form.unitId ?? '',
    source,
    grade: form.grade ?? '',
    // Sent even when blank, so the decider's own rule (a problem needs a title) answers.
    title: form.title?.trim() ?? '',
    ...(category === undefined ? {} : { category }),
    ...(description === undefined ? {} : { description }),
    ...(raiser === undefined ? {} : { raiser }),
  };
};

/** 寻梦's body from the form: a resident is the wisher themself; a collector names the wisher. */
const wishBody = (ctx: WorkbenchContext, form: Readonly<Record<string, string>>) => {
  const self = ctx.principal?.acting?.role === 'resident';
  const phone = textOf(form, 'wisherPhone');
  return {
    unitId: form.unitId ?? '',
    category: form.category ?? '',
    description: form.description ?? '',
    consent: form.consent ?? '',
    wisher: {
      name: form.wisherName?.trim() ?? '',
      ...(self && ctx.principal !== null ? { personId: ctx.principal.personId } : {}),
      ...(phone === undefined ? {} : { phone }),
    },
  };
};

/** The id of the item a creating command made, from its answer (the API derived it from the form's key). */
const createdId = (body: Record<string, unknown>, field: 'problemId' | 'wishId'): string | null => {
  const state = body.state as Record<string, unknown> | undefined;
  const id = state?.[field];
  return typeof id === 'string' && id !== '' ? id : null;
};

const validFormKey = (v: string | undefined) => (v !== undefined && /^[A-Za-z0-9-]{8,64}$/.test(v) ? v : undefined);

/**
 * One raise form, start to end: posted with the form's key as Idempotency-Key (a second post of the same
 * form replays the first, so one item is stored); done goes on to the new item's page; refused or in
 * conflict, the raise page again with the values kept, the field marked and the refusal's status.
 */
const raise =
  (kit: WorkbenchKit, kind: 'problem' | 'wish') =>
  async (req: Request, res: Response): Promise<void> => {
    const ctx = await kit.signedIn(req, res);
    const form = formOf(req);
    const formKey = validFormKey(form.formKey);
    const outcome = await kit.command(ctx, req, {
      path: kind === 'problem' ? '/problems' : '/wishes',
      body: kind === 'problem' ? problemBody(ctx, form) : wishBody(ctx, form),
      ...(formKey === undefined ? {} : { idempotencyKey: formKey }),
    });
    if (outcome.kind === 'done') {
      const id = createdId(outcome.body, kind === 'problem' ? 'problemId' : 'wishId');
      const next = id === null ? areaPath.mine : kind === 'problem' ? problemPath(id) : wishPath(id);
      res.redirect(303, withDone(next));
      return;
    }
    const refusal = formFieldsOf(outcome.refusal, kind === 'problem' ? problemFieldNames : wishFieldNames);
    const drawn: RaiseForm = {
      formKey: formKey ?? kit.formKey(),
      state: { ...outcome, refusal },
      values: form,
    };
    const view = await raiseView(kit, ctx, kind === 'problem' ? { problem: drawn } : { wish: drawn });
    const status = refusal.status >= 400 && refusal.status < 500 ? refusal.status : 503;
    kit.send(res, <RaisePage ctx={ctx} view={view} />, status);
  };

/** A work list of the API (GET /me/…); anything but 200 is passed to the error page with its status. */
const readWork = async (
  kit: WorkbenchKit,
  ctx: WorkbenchContext,
  req: Request,
  path: string,
): Promise<WorkLists & { readonly wishClaims?: { open: number; limit: number | null } | null }> => {
  const answer = await kit.read(ctx, req, path);
  if (answer.status !== 200) throw Object.assign(new Error(`GET ${path} answered ${answer.status}`), answer);
  return answer.body as WorkLists & { wishClaims?: { open: number; limit: number | null } | null };
};

export const listsRoutes = (kit: WorkbenchKit): Router => {
  const router = Router();

  router.get('/claims', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const acting = ctx.principal?.acting ?? null;
    const kind =
      acting?.role === 'secretary' || acting?.role === 'department_handler'
        ? 'problems'
        : acting?.role === 'member'
          ? 'wishes'
          : null;
    const empty: WorkLists = { problems: [], wishes: [] };
    if (kind === null || acting === null) {
      kit.send(res, <ClaimsPage ctx={ctx} view={{ kind: null, mine: empty, claimable: empty, quota: null }} />);
      return;
    }
    const [mine, claimable, dir] = await Promise.all([
      readWork(kit, ctx, req, '/me/claims'),
      readWork(kit, ctx, req, '/me/claimable'),
      directoryOf(kit),
    ]);
    // The API lists what every role held may claim; the page shows what the role one acts in may.
    const within = new Set(unitsWithin(dir, acting.unitId).map((u) => u.unitId));
    const view: ClaimsView = {
      kind,
      mine,
      claimable: {
        problems: claimable.problems.filter((p) => within.has(p.unitId)),
        wishes: claimable.wishes.filter((w) => within.has(w.unitId)),
      },
      quota: kind === 'wishes' ? (mine.wishClaims ?? null) : null,
    };
    kit.send(res, <ClaimsPage ctx={ctx} view={view} />);
  });

  router.get('/raise', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    kit.send(res, <RaisePage ctx={ctx} view={await raiseView(kit, ctx)} />);
  });
  router.post('/raise/problem', raise(kit, 'problem'));
  router.post('/raise/wish', raise(kit, 'wish'));

  router.get('/mine', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const role = ctx.principal?.acting?.role;
    const items = role === 'resident' || role === 'enterprise' ? await readWork(kit, ctx, req, '/me/items') : null;
    kit.send(res, <MinePage ctx={ctx} items={items} />);
  });

  return router;
};
