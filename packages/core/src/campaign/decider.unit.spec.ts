// Every rule of the campaign decider — launching, adjusting targets and quotas, closing — as given / when / then.
import { deciderSpecification } from '@banshishi/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeWith } from '../codec/decode.js';
import type { CommandMetadata } from '../decider.js';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { type CampaignCommand, LaunchCampaignData } from './commands.js';
import { campaignDecider } from './decider.js';
import { campaignRules as rules } from './errors.js';
import type { CampaignEvent } from './events.js';

const context: DecisionContext = {
  directory: directoryViewOf({
    units: [
      { unitId: 'jiaozhou', name: '胶州市', kind: 'district', parentId: null },
      { unitId: 'jiulong', name: '九龙街道', kind: 'street', parentId: 'jiaozhou' },
      { unitId: 'huangdao', name: '黄岛区', kind: 'district', parentId: null },
      { unitId: 'merged', name: '已撤并区', kind: 'district', parentId: null, retired: true },
    ],
    holdings: [
      { personId: 'office-jz', role: 'office', unitId: 'jiaozhou', since: '2026-01-01T00:00:00+08:00' },
      { personId: 'office-hd', role: 'office', unitId: 'huangdao', since: '2026-01-01T00:00:00+08:00' },
      { personId: 'sec-1', role: 'secretary', unitId: 'jiulong', since: '2026-01-01T00:00:00+08:00' },
    ],
  }),
  wishClaims: { openClaimsOf: () => 0, limit: 3 },
};
const as = (actor: Actor): CommandMetadata => ({ actor, now: '2026-03-01T09:00:00+08:00' });
const office = as({ personId: 'office-jz', role: 'office' });
const otherOffice = as({ personId: 'office-hd', role: 'office' });
const secretary = as({ personId: 'sec-1', role: 'secretary' });

type Launch = Extract<CampaignCommand, { type: 'launchCampaign' }>['data'];
// 千名书记解千题、万名党员圆万梦 (seed 002).
const launchData: Launch = {
  campaignId: 'qianti-wanmeng',
  name: '千名书记解千题、万名党员圆万梦',
  districtId: 'jiaozhou',
  period: { from: '2026-03-01', to: '2026-12-31' },
  targets: { problemsSolved: 1000, wishesFulfilled: 10000 },
};
const launch = (change: Partial<Launch> = {}, metadata = office): CampaignCommand => ({
  type: 'launchCampaign',
  data: { ...launchData, ...change },
  metadata,
});
const launched: CampaignEvent = {
  type: 'CampaignLaunched',
  data: {
    campaignId: 'qianti-wanmeng',
    name: '千名书记解千题、万名党员圆万梦',
    districtId: 'jiaozhou',
    period: { from: '2026-03-01', to: '2026-12-31' },
    targets: { problemsSolved: 1000, wishesFulfilled: 10000 },
    quotas: { perSecretaryProblems: 1, perMemberWishes: 1, maxOpenWishClaimsPerMember: 3 },
  },
};
const adjust = (
  change: Omit<Extract<CampaignCommand, { type: 'adjustCampaignTargets' }>['data'], 'campaignId'>,
  metadata = office,
): CampaignCommand => ({ type: 'adjustCampaignTargets', data: { campaignId: 'qianti-wanmeng', ...change }, metadata });
const close = (metadata = office): CampaignCommand => ({
  type: 'closeCampaign',
  data: { campaignId: 'qianti-wanmeng', reason: '活动结束' },
  metadata,
});
const closed: CampaignEvent = { type: 'CampaignClosed', data: { campaignId: 'qianti-wanmeng', reason: '活动结束' } };

const spec = deciderSpecification(campaignDecider, context);

describe('launching a campaign', () => {
  it("the office launches a campaign in its district, with the seed's quotas by default", () => {
    spec.given([]).when(launch()).thenEvents([launched]);
  });
  it('quotas given at launch replace the defaults one by one', () => {
    spec
      .given([])
      .when(launch({ quotas: { maxOpenWishClaimsPerMember: 5 } }))
      .thenEvents([
        {
          type: 'CampaignLaunched',
          data: {
            ...launched.data,
            quotas: { perSecretaryProblems: 1, perMemberWishes: 1, maxOpenWishClaimsPerMember: 5 },
          },
        } as CampaignEvent,
      ]);
  });
  it('only the office launches campaigns: a secretary cannot', () => {
    spec.given([]).when(launch({}, secretary)).thenError({ code: 'forbidden', rule: rules.notOffice });
  });
  it('an office cannot launch a campaign in another district', () => {
    spec.given([]).when(launch({}, otherOffice)).thenError({ code: 'forbidden', rule: rules.outsideOfficeDistrict });
  });
  it('a campaign runs in a registered, active district', () => {
    spec
      .given([])
      .when(launch({ districtId: 'jiulong' }))
      .thenError({ code: 'not_found', rule: rules.districtNotFound });
    spec
      .given([])
      .when(launch({ districtId: 'nowhere' }))
      .thenError(rules.districtNotFound);
    spec
      .given([])
      .when(launch({ districtId: 'merged' }))
      .thenError(rules.districtNotFound);
  });
  it('a campaign is launched once', () => {
    spec.given([launched]).when(launch()).thenError({ code: 'conflict', rule: rules.alreadyLaunched });
  });
  it('a campaign needs a name', () => {
    spec
      .given([])
      .when(launch({ name: ' ' }))
      .thenError({ code: 'validation', rule: rules.nameRequired });
  });
  it('the period ends after it starts', () => {
    spec
      .given([])
      .when(launch({ period: { from: '2026-03-01', to: '2026-03-02' } }))
      .thenEvents([
        { type: 'CampaignLaunched', data: { ...launched.data, period: { from: '2026-03-01', to: '2026-03-02' } } },
      ]);
    spec
      .given([])
      .when(launch({ period: { from: '2026-12-31', to: '2026-03-01' } }))
      .thenError({ code: 'validation', rule: rules.periodEndNotAfterStart });
    spec
      .given([])
      .when(launch({ period: { from: '2026-03-01', to: '2026-03-01' } }))
      .thenError(rules.periodEndNotAfterStart);
  });
  it('the period is made of calendar dates', () => {
    spec
      .given([])
      .when(launch({ period: { from: '2026-02-30', to: '2026-12-31' } }))
      .thenError({
        code: 'validation',
        rule: rules.invalidDate,
      });
    const decoded = decodeWith(LaunchCampaignData)({ ...launchData, period: { from: '2026-3-1', to: '2026-12-31' } });
    expect(E.isLeft(decoded) && decoded.left.message).toContain('body.period.from');
  });
  it('targets are positive whole numbers', () => {
    spec
      .given([])
      .when(launch({ targets: { problemsSolved: 0, wishesFulfilled: 10000 } }))
      .thenError({
        code: 'validation',
        rule: rules.targetNotPositive,
      });
    spec
      .given([])
      .when(launch({ targets: { problemsSolved: 1000, wishesFulfilled: 2.5 } }))
      .thenError(rules.targetNotPositive);
  });
  it('quotas are positive whole numbers', () => {
    spec
      .given([])
      .when(launch({ quotas: { perMemberWishes: 0 } }))
      .thenError({ code: 'validation', rule: rules.quotaNotPositive });
    spec
      .given([])
      .when(launch({ quotas: { maxOpenWishClaimsPerMember: -1 } }))
      .thenError(rules.quotaNotPositive);
  });
});

describe('adjusting targets and quotas', () => {
  it('the office adjusts targets and quotas, recording the full figures in force and why', () => {
    spec
      .given([launched])
      .when(
        adjust({ reason: '中期调度', targets: { wishesFulfilled: 12000 }, quotas: { maxOpenWishClaimsPerMember: 2 } }),
      )
      .thenEvents([
        {
          type: 'CampaignTargetsAdjusted',
          data: {
            campaignId: 'qianti-wanmeng',
            targets: { problemsSolved: 1000, wishesFulfilled: 12000 },
            quotas: { perSecretaryProblems: 1, perMemberWishes: 1, maxOpenWishClaimsPerMember: 2 },
            reason: '中期调度',
          },
        },
      ]);
  });
  it('an adjustment needs a reason', () => {
    spec
      .given([launched])
      .when(adjust({ reason: '', targets: { wishesFulfilled: 12000 } }))
      .thenError({
        code: 'validation',
        rule: rules.reasonRequired,
      });
  });
  it('adjusted figures stay positive', () => {
    spec
      .given([launched])
      .when(adjust({ reason: '下调', targets: { problemsSolved: 0 } }))
      .thenError(rules.targetNotPositive);
  });
  it('an adjustment that changes nothing records nothing', () => {
    spec
      .given([launched])
      .when(adjust({ reason: '复核', targets: { problemsSolved: 1000 } }))
      .thenNothing();
  });
  it('only the office adjusts a campaign', () => {
    spec
      .given([launched])
      .when(adjust({ reason: '下调', targets: { problemsSolved: 500 } }, secretary))
      .thenError(rules.notOffice);
  });
  it("an office cannot adjust another district's campaign", () => {
    spec
      .given([launched])
      .when(adjust({ reason: '下调', targets: { problemsSolved: 500 } }, otherOffice))
      .thenError(rules.outsideOfficeDistrict);
  });
  it('a campaign never launched cannot be adjusted', () => {
    spec
      .given([])
      .when(adjust({ reason: '下调', targets: { problemsSolved: 500 } }))
      .thenError({
        code: 'not_found',
        rule: rules.notFound,
      });
  });
});

describe('closing', () => {
  it('the office closes a campaign', () => {
    spec.given([launched]).when(close()).thenEvents([closed]);
  });
  it('a closed campaign accepts no changes', () => {
    spec.given([launched, closed]).when(close()).thenError({ code: 'invalid_state', rule: rules.closed });
    spec
      .given([launched, closed])
      .when(adjust({ reason: '补录', targets: { problemsSolved: 500 } }))
      .thenError(rules.closed);
  });
  it('only the office closes a campaign', () => {
    spec.given([launched]).when(close(secretary)).thenError(rules.notOffice);
  });
  it('folding keeps the figures in force and the status', () => {
    const adjusted: CampaignEvent = {
      type: 'CampaignTargetsAdjusted',
      data: {
        campaignId: 'qianti-wanmeng',
        targets: { problemsSolved: 1200, wishesFulfilled: 10000 },
        quotas: { perSecretaryProblems: 1, perMemberWishes: 2, maxOpenWishClaimsPerMember: 3 },
        reason: '加码',
      },
    };
    const state = [launched, adjusted, closed].reduce(campaignDecider.evolve, campaignDecider.initialState);
    expect(state).toMatchObject({ status: 'closed', targets: adjusted.data.targets, quotas: adjusted.data.quotas });
  });
});
