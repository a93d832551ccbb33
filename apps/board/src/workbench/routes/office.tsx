// The office's area of the workbench (领导小组办公室): the dispatch queue (asked of the API, which says who
// is the office), the directory of units and people, and the campaign settings. Every form posts one
// command through kit.act: done → back to the page with `done=1`; refused → the page again, the outcome on
// the form that was posted. Only office holders see the directory and campaign pages; the API still judges
// every command.
import { type Request, type Response, Router } from 'express';
import type { WorkbenchContext } from '../context.js';
import { formOf, textOf, type WorkbenchKit } from '../http/kit.js';
import { byLang } from '../i18n/index.js';
import { office } from '../i18n/office.js';
import { isItemId } from '../items.js';
import { CampaignPage, campaignPath, loadCampaigns } from '../pages/office/campaign.js';
import { DirectoryPage, directoryPath, loadDirectory, officeDistrictsOf } from '../pages/office/directory.js';
import { countOf, groupOf, nothingPosted, type Posted } from '../pages/office/posted.js';
import { NotOfficePage, type OfficeQueueAnswer, OfficeQueuePage } from '../pages/office/queue.js';

const queryText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' && value.length <= 200 ? value.trim() : undefined;

export const officeRoutes = (kit: WorkbenchKit): Router => {
  const router = Router();
  const formKey = () => kit.formKey();

  /** The context of an office holder, or null once the 403 page has been sent. */
  const officeContext = async (req: Request, res: Response, heading: (ctx: WorkbenchContext) => string) => {
    const ctx = await kit.signedIn(req, res);
    if (officeDistrictsOf(ctx).length > 0) return ctx;
    kit.send(res, <NotOfficePage ctx={ctx} heading={heading(ctx)} />, 403);
    return null;
  };
  const directoryHeading = (ctx: WorkbenchContext) => byLang(office, ctx.lang).directory.heading;
  const campaignHeading = (ctx: WorkbenchContext) => byLang(office, ctx.lang).campaign.heading;

  router.get('/office', async (req, res) => {
    const ctx = await kit.signedIn(req, res);
    const answer = await kit.read(ctx, req, '/me/queue');
    if (answer.status === 403) {
      kit.send(res, <NotOfficePage ctx={ctx} heading={byLang(office, ctx.lang).queue.heading} />, 403);
      return;
    }
    // 401 and 5xx are the kit's (sign in again, unavailable); anything else here is a fault.
    if (answer.status !== 200) throw new Error(`GET /me/queue answered ${answer.status}`);
    kit.send(res, <OfficeQueuePage ctx={ctx} queue={answer.body as OfficeQueueAnswer} />);
  });

  // ── 组织与人员 ────────────────────────────────────────────────────────────────────────────────

  const directoryPage = async (
    ctx: WorkbenchContext,
    query: { q?: string; unit?: string; person?: string },
    posted: Posted,
    done = false,
  ) => (
    <DirectoryPage
      ctx={ctx}
      data={await loadDirectory(kit, ctx, query)}
      posted={posted}
      done={done}
      formKey={formKey}
    />
  );

  router.get('/office/directory', async (req, res) => {
    const ctx = await officeContext(req, res, directoryHeading);
    if (ctx === null) return;
    const query = { q: queryText(req.query.q), unit: queryText(req.query.unit), person: queryText(req.query.person) };
    kit.send(res, await directoryPage(ctx, query, nothingPosted, req.query.done === '1'));
  });

  /**
   * One directory form: `body` from the posted fields, sent to the API at `path`; refused, the directory
   * is drawn again with `select`ed unit or person open and the outcome on `form`.
   */
  const directoryAction =
    (
      form: string,
      command: (
        params: Record<string, string>,
        values: Readonly<Record<string, string>>,
      ) => {
        path: string;
        body: unknown;
        select: { unit?: string; person?: string };
      },
    ) =>
    async (req: Request, res: Response, next: () => void) => {
      const params = req.params as Record<string, string>;
      if (Object.values(params).some((id) => !isItemId(id))) return next();
      const ctx = await officeContext(req, res, directoryHeading);
      if (ctx === null) return;
      const values = formOf(req);
      const { path, body, select } = command(params, values);
      const back =
        select.unit !== undefined
          ? `${directoryPath}?unit=${encodeURIComponent(select.unit)}`
          : select.person !== undefined
            ? `${directoryPath}?person=${encodeURIComponent(select.person)}`
            : directoryPath;
      await kit.act(req, res, {
        ctx,
        path,
        body,
        done: back,
        render: (c, state) => directoryPage(c, select, { form, state, values }),
      });
    };

  router.post(
    '/office/directory/units',
    directoryAction('unit-new', (_p, v) => ({
      path: '/units',
      body: {
        unitId: textOf(v, 'unitId'),
        name: textOf(v, 'name'),
        kind: textOf(v, 'kind'),
        parentId: textOf(v, 'parentId') ?? null,
      },
      select: {},
    })),
  );
  router.post(
    '/office/directory/units/:id/rename',
    directoryAction('unit-rename', (p, v) => ({
      path: `/units/${encodeURIComponent(p.id!)}/rename`,
      body: { name: textOf(v, 'name') },
      select: { unit: p.id! },
    })),
  );
  router.post(
    '/office/directory/units/:id/retire',
    directoryAction('unit-retire', (p, v) => ({
      path: `/units/${encodeURIComponent(p.id!)}/retire`,
      body: { reason: textOf(v, 'reason') },
      select: { unit: p.id! },
    })),
  );
  router.post(
    '/office/directory/people',
    directoryAction('person-new', (_p, v) => ({
      path: '/people',
      body: {
        personId: textOf(v, 'personId'),
        kind: textOf(v, 'kind'),
        name: textOf(v, 'name'),
        phone: textOf(v, 'phone'),
      },
      select: {},
    })),
  );
  router.post(
    '/office/directory/people/:id/roles',
    directoryAction('person-grant', (p, v) => ({
      path: `/people/${encodeURIComponent(p.id!)}/roles`,
      body: { role: textOf(v, 'role'), unitId: textOf(v, 'unitId') },
      select: { person: p.id! },
    })),
  );
  router.post(
    '/office/directory/people/:id/roles/revoke',
    directoryAction('person-revoke', (p, v) => {
      // The holding is one choice, `role@unitId`: a role name holds no `@`, a unit id may.
      const holding = textOf(v, 'holding') ?? '';
      const at = holding.indexOf('@');
      return {
        path: `/people/${encodeURIComponent(p.id!)}/roles/revoke`,
        body: {
          role: at < 0 ? undefined : holding.slice(0, at),
          unitId: at < 0 ? undefined : holding.slice(at + 1),
          reason: textOf(v, 'reason'),
        },
        select: { person: p.id! },
      };
    }),
  );
  router.post(
    '/office/directory/people/:id/deactivate',
    directoryAction('person-deactivate', (p, v) => ({
      path: `/people/${encodeURIComponent(p.id!)}/deactivate`,
      body: { reason: textOf(v, 'reason') },
      select: { person: p.id! },
    })),
  );

  // ── 活动设置 ──────────────────────────────────────────────────────────────────────────────────

  const campaignPage = async (ctx: WorkbenchContext, posted: Posted, done = false) => (
    <CampaignPage ctx={ctx} data={await loadCampaigns(kit, ctx)} posted={posted} done={done} formKey={formKey} />
  );

  router.get('/office/campaign', async (req, res) => {
    const ctx = await officeContext(req, res, campaignHeading);
    if (ctx === null) return;
    kit.send(res, await campaignPage(ctx, nothingPosted, req.query.done === '1'));
  });

  const quotasOf = (v: Readonly<Record<string, string>>) =>
    groupOf({
      perSecretaryProblems: countOf(v, 'perSecretaryProblems'),
      perMemberWishes: countOf(v, 'perMemberWishes'),
      maxOpenWishClaimsPerMember: countOf(v, 'maxOpenWishClaimsPerMember'),
    });

  const campaignAction =
    (
      form: (params: Record<string, string>) => string,
      command: (
        params: Record<string, string>,
        values: Readonly<Record<string, string>>,
      ) => {
        path: string;
        body: unknown;
      },
    ) =>
    async (req: Request, res: Response, next: () => void) => {
      const params = req.params as Record<string, string>;
      if (Object.values(params).some((id) => !isItemId(id))) return next();
      const ctx = await officeContext(req, res, campaignHeading);
      if (ctx === null) return;
      const values = formOf(req);
      await kit.act(req, res, {
        ctx,
        ...command(params, values),
        done: campaignPath,
        render: (c, state) => campaignPage(c, { form: form(params), state, values }),
      });
    };

  router.post(
    '/office/campaign/campaigns',
    campaignAction(
      () => 'campaign-new',
      (_p, v) => ({
        path: '/campaigns',
        body: {
          campaignId: textOf(v, 'campaignId'),
          name: textOf(v, 'name'),
          districtId: textOf(v, 'districtId'),
          period: { from: textOf(v, 'periodFrom'), to: textOf(v, 'periodTo') },
          targets: { problemsSolved: countOf(v, 'problemsSolved'), wishesFulfilled: countOf(v, 'wishesFulfilled') },
          quotas: quotasOf(v),
        },
      }),
    ),
  );
  router.post(
    '/office/campaign/campaigns/:id/targets',
    campaignAction(
      (p) => `targets-${p.id}`,
      (p, v) => ({
        path: `/campaigns/${encodeURIComponent(p.id!)}/targets`,
        body: {
          reason: textOf(v, 'reason'),
          targets: groupOf({
            problemsSolved: countOf(v, 'problemsSolved'),
            wishesFulfilled: countOf(v, 'wishesFulfilled'),
          }),
          quotas: quotasOf(v),
        },
      }),
    ),
  );
  router.post(
    '/office/campaign/campaigns/:id/close',
    campaignAction(
      (p) => `close-${p.id}`,
      (p, v) => ({ path: `/campaigns/${encodeURIComponent(p.id!)}/close`, body: { reason: textOf(v, 'reason') } }),
    ),
  );

  return router;
};
