// 评价 queries: per unit and month counts and rates, the composite score, rankings within a level, quota
// compliance and campaign progress. The SQL here is the definition docs/read-models.md explains; keep
// the two in step. Items belong to the month they were raised in (a cohort), and to the unit where they
// sit now, rolled up to every ancestor level.
import { calendarDateOf } from '@banshishi/core';
import { type ExpressionWrapper, expressionBuilder, type NotNull, type QueryCreator, type SqlBool, sql } from 'kysely';
import type { ReadModels } from '../runtime/builds.js';
import type { Database } from '../schema.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf, type ProblemRow, windowDaysOf } from './overdue.js';
import { dateValue, momentValue, plusDays, views } from './views.js';

const p = expressionBuilder<ProblemRow, 'p'>();

/**
 * The end of the response window over the row alias `p`: `solicited_at` plus the window of its grade in
 * 24-hour days.
 */
const responseDeadline = (config: EvaluationConfig) =>
  // Raw: make_interval takes its days by name, which kysely's function calls cannot pass.
  sql<string>`${p.ref('p.solicited_at')} + make_interval(days => ${windowDaysOf(config)})`;

/** The campaign a query is about, for the CTE `k`. */
const campaign = (db: QueryCreator<Database>, campaignId: string) =>
  db.selectFrom('campaigns').selectAll().where('campaign_id', '=', campaignId);

/**
 * The cohort month of the row alias `p`: the month of the local day it was raised. The format is a literal,
 * not a parameter, so the same expression can be selected, grouped and ordered by.
 */
const solicitedMonth = p.fn<string>('to_char', ['p.solicited_date', sql.lit('YYYY-MM')]);

export interface UnitMonthCounts {
  readonly unitId: string;
  readonly unitName: string;
  readonly level: number;
  readonly month: string;
  /** Every problem raised; `rejected` ones are then left out of every rate. */
  readonly raised: number;
  readonly rejected: number;
  readonly counted: number;
  readonly claimed: number;
  readonly responseDue: number;
  readonly respondedInWindow: number;
  readonly resolutionDue: number;
  readonly closed: number;
  readonly evaluations: number;
  readonly satisfiedEvaluations: number;
  readonly onTimeDue: number;
  readonly solvedOnTime: number;
  readonly overdue: number;
}

export interface UnitMonthFigures extends UnitMonthCounts {
  readonly responseRate: number | null;
  readonly resolutionRate: number | null;
  readonly satisfactionRate: number | null;
  readonly onTimeRate: number | null;
  /** 0–100; null when no rate has any data. */
  readonly score: number | null;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export const scoreOf = (
  rates: Pick<UnitMonthFigures, 'responseRate' | 'resolutionRate' | 'satisfactionRate' | 'onTimeRate'>,
  weights: EvaluationConfig['weights'],
): number | null => {
  const parts: [number | null, number][] = [
    [rates.responseRate, weights.response],
    [rates.resolutionRate, weights.resolution],
    [rates.satisfactionRate, weights.satisfaction],
    [rates.onTimeRate, weights.onTime],
  ];
  let sum = 0;
  let total = 0;
  for (const [rate, weight] of parts) {
    if (rate === null || weight <= 0) continue;
    sum += rate * weight;
    total += weight;
  }
  return total === 0 ? null : Math.round((sum / total) * 10_000) / 100;
};

export const withRates = (c: UnitMonthCounts, config: EvaluationConfig): UnitMonthFigures => {
  const rates = {
    responseRate: ratio(c.respondedInWindow, c.responseDue),
    resolutionRate: ratio(c.closed, c.resolutionDue),
    satisfactionRate: ratio(c.satisfiedEvaluations, c.evaluations),
    onTimeRate: ratio(c.solvedOnTime, c.onTimeDue),
  };
  return { ...c, ...rates, score: scoreOf(rates, config.weights) };
};

export interface UnitFiguresQuery {
  /** 1 district, 2 street/department, 3 community, 4 grid. */
  readonly level: 1 | 2 | 3 | 4;
  /** `YYYY-MM`, inclusive; absent means unbounded. */
  readonly fromMonth?: string;
  readonly toMonth?: string;
  readonly unitId?: string;
  /** The moment the figures are taken at (ISO-8601 with the local offset); windows and deadlines compare to it. */
  readonly asOf: string;
  readonly config?: Partial<EvaluationConfig>;
}

/** Counts and rates per unit of one level and per month. */
export const unitMonthFigures = async (rm: ReadModels, q: UnitFiguresQuery): Promise<UnitMonthFigures[]> => {
  const config = withDefaults(q.config);
  const { fromMonth, toMonth, unitId } = q;
  const group = `u.level${q.level}_id` as const;
  const asOf = momentValue(q.asOf);
  const asOfDate = dateValue(calendarDateOf(q.asOf));
  const rows = await views(rm)
    .with('items', (db) =>
      db
        .selectFrom('public_problems as p')
        .innerJoin('units as u', 'u.unit_id', 'p.unit_id')
        .select((eb) => [
          'p.problem_id',
          'p.status',
          'p.promised_by',
          'p.first_claimed_at',
          'p.solved_date',
          eb.ref(group).as('unit_id'),
          solicitedMonth.as('month'),
          responseDeadline(config).as('response_deadline'),
          overdueAsOf(config, q.asOf).as('overdue'),
        ])
        .where(group, 'is not', null)
        .$narrowType<{ unit_id: NotNull }>()
        .$if(fromMonth != null, (qb) => qb.where(solicitedMonth, '>=', fromMonth!))
        .$if(toMonth != null, (qb) => qb.where(solicitedMonth, '<=', toMonth!))
        .$if(unitId != null, (qb) => qb.where(group, '=', unitId!)),
    )
    .with('flags', (db) =>
      db.selectFrom('items').select((eb) => {
        const counted = eb('status', '<>', 'rejected');
        const claimedByAsOf = eb.and([eb('first_claimed_at', 'is not', null), eb('first_claimed_at', '<=', asOf)]);
        const solvedOrClosed = eb('status', 'in', ['solved', 'closed']);
        const promised = eb('promised_by', 'is not', null);
        return [
          'unit_id',
          'month',
          'problem_id',
          'status',
          counted.as('counted'),
          eb.and([counted, claimedByAsOf]).as('claimed'),
          eb.and([counted, eb.or([claimedByAsOf, eb('response_deadline', '<=', asOf)])]).as('response_due'),
          eb
            .and([
              counted,
              eb('first_claimed_at', 'is not', null),
              eb('first_claimed_at', '<=', eb.ref('response_deadline')),
              eb('first_claimed_at', '<=', asOf),
            ])
            .as('responded'),
          eb
            .and([
              counted,
              eb.or([
                eb('status', '=', 'closed'),
                eb.and([promised, eb('promised_by', '<', asOfDate)]),
                eb.and([eb('promised_by', 'is', null), eb('response_deadline', '<=', asOf)]),
              ]),
            ])
            .as('resolution_due'),
          eb('status', '=', 'closed').as('closed'),
          eb.and([counted, promised, eb.or([solvedOrClosed, eb('promised_by', '<', asOfDate)])]).as('on_time_due'),
          eb.and([solvedOrClosed, promised, eb('solved_date', '<=', eb.ref('promised_by'))]).as('on_time'),
          'overdue',
        ];
      }),
    )
    .with('ratings', (db) =>
      db
        .selectFrom('problem_ratings as r')
        .innerJoin('flags as f', 'f.problem_id', 'r.problem_id')
        .select((eb) => [
          'f.unit_id',
          'f.month',
          eb.cast<number>(eb.fn.countAll(), 'integer').as('evaluations'),
          eb
            .cast<number>(
              eb.fn.countAll().filterWhere('r.verdict', 'in', ['satisfied', 'basically_satisfied']),
              'integer',
            )
            .as('satisfied'),
        ])
        .where((eb) => eb.and([eb.ref('f.counted'), eb('r.evaluated_at', '<=', asOf)]))
        .groupBy(['f.unit_id', 'f.month']),
    )
    .selectFrom('flags as f')
    .innerJoin('units as un', 'un.unit_id', 'f.unit_id')
    .leftJoin('ratings as r', (join) => join.onRef('r.unit_id', '=', 'f.unit_id').onRef('r.month', '=', 'f.month'))
    .select((eb) => {
      const count = (where?: ExpressionWrapper<never, never, SqlBool>) =>
        eb.cast<number>(where === undefined ? eb.fn.countAll() : eb.fn.countAll().filterWhere(where), 'integer');
      const countOf = (
        flag:
          | 'f.counted'
          | 'f.claimed'
          | 'f.response_due'
          | 'f.responded'
          | 'f.resolution_due'
          | 'f.closed'
          | 'f.on_time_due'
          | 'f.on_time'
          | 'f.overdue',
      ) => count(eb.ref(flag));
      const rated = (column: 'r.evaluations' | 'r.satisfied') =>
        eb.cast<number>(eb.fn.coalesce(eb.fn.max(column), eb.lit(0)), 'integer');
      return [
        'f.unit_id as unitId',
        'un.name as unitName',
        'un.level',
        'f.month',
        count().as('raised'),
        count(eb.not(eb.ref('f.counted'))).as('rejected'),
        countOf('f.counted').as('counted'),
        countOf('f.claimed').as('claimed'),
        countOf('f.response_due').as('responseDue'),
        countOf('f.responded').as('respondedInWindow'),
        countOf('f.resolution_due').as('resolutionDue'),
        countOf('f.closed').as('closed'),
        rated('r.evaluations').as('evaluations'),
        rated('r.satisfied').as('satisfiedEvaluations'),
        countOf('f.on_time_due').as('onTimeDue'),
        countOf('f.on_time').as('solvedOnTime'),
        countOf('f.overdue').as('overdue'),
      ];
    })
    .groupBy(['f.unit_id', 'un.name', 'un.level', 'f.month'])
    .orderBy('f.month')
    .orderBy('f.unit_id')
    .execute();
  return rows.map((r) => withRates(r, config));
};

/** The cohort month with the most problems raised (rejected ones too), the earliest on a tie; null with none. */
export const busiestMonth = async (rm: ReadModels): Promise<string | null> => {
  const row = await views(rm)
    .selectFrom('public_problems as p')
    .select(solicitedMonth.as('month'))
    .groupBy(solicitedMonth)
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .orderBy(solicitedMonth)
    .executeTakeFirst();
  return row?.month ?? null;
};

export interface RankingEntry extends UnitMonthFigures {
  /** Competition ranking: equal scores share a rank, the next rank skips (1, 2, 2, 4). */
  readonly rank: number;
}

export interface RankingQuery extends Omit<UnitFiguresQuery, 'fromMonth' | 'toMonth' | 'unitId'> {
  readonly month: string;
}

/** Units of one level ranked by composite score; units below the minimum item count are left out. */
export const rankings = async (rm: ReadModels, q: RankingQuery): Promise<RankingEntry[]> => {
  const config = withDefaults(q.config);
  const figures = await unitMonthFigures(rm, { ...q, fromMonth: q.month, toMonth: q.month });
  const eligible = figures
    .filter((f) => f.counted >= config.minItemsForRanking && f.score !== null)
    .sort((a, b) => b.score! - a.score! || b.counted - a.counted || a.unitId.localeCompare(b.unitId));
  return eligible.map((f, i) => {
    const first = eligible.findIndex((g) => g.score === f.score);
    return { ...f, rank: first >= 0 ? first + 1 : i + 1 };
  });
};

export interface QuotaEntry {
  readonly personId: string;
  /** Null unless the person is registered as an official. */
  readonly publicName: string | null;
  readonly unitId: string;
  readonly role: 'secretary' | 'member';
  readonly claimed: number;
  readonly quota: number;
  readonly compliant: boolean;
}

/**
 * 每名书记至少领一题, 每名党员至少领一梦: everyone who held the role in the campaign's district at any time
 * during its period, with the distinct items they claimed within the period (by local date).
 */
export const quotaCompliance = async (
  rm: ReadModels,
  q: { readonly campaignId: string; readonly role: 'secretary' | 'member' },
): Promise<QuotaEntry[]> => {
  const kind = q.role === 'secretary' ? 'problem' : 'wish';
  const quota = q.role === 'secretary' ? 'k.quota_secretary_problems' : 'k.quota_member_wishes';
  const rows = await views(rm)
    .with('k', (db) => campaign(db, q.campaignId))
    .with('holders', (db) =>
      db
        .selectFrom('role_holdings as h')
        .innerJoin('units as u', 'u.unit_id', 'h.unit_id')
        .crossJoin('k')
        .select((eb) => ['h.person_id', eb.fn.min('h.unit_id').as('unit_id')])
        .where('h.role', '=', q.role)
        .where((eb) =>
          eb.or([eb('u.level1_id', '=', eb.ref('k.district_id')), eb('u.unit_id', '=', eb.ref('k.district_id'))]),
        )
        .where((eb) => eb('h.since', '<', eb.cast<string>(plusDays(eb.ref('k.period_to'), eb.lit(1)), 'timestamptz')))
        .where((eb) =>
          eb.or([eb('h.until', 'is', null), eb('h.until', '>=', eb.cast<string>('k.period_from', 'timestamptz'))]),
        )
        .groupBy('h.person_id'),
    )
    .selectFrom('holders as h')
    .crossJoin('k')
    .leftJoin('people as p', 'p.person_id', 'h.person_id')
    .select((eb) => [
      'h.person_id as personId',
      'p.public_name as publicName',
      'h.unit_id as unitId',
      eb
        .cast<number>(
          eb
            .selectFrom('claims as c')
            .select((sub) => sub.fn.count('c.item_id').distinct().as('n'))
            .whereRef('c.claimant_id', '=', 'h.person_id')
            .where('c.item_kind', '=', kind)
            .where((sub) => sub.between('c.claimed_date', sub.ref('k.period_from'), sub.ref('k.period_to'))),
          'integer',
        )
        .as('claimed'),
      eb.cast<number>(quota, 'integer').as('quota'),
    ])
    .orderBy('h.person_id')
    .execute();
  return rows.map((r) => ({ ...r, role: q.role, compliant: r.claimed >= r.quota }));
};

export interface ProgressDay {
  readonly day: string;
  /** Problems closed (销号) in the district up to and including this day, within the period. */
  readonly problemsSolved: number;
  /** Wishes fulfilled (圆梦) and not reopened since, by the date of their latest fulfilment. */
  readonly wishesFulfilled: number;
  readonly targetProblemsSolved: number;
  readonly targetWishesFulfilled: number;
}

/** Campaign progress against its targets, one row per day from the start of the period to `asOf`. */
export const campaignProgress = async (
  rm: ReadModels,
  q: { readonly campaignId: string; readonly asOf: string },
): Promise<ProgressDay[]> =>
  views(rm)
    .with('k', (db) => campaign(db, q.campaignId))
    .with('days', (db) =>
      db
        .selectFrom([
          'k',
          // Raw: a set-returning function in FROM, whose one column takes the alias as its name.
          sql<{
            d: string;
          }>`generate_series(k.period_from::timestamp, least(k.period_to, ${dateValue(calendarDateOf(q.asOf))})::timestamp, interval '1 day')`.as(
            'd',
          ),
        ])
        .select((eb) => eb.cast<string>('d.d', 'date').as('day')),
    )
    .with('closed', (db) =>
      db
        .selectFrom('public_problems as p')
        .innerJoin('units as u', 'u.unit_id', 'p.unit_id')
        .crossJoin('k')
        .select((eb) => ['p.closed_date as day', eb.cast<number>(eb.fn.countAll(), 'integer').as('n')])
        .where('p.status', '=', 'closed')
        .whereRef('u.level1_id', '=', 'k.district_id')
        .where((eb) => eb.between('p.closed_date', eb.ref('k.period_from'), eb.ref('k.period_to')))
        .groupBy('p.closed_date'),
    )
    .with('fulfilled', (db) =>
      db
        .selectFrom('public_wishes as w')
        .innerJoin('units as u', 'u.unit_id', 'w.unit_id')
        .crossJoin('k')
        .select((eb) => ['w.fulfilled_date as day', eb.cast<number>(eb.fn.countAll(), 'integer').as('n')])
        .where('w.status', 'in', ['fulfilled', 'confirmed', 'showcased'])
        .whereRef('u.level1_id', '=', 'k.district_id')
        .where((eb) => eb.between('w.fulfilled_date', eb.ref('k.period_from'), eb.ref('k.period_to')))
        .groupBy('w.fulfilled_date'),
    )
    .selectFrom('days as d')
    .crossJoin('k')
    .leftJoin('closed as c', 'c.day', 'd.day')
    .leftJoin('fulfilled as f', 'f.day', 'd.day')
    .select((eb) => {
      const runningTotal = (n: 'c.n' | 'f.n') =>
        eb.cast<number>(
          eb.fn.sum(eb.fn.coalesce(n, eb.lit(0))).over((over) => over.orderBy('d.day')),
          'integer',
        );
      return [
        'd.day',
        runningTotal('c.n').as('problemsSolved'),
        runningTotal('f.n').as('wishesFulfilled'),
        'k.target_problems_solved as targetProblemsSolved',
        'k.target_wishes_fulfilled as targetWishesFulfilled',
      ];
    })
    .orderBy('d.day')
    .execute();

/** Cohort months (`YYYY-MM`) with at least one problem raised, newest first. */
export const monthsWithProblems = async (rm: ReadModels): Promise<string[]> => {
  const rows = await views(rm)
    .selectFrom('public_problems as p')
    .select(solicitedMonth.as('month'))
    .groupBy(solicitedMonth)
    .orderBy(solicitedMonth, 'desc')
    .execute();
  return rows.map((r) => r.month);
};
