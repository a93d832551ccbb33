// The work lists the command API answers a client with: the items a person has claimed, with their
// deadlines and overdue marks, the items they may claim in their units, the office's dispatch queue, and
// the items a resident or enterprise raised. From the public tables (and, for "my items", the non-public
// map of who raised what, which holds ids only), so they hold nothing personal; how fresh they are is the
// caller's to say (queries/freshness.ts).
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';
import { views, withinUnit } from './views.js';

export interface ProblemWorkRow {
  readonly problem_id: string;
  readonly title: string;
  readonly status: string;
  readonly grade: string;
  readonly unit_id: string;
  readonly unit_name: string | null;
  readonly solicited_at: string;
  readonly claimed_at: string | null;
  readonly promised_by: string | null;
  readonly overdue: boolean;
  readonly solved_at: string | null;
  /** Times an unsatisfied verdict sent it back to the claimant. */
  readonly rework_count: number;
  readonly supervision_count: number;
  readonly last_verdict: string | null;
}

export interface WishWorkRow {
  readonly wish_id: string;
  readonly category: string;
  readonly status: string;
  readonly unit_id: string;
  readonly unit_name: string | null;
  readonly collected_at: string;
  readonly claimed_at: string | null;
  /** What the wisher consented to be shown (亮梦): none, anonymous or named. */
  readonly consent: string;
  readonly fulfilled_at: string | null;
  readonly confirmed_at: string | null;
}

const problemRows = (rm: ReadModels, asOf: string, config?: Partial<EvaluationConfig>) =>
  views(rm)
    .selectFrom('public_problems as p')
    .leftJoin('units as u', 'u.unit_id', 'p.unit_id')
    .select([
      'p.problem_id',
      'p.title',
      'p.status',
      'p.grade',
      'p.unit_id',
      'u.name as unit_name',
      'p.solicited_at',
      'p.claimed_at',
      'p.promised_by',
      overdueAsOf(withDefaults(config), asOf).as('overdue'),
      'p.solved_at',
      'p.rework_count',
      'p.supervision_count',
      'p.last_verdict',
    ]);

const wishRows = (rm: ReadModels) =>
  views(rm)
    .selectFrom('public_wishes as w')
    .leftJoin('units as u', 'u.unit_id', 'w.unit_id')
    .select([
      'w.wish_id',
      'w.category',
      'w.status',
      'w.unit_id',
      'u.name as unit_name',
      'w.collected_at',
      'w.claimed_at',
      'w.consent',
      'w.fulfilled_at',
      'w.confirmed_at',
    ]);

/** Problems the person holds a claim on (claimed, or solved and awaiting a verdict) and wishes they work on. */
export const claimsOf = async (
  rm: ReadModels,
  personId: string,
  asOf: string,
  options: { readonly limit?: number; readonly config?: Partial<EvaluationConfig> } = {},
): Promise<{ problems: ProblemWorkRow[]; wishes: WishWorkRow[] }> => {
  const limit = options.limit ?? 200;
  const [problems, wishes] = await Promise.all([
    problemRows(rm, asOf, options.config)
      .where('p.claimant_id', '=', personId)
      .where('p.status', 'in', ['claimed', 'solved'])
      .orderBy('p.promised_by', (ob) => ob.asc().nullsLast())
      .orderBy('p.problem_id')
      .limit(limit)
      .execute(),
    wishRows(rm)
      .where('w.claimant_id', '=', personId)
      .where('w.status', 'in', ['claimed', 'fulfilled'])
      .orderBy('w.claimed_at')
      .orderBy('w.wish_id')
      .limit(limit)
      .execute(),
  ]);
  return { problems, wishes };
};

export interface ClaimableQuery {
  /** Units where the person may claim problems: led as secretary, or a department they handle for. */
  readonly problemUnits: readonly string[];
  /** A member's home districts: wishes collected inside them. */
  readonly wishDistricts: readonly string[];
  readonly asOf: string;
  readonly limit?: number;
  readonly config?: Partial<EvaluationConfig>;
}

/** Unclaimed problems sitting in (or below) the units given, and unclaimed wishes in the districts, oldest first. */
export const claimableFor = async (
  rm: ReadModels,
  q: ClaimableQuery,
): Promise<{ problems: ProblemWorkRow[]; wishes: WishWorkRow[] }> => {
  const limit = q.limit ?? 200;
  const [problems, wishes] = await Promise.all([
    q.problemUnits.length === 0
      ? []
      : problemRows(rm, q.asOf, q.config)
          .where('p.status', 'in', ['solicited', 'assigned'])
          .where((eb) => eb.or(q.problemUnits.map((unitId) => withinUnit(unitId))))
          .orderBy('p.solicited_at')
          .orderBy('p.problem_id')
          .limit(limit)
          .execute(),
    q.wishDistricts.length === 0
      ? []
      : wishRows(rm)
          .where('w.status', '=', 'collected')
          .where((eb) => eb.or(q.wishDistricts.map((unitId) => withinUnit(unitId))))
          .orderBy('w.collected_at')
          .orderBy('w.wish_id')
          .limit(limit)
          .execute(),
  ]);
  return { problems, wishes };
};

export interface OfficeQueueQuery {
  /** The districts (or any units) the office acts for: items sitting in them or below. */
  readonly units: readonly string[];
  readonly asOf: string;
  /** Rows per list (default 200). */
  readonly limit?: number;
  readonly config?: Partial<EvaluationConfig>;
}

export interface OfficeQueue {
  /** 转办: raised and not yet routed or claimed. */
  readonly toRoute: ProblemWorkRow[];
  /** 督办 on the ground overdue: claimed and past the promised day. */
  readonly overdue: ProblemWorkRow[];
  /** 督办 on the ground reopened: back with the claimant after an unsatisfied verdict. */
  readonly reopened: ProblemWorkRow[];
  /** Solved, awaiting the raiser's verdict (or 回访 / 考核评). */
  readonly awaitingVerdict: ProblemWorkRow[];
  /** 亮梦: confirmed by the wisher, who consented to some showing. */
  readonly toShowcase: WishWorkRow[];
  /** Collected and not claimed by any member. */
  readonly unclaimedWishes: WishWorkRow[];
}

/** The office's dispatch page (派单): what waits on it in its units, each list oldest first. */
export const officeQueue = async (rm: ReadModels, q: OfficeQueueQuery): Promise<OfficeQueue> => {
  const limit = q.limit ?? 200;
  if (q.units.length === 0)
    return { toRoute: [], overdue: [], reopened: [], awaitingVerdict: [], toShowcase: [], unclaimedWishes: [] };
  const problems = () =>
    problemRows(rm, q.asOf, q.config).where((eb) => eb.or(q.units.map((unitId) => withinUnit(unitId))));
  const wishes = () => wishRows(rm).where((eb) => eb.or(q.units.map((unitId) => withinUnit(unitId))));
  const [toRoute, overdue, reopened, awaitingVerdict, toShowcase, unclaimedWishes] = await Promise.all([
    problems()
      .where('p.status', '=', 'solicited')
      .orderBy('p.solicited_at')
      .orderBy('p.problem_id')
      .limit(limit)
      .execute(),
    problems()
      .where('p.status', '=', 'claimed')
      .where(overdueAsOf(withDefaults(q.config), q.asOf))
      .orderBy('p.promised_by')
      .orderBy('p.solicited_at')
      .orderBy('p.problem_id')
      .limit(limit)
      .execute(),
    problems()
      .where('p.status', '=', 'claimed')
      .where('p.rework_count', '>', 0)
      .orderBy('p.solicited_at')
      .orderBy('p.problem_id')
      .limit(limit)
      .execute(),
    problems().where('p.status', '=', 'solved').orderBy('p.solved_at').orderBy('p.problem_id').limit(limit).execute(),
    wishes()
      .where('w.status', '=', 'confirmed')
      .where('w.consent', '!=', 'none')
      .orderBy('w.confirmed_at')
      .orderBy('w.wish_id')
      .limit(limit)
      .execute(),
    wishes().where('w.status', '=', 'collected').orderBy('w.collected_at').orderBy('w.wish_id').limit(limit).execute(),
  ]);
  return { toRoute, overdue, reopened, awaitingVerdict, toShowcase, unclaimedWishes };
};

/**
 * 我的诉求: the problems and wishes `personId` raised (a resident's person id, an enterprise's id), newest
 * first, through the non-public map of who raised what. Items recorded for someone the directory does not
 * know have no raiser id and appear in nobody's list.
 */
export const itemsRaisedBy = async (
  rm: ReadModels,
  personId: string,
  options: { readonly limit?: number; readonly asOf?: string; readonly config?: Partial<EvaluationConfig> } = {},
): Promise<{ problems: ProblemWorkRow[]; wishes: WishWorkRow[] }> => {
  const limit = options.limit ?? 200;
  const asOf = options.asOf ?? new Date().toISOString();
  const [problems, wishes] = await Promise.all([
    problemRows(rm, asOf, options.config)
      .innerJoin('item_raisers as r', (join) =>
        join.on('r.item_kind', '=', 'problem').onRef('r.item_id', '=', 'p.problem_id'),
      )
      .where('r.raiser_id', '=', personId)
      .orderBy('p.solicited_at', 'desc')
      .orderBy('p.problem_id', 'desc')
      .limit(limit)
      .execute(),
    wishRows(rm)
      .innerJoin('item_raisers as r', (join) =>
        join.on('r.item_kind', '=', 'wish').onRef('r.item_id', '=', 'w.wish_id'),
      )
      .where('r.raiser_id', '=', personId)
      .orderBy('w.collected_at', 'desc')
      .orderBy('w.wish_id', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return { problems, wishes };
};
