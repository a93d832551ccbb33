// 公示 queries: the public list of problems and wishes with their units at every level and claimants,
// whether a problem is overdue as of a given time, an item's redacted timeline, and the 亮梦 showcase.
import { type Expression, expressionBuilder, sql } from 'kysely';
import type { UnitsTable } from '../projections/directory.js';
import type {
  PublicProblemsTable,
  PublicTimelineTable,
  PublicWishesTable,
  ShowcaseTable,
} from '../projections/disclosure.js';
import type { ReadModels } from '../runtime/builds.js';
import type { Database } from '../schema.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';
import { momentValue, views, withinUnit } from './views.js';

export interface UnitPath {
  readonly level1: string | null;
  readonly level2: string | null;
  readonly level3: string | null;
  readonly level4: string | null;
}

const inUnits = expressionBuilder<Database & { u: UnitsTable }, 'u'>();

/** Over the unit alias `u`: raised in the campaign's district (on the local date given) within its period. */
const raisedInCampaign = (campaignId: string, raisedDate: Expression<string>) =>
  inUnits.exists(
    inUnits
      .selectFrom('campaigns as k')
      .select('k.campaign_id')
      .where('k.campaign_id', '=', campaignId)
      .whereRef('u.level1_id', '=', 'k.district_id')
      .where((eb) => eb.between(raisedDate, eb.ref('k.period_from'), eb.ref('k.period_to'))),
  );

export interface PublicProblem extends PublicProblemsTable {
  readonly unit_name: string | null;
  readonly unit_path: UnitPath;
  readonly claimant_name: string | null;
  readonly claimant_unit_name: string | null;
  /** 督办's rule as of the query's `asOf` (queries/overdue.ts): the same as core's `isOverdue`. */
  readonly overdue: boolean;
}

/** What the 公示栏 can narrow a list by; every field is optional and they combine with AND. */
export interface ItemFilter {
  /** Items sitting in this unit or anywhere below it. */
  readonly unitId?: string;
  readonly category?: string;
  /** Items raised in the campaign's district within its period. */
  readonly campaignId?: string;
  /** Raised at or after this moment (ISO-8601 with offset). */
  readonly raisedFrom?: string;
  /** Raised before this moment. */
  readonly raisedBefore?: string;
  /** Ordered by when they were raised: `desc` (newest first, the default) or `asc`. */
  readonly order?: 'asc' | 'desc';
  readonly limit?: number;
  readonly offset?: number;
}

export interface ProblemListQuery extends ItemFilter {
  readonly statuses?: readonly PublicProblemsTable['status'][];
  /** Shorthand for one status (kept for existing callers). */
  readonly status?: PublicProblemsTable['status'];
  readonly grade?: string;
  readonly source?: string;
  readonly problemIds?: readonly string[];
  /** Only problems overdue as of `asOf`. */
  readonly overdueOnly?: boolean;
  /** `raised` (the default) orders by when they were raised, `closed` by when they were closed (销号). */
  readonly sort?: 'raised' | 'closed';
  readonly asOf: string;
  readonly config?: Partial<EvaluationConfig>;
}

export interface Page<R> {
  readonly rows: R[];
  /** Every row the filter matches, regardless of limit and offset. */
  readonly total: number;
}

const problemListBase = (rm: ReadModels, q: ProblemListQuery) => {
  const config = withDefaults(q.config);
  const statuses = q.statuses ?? (q.status === undefined ? undefined : [q.status]);
  const { unitId, category, grade, source, campaignId, raisedFrom, raisedBefore, problemIds } = q;
  return views(rm)
    .selectFrom('public_problems as p')
    .leftJoin('units as u', 'u.unit_id', 'p.unit_id')
    .$if(statuses !== undefined && statuses.length > 0, (qb) => qb.where('p.status', 'in', statuses!))
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .$if(category != null, (qb) => qb.where('p.category', '=', category!))
    .$if(grade != null, (qb) => qb.where('p.grade', '=', grade!))
    .$if(source != null, (qb) => qb.where('p.source', '=', source!))
    .$if(problemIds !== undefined, (qb) =>
      problemIds!.length === 0 ? qb.where(sql.lit(false)) : qb.where('p.problem_id', 'in', problemIds!),
    )
    .$if(raisedFrom != null, (qb) => qb.where('p.solicited_at', '>=', momentValue(raisedFrom!)))
    .$if(raisedBefore != null, (qb) => qb.where('p.solicited_at', '<', momentValue(raisedBefore!)))
    .$if(campaignId != null, (qb) => qb.where((eb) => raisedInCampaign(campaignId!, eb.ref('p.solicited_date'))))
    .$if(q.overdueOnly === true, (qb) => qb.where(overdueAsOf(config, q.asOf)));
};

/**
 * A page of the list in two steps: first the ids of the page, from the filtered table alone (the index of
 * the order, no joins), then the page's 50 rows with their units and claimants. Joined in one step, every
 * row skipped by the offset was joined too: page 400 of the list cost 120 ms of database time, not 50 rows'.
 */
export const listPublicProblems = async (rm: ReadModels, q: ProblemListQuery): Promise<PublicProblem[]> => {
  const config = withDefaults(q.config);
  const order = q.order ?? 'desc';
  const byClosed = q.sort === 'closed';
  const page = problemListBase(rm, q)
    .select(['p.problem_id'])
    .$if(byClosed, (qb) => qb.orderBy('p.closed_at', (ob) => (order === 'desc' ? ob.desc().nullsLast() : ob.asc())))
    .orderBy('p.solicited_at', order)
    .orderBy('p.problem_id', order)
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0);
  const rows = await views(rm)
    .selectFrom(page.as('pg'))
    .innerJoin('public_problems as p', 'p.problem_id', 'pg.problem_id')
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
    .$if(byClosed, (qb) => qb.orderBy('p.closed_at', (ob) => (order === 'desc' ? ob.desc().nullsLast() : ob.asc())))
    .orderBy('p.solicited_at', order)
    .orderBy('p.problem_id', order)
    .execute();
  return rows.map(({ l1, l2, l3, l4, ...r }) => ({
    ...r,
    unit_path: { level1: l1, level2: l2, level3: l3, level4: l4 },
  }));
};

/** How many problems the filter matches (limit and offset aside). */
export const countPublicProblems = async (rm: ReadModels, q: ProblemListQuery): Promise<number> => {
  const row = await problemListBase(rm, q)
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
};

/** One problem as the public sees it; undefined when there is none (or it is not public). */
export const publicProblem = async (
  rm: ReadModels,
  problemId: string,
  asOf: string,
  config?: Partial<EvaluationConfig>,
): Promise<PublicProblem | undefined> =>
  (await listPublicProblems(rm, { problemIds: [problemId], asOf, limit: 1, ...(config ? { config } : {}) }))[0];

export interface PublicWish extends PublicWishesTable {
  readonly unit_name: string | null;
  readonly claimant_name: string | null;
}

export interface WishListQuery extends ItemFilter {
  readonly statuses?: readonly PublicWishesTable['status'][];
  readonly status?: PublicWishesTable['status'];
  readonly wishIds?: readonly string[];
}

const wishListBase = (rm: ReadModels, q: WishListQuery) => {
  const statuses = q.statuses ?? (q.status === undefined ? undefined : [q.status]);
  const { unitId, category, campaignId, raisedFrom, raisedBefore, wishIds } = q;
  return views(rm)
    .selectFrom('public_wishes as w')
    .leftJoin('units as u', 'u.unit_id', 'w.unit_id')
    .$if(statuses !== undefined && statuses.length > 0, (qb) => qb.where('w.status', 'in', statuses!))
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .$if(category != null, (qb) => qb.where('w.category', '=', category!))
    .$if(wishIds !== undefined, (qb) =>
      wishIds!.length === 0 ? qb.where(sql.lit(false)) : qb.where('w.wish_id', 'in', wishIds!),
    )
    .$if(raisedFrom != null, (qb) => qb.where('w.collected_at', '>=', momentValue(raisedFrom!)))
    .$if(raisedBefore != null, (qb) => qb.where('w.collected_at', '<', momentValue(raisedBefore!)))
    .$if(campaignId != null, (qb) => qb.where((eb) => raisedInCampaign(campaignId!, eb.ref('w.collected_date'))));
};

export const listPublicWishes = async (rm: ReadModels, q: WishListQuery): Promise<PublicWish[]> => {
  const order = q.order ?? 'desc';
  return wishListBase(rm, q)
    .leftJoin('people as cp', 'cp.person_id', 'w.claimant_id')
    .selectAll('w')
    .select(['u.name as unit_name', 'cp.public_name as claimant_name'])
    .orderBy('w.collected_at', order)
    .orderBy('w.wish_id', order)
    .limit(q.limit ?? 100)
    .offset(q.offset ?? 0)
    .execute();
};

export const countPublicWishes = async (rm: ReadModels, q: WishListQuery): Promise<number> => {
  const row = await wishListBase(rm, q)
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
};

export interface PublicTimelineEntry extends PublicTimelineTable {
  /** The official's public name; null for residents, enterprises and anyone not registered as an official. */
  readonly actor_name: string | null;
}

/** The redacted history of one problem or wish, oldest first. */
export const publicTimeline = async (
  rm: ReadModels,
  itemKind: 'problem' | 'wish',
  itemId: string,
): Promise<PublicTimelineEntry[]> =>
  views(rm)
    .selectFrom('public_timeline as t')
    .leftJoin('people as a', 'a.person_id', 't.actor_id')
    .selectAll('t')
    .select('a.public_name as actor_name')
    .where('t.item_kind', '=', itemKind)
    .where('t.item_id', '=', itemId)
    .orderBy('t.revision')
    .execute();

export interface ShowcaseEntry extends ShowcaseTable {
  readonly unit_name: string | null;
  readonly member_name: string | null;
}

/** 亮梦, newest first. */
export const showcase = async (
  rm: ReadModels,
  q: { readonly limit?: number; readonly offset?: number; readonly unitId?: string } = {},
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
    .offset(q.offset ?? 0)
    .execute();
};

export const countShowcase = async (rm: ReadModels, q: { readonly unitId?: string } = {}): Promise<number> => {
  const { unitId } = q;
  const row = await views(rm)
    .selectFrom('showcase as s')
    .leftJoin('units as u', 'u.unit_id', 's.unit_id')
    .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
};
