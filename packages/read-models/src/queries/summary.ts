// What the embedded main job prints once the projections are up to date: the first campaign's progress
// on the last day of its period, and the street-level ranking of the month with the most problems raised.
import type { ReadModels } from '../runtime/builds.js';
import { type EvaluationConfig, withDefaults } from './config.js';
import { busiestMonth, campaignProgress, type ProgressDay, rankings } from './evaluation.js';
import { overdueAsOf } from './overdue.js';
import { views, withinUnit } from './views.js';

export interface BoardSummary {
  readonly campaign: { readonly campaignId: string; readonly name: string; readonly periodTo: string } | null;
  readonly progress: ProgressDay | null;
  /** The top five. */
  readonly ranking: readonly {
    readonly rank: number;
    readonly unitName: string;
    readonly score: number | null;
    readonly counted: number;
  }[];
  readonly rankingMonth: string | null;
}

/** Everything is taken as of the end of the campaign's last day, in Jiaozhou time. */
export const boardSummary = async (rm: ReadModels): Promise<BoardSummary> => {
  const campaign = await views(rm)
    .selectFrom('campaigns')
    .select(['campaign_id', 'name', 'period_to'])
    .orderBy('campaign_id')
    .executeTakeFirst();
  if (campaign === undefined) return { campaign: null, progress: null, ranking: [], rankingMonth: null };
  const asOf = `${campaign.period_to}T23:59:59+08:00`;
  const days = await campaignProgress(rm, { campaignId: campaign.campaign_id, asOf });
  const month = await busiestMonth(rm);
  const ranked = month === null ? [] : await rankings(rm, { level: 2, month, asOf });
  return {
    campaign: { campaignId: campaign.campaign_id, name: campaign.name, periodTo: campaign.period_to },
    progress: days[days.length - 1] ?? null,
    ranking: ranked
      .slice(0, 5)
      .map((r) => ({ rank: r.rank, unitName: r.unitName, score: r.score, counted: r.counted })),
    rankingMonth: month,
  };
};

export interface HeadlineFigures {
  readonly problemsRaised: number;
  readonly problemsClosed: number;
  readonly problemsOverdue: number;
  readonly wishesCollected: number;
  readonly wishesFulfilled: number;
}

/** The home page's headline counts, for the whole log (or one unit and everything below it), as of `asOf`. */
export const headlineFigures = async (
  rm: ReadModels,
  q: { readonly asOf: string; readonly unitId?: string; readonly config?: Partial<EvaluationConfig> },
): Promise<HeadlineFigures> => {
  const config = withDefaults(q.config);
  const { unitId } = q;
  const [problems, wishes] = await Promise.all([
    views(rm)
      .selectFrom('public_problems as p')
      .leftJoin('units as u', 'u.unit_id', 'p.unit_id')
      .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
      .select((eb) => [
        eb.cast<number>(eb.fn.countAll(), 'integer').as('raised'),
        eb.cast<number>(eb.fn.countAll().filterWhere('p.status', '=', 'closed'), 'integer').as('closed'),
        eb.cast<number>(eb.fn.countAll().filterWhere(overdueAsOf(config, q.asOf)), 'integer').as('overdue'),
      ])
      .executeTakeFirstOrThrow(),
    views(rm)
      .selectFrom('public_wishes as w')
      .leftJoin('units as u', 'u.unit_id', 'w.unit_id')
      .$if(unitId != null, (qb) => qb.where(withinUnit(unitId!)))
      .select((eb) => [
        eb.cast<number>(eb.fn.countAll(), 'integer').as('collected'),
        eb
          .cast<number>(
            eb.fn.countAll().filterWhere('w.status', 'in', ['fulfilled', 'confirmed', 'showcased']),
            'integer',
          )
          .as('fulfilled'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    problemsRaised: problems.raised,
    problemsClosed: problems.closed,
    problemsOverdue: problems.overdue,
    wishesCollected: wishes.collected,
    wishesFulfilled: wishes.fulfilled,
  };
};
