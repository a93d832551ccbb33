// Campaign commands and the codecs that decode their payloads at the boundary.
import * as t from 'io-ts';
import { isoDate } from '../codec/dates.js';
import type { Command } from '../decider.js';
import { type CampaignQuotas, campaignStreamId } from './events.js';

const quotaFields = { perSecretaryProblems: t.number, perMemberWishes: t.number, maxOpenWishClaimsPerMember: t.number };
const targetFields = { problemsSolved: t.number, wishesFulfilled: t.number };

/** The seed's quotas: each secretary one problem, each member one wish, at most 3 open wish claims. */
export const defaultCampaignQuotas: CampaignQuotas = {
  perSecretaryProblems: 1,
  perMemberWishes: 1,
  maxOpenWishClaimsPerMember: 3,
};

export const LaunchCampaignData = t.intersection([
  t.type({
    campaignId: t.string,
    name: t.string,
    districtId: t.string,
    /** Both days inclusive. */
    period: t.type({ from: isoDate, to: isoDate }),
    targets: t.type(targetFields),
  }),
  t.partial({ quotas: t.partial(quotaFields) }),
]);
export const AdjustCampaignTargetsData = t.intersection([
  t.type({ campaignId: t.string, reason: t.string }),
  t.partial({ targets: t.partial(targetFields), quotas: t.partial(quotaFields) }),
]);
export const CloseCampaignData = t.intersection([t.type({ campaignId: t.string }), t.partial({ reason: t.string })]);

export type LaunchCampaignData = t.TypeOf<typeof LaunchCampaignData>;
export type LaunchCampaign = Command<'launchCampaign', LaunchCampaignData>;
export type AdjustCampaignTargetsData = t.TypeOf<typeof AdjustCampaignTargetsData>;
export type AdjustCampaignTargets = Command<'adjustCampaignTargets', AdjustCampaignTargetsData>;
export type CloseCampaignData = t.TypeOf<typeof CloseCampaignData>;
export type CloseCampaign = Command<'closeCampaign', CloseCampaignData>;
export type CampaignCommand = LaunchCampaign | AdjustCampaignTargets | CloseCampaign;

export const campaignCommandCodecs = {
  launchCampaign: LaunchCampaignData,
  adjustCampaignTargets: AdjustCampaignTargetsData,
  closeCampaign: CloseCampaignData,
} as const;

export const campaignStreamIdOf = (command: CampaignCommand): string => campaignStreamId(command.data.campaignId);
