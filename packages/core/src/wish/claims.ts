// Open claims per member, for the quota on 领梦. Command handling keeps a count per member from wish
// events and hands it to the decider as `context.wishClaims.openClaimsOf`; these helpers are the one
// definition of "open" that both sides share: claimed and not yet fulfilled (nor released or cancelled).
import type { WishState } from './decider.js';
import type { WishEvent } from './events.js';

/** The member holding an open claim on this wish, or null. */
export const openClaimOf = (state: WishState): string | null => (state.status === 'claimed' ? state.claimantId : null);

export interface OpenClaimDelta {
  readonly memberId: string;
  readonly delta: 1 | -1;
}

/** How one wish event changes the open-claim counts; depends on the event alone, so it can run on any feed. */
export const openClaimDelta = (event: WishEvent): readonly OpenClaimDelta[] => {
  switch (event.type) {
    case 'WishClaimed':
    case 'WishReopened':
      return [{ memberId: event.data.memberId, delta: 1 }];
    case 'WishReleased':
    case 'WishFulfilled':
      return [{ memberId: event.data.memberId, delta: -1 }];
    case 'WishCancelled':
      return event.data.releasedClaimantId === null ? [] : [{ memberId: event.data.releasedClaimantId, delta: -1 }];
    default:
      return [];
  }
};

/** Open claims per member after these wish events (of any number of wishes, in stream order per wish). */
export const countOpenClaims = (events: Iterable<WishEvent>): ReadonlyMap<string, number> => {
  const counts = new Map<string, number>();
  for (const event of events)
    for (const { memberId, delta } of openClaimDelta(event)) {
      const next = (counts.get(memberId) ?? 0) + delta;
      if (next === 0) counts.delete(memberId);
      else counts.set(memberId, next);
    }
  return counts;
};
