// What the embedded main job prints once the projections are up to date: the first campaign's progress
// on the last day of its period, and the street-level ranking of the month with the most problems raised.
import type { ReadModels } from '../runtime/builds.js';
import { busiestMonth, campaignProgress, type ProgressDay, rankings } from './evaluation.js';
import { views } from './views.js';

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
