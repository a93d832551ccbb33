// The work lists the command API answers a client with: the items a person has claimed, with their
// deadlines and overdue marks, and the items they may claim in their units. From the public tables, so
// they hold nothing personal; how fresh they are is the caller's to say (queries/freshness.ts).
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
}

export interface WishWorkRow {
  readonly wish_id: string;
  readonly category: string;
  readonly status: string;
  readonly unit_id: string;
  readonly unit_name: string | null;
  readonly collected_at: string;
  readonly claimed_at: string | null;
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
