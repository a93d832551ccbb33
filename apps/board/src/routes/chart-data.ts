// The small JSON API the charts draw from: the same rows as the tables beside them, so a chart never
// shows a figure the table does not. Every response says as of when its figures are.
import { campaignProgress, unitMonthFigures } from '@banshishi/read-models';
import { Router } from 'express';
import { type BoardDeps, figuresAsOf } from '../http/deps.js';
import { directoryCache } from '../http/directory-cache.js';
import { BadParameter as Missing, NotFound } from '../http/errors.js';
import { identifier, known, oneOf, param } from '../http/params.js';
import { cachedBriefly, languageOf } from '../http/render.js';
import { catalogues } from '../i18n/index.js';
import { rateKeys } from '../pages/rankings.js';
import { rankingParamsOf, rankingsData } from './evaluation-data.js';

/** Every month `YYYY-MM` from `from` to `to`, both included; none when either is missing. */
const monthsBetween = (from: string | undefined, to: string | undefined): string[] => {
  if (from === undefined || to === undefined) return [];
  const out: string[] = [];
  let [y, mo] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${y}-${String(mo).padStart(2, '0')}`;
    out.push(month);
    if (month >= to) break;
    mo += 1;
    if (mo > 12) {
      mo = 1;
      y += 1;
    }
  }
  return out;
};

const asPercent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

export const chartDataRoutes = (deps: BoardDeps): Router => {
  const router = Router();
  const directory = directoryCache(deps);
  const rm = deps.readModels;

  router.get('/api/charts/progress', async (req, res) => {
    const dir = await directory();
    const campaignId = known('campaign', param(req, 'campaign', identifier), (id) =>
      dir.campaigns.some((c) => c.campaign_id === id),
    );
    if (campaignId === undefined) throw new Missing('campaign', 'is required');
    const asOf = figuresAsOf(deps);
    const days = await campaignProgress(rm, { campaignId, asOf });
    cachedBriefly(res);
    const m = catalogues[languageOf(req)];
    res.json({
      asOf,
      campaignId,
      rows: days,
      chart: {
        kind: 'line',
        x: days.map((d) => d.day),
        lines: [
          { key: 'problemsSolved', name: m.home.solved },
          { key: 'targetProblemsSolved', name: `${m.home.solved} · ${m.home.target}`, dashed: true },
          { key: 'wishesFulfilled', name: m.home.fulfilled },
          { key: 'targetWishesFulfilled', name: `${m.home.fulfilled} · ${m.home.target}`, dashed: true },
        ],
        values: {
          problemsSolved: days.map((d) => d.problemsSolved),
          targetProblemsSolved: days.map((d) => d.targetProblemsSolved),
          wishesFulfilled: days.map((d) => d.wishesFulfilled),
          targetWishesFulfilled: days.map((d) => d.targetWishesFulfilled),
        },
      },
    });
  });

  // One rate of the ranked units of a level and month, as the 评价榜's table beside the chart lists them.
  router.get('/api/charts/rankings', async (req, res) => {
    const { level, month } = rankingParamsOf(req);
    const rate = param(req, 'rate', oneOf([...rateKeys, 'score'] as const)) ?? 'score';
    const asOf = figuresAsOf(deps);
    const data = await rankingsData(deps, await directory(), { level, month, asOf, withQuotas: false });
    const m = catalogues[languageOf(req)];
    const rows = data.ranked.map((e) => ({
      unitId: e.unitId,
      unitName: e.unitName,
      rank: e.rank,
      counted: e.counted,
      value: rate === 'score' ? e.score : asPercent(e[rate]),
    }));
    cachedBriefly(res);
    res.json({
      asOf,
      level,
      month: data.month,
      rate,
      unit: rate === 'score' ? 'points' : 'percent',
      rows,
      chart: {
        kind: 'bar',
        x: rows.map((r) => r.unitName),
        lines: [{ key: rate, name: rate === 'score' ? m.rankings.score : m.rankings[rate] }],
        values: { [rate]: rows.map((r) => r.value) },
        max: 100,
      },
    });
  });

  // A unit's figures month by month: the score and the four rates, as on the unit page's table.
  router.get('/api/charts/units/:id/trend', async (req, res) => {
    const id = String(req.params.id ?? '');
    const dir = await directory();
    const unit = dir.unitById.get(id);
    if (unit === undefined) throw new NotFound(`unit ${id}`);
    const asOf = figuresAsOf(deps);
    const level = Math.min(4, Math.max(1, unit.level)) as 1 | 2 | 3 | 4;
    const months = await unitMonthFigures(rm, {
      level,
      unitId: id,
      asOf,
      ...(deps.evaluation === undefined ? {} : { config: deps.evaluation }),
    });
    const m = catalogues[languageOf(req)];
    const rows = months.map((f) => ({
      month: f.month,
      raised: f.raised,
      closed: f.closed,
      overdue: f.overdue,
      score: f.score,
      ...Object.fromEntries(rateKeys.map((k) => [k, asPercent(f[k])])),
    }));
    // The chart's axis runs through every month from the first to the last, so a month with no items is a
    // gap in the lines rather than a silent join; the rows (the table) list the months that have figures.
    const byMonth = new Map(rows.map((r) => [r.month, r as Record<string, number | null | string>]));
    const axis = monthsBetween(rows[0]?.month, rows[rows.length - 1]?.month);
    cachedBriefly(res);
    res.json({
      asOf,
      unitId: id,
      rows,
      chart: {
        kind: 'line',
        x: axis,
        lines: [
          { key: 'score', name: m.rankings.score },
          ...rateKeys.map((k) => ({ key: k, name: m.rankings[k], dashed: true })),
        ],
        values: Object.fromEntries(
          ['score', ...rateKeys].map((k) => [k, axis.map((month) => byMonth.get(month)?.[k] ?? null)]),
        ),
      },
    });
  });

  return router;
};
