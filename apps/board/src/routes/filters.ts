// The 公示栏's filters, decoded from the query string into the read-model queries' terms. Pages, exports
// and feeds decode the same way, so a filtered list, its CSV and its feed are the same rows. Dates are
// local calendar days; `to` is inclusive.
import { addDays } from '@banshishi/core';
import type { ProblemListQuery, WishListQuery } from '@banshishi/read-models';
import type { Request } from 'express';
import { localOffset } from '../http/deps.js';
import type { DirectorySnapshot } from '../http/directory-cache.js';
import { BadParameter } from '../http/errors.js';
import { calendarDate, flag, identifier, known, label, listOf, oneOf, param, wholeNumber } from '../http/params.js';

export const problemStatuses = ['solicited', 'assigned', 'claimed', 'solved', 'closed', 'rejected'] as const;
export const wishStatuses = ['collected', 'claimed', 'fulfilled', 'confirmed', 'showcased', 'cancelled'] as const;
export const problemGrades = ['minor', 'small', 'medium', 'major'] as const;
export const problemSources = ['resident', 'enterprise', 'grid_visit', 'suggestion_drive', 'supervision_case'] as const;

export interface Paging {
  readonly page: number;
  readonly pageSize: number;
}

export const pagingOf = (req: Request, defaultSize = 50): Paging => ({
  page: param(req, 'page', wholeNumber(1, 100_000)) ?? 1,
  pageSize: param(req, 'page_size', wholeNumber(1, 500)) ?? defaultSize,
});

/** The filter as given, for links that keep it (paging, exports, the language switch). */
export type FilterParams = Readonly<Record<string, string>>;

interface CommonFilter {
  readonly unitId?: string;
  readonly category?: string;
  readonly campaignId?: string;
  readonly raisedFrom?: string;
  readonly raisedBefore?: string;
}

const commonFilterOf = (
  req: Request,
  dir: DirectorySnapshot,
): { filter: CommonFilter; params: Record<string, string> } => {
  const unitId = known('unit', param(req, 'unit', identifier), (id) => dir.unitById.has(id));
  const category = known('category', param(req, 'category', label), (name) =>
    dir.categories.some((c) => c.category === name),
  );
  const campaignId = known('campaign', param(req, 'campaign', identifier), (id) =>
    dir.campaigns.some((c) => c.campaign_id === id),
  );
  const from = param(req, 'from', calendarDate);
  const to = param(req, 'to', calendarDate);
  if (from !== undefined && to !== undefined && to < from) throw new BadParameter('to', 'is before from');
  const params: Record<string, string> = {};
  if (unitId !== undefined) params.unit = unitId;
  if (category !== undefined) params.category = category;
  if (campaignId !== undefined) params.campaign = campaignId;
  if (from !== undefined) params.from = from;
  if (to !== undefined) params.to = to;
  return {
    filter: {
      ...(unitId === undefined ? {} : { unitId }),
      ...(category === undefined ? {} : { category }),
      ...(campaignId === undefined ? {} : { campaignId }),
      ...(from === undefined ? {} : { raisedFrom: `${from}T00:00:00${localOffset}` }),
      ...(to === undefined ? {} : { raisedBefore: `${addDays(to, 1)}T00:00:00${localOffset}` }),
    },
    params,
  };
};

export const problemFilterOf = (
  req: Request,
  dir: DirectorySnapshot,
  asOf: string,
): { query: ProblemListQuery; params: FilterParams } => {
  const { filter, params } = commonFilterOf(req, dir);
  const statuses = param(req, 'status', listOf(problemStatuses));
  const grade = param(req, 'grade', oneOf(problemGrades));
  const source = param(req, 'source', oneOf(problemSources));
  const overdueOnly = param(req, 'overdue', flag);
  const out: Record<string, string> = { ...params };
  if (statuses !== undefined) out.status = statuses.join(',');
  if (grade !== undefined) out.grade = grade;
  if (source !== undefined) out.source = source;
  if (overdueOnly === true) out.overdue = '1';
  return {
    query: {
      ...filter,
      asOf,
      ...(statuses === undefined ? {} : { statuses }),
      ...(grade === undefined ? {} : { grade }),
      ...(source === undefined ? {} : { source }),
      ...(overdueOnly === true ? { overdueOnly } : {}),
    },
    params: out,
  };
};

export const wishFilterOf = (req: Request, dir: DirectorySnapshot): { query: WishListQuery; params: FilterParams } => {
  const { filter, params } = commonFilterOf(req, dir);
  const statuses = param(req, 'status', listOf(wishStatuses));
  const out: Record<string, string> = { ...params };
  if (statuses !== undefined) out.status = statuses.join(',');
  return { query: { ...filter, ...(statuses === undefined ? {} : { statuses }) }, params: out };
};

/** A link to `path` with the filter and any overrides (a page number, another kind). */
export const linkTo = (
  path: string,
  params: FilterParams,
  overrides: Record<string, string | undefined> = {},
): string => {
  const all = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...overrides })) if (v !== undefined && v !== '') all.set(k, v);
  const qs = all.toString();
  return qs === '' ? path : `${path}?${qs}`;
};
