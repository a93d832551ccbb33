// Campaign commands and the codecs that decode their payloads at the boundary.
import * as t from 'io-ts';
import type { Command } from '../decider.js';
import { type CampaignQuotas, campaignStreamId } from './events.js';

/** A calendar date, YYYY-MM-DD, that exists (no 2026-02-30). */
export const isCampaignDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
};

export const CampaignDate = new t.Type<string, string, unknown>(
  'CampaignDate (YYYY-MM-DD)',
  (u): u is string => typeof u === 'string' && isCampaignDate(u),
  (u, c) => (typeof u === 'string' && isCampaignDate(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

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
    period: t.type({ from: CampaignDate, to: CampaignDate }),
    targets: t.type(targetFields),
  }),
  t.partial({ quotas: t.partial(quotaFields) }),
]);
export const AdjustCampaignTargetsData = t.intersection([
  t.type({ campaignId: t.string, reason: t.string }),
  t.partial({ targets: t.partial(targetFields), quotas: t.partial(quotaFields) }),
]);
export const CloseCampaignData = t.intersection([t.type({ campaignId: t.string }), t.partial({ reason: t.string })]);

export type LaunchCampaign = Command<'launchCampaign', t.TypeOf<typeof LaunchCampaignData>>;
export type AdjustCampaignTargets = Command<'adjustCampaignTargets', t.TypeOf<typeof AdjustCampaignTargetsData>>;
export type CloseCampaign = Command<'closeCampaign', t.TypeOf<typeof CloseCampaignData>>;
export type CampaignCommand = LaunchCampaign | AdjustCampaignTargets | CloseCampaign;

export const campaignCommandData = {
  launchCampaign: LaunchCampaignData,
  adjustCampaignTargets: AdjustCampaignTargetsData,
  closeCampaign: CloseCampaignData,
} as const;

export const campaignStreamIdOf = (command: CampaignCommand): string => campaignStreamId(command.data.campaignId);
