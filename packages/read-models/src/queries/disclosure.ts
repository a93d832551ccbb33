// 公示 queries: the public list of problems and wishes with their units at every level and claimants,
// whether a problem is overdue as of a given time, an item's redacted timeline, and the 亮梦 showcase.
import { sql } from 'kysely';
import type {
  PublicProblemsTable,
  PublicTimelineTable,
  PublicWishesTable,
  ShowcaseTable,
} from '../projections/disclosure.js';
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';

const view = (rm: ReadModels, name: string) => sql.id(rm.schema, name);

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
  const unitId = q.unitId ?? null;
  const { rows } = await sql<
    PublicProblem & { l1: string | null; l2: string | null; l3: string | null; l4: string | null }
  >`
    select p.*, u.name as unit_name, u.level1_id as l1, u.level2_id as l2, u.level3_id as l3, u.level4_id as l4,
      cp.public_name as claimant_name, cu.name as claimant_unit_name,
      ${overdueAsOf(config, q.asOf)} as overdue
    from ${view(rm, 'public_problems')} p
    left join ${view(rm, 'units')} u on u.unit_id = p.unit_id
    left join ${view(rm, 'people')} cp on cp.person_id = p.claimant_id
    left join ${view(rm, 'units')} cu on cu.unit_id = p.claimant_unit_id
    where (${q.status ?? null}::text is null or p.status = ${q.status ?? null}::text)
      and (${unitId}::text is null or ${unitId}::text in (u.level1_id, u.level2_id, u.level3_id, u.level4_id))
    order by p.solicited_at desc, p.problem_id
    limit ${q.limit ?? 100} offset ${q.offset ?? 0}`.execute(rm.db);
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
  const unitId = q.unitId ?? null;
  const { rows } = await sql<PublicWish>`
    select w.*, u.name as unit_name, cp.public_name as claimant_name
    from ${view(rm, 'public_wishes')} w
    left join ${view(rm, 'units')} u on u.unit_id = w.unit_id
    left join ${view(rm, 'people')} cp on cp.person_id = w.claimant_id
    where (${q.status ?? null}::text is null or w.status = ${q.status ?? null}::text)
      and (${unitId}::text is null or ${unitId}::text in (u.level1_id, u.level2_id, u.level3_id, u.level4_id))
    order by w.collected_at desc, w.wish_id
    limit ${q.limit ?? 100} offset ${q.offset ?? 0}`.execute(rm.db);
  return rows;
};

/** The redacted history of one problem or wish, oldest first. */
export const publicTimeline = async (
  rm: ReadModels,
  itemKind: 'problem' | 'wish',
  itemId: string,
): Promise<PublicTimelineTable[]> =>
  (
    await sql<PublicTimelineTable>`
      select * from ${view(rm, 'public_timeline')}
      where item_kind = ${itemKind} and item_id = ${itemId}
      order by revision`.execute(rm.db)
  ).rows;

export interface ShowcaseEntry extends ShowcaseTable {
  readonly unit_name: string | null;
  readonly member_name: string | null;
}

/** 亮梦, newest first. */
export const showcase = async (
  rm: ReadModels,
  q: { readonly limit?: number; readonly unitId?: string } = {},
): Promise<ShowcaseEntry[]> => {
  const unitId = q.unitId ?? null;
  const { rows } = await sql<ShowcaseEntry>`
    select s.*, u.name as unit_name, m.public_name as member_name
    from ${view(rm, 'showcase')} s
    left join ${view(rm, 'units')} u on u.unit_id = s.unit_id
    left join ${view(rm, 'people')} m on m.person_id = s.member_id
    where (${unitId}::text is null or ${unitId}::text in (u.level1_id, u.level2_id, u.level3_id, u.level4_id))
    order by s.showcased_at desc, s.wish_id
    limit ${q.limit ?? 50}`.execute(rm.db);
  return rows;
};
