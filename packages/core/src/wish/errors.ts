// The stable names of every rule the wish decider enforces. Clients, dashboards and auditors key on
// these strings (never on messages), so a name, once shipped, keeps its meaning.

export const wishRules = {
  /** Any command but collection, on a wish that was never collected. */
  notFound: 'wish.not_found',
  /** Any command but collection, on a cancelled wish: cancellation is final. */
  cancelled: 'wish.cancelled',
  office: {
    /** The office (领导小组办公室) acts only on wishes inside its own district. */
    outsideDistrict: 'wish.office.outside_district',
  },
  collect: {
    alreadyCollected: 'wish.collect.already_collected',
    unknownUnit: 'wish.collect.unknown_unit',
    /** A retired unit keeps its old wishes but takes no new ones. */
    retiredUnit: 'wish.collect.retired_unit',
    /** Only the resident themself, a grid worker, a member or a secretary records a wish. */
    notACollector: 'wish.collect.not_a_collector',
    /** A resident records only their own wish. */
    residentForAnother: 'wish.collect.resident_for_another',
    /** The collector does not hold the role they act in. */
    roleNotHeld: 'wish.collect.role_not_held',
    /** A collector records wishes only inside the unit where they hold their role. */
    outsideCollectorUnit: 'wish.collect.outside_collector_unit',
  },
  claim: {
    alreadyClaimed: 'wish.claim.already_claimed',
    notAMember: 'wish.claim.not_a_member',
    /** A member who is also the wisher cannot take their own wish towards their quota. */
    ownWish: 'wish.claim.own_wish',
    /** 分区认领: a member claims only inside their home district. */
    outsideHomeDistrict: 'wish.claim.outside_home_district',
    quotaReached: 'wish.claim.quota_reached',
  },
  release: {
    notClaimed: 'wish.release.not_claimed',
    notClaimant: 'wish.release.not_claimant',
  },
  fulfil: {
    notClaimed: 'wish.fulfil.not_claimed',
    notClaimant: 'wish.fulfil.not_claimant',
  },
  confirm: {
    notFulfilled: 'wish.confirm.not_fulfilled',
    /** Only the wisher, or the collector on their behalf, confirms. */
    notWisher: 'wish.confirm.not_wisher',
    /** A collector who also claimed the wish cannot confirm their own fulfilment on the wisher's behalf. */
    byClaimant: 'wish.confirm.by_claimant',
  },
  showcase: {
    alreadyShowcased: 'wish.showcase.already_showcased',
    notConfirmed: 'wish.showcase.not_confirmed',
    notOfficeOrClaimant: 'wish.showcase.not_office_or_claimant',
    /** Consent `none` at collection: the wish is never shown. */
    noConsent: 'wish.showcase.no_consent',
    /** The public story names the wisher, or gives their phone or address. */
    storyRevealsWisher: 'wish.showcase.story_reveals_wisher',
  },
  cancel: {
    afterFulfilment: 'wish.cancel.after_fulfilment',
    /** A withdrawal comes from the wisher, or the collector on their behalf. */
    withdrawNotWisher: 'wish.cancel.withdraw_not_wisher',
    /** Only the office, or a secretary over the collector's unit, declares a wish invalid. */
    invalidNotOfficeOrSecretary: 'wish.cancel.invalid_not_office_or_secretary',
    reasonRequired: 'wish.cancel.reason_required',
  },
} as const;

type Leaves<T> = T extends string ? T : { [K in keyof T]: Leaves<T[K]> }[keyof T];

export type WishRule = Leaves<typeof wishRules>;
