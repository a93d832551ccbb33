// 走访任务: how many households a month a holder of a role must visit. Seed 000: a community's first
// secretary (第一书记; the directory knows them as the community's secretary) visits at least 20 households
// a month. Other roles carry a quota only when a rule names them. Derived on the read side: a pure
// function the projection calls with the visits it counted, so a changed rule reads the same history anew.
import type { DirectoryRole, UnitKind } from '../directory/view.js';

export interface VisitQuotaRule {
  readonly role: DirectoryRole;
  /** The kind of unit the role is held in. */
  readonly unitKind: UnitKind;
  readonly householdsPerMonth: number;
}

/** Seed 000: 第一书记 每月走访不少于20户. */
export const defaultVisitQuotaRules: readonly VisitQuotaRule[] = [
  { role: 'secretary', unitKind: 'community', householdsPerMonth: 20 },
];

/** The monthly quota of a holding, or undefined when no rule names it. The highest rule wins. */
export const visitQuotaOf = (
  role: DirectoryRole,
  unitKind: UnitKind,
  rules: readonly VisitQuotaRule[] = defaultVisitQuotaRules,
): number | undefined => {
  const quotas = rules.filter((r) => r.role === role && r.unitKind === unitKind).map((r) => r.householdsPerMonth);
  return quotas.length === 0 ? undefined : Math.max(...quotas);
};

export interface VisitQuotaStanding {
  readonly required: number;
  readonly visited: number;
  readonly met: boolean;
  /** Households still to visit this month; 0 once met. */
  readonly shortfall: number;
}

/** Where a holder stands against their quota, from the visits (not cancelled) counted for the month. */
export const visitQuotaStanding = (required: number, visited: number): VisitQuotaStanding => ({
  required,
  visited,
  met: visited >= required,
  shortfall: Math.max(0, required - visited),
});

/** The month (`YYYY-MM`) a visit's date falls in. */
export const visitMonthOf = (date: string): string => date.slice(0, 7);
