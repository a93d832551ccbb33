// 公示 queries: the public list of problems and wishes with their units at every level and claimants,
// whether a problem is overdue as of a given time, an item's redacted timeline, and the 亮梦 showcase.
import type {
  PublicProblemsTable,
  PublicTimelineTable,
  PublicWishesTable,
  ShowcaseTable,
} from '../projections/disclosure.js';
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';
import { views, withinUnit } from './views.js';

export interface UnitPath {
  readonly level1: string | null;
  readonly level2: string | null;
  readonly level3: string | null;
  readonly level4: string | null;
}

export interface PublicProblem extends PublicProblemsTable {
  readonly unit_name: string | null;
  readonly unit_path: UnitPath;
  readonly claimant_name: string | null;
  readonly claimant_unit_name: string | null;
  /** 督办's rule as of the query's `asOf` (queries/overdue.ts): the same as core's `isOverdue`. */
  readonly overdue: boolean;
}

export interface ProblemListQuery {
  /** Problems sitting in this unit or anywhere below it. */
  readonly unitId?: string;
  readonly status?: PublicProblemsTable['status'];
  readonly asOf: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly config?: Partial<EvaluationConfig>;
}

export const listPublicProblems = async (rm: ReadModels, q: ProblemListQuery): Promise<PublicProblem[]> => {
  const config = withDefaults(q.config);
  const { status, unitId } = q;
  const rows = await views(rm)
    .selectFrom('public_problems as p')
    .leftJoin('units as u', 'u.unit_id', 'p.unit_id')
    .leftJoin('people as cp', 'cp.person_id', 'p.claimant_id')
    .leftJoin('units as cu', 'cu.unit_id', 'p.claimant_unit_id')
    .selectAll('p')
    .select([
      'u.name as unit_name',
      'u.level1_id as l1',
      'u.level2_id as l2',
      'u.level3_id as l3',
      'u.level4_id as l4',
      'cp.public_name as claimant_name',
      'cu.name as claimant_unit_name',
      overdueAsOf(config, q.asOf).as('overdue'),
    ])
    .$if(status != null, (qb) => qb.where('p.status', '=', status!))
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .orderBy('p.solicited_at', 'desc')
    .orderBy('p.problem_id')
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0)
    .execute();
  return rows.map(({ l1, l2, l3, l4, ...r }) => ({
    ...r,
    unit_path: { level1: l1, level2: l2, level3: l3, level4: l4 },
  }));
};

export interface PublicWish extends PublicWishesTable {
  readonly unit_name: string | null;
  readonly claimant_name: string | null;
}

export const listPublicWishes = async (
  rm: ReadModels,
  q: {
    readonly unitId?: string;
    readonly status?: PublicWishesTable['status'];
    readonly limit?: number;
    readonly offset?: number;
  },
): Promise<PublicWish[]> => {
  const { status, unitId } = q;
  return views(rm)
    .selectFrom('public_wishes as w')
    .leftJoin('units as u', 'u.unit_id', 'w.unit_id')
    .leftJoin('people as cp', 'cp.person_id', 'w.claimant_id')
    .selectAll('w')
    .select(['u.name as unit_name', 'cp.public_name as claimant_name'])
    .$if(status != null, (qb) => qb.where('w.status', '=', status!))
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .orderBy('w.collected_at', 'desc')
    .orderBy('w.wish_id')
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0)
    .execute();
};

/** The redacted history of one problem or wish, oldest first. */
export const publicTimeline = async (
  rm: ReadModels,
  itemKind: 'problem' | 'wish',
  itemId: string,
): Promise<PublicTimelineTable[]> =>
  views(rm)
    .selectFrom('public_timeline')
    .selectAll()
    .where('item_kind', '=', itemKind)
    .where('item_id', '=', itemId)
    .orderBy('revision')
    .execute();

export interface ShowcaseEntry extends ShowcaseTable {
  readonly unit_name: string | null;
  readonly member_name: string | null;
}

/** 亮梦, newest first. */
export const showcase = async (
  rm: ReadModels,
  q: { readonly limit?: number; readonly unitId?: string } = {},
): Promise<ShowcaseEntry[]> => {
  const { unitId } = q;
  return views(rm)
    .selectFrom('showcase as s')
    .leftJoin('units as u', 'u.unit_id', 's.unit_id')
    .leftJoin('people as m', 'm.person_id', 's.member_id')
    .selectAll('s')
    .select(['u.name as unit_name', 'm.public_name as member_name'])
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .orderBy('s.showcased_at', 'desc')
    .orderBy('s.wish_id')
    .limit(q.limit ?? 50)
    .execute();
};
