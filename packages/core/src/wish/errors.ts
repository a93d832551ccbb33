// Every refusal of the wish lifecycle: the stable rule names, and one error factory per rule with its code
// and message. Clients, dashboards and auditors key on the names (never on messages), so a name, once
// shipped, keeps its meaning; docs/domain.md lists them.
import {
  conflict,
  type DomainError,
  forbidden,
  integrityError,
  invalidState,
  notFound,
  validationError,
} from '../errors.js';

export const wishRules = {
  /** Any command but collection, on a wish that was never collected. */
  notFound: 'wish.not_found',
  /** Any command but collection, on a cancelled wish: cancellation is final. */
  cancelled: 'wish.cancelled',
  /** The office (领导小组办公室) acts only on wishes inside its own district. */
  officeOutsideDistrict: 'wish.office.outside_district',

  collectAlreadyCollected: 'wish.collect.already_collected',
  collectUnknownUnit: 'wish.collect.unknown_unit',
  /** A retired unit keeps its old wishes but takes no new ones. */
  collectRetiredUnit: 'wish.collect.retired_unit',
  /** Only the resident themself, a grid worker, a member or a secretary records a wish. */
  collectNotACollector: 'wish.collect.not_a_collector',
  /** A resident records only their own wish. */
  collectResidentForAnother: 'wish.collect.resident_for_another',
  /** The collector does not hold the role they act in. */
  collectRoleNotHeld: 'wish.collect.role_not_held',
  /** A collector records wishes only inside the unit where they hold their role. */
  collectOutsideCollectorUnit: 'wish.collect.outside_collector_unit',

  claimAlreadyClaimed: 'wish.claim.already_claimed',
  claimNotAMember: 'wish.claim.not_a_member',
  /** A member who is also the wisher cannot take their own wish towards their quota. */
  claimOwnWish: 'wish.claim.own_wish',
  /** 分区认领: a member claims only inside their home district. */
  claimOutsideHomeDistrict: 'wish.claim.outside_home_district',
  claimQuotaReached: 'wish.claim.quota_reached',

  releaseNotClaimed: 'wish.release.not_claimed',
  releaseNotClaimant: 'wish.release.not_claimant',

  fulfilNotClaimed: 'wish.fulfil.not_claimed',
  fulfilNotClaimant: 'wish.fulfil.not_claimant',

  confirmNotFulfilled: 'wish.confirm.not_fulfilled',
  /** Only the wisher, or the collector on their behalf, confirms. */
  confirmNotWisher: 'wish.confirm.not_wisher',
  /** A collector who also claimed the wish cannot confirm their own fulfilment on the wisher's behalf. */
  confirmByClaimant: 'wish.confirm.by_claimant',

  showcaseAlreadyShowcased: 'wish.showcase.already_showcased',
  showcaseNotConfirmed: 'wish.showcase.not_confirmed',
  showcaseNotOfficeOrClaimant: 'wish.showcase.not_office_or_claimant',
  /** Consent `none` at collection: the wish is never shown. */
  showcaseNoConsent: 'wish.showcase.no_consent',
  /** The public story names the wisher, or gives their phone or address. */
  showcaseStoryRevealsWisher: 'wish.showcase.story_reveals_wisher',
  showcaseWisherSealed: 'wish.showcase.wisher_sealed',

  cancelAfterFulfilment: 'wish.cancel.after_fulfilment',
  /** A withdrawal comes from the wisher, or the collector on their behalf. */
  cancelWithdrawNotWisher: 'wish.cancel.withdraw_not_wisher',
  /** Only the office, or a secretary over the collector's unit, declares a wish invalid. */
  cancelInvalidNotOfficeOrSecretary: 'wish.cancel.invalid_not_office_or_secretary',
  cancelReasonRequired: 'wish.cancel.reason_required',
} as const;

export type WishRule = (typeof wishRules)[keyof typeof wishRules];

const r = wishRules;

export const wishErrors = {
  notFound: (wishId: string): DomainError => notFound(r.notFound, `wish ${wishId} was never collected`, { wishId }),
  cancelled: (wishId: string): DomainError => invalidState(r.cancelled, `wish ${wishId} was cancelled`),
  officeOutsideDistrict: (personId: string, wishId: string, unitId: string): DomainError =>
    forbidden(r.officeOutsideDistrict, `${personId} is not the office of the district wish ${wishId} lies in`, {
      unitId,
    }),

  // "Already exists" is a conflict everywhere (docs/domain.md, "Rules and the errors they raise").
  collectAlreadyCollected: (wishId: string): DomainError =>
    conflict(r.collectAlreadyCollected, `wish ${wishId} is already collected`),
  collectUnknownUnit: (unitId: string): DomainError =>
    validationError(r.collectUnknownUnit, `unit ${unitId} is not in the directory`, { unitId }),
  collectRetiredUnit: (unitId: string): DomainError =>
    invalidState(r.collectRetiredUnit, `unit ${unitId} is retired and takes no new wishes`, { unitId }),
  collectNotACollector: (): DomainError =>
    forbidden(
      r.collectNotACollector,
      'a wish is recorded by the resident themself, or by a grid worker, member or secretary',
    ),
  collectResidentForAnother: (): DomainError =>
    forbidden(r.collectResidentForAnother, 'a resident records only their own wish; a collector records it for others'),
  collectRoleNotHeld: (personId: string, role: string): DomainError =>
    forbidden(r.collectRoleNotHeld, `${personId} does not hold the role ${role}`),
  collectOutsideCollectorUnit: (personId: string, role: string, unitId: string): DomainError =>
    forbidden(
      r.collectOutsideCollectorUnit,
      `${personId} collects as ${role} only inside their own unit, not in ${unitId}`,
    ),

  claimAlreadyClaimed: (wishId: string, status: string): DomainError =>
    invalidState(r.claimAlreadyClaimed, `wish ${wishId} is ${status}, not open to claim`),
  claimNotAMember: (): DomainError => forbidden(r.claimNotAMember, 'only a party member claims a wish (领梦)'),
  claimOwnWish: (): DomainError => forbidden(r.claimOwnWish, 'a member cannot claim their own wish'),
  claimOutsideHomeDistrict: (personId: string, wishId: string, unitId: string): DomainError =>
    forbidden(
      r.claimOutsideHomeDistrict,
      `wish ${wishId} lies in ${unitId}, outside ${personId}'s home district (分区认领)`,
      { unitId },
    ),
  claimQuotaReached: (personId: string, open: number, limit: number): DomainError =>
    forbidden(r.claimQuotaReached, `${personId} already holds ${open} open claims (limit ${limit})`, { open, limit }),

  releaseNotClaimed: (wishId: string, status: string): DomainError =>
    invalidState(r.releaseNotClaimed, `wish ${wishId} is ${status}, not claimed`),
  releaseNotClaimant: (): DomainError => forbidden(r.releaseNotClaimant, 'only the claimant releases a claim'),

  fulfilNotClaimed: (wishId: string, status: string): DomainError =>
    invalidState(r.fulfilNotClaimed, `wish ${wishId} is ${status}, not claimed`),
  fulfilNotClaimant: (): DomainError => forbidden(r.fulfilNotClaimant, 'only the claimant fulfils a wish (圆梦)'),

  confirmNotFulfilled: (wishId: string, status: string): DomainError =>
    invalidState(r.confirmNotFulfilled, `wish ${wishId} is ${status}, not fulfilled`),
  confirmNotWisher: (): DomainError =>
    forbidden(r.confirmNotWisher, 'only the wisher, or the collector on their behalf, confirms a wish'),
  confirmByClaimant: (): DomainError =>
    forbidden(r.confirmByClaimant, 'the claimant cannot confirm their own fulfilment'),

  showcaseAlreadyShowcased: (wishId: string): DomainError =>
    invalidState(r.showcaseAlreadyShowcased, `wish ${wishId} is already showcased`),
  showcaseNotConfirmed: (wishId: string, status: string): DomainError =>
    invalidState(r.showcaseNotConfirmed, `wish ${wishId} is ${status}, not confirmed by the wisher`),
  showcaseNotOfficeOrClaimant: (): DomainError =>
    forbidden(r.showcaseNotOfficeOrClaimant, 'only the office or the claimant showcases a wish'),
  showcaseNoConsent: (): DomainError =>
    forbidden(r.showcaseNoConsent, 'the wisher did not consent to being shown (亮梦)'),
  showcaseStoryRevealsWisher: (): DomainError =>
    validationError(r.showcaseStoryRevealsWisher, "the story must not give the wisher's name, phone or address", {
      fields: [{ path: 'body.story', message: "body.story: must not give the wisher's name, phone or address" }],
    }),

  showcaseWisherSealed: (wishId: string): DomainError =>
    integrityError(
      r.showcaseWisherSealed,
      `wish ${wishId}: the wisher's details were not revealed, so the story cannot be checked (use wishCommandHandler)`,
      { wishId },
    ),

  cancelAfterFulfilment: (wishId: string, status: string): DomainError =>
    invalidState(r.cancelAfterFulfilment, `wish ${wishId} is ${status}: too late to cancel`),
  cancelWithdrawNotWisher: (): DomainError =>
    forbidden(r.cancelWithdrawNotWisher, 'only the wisher, or the collector on their behalf, withdraws a wish'),
  cancelInvalidNotOfficeOrSecretary: (): DomainError =>
    forbidden(
      r.cancelInvalidNotOfficeOrSecretary,
      "only the office, or a secretary over the collector's unit, declares a wish invalid",
    ),
  cancelReasonRequired: (): DomainError =>
    validationError(r.cancelReasonRequired, 'declaring a wish invalid needs a reason', {
      fields: [{ path: 'body.reason', message: 'body.reason: required when the grounds are invalid' }],
    }),
};
