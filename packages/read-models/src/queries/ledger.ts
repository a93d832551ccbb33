// 问题清单 and 需求台账: one unit's problems and wishes (its sub-units' included) as the ledger a first
// secretary's office keeps — each item with its deadline (时间表), who holds it (任务书) and when it was
// crossed off (销号). A view over the public list queries: no column the 公示栏 does not already show.
import { addDays, type ProblemGrade } from '@banshishi/core';
import type { PublicProblemsTable } from '../projections/disclosure.js';
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import {
  countPublicProblems,
  countPublicWishes,
  listPublicProblems,
  listPublicWishes,
  type PublicProblem,
  type PublicWish,
} from './disclosure.js';

/**
 * Where a problem's deadline comes from: the claimant's promised date (承诺时限), or, while nobody has
 * claimed it, the last day of its grade's response window (办理时限) counted from the day it was raised.
 */
export type LedgerDueKind = 'promised' | 'response_window';

export interface LedgerDeadline {
  /** The last day the item is on time; the day after it, an open item is overdue (the rule of queries/overdue.ts). */
  readonly date: string;
  readonly kind: LedgerDueKind;
}

/**
 * The deadline a problem is held to: the promised date once claimed (kept after it is solved or closed, so
 * the sheet shows promise against delivery), or while it waits for a claim its response window's last day.
 * Null for one rejected before anyone claimed it. Whether it is overdue is `overdue`, for open items only.
 */
export const ledgerDeadlineOf = (
  p: Pick<PublicProblemsTable, 'status' | 'promised_by' | 'solicited_date' | 'grade'>,
  config: EvaluationConfig,
): LedgerDeadline | null => {
  if (p.promised_by !== null) return { date: p.promised_by, kind: 'promised' };
  if (p.status === 'solicited' || p.status === 'assigned') {
    const days = config.responseWindowDays[p.grade as ProblemGrade];
    return days === undefined ? null : { date: addDays(p.solicited_date, days), kind: 'response_window' };
  }
  return null;
};

export interface LedgerProblem extends PublicProblem {
  readonly deadline: LedgerDeadline | null;
}

export interface LedgerTotals {
  readonly problems: number;
  /** Not yet solved: raised, routed or claimed. */
  readonly problemsOpen: number;
  readonly problemsOverdue: number;
  /** 销号: closed after a satisfied evaluation. */
  readonly problemsClosed: number;
  readonly wishes: number;
  /** Collected or claimed, not yet fulfilled. */
  readonly wishesOpen: number;
  /** 销号 of a wish: the wisher confirmed it (and it may since have been showcased). */
  readonly wishesConfirmed: number;
}

export interface UnitLedger {
  /** Oldest first, so an item keeps its place (序号) on the wall as later ones are added below it. */
  readonly problems: readonly LedgerProblem[];
  readonly wishes: readonly PublicWish[];
  readonly totals: LedgerTotals;
}

export interface UnitLedgerQuery {
  readonly unitId: string;
  readonly asOf: string;
  /** Rows of each list at most (0: that list is not wanted); the totals count every row. */
  readonly limits: { readonly problems: number; readonly wishes: number };
  readonly config?: Partial<EvaluationConfig>;
}

export const unitLedger = async (rm: ReadModels, q: UnitLedgerQuery): Promise<UnitLedger> => {
  const config = withDefaults(q.config);
  const problemQuery = { unitId: q.unitId, asOf: q.asOf, config: q.config ?? {} };
  const wishQuery = { unitId: q.unitId };
  const [problems, wishes, ...counts] = await Promise.all([
    q.limits.problems === 0 ? [] : listPublicProblems(rm, { ...problemQuery, order: 'asc', limit: q.limits.problems }),
    q.limits.wishes === 0 ? [] : listPublicWishes(rm, { ...wishQuery, order: 'asc', limit: q.limits.wishes }),
    countPublicProblems(rm, problemQuery),
    countPublicProblems(rm, { ...problemQuery, statuses: ['solicited', 'assigned', 'claimed'] }),
    countPublicProblems(rm, { ...problemQuery, overdueOnly: true }),
    countPublicProblems(rm, { ...problemQuery, statuses: ['closed'] }),
    countPublicWishes(rm, wishQuery),
    countPublicWishes(rm, { ...wishQuery, statuses: ['collected', 'claimed'] }),
    countPublicWishes(rm, { ...wishQuery, statuses: ['confirmed', 'showcased'] }),
  ]);
  const [nProblems, nOpen, nOverdue, nClosed, nWishes, nWishesOpen, nConfirmed] = counts as number[];
  return {
    problems: problems.map((p) => ({ ...p, deadline: ledgerDeadlineOf(p, config) })),
    wishes,
    totals: {
      problems: nProblems ?? 0,
      problemsOpen: nOpen ?? 0,
      problemsOverdue: nOverdue ?? 0,
      problemsClosed: nClosed ?? 0,
      wishes: nWishes ?? 0,
      wishesOpen: nWishesOpen ?? 0,
      wishesConfirmed: nConfirmed ?? 0,
    },
  };
};
