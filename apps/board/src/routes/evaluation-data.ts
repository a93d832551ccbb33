// The figures behind the 评价榜 and the unit pages, computed once per request for the page, its chart data
// and its exports alike, so the three never disagree.
import {
  type EvaluationConfig,
  quotaCompliance,
  type RankingEntry,
  rankings,
  type UnitMonthFigures,
  unitMonthFigures,
  withDefaults,
} from '@banshishi/read-models';
import type { Request } from 'express';
import type { BoardDeps } from '../http/deps.js';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import { calendarMonth, oneOf, param } from '../http/params.js';
import type { QuotaByUnit, RankingsData } from '../pages/rankings.js';

export const rankingParamsOf = (req: Request) => ({
  level: Number(param(req, 'level', oneOf(['2', '3'] as const)) ?? '2') as 2 | 3,
  month: param(req, 'month', calendarMonth),
});

/**
 * The month shown when none is asked for: the one in which the most units of the level have enough items
 * to be ranked, the latest of those on a tie (a month just begun ranks one or two units, which says little).
 */
const defaultMonth = (figures: readonly UnitMonthFigures[], config: EvaluationConfig): string | null => {
  const eligible = new Map<string, number>();
  for (const f of figures) {
    const n = eligible.get(f.month) ?? 0;
    eligible.set(f.month, f.counted >= config.minItemsForRanking ? n + 1 : n);
  }
  let best: [string, number] | null = null;
  for (const [month, n] of eligible)
    if (best === null || n > best[1] || (n === best[1] && month > best[0])) best = [month, n];
  return best?.[0] ?? null;
};

const quotasByUnit = (
  dir: DirectorySnapshot,
  entries: readonly { readonly unitId: string; readonly compliant: boolean }[],
): QuotaByUnit[] => {
  const byUnit = new Map<string, { holders: number; compliant: number }>();
  for (const e of entries) {
    const unit = dir.unitById.get(e.unitId);
    const key = unit?.level2_id ?? e.unitId;
    const counts = byUnit.get(key) ?? { holders: 0, compliant: 0 };
    counts.holders += 1;
    if (e.compliant) counts.compliant += 1;
    byUnit.set(key, counts);
  }
  return [...byUnit.entries()]
    .map(([unitId, c]) => ({ unitId, unitName: dir.unitById.get(unitId)?.name ?? unitId, ...c }))
    .sort((a, b) => a.unitId.localeCompare(b.unitId));
};

const computeRankingsData = async (
  deps: BoardDeps,
  dir: DirectorySnapshot,
  q: { readonly level: 2 | 3; readonly month: string | undefined; readonly asOf: string; readonly withQuotas: boolean },
): Promise<RankingsData & { readonly ranked: readonly RankingEntry[] }> => {
  const rm = deps.readModels;
  const config = withDefaults(deps.evaluation);
  const all = await unitMonthFigures(rm, { level: q.level, asOf: q.asOf, config });
  const months = [...new Set(all.map((f) => f.month))].sort().reverse();
  const month = q.month ?? defaultMonth(all, config);
  const ranked = month === null ? [] : await rankings(rm, { level: q.level, month, asOf: q.asOf, config });
  const rankedIds = new Set(ranked.map((r) => r.unitId));
  const unranked = all.filter((f) => f.month === month && !rankedIds.has(f.unitId));
  const campaign = dir.campaigns[dir.campaigns.length - 1];
  const quotas =
    !q.withQuotas || campaign === undefined
      ? null
      : {
          secretary: quotasByUnit(
            dir,
            await quotaCompliance(rm, { campaignId: campaign.campaign_id, role: 'secretary' }),
          ),
          member: quotasByUnit(dir, await quotaCompliance(rm, { campaignId: campaign.campaign_id, role: 'member' })),
        };
  return {
    level: q.level,
    month,
    months: month !== null && !months.includes(month) ? [month, ...months] : months,
    ranked,
    unranked,
    minItems: config.minItemsForRanking,
    quotas,
  };
};

/**
 * The 评价榜's figures for a level, month and moment, computed once and shared by the page, its charts and
 * its downloads: over a large log they cost seconds of database time, and the moment is a minute
 * (`figuresAsOf`), so every request of that minute asks the same question. A failed computation is not kept.
 */
const memos = new WeakMap<BoardDeps, Map<string, Promise<RankingsData>>>();
const memoEntries = 64;

export const rankingsData = (
  deps: BoardDeps,
  dir: DirectorySnapshot,
  q: { readonly level: 2 | 3; readonly month: string | undefined; readonly asOf: string; readonly withQuotas: boolean },
): Promise<RankingsData> => {
  let memo = memos.get(deps);
  if (memo === undefined) {
    memo = new Map();
    memos.set(deps, memo);
  }
  const key = `${q.level} ${q.month ?? ''} ${q.asOf} ${q.withQuotas}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const computed = computeRankingsData(deps, dir, q);
  memo.set(key, computed);
  if (memo.size > memoEntries) memo.delete(memo.keys().next().value as string);
  computed.catch(() => {
    if (memo.get(key) === computed) memo.delete(key);
  });
  return computed;
};
