// A campaign's events, in the stream `campaign-<campaignId>`: launched with a period, targets and
// per-person quotas (seed 002: 千名书记解千题、万名党员圆万梦), adjusted, closed. Payloads are lenient
// (plain strings and numbers) so a stored event stays readable if the command rules are tightened.
import * as t from 'io-ts';
import { createEventRegistry, defineEvent, type EventOf } from '../codec/registry.js';

export const campaignStreamId = (campaignId: string): string => `campaign-${campaignId}`;

export const CampaignPeriod = t.type({ from: t.string, to: t.string }, 'CampaignPeriod');
export type CampaignPeriod = t.TypeOf<typeof CampaignPeriod>;

/** City-wide results the campaign aims at (≥ 1,000 problems solved, ≥ 10,000 wishes fulfilled in the seed). */
export const CampaignTargets = t.type({ problemsSolved: t.number, wishesFulfilled: t.number }, 'CampaignTargets');
export type CampaignTargets = t.TypeOf<typeof CampaignTargets>;

/** What each person is asked to do, and the cap on open wish claims per member (default 3). */
export const CampaignQuotas = t.type(
  { perSecretaryProblems: t.number, perMemberWishes: t.number, maxOpenWishClaimsPerMember: t.number },
  'CampaignQuotas',
);
export type CampaignQuotas = t.TypeOf<typeof CampaignQuotas>;

export const CampaignLaunched = defineEvent(
  'CampaignLaunched',
  t.type({
    campaignId: t.string,
    name: t.string,
    /** The district the campaign runs in; its members' claim cap comes from here. */
    districtId: t.string,
    period: CampaignPeriod,
    targets: CampaignTargets,
    quotas: CampaignQuotas,
  }),
);
/** Carries the full targets and quotas in force from now on, so no reader has to merge partial changes. */
export const CampaignTargetsAdjusted = defineEvent(
  'CampaignTargetsAdjusted',
  t.type({ campaignId: t.string, targets: CampaignTargets, quotas: CampaignQuotas, reason: t.string }),
);
export const CampaignClosed = defineEvent(
  'CampaignClosed',
  t.intersection([t.type({ campaignId: t.string }), t.partial({ reason: t.string })]),
);

export const campaignEvents = [CampaignLaunched, CampaignTargetsAdjusted, CampaignClosed] as const;
export type CampaignEvent = EventOf<(typeof campaignEvents)[number]>;
export const campaignEventRegistry = createEventRegistry(campaignEvents);
