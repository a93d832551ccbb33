// Open claims for the 领梦 quota: claimed and not yet fulfilled, counted from events alone.
import { describe, expect, it } from 'vitest';
import { countOpenClaims, openClaimDelta, openClaimOf } from './claims.js';
import { wishDecider } from './decider.js';
import type { WishEvent } from './events.js';

const collected = (wishId: string): WishEvent => ({
  type: 'WishCollected',
  data: {
    wishId,
    unitId: 'u-1',
    category: 'life',
    description: '修好楼道灯',
    consent: 'none',
    wisher: { personId: 'p-res', name: '赵六', phone: null, address: null },
    collector: null,
  },
});
const claimed = (wishId: string, memberId: string): WishEvent => ({
  type: 'WishClaimed',
  data: { wishId, memberId, homeDistrictId: 'u-1' },
});

describe('open claims', () => {
  it('a claim opens, and fulfilment, release or cancellation closes it', () => {
    const events: WishEvent[] = [
      collected('a'),
      claimed('a', 'm1'),
      collected('b'),
      claimed('b', 'm1'),
      collected('c'),
      claimed('c', 'm1'),
      { type: 'WishFulfilled', data: { wishId: 'a', memberId: 'm1', summary: '已修好', evidence: ['x.jpg'] } },
      { type: 'WishReleased', data: { wishId: 'b', memberId: 'm1', reason: null } },
      claimed('b', 'm2'),
    ];
    expect(countOpenClaims(events)).toEqual(
      new Map([
        ['m1', 1],
        ['m2', 1],
      ]),
    );
    expect(
      countOpenClaims([
        ...events,
        {
          type: 'WishCancelled',
          data: { wishId: 'b', grounds: 'withdrawn', reason: null, onBehalfOfWisher: false, releasedClaimantId: 'm2' },
        },
      ]),
    ).toEqual(new Map([['m1', 1]]));
  });

  it('a wisher’s dissatisfaction reopens the claim, and it counts again', () => {
    expect(
      openClaimDelta({
        type: 'WishReopened',
        data: { wishId: 'a', memberId: 'm1', onBehalfOfWisher: false, comment: null },
      }),
    ).toEqual([{ memberId: 'm1', delta: 1 }]);
  });

  it('confirmation and showcase leave the counts alone', () => {
    expect(
      openClaimDelta({
        type: 'WishConfirmed',
        data: { wishId: 'a', memberId: 'm1', onBehalfOfWisher: false, comment: null },
      }),
    ).toEqual([]);
    expect(
      openClaimDelta({
        type: 'WishShowcased',
        data: { wishId: 'a', story: '圆梦', display: { shownAs: 'anonymous' } },
      }),
    ).toEqual([]);
  });

  it('the state tells who holds the open claim, until it is fulfilled', () => {
    const claimedState = [collected('a'), claimed('a', 'm1')].reduce(wishDecider.evolve, wishDecider.initialState);
    expect(openClaimOf(claimedState)).toBe('m1');
    const fulfilledState = wishDecider.evolve(claimedState, {
      type: 'WishFulfilled',
      data: { wishId: 'a', memberId: 'm1', summary: '已修好', evidence: ['x.jpg'] },
    });
    expect(openClaimOf(fulfilledState)).toBeNull();
  });
});
