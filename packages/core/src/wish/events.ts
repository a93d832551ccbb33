// The facts of a wish's life (寻梦 → 领梦 → 圆梦 → 确认 → 亮梦), as stored in the stream `wish-<wishId>`.
// Payload codecs are deliberately lenient (plain strings): input is validated once, by the command
// codecs, and a stored event must stay readable even if the command rules are tightened later.
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';
import { ItemOrigin } from '../fieldwork/origin.js';

export const wishStreamId = (wishId: string): string => `wish-${wishId}`;

/** 学习 · 生活 · 工作: the three kinds of 梦 in the campaign. */
export const WishCategory = t.keyof({ study: null, life: null, work: null }, 'WishCategory');
export type WishCategory = t.TypeOf<typeof WishCategory>;

/** How far the wisher agreed, at collection, to be shown in 亮梦. */
export const WishConsent = t.keyof({ none: null, anonymous: null, named: null }, 'WishConsent');
export type WishConsent = t.TypeOf<typeof WishConsent>;

/** Roles that may record a wish on a resident's behalf. */
export const WishCollectorRole = t.keyof({ grid_worker: null, member: null, secretary: null }, 'WishCollectorRole');
export type WishCollectorRole = t.TypeOf<typeof WishCollectorRole>;

/** Why a wish ended before fulfilment. */
export const WishCancellationGrounds = t.keyof({ withdrawn: null, invalid: null }, 'WishCancellationGrounds');
export type WishCancellationGrounds = t.TypeOf<typeof WishCancellationGrounds>;

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** The resident whose wish it is. Everything but the id is their personal data. */
export const WisherRecord = t.exact(
  t.type({
    /** Set when the wisher is known to the system (they raised it themself, or were identified). */
    personId: nullable(t.string),
    name: personal(t.string, 'name'),
    phone: personal(nullable(t.string), 'phone'),
    address: personal(nullable(t.string), 'address'),
  }),
  'WisherRecord',
);
export type WisherRecord = t.TypeOf<typeof WisherRecord>;

/** The official or member who recorded the wish for the resident; public, as they act in role. */
export const WishCollectorRecord = t.exact(
  t.type({
    personId: t.string,
    role: WishCollectorRole,
    /** The unit where the collector holds the role they collected in. */
    unitId: t.string,
  }),
  'WishCollectorRecord',
);
export type WishCollectorRecord = t.TypeOf<typeof WishCollectorRecord>;

/** The free-text words of the wisher about their own life: kept off public tables. */
const wisherComment = personal(nullable(t.string), 'free_text_contact');

/** The wisher as a person of the directory when known, else the wisher of this one wish (docs/privacy.md). */
export const wishDataSubject = (data: unknown, streamId: string): string => {
  const personId = (data as { wisher?: { personId?: unknown } } | null)?.wisher?.personId;
  return typeof personId === 'string' ? `person:${personId}` : `${streamId}#wisher`;
};

/** Personal fields are sealed from v2 on (docs/privacy.md); v1 holds them in the clear. */
const sealedFromV2 = { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2 } as const;

/** 寻梦 */
export const WishCollected = defineEvent(
  'WishCollected',
  t.exact(
    t.intersection([
      t.type({
        wishId: t.string,
        unitId: t.string,
        category: WishCategory,
        /** The wish itself, as it may be disclosed; contact details belong in `wisher`. */
        description: t.string,
        consent: WishConsent,
        wisher: WisherRecord,
        /** Null when the resident recorded the wish themself. */
        collector: nullable(WishCollectorRecord),
      }),
      /** The pairing or visit it came from (fieldwork/origin.ts); absent for a wish collected on its own. */
      t.partial({ origin: ItemOrigin }),
    ]),
  ),
  { ...sealedFromV2, dataSubject: wishDataSubject },
);
export type WishCollected = EventOf<typeof WishCollected>;

/** 领梦 */
export const WishClaimed = defineEvent(
  'WishClaimed',
  t.exact(
    t.type({
      wishId: t.string,
      memberId: t.string,
      /** The member's home district (分区) that the wish lies in: the ground on which the claim was allowed. */
      homeDistrictId: t.string,
    }),
  ),
);
export type WishClaimed = EventOf<typeof WishClaimed>;

export const WishReleased = defineEvent(
  'WishReleased',
  t.exact(t.type({ wishId: t.string, memberId: t.string, reason: nullable(t.string) })),
);
export type WishReleased = EventOf<typeof WishReleased>;

/** 圆梦 */
export const WishFulfilled = defineEvent(
  'WishFulfilled',
  t.exact(t.type({ wishId: t.string, memberId: t.string, summary: t.string, evidence: t.array(t.string) })),
);
export type WishFulfilled = EventOf<typeof WishFulfilled>;

/** 确认: the wisher is satisfied. */
export const WishConfirmed = defineEvent(
  'WishConfirmed',
  t.exact(
    t.type({
      wishId: t.string,
      memberId: t.string,
      /** True when the collector confirmed for the wisher rather than the wisher themself. */
      onBehalfOfWisher: t.boolean,
      comment: wisherComment,
    }),
  ),
  sealedFromV2,
);
export type WishConfirmed = EventOf<typeof WishConfirmed>;

/** The wisher is not satisfied: the wish goes back to its claimant. */
export const WishReopened = defineEvent(
  'WishReopened',
  t.exact(
    t.type({
      wishId: t.string,
      /** The claimant the wish returns to; their open claim counts again. */
      memberId: t.string,
      onBehalfOfWisher: t.boolean,
      comment: wisherComment,
    }),
  ),
  sealedFromV2,
);
export type WishReopened = EventOf<typeof WishReopened>;

/** What 亮梦 may say about the wisher: nothing, or a masked name (张**) — never the name itself. */
export const WishShowcaseDisplay = t.union(
  [
    t.exact(t.type({ shownAs: t.literal('anonymous') })),
    t.exact(t.type({ shownAs: t.literal('named'), maskedName: t.string })),
  ],
  'WishShowcaseDisplay',
);
export type WishShowcaseDisplay = t.TypeOf<typeof WishShowcaseDisplay>;

/** 亮梦 */
export const WishShowcased = defineEvent(
  'WishShowcased',
  t.exact(t.type({ wishId: t.string, story: t.string, display: WishShowcaseDisplay })),
);
export type WishShowcased = EventOf<typeof WishShowcased>;

export const WishCancelled = defineEvent(
  'WishCancelled',
  t.exact(
    t.type({
      wishId: t.string,
      grounds: WishCancellationGrounds,
      reason: nullable(t.string),
      /** True when the collector withdrew the wish for the wisher. */
      onBehalfOfWisher: t.boolean,
      /** The member whose open claim ended with the cancellation, if the wish was claimed. */
      releasedClaimantId: nullable(t.string),
    }),
  ),
);
export type WishCancelled = EventOf<typeof WishCancelled>;

export const wishEvents = [
  WishCollected,
  WishClaimed,
  WishReleased,
  WishFulfilled,
  WishConfirmed,
  WishReopened,
  WishShowcased,
  WishCancelled,
] as const;

export type WishEvent = EventOf<(typeof wishEvents)[number]>;

export const wishEventRegistry = createEventRegistry(wishEvents);
