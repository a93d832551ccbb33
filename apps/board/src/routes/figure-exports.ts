// CSV and JSON of the figure tables: the 评价榜 (ranked and unranked units of a level and month), the
// quotas per unit, a unit's months, campaign progress and the unit list — computed by the same functions
// as the pages, so a download holds what the page shows.
import { campaignProgress, type ProgressDay, type UnitMonthFigures, unitMonthFigures } from '@banshishi/read-models';
import { type Request, Router } from 'express';
import { type BoardDeps, figuresAsOf } from '../http/deps.js';
import { directoryCache } from '../http/directory-cache.js';
import { BadParameter, NotFound } from '../http/errors.js';
import { identifier, known, param } from '../http/params.js';
import { languageOf } from '../http/render.js';
import { type Column, sendTable, type TableFormat } from '../http/tables.js';
import { catalogues, type Messages } from '../i18n/index.js';
import type { QuotaByUnit } from '../pages/rankings.js';
import { rankingParamsOf, rankingsData } from './evaluation-data.js';

const x =
  (key: keyof Messages['figureExports']) =>
  (m: Messages): string =>
    m.figureExports[key];

const figureColumns: readonly Column<UnitMonthFigures>[] = [
  { key: 'unitId', header: (m) => m.exports.unitId, value: (f) => f.unitId },
  { key: 'unitName', header: (m) => m.exports.unitName, value: (f) => f.unitName },
  { key: 'level', header: x('level'), value: (f) => f.level },
  { key: 'month', header: x('month'), value: (f) => f.month },
  { key: 'raised', header: x('raised'), value: (f) => f.raised },
  { key: 'rejected', header: x('rejected'), value: (f) => f.rejected },
  { key: 'counted', header: (m) => m.rankings.counted, value: (f) => f.counted },
  { key: 'claimed', header: x('claimed'), value: (f) => f.claimed },
  { key: 'responseDue', header: x('responseDue'), value: (f) => f.responseDue },
  { key: 'respondedInWindow', header: x('respondedInWindow'), value: (f) => f.respondedInWindow },
  { key: 'resolutionDue', header: x('resolutionDue'), value: (f) => f.resolutionDue },
  { key: 'closed', header: x('closed'), value: (f) => f.closed },
  { key: 'evaluations', header: x('evaluations'), value: (f) => f.evaluations },
  { key: 'satisfiedEvaluations', header: x('satisfiedEvaluations'), value: (f) => f.satisfiedEvaluations },
  { key: 'onTimeDue', header: x('onTimeDue'), value: (f) => f.onTimeDue },
  { key: 'solvedOnTime', header: x('solvedOnTime'), value: (f) => f.solvedOnTime },
  { key: 'overdue', header: x('overdue'), value: (f) => f.overdue },
  { key: 'responseRate', header: (m) => m.rankings.responseRate, value: (f) => f.responseRate },
  { key: 'resolutionRate', header: (m) => m.rankings.resolutionRate, value: (f) => f.resolutionRate },
  { key: 'satisfactionRate', header: (m) => m.rankings.satisfactionRate, value: (f) => f.satisfactionRate },
  { key: 'onTimeRate', header: (m) => m.rankings.onTimeRate, value: (f) => f.onTimeRate },
  { key: 'score', header: (m) => m.rankings.score, value: (f) => f.score },
];

type RankingRow = UnitMonthFigures & { readonly rank: number | null };

const rankingColumns: readonly Column<RankingRow>[] = [
  { key: 'rank', header: (m) => m.rankings.rank, value: (r) => r.rank },
  { key: 'ranked', header: x('ranked'), value: (r) => r.rank !== null },
  ...figureColumns,
];

type QuotaRow = QuotaByUnit & { readonly role: 'secretary' | 'member' };

const quotaColumns: readonly Column<QuotaRow>[] = [
  { key: 'role', header: x('role'), value: (q) => q.role },
  { key: 'unitId', header: (m) => m.exports.unitId, value: (q) => q.unitId },
  { key: 'unitName', header: (m) => m.exports.unitName, value: (q) => q.unitName },
  { key: 'holders', header: (m) => m.rankings.holders, value: (q) => q.holders },
  { key: 'compliant', header: (m) => m.rankings.compliant, value: (q) => q.compliant },
];

const progressColumns: readonly Column<ProgressDay>[] = [
  { key: 'day', header: x('day'), value: (d) => d.day },
  { key: 'problemsSolved', header: (m) => m.home.solved, value: (d) => d.problemsSolved },
  {
    key: 'targetProblemsSolved',
    header: (m) => `${m.home.solved} · ${m.home.target}`,
    value: (d) => d.targetProblemsSolved,
  },
  { key: 'wishesFulfilled', header: (m) => m.home.fulfilled, value: (d) => d.wishesFulfilled },
  {
    key: 'targetWishesFulfilled',
    header: (m) => `${m.home.fulfilled} · ${m.home.target}`,
    value: (d) => d.targetWishesFulfilled,
  },
];

/** `.csv` or `.json`; any other extension is a file the board does not have. */
const formatOf = (req: Request): TableFormat => {
  const format = String(req.params.format);
  if (format !== 'csv' && format !== 'json') throw new NotFound(req.path);
  return format;
};

export const figureExportRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;
  const config = deps.evaluation === undefined ? {} : { config: deps.evaluation };

  router.get('/rankings.:format', async (req, res) => {
    const format = formatOf(req);
    const { level, month } = rankingParamsOf(req);
    const asOf = figuresAsOf(deps);
    const data = await rankingsData(deps, await directory(), { level, month, asOf, withQuotas: false });
    const rows: RankingRow[] = [...data.ranked, ...data.unranked.map((f) => ({ ...f, rank: null }))];
    const m = catalogues[languageOf(req)];
    sendTable(res, format, {
      name: `rankings-level${level}-${data.month ?? 'none'}`,
      columns: rankingColumns,
      rows,
      asOf,
      m,
    });
  });

  router.get('/rankings/quotas.:format', async (req, res) => {
    const format = formatOf(req);
    const asOf = figuresAsOf(deps);
    const data = await rankingsData(deps, await directory(), { level: 2, month: undefined, asOf, withQuotas: true });
    const rows: QuotaRow[] =
      data.quotas === null
        ? []
        : [
            ...data.quotas.secretary.map((q) => ({ ...q, role: 'secretary' as const })),
            ...data.quotas.member.map((q) => ({ ...q, role: 'member' as const })),
          ];
    const m = catalogues[languageOf(req)];
    sendTable(res, format, { name: 'quotas', columns: quotaColumns, rows, asOf, m });
  });

  router.get('/units/:id/figures.:format', async (req, res) => {
    const format = formatOf(req);
    const id = String(req.params.id);
    const unit = (await directory()).unitById.get(id);
    if (unit === undefined) throw new NotFound(`unit ${id}`);
    const asOf = figuresAsOf(deps);
    const level = Math.min(4, Math.max(1, unit.level)) as 1 | 2 | 3 | 4;
    const rows = await unitMonthFigures(rm, { level, unitId: id, asOf, ...config });
    const m = catalogues[languageOf(req)];
    sendTable(res, format, { name: `unit-figures`, columns: figureColumns, rows, asOf, m });
  });

  router.get('/progress.:format', async (req, res) => {
    const format = formatOf(req);
    const dir = await directory();
    const campaignId =
      known('campaign', param(req, 'campaign', identifier), (c) => dir.campaigns.some((k) => k.campaign_id === c)) ??
      dir.campaigns[dir.campaigns.length - 1]?.campaign_id;
    if (campaignId === undefined) throw new BadParameter('campaign', 'no campaign has been launched');
    const asOf = figuresAsOf(deps);
    const rows = await campaignProgress(rm, { campaignId, asOf });
    const m = catalogues[languageOf(req)];
    sendTable(res, format, { name: 'progress', columns: progressColumns, rows, asOf, m });
  });

  router.get('/units.:format', async (req, res) => {
    const format = formatOf(req);
    const dir = await directory();
    const m = catalogues[languageOf(req)];
    sendTable(res, format, {
      name: 'units',
      columns: [
        { key: 'unitId', header: (mm) => mm.exports.unitId, value: (u) => u.unit_id },
        { key: 'unitName', header: (mm) => mm.exports.unitName, value: (u) => u.name },
        { key: 'level', header: x('level'), value: (u) => u.level },
        { key: 'parentId', header: x('parentId'), value: (u) => u.parent_id },
      ],
      rows: dir.units,
      asOf: figuresAsOf(deps),
      m,
    });
  });

  return router;
};
