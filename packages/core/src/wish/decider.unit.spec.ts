// Every rule of the wish lifecycle, once allowed and once refused, as given / when / then.
import { deciderSpecification } from '@banshishi/testkit';
import { describe, expect, it } from 'vitest';
import { directoryViewOf } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type { CollectWishData, WishCommand } from './commands.js';
import { wishDecider } from './decider.js';
import { wishRules } from './errors.js';
import type { WishCollected, WishEvent } from './events.js';

// 胶州 (u-jz) with a street, a community and a grid below it; 黄岛 (u-hd) as the neighbouring district.
const directory = directoryViewOf({
  units: [
    { unitId: 'u-jz', name: '胶州市', kind: 'district', parentId: null },
    { unitId: 'u-jz-st', name: '三里河街道', kind: 'street', parentId: 'u-jz' },
    { unitId: 'u-jz-cm', name: '云溪社区', kind: 'community', parentId: 'u-jz-st' },
    { unitId: 'u-jz-g1', name: '云溪一网格', kind: 'grid', parentId: 'u-jz-cm' },
    { unitId: 'u-jz-cm2', name: '北关社区', kind: 'community', parentId: 'u-jz-st' },
    { unitId: 'u-jz-old', name: '已撤并社区', kind: 'community', parentId: 'u-jz-st', retired: true },
    { unitId: 'u-hd', name: '黄岛区', kind: 'district', parentId: null },
    { unitId: 'u-hd-g1', name: '黄岛一网格', kind: 'grid', parentId: 'u-hd' },
  ],
  holdings: [
    { personId: 'p-gw', role: 'grid_worker', unitId: 'u-jz-g1', since: '2026-01-01' },
    { personId: 'p-mem', role: 'member', unitId: 'u-jz-cm', since: '2026-01-01' },
    { personId: 'p-mem2', role: 'member', unitId: 'u-jz-st', since: '2026-01-01' },
    { personId: 'p-mem-hd', role: 'member', unitId: 'u-hd', since: '2026-01-01' },
    { personId: 'p-sec', role: 'secretary', unitId: 'u-jz-st', since: '2026-01-01' },
    { personId: 'p-sec-cm2', role: 'secretary', unitId: 'u-jz-cm2', since: '2026-01-01' },
    { personId: 'p-sec-hd', role: 'secretary', unitId: 'u-hd', since: '2026-01-01' },
    { personId: 'p-office', role: 'office', unitId: 'u-jz', since: '2026-01-01' },
    { personId: 'p-office-hd', role: 'office', unitId: 'u-hd', since: '2026-01-01' },
    { personId: 'p-aud', role: 'auditor', unitId: 'u-jz', since: '2026-01-01' },
  ],
});

const contextWith = (openClaims: Record<string, number> = {}, limit = 3): DecisionContext => ({
  directory,
  wishClaims: { openClaimsOf: (memberId) => openClaims[memberId] ?? 0, limit },
});

const spec = deciderSpecification(wishDecider, contextWith());

const now = '2026-11-22T09:00:00.000Z';
const as = (personId: string, role: Actor['role']) => ({ actor: { personId, role }, now });
const resident = as('p-res', 'resident');
const gridWorker = as('p-gw', 'grid_worker');
const member = as('p-mem', 'member');
const office = as('p-office', 'office');

const wishId = 'w-1';

const collectData = (overrides: Partial<CollectWishData> = {}): CollectWishData => ({
  wishId,
  unitId: 'u-jz-g1',
  category: 'study',
  description: '孙子想找一位数学辅导老师',
  consent: 'named',
  wisher: { name: '张三丰', phone: '138-0000-1111', address: '云溪小区3号楼' },
  ...overrides,
});

// Collected by the grid worker for a resident known to the system as p-res.
const collected: WishCollected = {
  type: 'WishCollected',
  data: {
    wishId,
    unitId: 'u-jz-g1',
    category: 'study',
    description: '孙子想找一位数学辅导老师',
    consent: 'named',
    wisher: { personId: 'p-res', name: '张三丰', phone: '138-0000-1111', address: '云溪小区3号楼' },
    collector: { personId: 'p-gw', role: 'grid_worker', unitId: 'u-jz-g1' },
  },
};
const withConsent = (consent: 'none' | 'anonymous' | 'named'): WishCollected => ({
  ...collected,
  data: { ...collected.data, consent },
});
const claimedBy = (memberId: string, homeDistrictId = 'u-jz-cm'): WishEvent => ({
  type: 'WishClaimed',
  data: { wishId, memberId, homeDistrictId },
});
const fulfilledBy = (memberId: string): WishEvent => ({
  type: 'WishFulfilled',
  data: { wishId, memberId, summary: '联系了退休教师每周辅导两次', evidence: ['photo-1.jpg'] },
});
const confirmed: WishEvent = {
  type: 'WishConfirmed',
  data: { wishId, memberId: 'p-mem', onBehalfOfWisher: false, comment: null },
};
const claimed = [collected, claimedBy('p-mem')];
const fulfilled = [...claimed, fulfilledBy('p-mem')];
const confirmedWish = [...fulfilled, confirmed];

const collect = (metadata: WishCommand['metadata'], overrides: Partial<CollectWishData> = {}): WishCommand => ({
  type: 'collectWish',
  data: collectData(overrides),
  metadata,
});
const claim = (metadata: WishCommand['metadata']): WishCommand => ({ type: 'claimWish', data: { wishId }, metadata });
const release = (metadata: WishCommand['metadata']): WishCommand => ({
  type: 'releaseWish',
  data: { wishId, reason: '工作调动' },
  metadata,
});
const fulfil = (metadata: WishCommand['metadata']): WishCommand => ({
  type: 'fulfilWish',
  data: { wishId, summary: '联系了退休教师每周辅导两次', evidence: ['photo-1.jpg'] },
  metadata,
});
const confirm = (
  metadata: WishCommand['metadata'],
  verdict: 'satisfied' | 'unsatisfied' = 'satisfied',
): WishCommand => ({
  type: 'confirmWish',
  data: { wishId, verdict },
  metadata,
});
const showcase = (metadata: WishCommand['metadata'], story = '一位老人的孙子有了数学辅导老师'): WishCommand => ({
  type: 'showcaseWish',
  data: { wishId, story },
  metadata,
});
const cancel = (metadata: WishCommand['metadata'], grounds: 'withdrawn' | 'invalid', reason?: string): WishCommand => ({
  type: 'cancelWish',
  data: reason === undefined ? { wishId, grounds } : { wishId, grounds, reason },
  metadata,
});

describe('寻梦 collecting a wish', () => {
  it('a resident may record their own wish, with no collector', () => {
    spec
      .given([])
      .when(collect(resident))
      .thenEvents([
        {
          type: 'WishCollected',
          data: {
            ...collected.data,
            wisher: { ...collected.data.wisher, personId: 'p-res' },
            collector: null,
          },
        },
      ]);
  });

  it('a resident cannot record a wish for someone else', () => {
    spec
      .given([])
      .when(collect(resident, { wisher: { name: '李四', personId: 'p-other' } }))
      .thenError({ code: 'forbidden', rule: wishRules.collectResidentForAnother });
  });

  it('a grid worker may collect a wish inside their grid on a resident’s behalf, recorded as the collector', () => {
    spec
      .given([])
      .when(collect(gridWorker, { wisher: { ...collectData().wisher, personId: 'p-res' } }))
      .thenEvents([collected]);
  });

  it('a grid worker cannot collect a wish outside their grid', () => {
    spec
      .given([])
      .when(collect(gridWorker, { unitId: 'u-jz-cm2' }))
      .thenError({ code: 'forbidden', rule: wishRules.collectOutsideCollectorUnit });
  });

  it('a secretary may collect a wish anywhere below their unit, recorded in the unit of their role', () => {
    const { decision } = spec.given([]).when(collect(as('p-sec', 'secretary'), { unitId: 'u-jz-cm2' }));
    expect(decision).toMatchObject({
      right: [{ data: { collector: { personId: 'p-sec', role: 'secretary', unitId: 'u-jz-st' } } }],
    });
  });

  it('a collector must hold the role they act in', () => {
    spec
      .given([])
      .when(collect(as('p-mem', 'secretary')))
      .thenError({ code: 'forbidden', rule: wishRules.collectRoleNotHeld });
  });

  it('a member may collect a wish in their home district without a known wisher id', () => {
    const { decision } = spec.given([]).when(collect(member));
    expect(decision).toMatchObject({
      right: [{ data: { wisher: { personId: null }, collector: { role: 'member' } } }],
    });
  });

  it('an auditor cannot record a wish', () => {
    spec
      .given([])
      .when(collect(as('p-aud', 'auditor')))
      .thenError({ code: 'forbidden', rule: wishRules.collectNotACollector });
  });

  it('a wish must be located in a unit the directory knows', () => {
    spec
      .given([])
      .when(collect(resident, { unitId: 'u-nowhere' }))
      .thenError({ code: 'validation', rule: wishRules.collectUnknownUnit });
  });

  it('a retired unit takes no new wishes', () => {
    spec
      .given([])
      .when(collect(resident, { unitId: 'u-jz-old' }))
      .thenError({ code: 'invalid_state', rule: wishRules.collectRetiredUnit });
  });

  it('a wish is collected once', () => {
    spec
      .given([collected])
      .when(collect(resident))
      .thenError({ code: 'conflict', rule: wishRules.collectAlreadyCollected });
  });
});

describe('领梦 claiming a wish', () => {
  it('a member may claim a wish inside their home district', () => {
    spec
      .given([collected])
      .when(claim(member))
      .thenEvents([claimedBy('p-mem', 'u-jz-cm')]);
  });

  it('a member whose home district is a street may claim a wish in a grid below it', () => {
    spec
      .given([collected])
      .when(claim(as('p-mem2', 'member')))
      .thenEvents([claimedBy('p-mem2', 'u-jz-st')]);
  });

  it('a member cannot claim a wish outside their district', () => {
    spec
      .given([collected])
      .when(claim(as('p-mem-hd', 'member')))
      .thenError({ code: 'forbidden', rule: wishRules.claimOutsideHomeDistrict });
  });

  it('only a member claims a wish: a secretary acting as secretary is refused', () => {
    spec
      .given([collected])
      .when(claim(as('p-sec', 'secretary')))
      .thenError({ code: 'forbidden', rule: wishRules.claimNotAMember });
  });

  it('only a member claims a wish: acting as a member without holding the role is refused', () => {
    spec
      .given([collected])
      .when(claim(as('p-gw', 'member')))
      .thenError({ code: 'forbidden', rule: wishRules.claimNotAMember });
  });

  it('a member cannot claim their own wish', () => {
    const ownWish: WishCollected = {
      ...collected,
      data: { ...collected.data, wisher: { ...collected.data.wisher, personId: 'p-mem' } },
    };
    spec.given([ownWish]).when(claim(member)).thenError({ code: 'forbidden', rule: wishRules.claimOwnWish });
  });

  it('a third open claim is allowed when the limit is 3', () => {
    spec
      .given([collected])
      .when(claim(member), contextWith({ 'p-mem': 2 }, 3))
      .thenEvents([claimedBy('p-mem')]);
  });

  it('a fourth open claim is refused when the limit is 3', () => {
    const error = spec
      .given([collected])
      .when(claim(member), contextWith({ 'p-mem': 3 }, 3))
      .thenError({ code: 'forbidden', rule: wishRules.claimQuotaReached });
    expect(error.details).toEqual({ open: 3, limit: 3 });
  });

  it('a claimed wish cannot be claimed by a second member: never two claimants', () => {
    spec
      .given(claimed)
      .when(claim(as('p-mem2', 'member')))
      .thenError({ code: 'invalid_state', rule: wishRules.claimAlreadyClaimed });
  });

  it('a released wish may be claimed again, by another member', () => {
    spec
      .given([...claimed, { type: 'WishReleased', data: { wishId, memberId: 'p-mem', reason: null } }])
      .when(claim(as('p-mem2', 'member')))
      .thenEvents([claimedBy('p-mem2', 'u-jz-st')]);
  });

  it('a wish that was never collected is not found', () => {
    spec.given([]).when(claim(member)).thenError({ code: 'not_found', rule: wishRules.notFound });
  });

  it('a cancelled wish accepts no further commands', () => {
    spec
      .given([
        collected,
        {
          type: 'WishCancelled',
          data: { wishId, grounds: 'withdrawn', reason: null, onBehalfOfWisher: false, releasedClaimantId: null },
        },
      ])
      .when(claim(member))
      .thenError({ code: 'invalid_state', rule: wishRules.cancelled });
  });
});

describe('releasing a claim', () => {
  it('the claimant may release their claim, returning the wish to collected', () => {
    spec
      .given(claimed)
      .when(release(member))
      .thenEvents([{ type: 'WishReleased', data: { wishId, memberId: 'p-mem', reason: '工作调动' } }]);
  });

  it('only the claimant releases a claim', () => {
    spec
      .given(claimed)
      .when(release(as('p-mem2', 'member')))
      .thenError({ code: 'forbidden', rule: wishRules.releaseNotClaimant });
  });

  it('a wish nobody claimed cannot be released', () => {
    spec
      .given([collected])
      .when(release(member))
      .thenError({ code: 'invalid_state', rule: wishRules.releaseNotClaimed });
  });

  it('a fulfilled wish cannot be released', () => {
    spec.given(fulfilled).when(release(member)).thenError({ code: 'invalid_state', rule: wishRules.releaseNotClaimed });
  });
});

describe('圆梦 fulfilling a wish', () => {
  it('the claimant may fulfil the wish, with a summary and evidence', () => {
    spec
      .given(claimed)
      .when(fulfil(member))
      .thenEvents([fulfilledBy('p-mem')]);
  });

  it('only the claimant fulfils a wish', () => {
    spec
      .given(claimed)
      .when(fulfil(as('p-mem2', 'member')))
      .thenError({ code: 'forbidden', rule: wishRules.fulfilNotClaimant });
  });

  it('an unclaimed wish cannot be fulfilled', () => {
    spec.given([collected]).when(fulfil(member)).thenError({ code: 'invalid_state', rule: wishRules.fulfilNotClaimed });
  });
});

describe('确认 the wisher confirms', () => {
  it('the wisher may confirm a fulfilled wish in person', () => {
    spec
      .given(fulfilled)
      .when(confirm(resident))
      .thenEvents([
        { type: 'WishConfirmed', data: { wishId, memberId: 'p-mem', onBehalfOfWisher: false, comment: null } },
      ]);
  });

  it('the collector may confirm on the wisher’s behalf, recorded as such', () => {
    spec
      .given(fulfilled)
      .when(confirm(gridWorker))
      .thenEvents([
        { type: 'WishConfirmed', data: { wishId, memberId: 'p-mem', onBehalfOfWisher: true, comment: null } },
      ]);
  });

  it('only the wisher or the collector confirms: another resident is refused', () => {
    spec
      .given(fulfilled)
      .when(confirm(as('p-neighbour', 'resident')))
      .thenError({ code: 'forbidden', rule: wishRules.confirmNotWisher });
  });

  it('only the wisher or the collector confirms: the claimant is refused', () => {
    spec.given(fulfilled).when(confirm(member)).thenError({ code: 'forbidden', rule: wishRules.confirmNotWisher });
  });

  it('a collector who also claimed the wish cannot confirm their own fulfilment', () => {
    const collectedByMember: WishCollected = {
      ...collected,
      data: { ...collected.data, collector: { personId: 'p-mem', role: 'member', unitId: 'u-jz-cm' } },
    };
    spec
      .given([collectedByMember, claimedBy('p-mem'), fulfilledBy('p-mem')])
      .when(confirm(member))
      .thenError({ code: 'forbidden', rule: wishRules.confirmByClaimant });
  });

  it('a wisher’s dissatisfaction returns the wish to its claimant, who may fulfil it again', () => {
    spec
      .given(fulfilled)
      .when(confirm(resident, 'unsatisfied'))
      .thenEvents([
        { type: 'WishReopened', data: { wishId, memberId: 'p-mem', onBehalfOfWisher: false, comment: null } },
      ]);
    spec
      .given([
        ...fulfilled,
        { type: 'WishReopened', data: { wishId, memberId: 'p-mem', onBehalfOfWisher: false, comment: null } },
      ])
      .when(fulfil(member))
      .thenEvents([fulfilledBy('p-mem')]);
  });

  it('a wish not yet fulfilled cannot be confirmed', () => {
    spec
      .given(claimed)
      .when(confirm(resident))
      .thenError({ code: 'invalid_state', rule: wishRules.confirmNotFulfilled });
  });
});

describe('亮梦 showcasing a wish', () => {
  it('a wish collected with named consent is shown under a masked name only (张**)', () => {
    spec
      .given(confirmedWish)
      .when(showcase(office))
      .thenEvents([
        {
          type: 'WishShowcased',
          data: { wishId, story: '一位老人的孙子有了数学辅导老师', display: { shownAs: 'named', maskedName: '张**' } },
        },
      ]);
  });

  it('a wish collected with anonymous consent is shown without any name', () => {
    spec
      .given([withConsent('anonymous'), ...confirmedWish.slice(1)])
      .when(showcase(member))
      .thenEvents([
        {
          type: 'WishShowcased',
          data: { wishId, story: '一位老人的孙子有了数学辅导老师', display: { shownAs: 'anonymous' } },
        },
      ]);
  });

  it('a wish collected without consent is never showcased', () => {
    spec
      .given([withConsent('none'), ...confirmedWish.slice(1)])
      .when(showcase(office))
      .thenError({ code: 'forbidden', rule: wishRules.showcaseNoConsent });
  });

  it('only the office or the claimant showcases a wish', () => {
    spec
      .given(confirmedWish)
      .when(showcase(as('p-sec', 'secretary')))
      .thenError({ code: 'forbidden', rule: wishRules.showcaseNotOfficeOrClaimant });
  });

  it('acting as the office without holding the role is refused', () => {
    spec
      .given(confirmedWish)
      .when(showcase(as('p-mem2', 'office')))
      .thenError({ code: 'forbidden', rule: wishRules.showcaseNotOfficeOrClaimant });
  });

  it('a story that names the wisher is refused, even under named consent', () => {
    spec
      .given(confirmedWish)
      .when(showcase(office, '张三丰老人的孙子有了辅导老师'))
      .thenError({ code: 'validation', rule: wishRules.showcaseStoryRevealsWisher });
  });

  it('a story that gives the wisher’s phone number, however spaced, is refused', () => {
    spec
      .given([withConsent('anonymous'), ...confirmedWish.slice(1)])
      .when(showcase(office, '有需要请联系 13800001111'))
      .thenError({ code: 'validation', rule: wishRules.showcaseStoryRevealsWisher });
  });

  it('a wish the wisher has not confirmed cannot be showcased', () => {
    spec
      .given(fulfilled)
      .when(showcase(office))
      .thenError({ code: 'invalid_state', rule: wishRules.showcaseNotConfirmed });
  });

  it('a wish is showcased once', () => {
    spec
      .given([
        ...confirmedWish,
        { type: 'WishShowcased', data: { wishId, story: '圆梦', display: { shownAs: 'named', maskedName: '张**' } } },
      ])
      .when(showcase(office))
      .thenError({ code: 'invalid_state', rule: wishRules.showcaseAlreadyShowcased });
  });
});

describe('cancelling a wish', () => {
  const cancelled = (
    grounds: 'withdrawn' | 'invalid',
    reason: string | null,
    onBehalfOfWisher: boolean,
    releasedClaimantId: string | null,
  ): WishEvent => ({
    type: 'WishCancelled',
    data: { wishId, grounds, reason, onBehalfOfWisher, releasedClaimantId },
  });

  it('the wisher may withdraw their wish, with no reason needed', () => {
    spec
      .given([collected])
      .when(cancel(resident, 'withdrawn', undefined))
      .thenEvents([cancelled('withdrawn', null, false, null)]);
  });

  it('withdrawing a claimed wish ends the claim, naming the claimant for the quota count', () => {
    spec
      .given(claimed)
      .when(cancel(gridWorker, 'withdrawn', '已自行解决'))
      .thenEvents([cancelled('withdrawn', '已自行解决', true, 'p-mem')]);
  });

  it('only the wisher, or the collector for them, withdraws a wish', () => {
    spec
      .given(claimed)
      .when(cancel(member, 'withdrawn', '不想要了'))
      .thenError({ code: 'forbidden', rule: wishRules.cancelWithdrawNotWisher });
  });

  it('the office may declare a wish invalid, with a reason', () => {
    spec
      .given([collected])
      .when(cancel(office, 'invalid', '重复登记'))
      .thenEvents([cancelled('invalid', '重复登记', false, null)]);
  });

  it('a secretary over the collector’s unit may declare a wish invalid', () => {
    spec
      .given([collected])
      .when(cancel(as('p-sec', 'secretary'), 'invalid', '不属于微心愿范围'))
      .thenEvents([cancelled('invalid', '不属于微心愿范围', false, null)]);
  });

  it('a secretary of another unit cannot declare a wish invalid', () => {
    spec
      .given([collected])
      .when(cancel(as('p-sec-cm2', 'secretary'), 'invalid', '重复登记'))
      .thenError({ code: 'forbidden', rule: wishRules.cancelInvalidNotOfficeOrSecretary });
  });

  it('declaring a wish invalid needs a reason', () => {
    const error = spec
      .given([collected])
      .when(cancel(office, 'invalid', undefined))
      .thenError({ code: 'validation', rule: wishRules.cancelReasonRequired });
    expect(error.details).toMatchObject({ fields: [{ path: 'body.reason' }] });
  });

  it('a fulfilled wish can no longer be cancelled', () => {
    spec
      .given(fulfilled)
      .when(cancel(resident, 'withdrawn', '不想要了'))
      .thenError({ code: 'invalid_state', rule: wishRules.cancelAfterFulfilment });
  });
});

describe('folding', () => {
  it('the state after the whole lifecycle keeps the claimant who fulfilled it', () => {
    const state = [...confirmedWish].reduce(wishDecider.evolve, wishDecider.initialState);
    expect(state).toMatchObject({ status: 'confirmed', claimantId: 'p-mem', consent: 'named' });
  });
});

describe('the office acts on wishes only inside its own district', () => {
  const otherOffice = as('p-office-hd', 'office');
  const outside = { code: 'forbidden', rule: wishRules.officeOutsideDistrict } as const;

  it('another district’s office cannot cancel this district’s wish as invalid', () => {
    spec
      .given([collected])
      .when(cancel(otherOffice, 'invalid', '重复登记'))
      .thenError(outside);
  });

  it('another district’s office cannot showcase (亮梦) this district’s wish', () => {
    spec.given(confirmedWish).when(showcase(otherOffice)).thenError(outside);
  });
});
