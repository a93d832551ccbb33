// The campaign's part of the demo: the office launches it on the period's first morning, with targets
// from the planned population, and adjusts the wish target once, a little before mid-campaign.
import { dayMs } from '../clock.js';
import { type DemoCommand, type DemoOutcome, meta, type PlanningContext } from '../planning.js';
import { campaignAdjustmentReason, campaignName } from '../vocabulary.js';

export const createCampaignPlanner = (ctx: PlanningContext) => {
  const { make, office, options: o, population } = ctx;
  const campaignId = ctx.idOf('campaign', 'jiaozhou');
  const targets = {
    problemsSolved: Math.max(1, Math.round(population.problems * 0.6)),
    wishesFulfilled: Math.max(1, Math.round(population.wishes * 0.6)),
  };

  const launch = (): DemoCommand =>
    make('campaign', {
      type: 'launchCampaign',
      data: { campaignId, name: campaignName, districtId: ctx.org.district.unitId, period: o.period, targets },
      metadata: meta(office, ctx.campaignStart),
    });

  /** The open wish claims a member may hold, as the launched campaign set it. */
  const claimLimitOf = (launched: DemoOutcome): number => {
    const limit = (launched.state as { quotas?: { maxOpenWishClaimsPerMember: number } }).quotas
      ?.maxOpenWishClaimsPerMember;
    if (limit === undefined) throw new Error('demo: the campaign did not launch');
    return limit;
  };

  const scheduleTargetAdjustment = (): void => {
    const { campaignStart, untilMs } = ctx;
    const midCampaign = Math.min(untilMs - dayMs, campaignStart + Math.floor((untilMs - campaignStart) * 0.45));
    ctx.schedule(midCampaign, (at) => ({
      command: make('campaign', {
        type: 'adjustCampaignTargets',
        data: {
          campaignId,
          reason: campaignAdjustmentReason,
          targets: { wishesFulfilled: Math.round(targets.wishesFulfilled * 1.1) + 1 },
        },
        metadata: meta(office, at),
      }),
    }));
  };

  const manifest = () => ({
    campaignId,
    streamId: `campaign-${campaignId}`,
    districtId: ctx.org.district.unitId,
    name: campaignName,
  });

  return { launch, claimLimitOf, scheduleTargetAdjustment, manifest };
};
