// The whitelist of event fields that may reach a public table. Projections copy payload fields only
// through `publicPart`, so a field added to an event later stays private until someone lists it here;
// the 'public fields' spec in projections.unit.spec.ts checks every listed path against the personal marks
// in core's codecs.
import type { PersonKind } from '@banshishi/core';

/** Dotted paths into each event's payload that are public. Everything else is dropped. */
export const publicFields = {
  UnitRegistered: ['unitId', 'name', 'kind', 'parentId'],
  UnitRenamed: ['unitId', 'name'],
  UnitRetired: ['unitId', 'reason'],
  RoleGranted: ['personId', 'role', 'unitId', 'since'],
  RoleRevoked: ['personId', 'role', 'unitId', 'until'],
  PersonDeactivated: ['personId'],
  ProblemSolicited: [
    'problemId',
    'unitId',
    'source',
    'grade',
    'title',
    'solicitedAt',
    'category',
    'raiser.kind',
    'raiser.enterpriseName',
  ],
  ProblemAssigned: ['problemId', 'fromUnitId', 'toUnitId', 'note'],
  ProblemClaimed: ['problemId', 'claimantId', 'claimantRole', 'claimantUnitId', 'plan', 'promisedBy'],
  ProblemEscalated: ['problemId', 'fromUnitId', 'toUnitId', 'reason', 'releasedClaimantId'],
  ProblemSupervised: ['problemId', 'ground', 'note'],
  ProblemRejected: ['problemId', 'ground', 'reason', 'duplicateOf'],
  ProblemProgressNoted: ['problemId', 'note'],
  ProblemSolved: ['problemId', 'summary', 'evidence'],
  ProblemEvaluated: ['problemId', 'kind', 'verdict', 'raiserUnreachable', 'onBehalfOfRaiser'],
  ProblemClosed: ['problemId', 'basis', 'verdict'],
  ProblemReopened: ['problemId', 'claimantId', 'reworkCount'],
  WishCollected: ['wishId', 'unitId', 'category', 'description', 'consent', 'collector'],
  WishClaimed: ['wishId', 'memberId', 'homeDistrictId'],
  WishReleased: ['wishId', 'memberId', 'reason'],
  WishFulfilled: ['wishId', 'memberId', 'summary', 'evidence'],
  WishConfirmed: ['wishId', 'memberId', 'onBehalfOfWisher'],
  WishReopened: ['wishId', 'memberId', 'onBehalfOfWisher'],
  WishShowcased: ['wishId', 'story', 'display'],
  WishCancelled: ['wishId', 'grounds', 'reason', 'onBehalfOfWisher', 'releasedClaimantId'],
  CampaignLaunched: ['campaignId', 'name', 'districtId', 'period', 'targets', 'quotas'],
  CampaignTargetsAdjusted: ['campaignId', 'targets', 'quotas', 'reason'],
  CampaignClosed: ['campaignId', 'reason'],
  // What the pairing projection copies (pairing.ts); the excerpt is shown only while consent holds.
  HouseholdPaired: ['pairingId', 'unitId', 'category', 'pairedAt'],
  PairingEnded: ['pairingId'],
  HouseholdConsentRecorded: ['pairingId', 'consent'],
  PairingVisitRecorded: ['pairingId', 'visitId', 'unitId', 'visitedAt', 'checkIn.result', 'excerpt'],
  ServiceAssigned: ['enterpriseId', 'enterpriseName', 'unitId', 'officer', 'since'],
  ServiceOfficerReplaced: ['enterpriseId', 'previousOfficerId', 'officer', 'since'],
  ServiceEnded: ['enterpriseId', 'officerId', 'until'],
  ServiceContactRecorded: ['enterpriseId', 'contactId', 'officerId', 'date', 'kind', 'work'],
  ServiceNeedRaisedAsProblem: ['enterpriseId', 'contactId', 'needId', 'problemId', 'officerId'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type PublicEventType = keyof typeof publicFields;

/** The whitelisted part of a payload: only listed paths, copied as they are. */
export const publicPart = (type: PublicEventType, data: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const path of publicFields[type]) {
    const segments = path.split('.');
    let value: unknown = data;
    for (const s of segments)
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[s] : undefined;
    if (value === undefined) continue;
    let target = out;
    for (const s of segments.slice(0, -1)) {
      if (typeof target[s] !== 'object' || target[s] === null) target[s] = {};
      target = target[s] as Record<string, unknown>;
    }
    target[segments[segments.length - 1]!] = value;
  }
  return out;
};

/**
 * A person's name is public only when they are registered as an official or an enterprise (a 公示
 * notice names the secretary who claimed); a resident's name never is, even when they are a member.
 * `PersonRegistered` is the one event whose personal fields depend on the value (its codec is a union
 * by `kind`), so it is handled here rather than in the list above.
 */
export const publicNameOf = (registered: { readonly kind: PersonKind; readonly name: string }): string | null =>
  registered.kind === 'resident' ? null : registered.name;

/** 亮梦 may show a masked name only in the decider's shape, one character and two stars (张**). */
export const isMaskedName = (value: string): boolean => /^[^*\s]\*\*$/u.test(value);
