// The facts of a pairing's life (党员干部结新亲: 结对 → 探亲 … → 换人 → 结束), as stored in the stream
// `pairing-<pairingId>`. An official of the directory is paired with a household in need; the household is
// not a person of the directory, and everything about it but its category is its personal data. Payload
// codecs are lenient (plain strings): the command codecs validate input once, and a stored event stays
// readable if the command rules are tightened later.
import * as t from 'io-ts';
import { GeoPoint } from '../codec/geo.js';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';
import { CheckInRecord } from '../fieldwork/check-in.js';

export const pairingStreamId = (pairingId: string): string => `pairing-${pairingId}`;

/** 退役军人 · 特困 · 低保 · 孤儿 · 留守儿童: whom the seed's officials were paired with. */
export const pairingCategories = ['veteran', 'tekun', 'dibao', 'orphan', 'left_behind_child'] as const;
export const HouseholdCategory = t.keyof(
  { veteran: null, tekun: null, dibao: null, orphan: null, left_behind_child: null },
  'HouseholdCategory',
);
export type HouseholdCategory = t.TypeOf<typeof HouseholdCategory>;

/** The household's word on anonymised diary excerpts being shown: given, or withdrawn (the default). */
export const HouseholdConsent = t.keyof({ given: null, withdrawn: null }, 'HouseholdConsent');
export type HouseholdConsent = t.TypeOf<typeof HouseholdConsent>;

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** The household as recorded at pairing: all of it personal data (docs/privacy.md). */
export const HouseholdRecord = t.exact(
  t.type({
    name: personal(t.string, 'name'),
    phone: personal(nullable(t.string), 'phone'),
    address: personal(nullable(t.string), 'address'),
    /** The registered location visits' check-ins are compared with (fieldwork/check-in.ts). */
    location: personal(nullable(GeoPoint), 'location'),
  }),
  'HouseholdRecord',
);
export type HouseholdRecord = t.TypeOf<typeof HouseholdRecord>;

/** The household of this one pairing: it is no person of the directory. */
export const pairingDataSubject = (_data: unknown, streamId: string): string => `${streamId}#household`;

/** Personal fields are sealed from v2 on (docs/privacy.md); v1 is the same shape in the clear. */
const sealedFromV2 = { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2 } as const;

/** 结对 */
export const HouseholdPaired = defineEvent(
  'HouseholdPaired',
  t.exact(
    t.type({
      pairingId: t.string,
      /** The unit the household lives in: where its visits are counted. */
      unitId: t.string,
      officialId: t.string,
      category: HouseholdCategory,
      household: HouseholdRecord,
      /** When the pairing began: no visit is recorded before it. */
      pairedAt: t.string,
    }),
  ),
  { ...sealedFromV2, dataSubject: pairingDataSubject },
);
export type HouseholdPaired = EventOf<typeof HouseholdPaired>;

/** 换人: another official takes the household over; the earlier ones stay in the stream's history. */
export const PairingReassigned = defineEvent(
  'PairingReassigned',
  t.exact(
    t.type({ pairingId: t.string, fromOfficialId: t.string, toOfficialId: t.string, reason: nullable(t.string) }),
  ),
);
export type PairingReassigned = EventOf<typeof PairingReassigned>;

/** 结束: final; the pairing's visits stay counted. */
export const PairingEnded = defineEvent(
  'PairingEnded',
  t.exact(t.type({ pairingId: t.string, officialId: t.string, reason: nullable(t.string) })),
);
export type PairingEnded = EventOf<typeof PairingEnded>;

/** The household gave, or withdrew, its consent to anonymised excerpts of the visit diary being shown. */
export const HouseholdConsentRecorded = defineEvent(
  'HouseholdConsentRecorded',
  t.exact(t.type({ pairingId: t.string, consent: HouseholdConsent })),
);
export type HouseholdConsentRecorded = EventOf<typeof HouseholdConsentRecorded>;

/** 探亲: a visit, with its located check-in and the 探亲日记. */
export const PairingVisitRecorded = defineEvent(
  'PairingVisitRecorded',
  t.exact(
    t.type({
      pairingId: t.string,
      visitId: t.string,
      unitId: t.string,
      officialId: t.string,
      /** When the visit took place (business time, not when it was recorded). */
      visitedAt: t.string,
      /** Near, far or unchecked, and the sealed position; null when the visitor did not check in. */
      checkIn: nullable(CheckInRecord),
      /** 探亲日记: what the household said and how it lives, in the official's words — never public. */
      diary: personal(t.string, 'free_text_contact'),
      /**
       * The anonymised excerpt the official wrote for display (screened: no names given, no digit runs).
       * Public only while the household's consent holds, and never once it is forgotten.
       */
      excerpt: nullable(t.string),
    }),
  ),
  sealedFromV2,
);
export type PairingVisitRecorded = EventOf<typeof PairingVisitRecorded>;

/** What a need the household reported became: a problem (问题) or a wish (微心愿). */
export const PairingNeedItem = t.union(
  [
    t.exact(t.type({ kind: t.literal('problem'), problemId: t.string })),
    t.exact(t.type({ kind: t.literal('wish'), wishId: t.string })),
  ],
  'PairingNeedItem',
);
export type PairingNeedItem = t.TypeOf<typeof PairingNeedItem>;

/**
 * 结亲对象随时提报: the pairing notes the problem or wish a need of the household became (the item carries
 * `origin: {kind:'pairing', pairingId, visitId?}` itself). A link, no more: the item lives in its own stream.
 */
export const PairingNeedLinked = defineEvent(
  'PairingNeedLinked',
  t.exact(t.type({ pairingId: t.string, item: PairingNeedItem, visitId: nullable(t.string) })),
);
export type PairingNeedLinked = EventOf<typeof PairingNeedLinked>;

export const pairingEvents = [
  HouseholdPaired,
  PairingReassigned,
  PairingEnded,
  HouseholdConsentRecorded,
  PairingVisitRecorded,
  PairingNeedLinked,
] as const;

export type PairingEvent = EventOf<(typeof pairingEvents)[number]>;

export const pairingEventRegistry = createEventRegistry(pairingEvents);
