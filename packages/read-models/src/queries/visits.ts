// 走访 queries: visits per unit, month, kind and topic; where each holder of a quota stands against it
// (core's visitQuotaOf and visitQuotaStanding over the counted visits: 第一书记 每月不少于20户 by default);
// and per unit, the share of the problems met on visits that were solved on site (现场解决).
import {
  defaultVisitQuotaRules,
  type UnitKind,
  type VisitQuotaRule,
  type VisitQuotaStanding,
  visitQuotaOf,
  visitQuotaStanding,
} from '@banshishi/core';
import type { ReadModels } from '../runtime/builds.js';
import { views } from './views.js';

export interface UnitVisitCounts {
  readonly unitId: string;
  readonly unitName: string;
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** 五问五解决's topics: how many visits brought each up. */
  readonly byTopic: Readonly<Record<string, number>>;
}

/** Visits that stand in `month` (`YYYY-MM`), per unit visited, busiest first. */
export const visitCountsByUnit = async (rm: ReadModels, month: string): Promise<UnitVisitCounts[]> => {
  const rows = await views(rm)
    .selectFrom('visit_counts as c')
    .leftJoin('units as u', 'u.unit_id', 'c.unit_id')
    .select(['c.unit_id as unitId', 'u.name as unitName', 'c.kind', 'c.topic', 'c.visits'])
    .where('c.month', '=', month)
    .execute();
  const byUnit = new Map<
    string,
    { unitId: string; unitName: string; total: number; byKind: Record<string, number>; byTopic: Record<string, number> }
  >();
  for (const r of rows) {
    const entry = byUnit.get(r.unitId) ?? {
      unitId: r.unitId,
      unitName: r.unitName ?? r.unitId,
      total: 0,
      byKind: {},
      byTopic: {},
    };
    if (r.topic === '') {
      entry.total += r.visits;
      entry.byKind[r.kind] = (entry.byKind[r.kind] ?? 0) + r.visits;
    } else entry.byTopic[r.topic] = (entry.byTopic[r.topic] ?? 0) + r.visits;
    byUnit.set(r.unitId, entry);
  }
  return [...byUnit.values()].sort((a, b) => b.total - a.total || a.unitId.localeCompare(b.unitId));
};

/** The months with any visit counted, latest first. */
export const monthsWithVisits = async (rm: ReadModels): Promise<string[]> =>
  (await views(rm).selectFrom('visit_counts').select('month').distinct().orderBy('month', 'desc').execute()).map(
    (r) => r.month,
  );

export interface VisitQuotaEntry extends VisitQuotaStanding {
  readonly personId: string;
  /** Null unless the person is registered as an official. */
  readonly publicName: string | null;
  readonly role: string;
  readonly unitId: string;
  readonly unitName: string;
}

/**
 * Everyone holding, now, a role in a unit of a kind a quota rule names, with the visits they made in that
 * holding in `month`: met or short, and by how many households.
 */
export const visitQuotaCompliance = async (
  rm: ReadModels,
  q: { readonly month: string; readonly rules?: readonly VisitQuotaRule[] },
): Promise<VisitQuotaEntry[]> => {
  const rules = q.rules ?? defaultVisitQuotaRules;
  const roles = [...new Set(rules.map((r) => r.role))];
  if (roles.length === 0) return [];
  const holders = await views(rm)
    .selectFrom('role_holdings as h')
    .innerJoin('units as u', 'u.unit_id', 'h.unit_id')
    .leftJoin('people as p', 'p.person_id', 'h.person_id')
    .leftJoin('visitor_months as v', (join) =>
      join
        .onRef('v.visitor_id', '=', 'h.person_id')
        .onRef('v.visitor_role', '=', 'h.role')
        .onRef('v.visitor_unit_id', '=', 'h.unit_id')
        .on('v.month', '=', q.month),
    )
    .select([
      'h.person_id as personId',
      'p.public_name as publicName',
      'h.role',
      'h.unit_id as unitId',
      'u.name as unitName',
      'u.kind',
      'v.visits',
    ])
    .where('h.role', 'in', roles)
    .where('h.until', 'is', null)
    .orderBy('h.unit_id')
    .orderBy('h.person_id')
    .execute();
  return holders.flatMap((h) => {
    const required = visitQuotaOf(h.role as VisitQuotaRule['role'], h.kind as UnitKind, rules);
    if (required === undefined) return [];
    return [
      {
        personId: h.personId,
        publicName: h.publicName,
        role: h.role,
        unitId: h.unitId,
        unitName: h.unitName,
        ...visitQuotaStanding(required, h.visits ?? 0),
      },
    ];
  });
};

export interface OnSiteShare {
  readonly unitId: string;
  readonly unitName: string;
  /** Problems met on a visit (their origin is a visit). */
  readonly metOnVisits: number;
  readonly solvedOnSite: number;
  /** solvedOnSite / metOnVisits, or null when none were met. */
  readonly share: number | null;
}

/** 现场解决 per unit where the problems were met: how many of those met on visits were solved on the spot. */
export const onSiteShares = async (rm: ReadModels): Promise<OnSiteShare[]> => {
  const rows = await views(rm)
    .selectFrom('visit_problems as v')
    .leftJoin('units as u', 'u.unit_id', 'v.unit_id')
    .select((eb) => [
      'v.unit_id as unitId',
      eb.fn.max('u.name').as('unitName'),
      eb.cast<number>(eb.fn.countAll(), 'integer').as('metOnVisits'),
      eb.cast<number>(eb.fn.count('v.problem_id').filterWhere('v.on_site', '=', true), 'integer').as('solvedOnSite'),
    ])
    .groupBy('v.unit_id')
    .orderBy('v.unit_id')
    .execute();
  return rows.map((r) => ({
    unitId: r.unitId,
    unitName: r.unitName ?? r.unitId,
    metOnVisits: r.metOnVisits,
    solvedOnSite: r.solvedOnSite,
    share: r.metOnVisits === 0 ? null : r.solvedOnSite / r.metOnVisits,
  }));
};
