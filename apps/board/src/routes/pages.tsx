// The board's pages: each route decodes its parameters (400 naming a wrong one), queries the read models
// through the package that owns them, and renders a template. Nothing here builds HTML by hand.
import {
  campaignProgress,
  consentedPairingExcerpts,
  countShowcase,
  headlineFigures,
  listPublicProblems,
  listPublicWishes,
  monthsWithVisits,
  onSiteShares,
  pairingCategoryCounts,
  pairingVisitCounts,
  publicProblem,
  publicTimeline,
  recentCounts,
  serviceBoard,
  showcase,
  unitMonthFigures,
  visitCountsByUnit,
  visitQuotaCompliance,
} from '@banshishi/read-models';
import { type Request, Router } from 'express';
import type { BoardDeps } from '../http/deps.js';
import { directoryCache } from '../http/directory-cache.js';
import { NotFound } from '../http/errors.js';
import { calendarMonth, identifier, known, oneOf, param, rawParam } from '../http/params.js';
import { pageContext, sendPage } from '../http/render.js';
import { isLang } from '../i18n/index.js';
import { DefinitionsPage } from '../pages/definitions.js';
import { type DisclosureData, DisclosurePage } from '../pages/disclosure.js';
import { HomePage } from '../pages/home.js';
import { ProblemPage, WishPage } from '../pages/item.js';
import { PairingPage } from '../pages/pairing.js';
import { RankingsPage } from '../pages/rankings.js';
import { ServicesPage } from '../pages/services.js';
import { ShowcasePage } from '../pages/showcase.js';
import { UnitPage, UnitsIndexPage } from '../pages/units.js';
import { VisitsPage } from '../pages/visits.js';
import { rankingParamsOf, rankingsData } from './evaluation-data.js';
import { pagingOf, problemFilterOf, wishFilterOf } from './filters.js';
import { itemProofsOf } from './transparency.js';

/** A path segment that must be an item id; anything else is a page that does not exist. */
const itemIdOf = (req: Request): string => {
  const id = String(req.params.id ?? '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) throw new NotFound(req.path);
  return id;
};

export const pageRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  // "共 N 条" at most a second old, like the freshness note: a busy board counts each filter once a second.
  const counts = recentCounts(rm);
  const evaluation = deps.evaluation === undefined ? {} : { config: deps.evaluation };

  router.get('/', async (req, res) => {
    const ctx = await pageContext(req, deps);
    const dir = await directory();
    const campaign = dir.campaigns[dir.campaigns.length - 1] ?? null;
    const [progress, headline, latestClosed, latestShowcased] = await Promise.all([
      campaign === null ? [] : campaignProgress(rm, { campaignId: campaign.campaign_id, asOf: ctx.asOf }),
      headlineFigures(rm, { asOf: ctx.asOf, ...evaluation }),
      listPublicProblems(rm, { asOf: ctx.asOf, statuses: ['closed'], sort: 'closed', limit: 8, ...evaluation }),
      showcase(rm, { limit: 6 }),
    ]);
    sendPage(res, <HomePage ctx={ctx} data={{ campaign, progress, headline, latestClosed, latestShowcased }} />);
  });

  // The language switch: a plain link (works without JavaScript) that remembers the choice and comes back.
  router.get('/lang', (req, res) => {
    const to = param(req, 'to', oneOf(['zh', 'en'] as const));
    const back = rawParam(req, 'back', 2000);
    const safeBack = back !== undefined && /^\/(?![/\\])/.test(back) ? back : '/';
    if (to !== undefined && isLang(to))
      res.cookie('lang', to, { maxAge: 365 * 24 * 3600_000, sameSite: 'lax', httpOnly: true, path: '/' });
    res.set('Cache-Control', 'no-store').redirect(303, safeBack);
  });

  router.get('/disclosure', async (req, res) => {
    const kind = param(req, 'kind', oneOf(['problems', 'wishes'] as const)) ?? 'problems';
    const dir = await directory();
    const { page, pageSize } = pagingOf(req);
    const ctx = await pageContext(req, deps);
    const window = { limit: pageSize, offset: (page - 1) * pageSize };
    let data: DisclosureData;
    let params: Readonly<Record<string, string>>;
    if (kind === 'problems') {
      const filter = problemFilterOf(req, dir, ctx.asOf);
      params = filter.params;
      const query = { ...filter.query, ...evaluation };
      const [rows, total] = await Promise.all([
        listPublicProblems(rm, { ...query, ...window }),
        counts.problems(query),
      ]);
      data = { kind, rows, total };
    } else {
      const filter = wishFilterOf(req, dir);
      params = filter.params;
      const [rows, total] = await Promise.all([
        listPublicWishes(rm, { ...filter.query, ...window }),
        counts.wishes(filter.query),
      ]);
      data = { kind, rows, total };
    }
    sendPage(res, <DisclosurePage ctx={ctx} dir={dir} data={data} params={params} page={page} pageSize={pageSize} />);
  });

  router.get('/problems/:id', async (req, res) => {
    const id = itemIdOf(req);
    const ctx = await pageContext(req, deps);
    const [dir, problem, timeline] = await Promise.all([
      directory(),
      publicProblem(rm, id, ctx.asOf, deps.evaluation),
      publicTimeline(rm, 'problem', id),
    ]);
    if (problem === undefined) throw new NotFound(`problem ${id}`);
    const proofs = await itemProofsOf(deps.transparency, timeline);
    sendPage(res, <ProblemPage ctx={ctx} dir={dir} problem={problem} timeline={timeline} proofs={proofs} />);
  });

  router.get('/wishes/:id', async (req, res) => {
    const id = itemIdOf(req);
    const ctx = await pageContext(req, deps);
    const [dir, wishes, timeline] = await Promise.all([
      directory(),
      listPublicWishes(rm, { wishIds: [id], limit: 1 }),
      publicTimeline(rm, 'wish', id),
    ]);
    const wish = wishes[0];
    if (wish === undefined) throw new NotFound(`wish ${id}`);
    const proofs = await itemProofsOf(deps.transparency, timeline);
    sendPage(res, <WishPage ctx={ctx} dir={dir} wish={wish} timeline={timeline} proofs={proofs} />);
  });

  router.get('/showcase', async (req, res) => {
    const { page, pageSize } = pagingOf(req, 30);
    const ctx = await pageContext(req, deps);
    const [entries, total] = await Promise.all([
      showcase(rm, { limit: pageSize, offset: (page - 1) * pageSize }),
      countShowcase(rm),
    ]);
    sendPage(res, <ShowcasePage ctx={ctx} entries={entries} total={total} page={page} pageSize={pageSize} />);
  });

  router.get('/pairing', async (req, res) => {
    const ctx = await pageContext(req, deps);
    const [visits, pairings, excerpts] = await Promise.all([
      pairingVisitCounts(rm, { level: 2 }),
      pairingCategoryCounts(rm, { level: 2 }),
      consentedPairingExcerpts(rm, { limit: 30 }),
    ]);
    sendPage(res, <PairingPage ctx={ctx} data={{ visits, pairings, excerpts }} />);
  });

  router.get('/visits', async (req, res) => {
    const asked = param(req, 'month', calendarMonth);
    const months = await monthsWithVisits(rm);
    const month = asked ?? months[0] ?? null;
    const ctx = await pageContext(req, deps);
    const [counts, quotas, onSite] = await Promise.all([
      month === null ? [] : visitCountsByUnit(rm, month),
      month === null ? [] : visitQuotaCompliance(rm, { month }),
      onSiteShares(rm),
    ]);
    sendPage(res, <VisitsPage ctx={ctx} data={{ month, months, counts, quotas, onSite }} />);
  });

  router.get('/rankings', async (req, res) => {
    const { level, month } = rankingParamsOf(req);
    const ctx = await pageContext(req, deps);
    const data = await rankingsData(deps, await directory(), { level, month, asOf: ctx.asOf, withQuotas: true });
    sendPage(res, <RankingsPage ctx={ctx} data={data} />);
  });

  router.get('/services', async (req, res) => {
    const dir = await directory();
    // An empty choice is "all units"; anything else must be a unit of the directory (400 naming `unit`).
    const unitId =
      rawParam(req, 'unit') === ''
        ? undefined
        : known('unit', param(req, 'unit', identifier), (id) => dir.unitById.has(id));
    const ctx = await pageContext(req, deps);
    const board = await serviceBoard(rm, { now: ctx.asOf, ...(unitId === undefined ? {} : { unitId }) });
    sendPage(res, <ServicesPage ctx={ctx} dir={dir} board={board} unitId={unitId} />);
  });

  router.get('/units', async (req, res) => {
    const ctx = await pageContext(req, deps);
    sendPage(res, <UnitsIndexPage ctx={ctx} dir={await directory()} />);
  });

  router.get('/units/:id', async (req, res) => {
    const id = itemIdOf(req);
    const dir = await directory();
    const unit = dir.unitById.get(id);
    if (unit === undefined) throw new NotFound(`unit ${id}`);
    const ctx = await pageContext(req, deps);
    const level = Math.min(4, Math.max(1, unit.level)) as 1 | 2 | 3 | 4;
    const [headline, months, latest] = await Promise.all([
      headlineFigures(rm, { asOf: ctx.asOf, unitId: id, ...evaluation }),
      unitMonthFigures(rm, { level, unitId: id, asOf: ctx.asOf, ...evaluation }),
      listPublicProblems(rm, { asOf: ctx.asOf, unitId: id, limit: 10, ...evaluation }),
    ]);
    const ancestors = [unit.level1_id, unit.level2_id, unit.level3_id, unit.level4_id]
      .filter((a): a is string => a !== null && a !== id)
      .map((a) => dir.unitById.get(a))
      .filter((a) => a !== undefined);
    const children = dir.childrenOf.get(id) ?? [];
    sendPage(res, <UnitPage ctx={ctx} data={{ unit, ancestors, children, headline, months, latest }} />);
  });

  router.get('/definitions', async (req, res) => {
    sendPage(res, <DefinitionsPage ctx={await pageContext(req, deps)} />);
  });

  return router;
};
