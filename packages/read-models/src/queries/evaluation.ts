// 评价 queries: per unit and month counts and rates, the composite score, rankings within a level, quota
// compliance and campaign progress. The SQL here is the definition docs/read-models.md explains; keep
// the two in step. Items belong to the month they were raised in (a cohort), and to the unit where they
// sit now, rolled up to every ancestor level.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ReadModels } from '../runtime/builds.js';
import type { Database } from '../schema.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { overdueAsOf } from './overdue.js';

const view = (rm: ReadModels, name: string) => sql.id(rm.schema, name);
const dateOf = (asOf: string) => asOf.slice(0, 10);

/** Ends of the response window per grade, as SQL over the row alias `p`. */
const responseDeadline = (config: EvaluationConfig): RawBuilder<string> => {
  const w = config.responseWindowDays;
  return sql`p.solicited_at + make_interval(days => case p.grade
    when 'minor' then ${w.minor}::int when 'small' then ${w.small}::int
    when 'medium' then ${w.medium}::int else ${w.major}::int end)`;
};

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
  const group = sql.ref(`u.level${q.level}_id`);
  const asOf = sql`${q.asOf}::timestamptz`;
  const asOfDate = sql`${dateOf(q.asOf)}::date`;
  const { rows } = await sql<UnitMonthCounts>`
    with items as (
      select p.problem_id, p.status, p.promised_by, p.first_claimed_at, p.solved_date,
             ${group} as unit_id, to_char(p.solicited_date, 'YYYY-MM') as month,
             ${responseDeadline(config)} as response_deadline,
             ${overdueAsOf(config, q.asOf)} as overdue
      from ${view(rm, 'public_problems')} p
      join ${view(rm, 'units')} u on u.unit_id = p.unit_id
      where ${group} is not null
        and (${q.fromMonth ?? null}::text is null or to_char(p.solicited_date, 'YYYY-MM') >= ${q.fromMonth ?? null}::text)
        and (${q.toMonth ?? null}::text is null or to_char(p.solicited_date, 'YYYY-MM') <= ${q.toMonth ?? null}::text)
        and (${q.unitId ?? null}::text is null or ${group} = ${q.unitId ?? null}::text)
    ),
    flags as (
      select unit_id, month, problem_id, status,
        status <> 'rejected' as counted,
        status <> 'rejected' and first_claimed_at is not null and first_claimed_at <= ${asOf} as claimed,
        status <> 'rejected' and ((first_claimed_at is not null and first_claimed_at <= ${asOf}) or response_deadline <= ${asOf}) as response_due,
        status <> 'rejected' and first_claimed_at is not null and first_claimed_at <= response_deadline and first_claimed_at <= ${asOf} as responded,
        status <> 'rejected' and (status = 'closed' or (promised_by is not null and promised_by < ${asOfDate})
          or (promised_by is null and response_deadline <= ${asOf})) as resolution_due,
        status = 'closed' as closed,
        status <> 'rejected' and promised_by is not null and (status in ('solved', 'closed') or promised_by < ${asOfDate}) as on_time_due,
        status in ('solved', 'closed') and promised_by is not null and solved_date <= promised_by as on_time,
        overdue
      from items
    ),
    ratings as (
      select f.unit_id, f.month, count(*)::int as evaluations,
             (count(*) filter (where r.verdict in ('satisfied', 'basically_satisfied')))::int as satisfied
      from ${view(rm, 'problem_ratings')} r
      join flags f on f.problem_id = r.problem_id
      where f.counted and r.evaluated_at <= ${asOf}
      group by 1, 2
    )
    select f.unit_id as "unitId", un.name as "unitName", un.level, f.month,
      count(*)::int as raised,
      (count(*) filter (where not f.counted))::int as rejected,
      (count(*) filter (where f.counted))::int as counted,
      (count(*) filter (where f.claimed))::int as claimed,
      (count(*) filter (where f.response_due))::int as "responseDue",
      (count(*) filter (where f.responded))::int as "respondedInWindow",
      (count(*) filter (where f.resolution_due))::int as "resolutionDue",
      (count(*) filter (where f.closed))::int as closed,
      coalesce(max(r.evaluations), 0)::int as evaluations,
      coalesce(max(r.satisfied), 0)::int as "satisfiedEvaluations",
      (count(*) filter (where f.on_time_due))::int as "onTimeDue",
      (count(*) filter (where f.on_time))::int as "solvedOnTime",
      (count(*) filter (where f.overdue))::int as overdue
    from flags f
    join ${view(rm, 'units')} un on un.unit_id = f.unit_id
    left join ratings r on r.unit_id = f.unit_id and r.month = f.month
    group by f.unit_id, un.name, un.level, f.month
    order by f.month, f.unit_id`.execute(rm.db as Kysely<Database>);
  return rows.map((r) => withRates(r, config));
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
  const quota = q.role === 'secretary' ? sql.ref('k.quota_secretary_problems') : sql.ref('k.quota_member_wishes');
  const { rows } = await sql<Omit<QuotaEntry, 'compliant' | 'role'>>`
    with k as (select * from ${view(rm, 'campaigns')} where campaign_id = ${q.campaignId}),
    holders as (
      select h.person_id, min(h.unit_id) as unit_id
      from ${view(rm, 'role_holdings')} h
      join ${view(rm, 'units')} u on u.unit_id = h.unit_id
      cross join k
      where h.role = ${q.role}
        and (u.level1_id = k.district_id or u.unit_id = k.district_id)
        and h.since < (k.period_to + 1)::timestamptz
        and (h.until is null or h.until >= k.period_from::timestamptz)
      group by h.person_id
    )
    select h.person_id as "personId", p.public_name as "publicName", h.unit_id as "unitId",
      (select count(distinct c.item_id) from ${view(rm, 'claims')} c
        where c.claimant_id = h.person_id and c.item_kind = ${kind}
          and c.claimed_date between k.period_from and k.period_to)::int as claimed,
      ${quota}::int as quota
    from holders h
    cross join k
    left join ${view(rm, 'people')} p on p.person_id = h.person_id
    order by h.person_id`.execute(rm.db);
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
): Promise<ProgressDay[]> => {
  const { rows } = await sql<ProgressDay>`
    with k as (select * from ${view(rm, 'campaigns')} where campaign_id = ${q.campaignId}),
    days as (
      select d::date as day from k,
        generate_series(k.period_from::timestamp, least(k.period_to, ${dateOf(q.asOf)}::date)::timestamp, interval '1 day') d
    ),
    closed as (
      select p.closed_date as day, count(*)::int as n
      from ${view(rm, 'public_problems')} p join ${view(rm, 'units')} u on u.unit_id = p.unit_id cross join k
      where p.status = 'closed' and (u.level1_id = k.district_id) and p.closed_date between k.period_from and k.period_to
      group by 1
    ),
    fulfilled as (
      select w.fulfilled_date as day, count(*)::int as n
      from ${view(rm, 'public_wishes')} w join ${view(rm, 'units')} u on u.unit_id = w.unit_id cross join k
      where w.status in ('fulfilled', 'confirmed', 'showcased') and (u.level1_id = k.district_id)
        and w.fulfilled_date between k.period_from and k.period_to
      group by 1
    )
    select d.day,
      (sum(coalesce(c.n, 0)) over (order by d.day))::int as "problemsSolved",
      (sum(coalesce(f.n, 0)) over (order by d.day))::int as "wishesFulfilled",
      k.target_problems_solved as "targetProblemsSolved",
      k.target_wishes_fulfilled as "targetWishesFulfilled"
    from days d cross join k
    left join closed c on c.day = d.day
    left join fulfilled f on f.day = d.day
    order by d.day`.execute(rm.db);
  return rows;
};
