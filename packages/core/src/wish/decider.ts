// The wish decider: 寻梦 (collect) → 领梦 (claim) → 圆梦 (fulfil) → 确认 (confirm) → 亮梦 (showcase),
// with release, reopening on dissatisfaction, and cancellation before fulfilment. Every refusal names
// its rule from `wishRules`, raised through the factories in errors.ts; who holds which role comes from
// the decision context's directory.
import * as E from 'fp-ts/lib/Either.js';
import type { Decider } from '../decider.js';
import { holdsRole } from '../directory/static-view.js';
import type { RoleHolding } from '../directory/view.js';
import type { Actor } from '../envelope.js';
import type { DomainError } from '../errors.js';
import type { DecisionContext } from '../handling/decision-context.js';
import { isForgottenValue, isSealedMarker } from '../privacy/sealed-value.js';
import type {
  CancelWish,
  ClaimWish,
  CollectWish,
  ConfirmWish,
  FulfilWish,
  ReleaseWish,
  ShowcaseWish,
  WishCommand,
} from './commands.js';
import { wishErrors as errors } from './errors.js';
import type { WishCollectorRecord, WishCollectorRole, WishConsent, WishEvent, WisherRecord } from './events.js';
import { maskWisherName, revealsWisher } from './showcase.js';

interface WishFacts {
  readonly wishId: string;
  readonly unitId: string;
  readonly consent: WishConsent;
  readonly wisher: WisherRecord;
  readonly collector: WishCollectorRecord | null;
}

/** A wish nobody holds a claim on. */
interface UnclaimedWish extends WishFacts {
  readonly status: 'collected' | 'cancelled';
  readonly claimantId: null;
}

/** A wish with a claimant: the member working on it, or the one who fulfilled it. */
interface ClaimedWish extends WishFacts {
  readonly status: 'claimed' | 'fulfilled' | 'confirmed' | 'showcased';
  readonly claimantId: string;
}

export type Wish = UnclaimedWish | ClaimedWish;
export type WishStatus = Wish['status'];
export type WishState = { readonly status: 'none' } | Wish;

export const initialWishState: WishState = { status: 'none' };

export const evolveWish = (state: WishState, event: WishEvent): WishState => {
  if (event.type === 'WishCollected') {
    if (state.status !== 'none') return state;
    const { wishId, unitId, consent, wisher, collector } = event.data;
    return { status: 'collected', claimantId: null, wishId, unitId, consent, wisher, collector };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'WishClaimed':
    case 'WishReopened':
      return { ...state, status: 'claimed', claimantId: event.data.memberId };
    case 'WishReleased':
      return { ...state, status: 'collected', claimantId: null };
    case 'WishCancelled':
      return { ...state, status: 'cancelled', claimantId: null };
    case 'WishFulfilled':
      return state.status === 'claimed' ? { ...state, status: 'fulfilled' } : state;
    case 'WishConfirmed':
      return state.status === 'fulfilled' ? { ...state, status: 'confirmed' } : state;
    case 'WishShowcased':
      return state.status === 'confirmed' ? { ...state, status: 'showcased' } : state;
  }
};

type Decision = E.Either<DomainError, readonly WishEvent[]>;

const refuse = (error: DomainError): Decision => E.left(error);
const emit = (...events: WishEvent[]): Decision => E.right(events);

const isCollectorRole = (role: Actor['role']): role is WishCollectorRole =>
  role === 'grid_worker' || role === 'member' || role === 'secretary';

/** The holding of `role` whose unit contains `unitId`, the most specific first. */
const holdingOver = (
  context: DecisionContext,
  personId: string,
  role: RoleHolding['role'],
  unitId: string,
): RoleHolding | undefined =>
  context.directory
    .rolesOf(personId)
    .filter((h) => h.role === role && context.directory.isWithin(unitId, h.unitId))
    .sort((a, b) => context.directory.ancestry(b.unitId).length - context.directory.ancestry(a.unitId).length)[0];

const isOffice = (actor: Actor, context: DecisionContext) =>
  actor.role === 'office' && holdsRole(context.directory, actor.personId, 'office');

/** An office holder acting on a wish outside their district: the directory confines an office to it. */
const officeOfAnotherDistrict = (actor: Actor, context: DecisionContext, wish: Wish): DomainError | null =>
  isOffice(actor, context) && !holdsRole(context.directory, actor.personId, 'office', wish.unitId, true)
    ? errors.officeOutsideDistrict(actor.personId, wish.wishId, wish.unitId)
    : null;

/** Whether the actor speaks as the wisher: in person, or as the collector who recorded the wish for them. */
const speaksForWisher = (actor: Actor, wish: Wish): { onBehalfOfWisher: boolean } | null => {
  if (wish.wisher.personId !== null && wish.wisher.personId === actor.personId) return { onBehalfOfWisher: false };
  if (wish.collector !== null && wish.collector.personId === actor.personId) return { onBehalfOfWisher: true };
  return null;
};

const collect = (command: CollectWish, state: WishState, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor } = command.metadata;
  if (state.status !== 'none') return refuse(errors.collectAlreadyCollected(data.wishId));
  const unit = context.directory.unit(data.unitId);
  if (unit === undefined) return refuse(errors.collectUnknownUnit(data.unitId));
  if (unit.retired === true) return refuse(errors.collectRetiredUnit(data.unitId));

  let collector: WishCollectorRecord | null = null;
  let wisherId = data.wisher.personId ?? null;
  if (actor.role === 'resident') {
    if (wisherId !== null && wisherId !== actor.personId) return refuse(errors.collectResidentForAnother());
    wisherId = actor.personId;
  } else if (isCollectorRole(actor.role)) {
    const role = actor.role;
    if (!holdsRole(context.directory, actor.personId, role))
      return refuse(errors.collectRoleNotHeld(actor.personId, role));
    const holding = holdingOver(context, actor.personId, role, data.unitId);
    if (holding === undefined) return refuse(errors.collectOutsideCollectorUnit(actor.personId, role, data.unitId));
    collector = { personId: actor.personId, role, unitId: holding.unitId };
  } else {
    return refuse(errors.collectNotACollector());
  }

  return emit({
    type: 'WishCollected',
    data: {
      wishId: data.wishId,
      unitId: data.unitId,
      category: data.category,
      description: data.description,
      consent: data.consent,
      wisher: {
        personId: wisherId,
        name: data.wisher.name,
        phone: data.wisher.phone ?? null,
        address: data.wisher.address ?? null,
      },
      collector,
      ...(data.origin === undefined ? {} : { origin: data.origin }),
    },
  });
};

const claim = (command: ClaimWish, wish: Wish, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  if (wish.status !== 'collected') return refuse(errors.claimAlreadyClaimed(wish.wishId, wish.status));
  if (actor.role !== 'member' || !holdsRole(context.directory, actor.personId, 'member'))
    return refuse(errors.claimNotAMember());
  if (wish.wisher.personId === actor.personId) return refuse(errors.claimOwnWish());
  const home = holdingOver(context, actor.personId, 'member', wish.unitId);
  if (home === undefined) return refuse(errors.claimOutsideHomeDistrict(actor.personId, wish.wishId, wish.unitId));
  const { limit, openClaimsOf } = context.wishClaims;
  const open = openClaimsOf(actor.personId);
  if (open >= limit) return refuse(errors.claimQuotaReached(actor.personId, open, limit));
  return emit({
    type: 'WishClaimed',
    data: { wishId: wish.wishId, memberId: actor.personId, homeDistrictId: home.unitId },
  });
};

const release = (command: ReleaseWish, wish: Wish): Decision => {
  if (wish.status !== 'claimed') return refuse(errors.releaseNotClaimed(wish.wishId, wish.status));
  if (command.metadata.actor.personId !== wish.claimantId) return refuse(errors.releaseNotClaimant());
  return emit({
    type: 'WishReleased',
    data: { wishId: wish.wishId, memberId: wish.claimantId, reason: command.data.reason ?? null },
  });
};

const fulfil = (command: FulfilWish, wish: Wish): Decision => {
  if (wish.status !== 'claimed') return refuse(errors.fulfilNotClaimed(wish.wishId, wish.status));
  if (command.metadata.actor.personId !== wish.claimantId) return refuse(errors.fulfilNotClaimant());
  return emit({
    type: 'WishFulfilled',
    data: {
      wishId: wish.wishId,
      memberId: wish.claimantId,
      summary: command.data.summary,
      evidence: [...command.data.evidence],
    },
  });
};

const confirm = (command: ConfirmWish, wish: Wish): Decision => {
  const { actor } = command.metadata;
  if (wish.status !== 'fulfilled') return refuse(errors.confirmNotFulfilled(wish.wishId, wish.status));
  const voice = speaksForWisher(actor, wish);
  if (voice === null) return refuse(errors.confirmNotWisher());
  // A member who collected, claimed and fulfilled a wish must not also vouch for it: the wisher's word
  // is the one check on a fulfilment that counts towards the campaign's targets.
  if (actor.personId === wish.claimantId) return refuse(errors.confirmByClaimant());
  const data = {
    wishId: wish.wishId,
    memberId: wish.claimantId,
    onBehalfOfWisher: voice.onBehalfOfWisher,
    comment: command.data.comment ?? null,
  };
  return command.data.verdict === 'satisfied'
    ? emit({ type: 'WishConfirmed', data })
    : emit({ type: 'WishReopened', data });
};

const showcase = (command: ShowcaseWish, wish: Wish, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  if (wish.status === 'showcased') return refuse(errors.showcaseAlreadyShowcased(wish.wishId));
  if (wish.status !== 'confirmed') return refuse(errors.showcaseNotConfirmed(wish.wishId, wish.status));
  const elsewhere = officeOfAnotherDistrict(actor, context, wish);
  if (elsewhere !== null) return refuse(elsewhere);
  if (!isOffice(actor, context) && actor.personId !== wish.claimantId)
    return refuse(errors.showcaseNotOfficeOrClaimant());
  if (wish.consent === 'none') return refuse(errors.showcaseNoConsent());
  // The check needs the wisher's details in the clear: command handling reveals them for this command
  // (wishCommandHandler). Folded sealed, they cannot be checked, and nothing is shown on trust.
  if (isSealedMarker(wish.wisher.name)) return refuse(errors.showcaseWisherSealed(wish.wishId));
  if (revealsWisher(command.data.story, wish.wisher)) return refuse(errors.showcaseStoryRevealsWisher());
  // A forgotten wisher's name is gone: the showcase can only be anonymous.
  const named = wish.consent === 'named' && !isForgottenValue(wish.wisher.name);
  return emit({
    type: 'WishShowcased',
    data: {
      wishId: wish.wishId,
      story: command.data.story,
      display: named ? { shownAs: 'named', maskedName: maskWisherName(wish.wisher.name) } : { shownAs: 'anonymous' },
    },
  });
};

const cancel = (command: CancelWish, wish: Wish, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  const { grounds } = command.data;
  const reason = command.data.reason?.trim() ? command.data.reason : null;
  if (wish.status !== 'collected' && wish.status !== 'claimed')
    return refuse(errors.cancelAfterFulfilment(wish.wishId, wish.status));
  let onBehalfOfWisher = false;
  if (grounds === 'withdrawn') {
    const voice = speaksForWisher(actor, wish);
    if (voice === null) return refuse(errors.cancelWithdrawNotWisher());
    onBehalfOfWisher = voice.onBehalfOfWisher;
  } else {
    // "The collector's unit": where the collector holds their role, or the wish's own unit when the
    // resident raised it themself. Its secretary, or one above it, answers for what was collected there.
    const answerableUnit = wish.collector?.unitId ?? wish.unitId;
    const secretary =
      actor.role === 'secretary' && holdsRole(context.directory, actor.personId, 'secretary', answerableUnit, true);
    const elsewhere = officeOfAnotherDistrict(actor, context, wish);
    if (elsewhere !== null) return refuse(elsewhere);
    if (!secretary && !isOffice(actor, context)) return refuse(errors.cancelInvalidNotOfficeOrSecretary());
    if (reason === null) return refuse(errors.cancelReasonRequired());
  }
  return emit({
    type: 'WishCancelled',
    data: {
      wishId: wish.wishId,
      grounds,
      reason,
      onBehalfOfWisher,
      releasedClaimantId: wish.claimantId,
    },
  });
};

export const decideWish = (command: WishCommand, state: WishState, context: DecisionContext): Decision => {
  if (command.type === 'collectWish') return collect(command, state, context);
  if (state.status === 'none') return refuse(errors.notFound(command.data.wishId));
  if (state.status === 'cancelled') return refuse(errors.cancelled(state.wishId));
  switch (command.type) {
    case 'claimWish':
      return claim(command, state, context);
    case 'releaseWish':
      return release(command, state);
    case 'fulfilWish':
      return fulfil(command, state);
    case 'confirmWish':
      return confirm(command, state);
    case 'showcaseWish':
      return showcase(command, state, context);
    case 'cancelWish':
      return cancel(command, state, context);
  }
};

export const wishDecider: Decider<WishCommand, WishEvent, WishState, DecisionContext> = {
  initialState: initialWishState,
  evolve: evolveWish,
  decide: decideWish,
};
