// What callers ask of a pairing, and the codecs that admit a request's body at the boundary (the HTTP
// API's `decodeWith`): strict where events are lenient, naming the offending field before anything is stored.
import * as t from 'io-ts';
import { isoTimestamp } from '../codec/dates.js';
import { GeoPoint } from '../codec/geo.js';
import { personal } from '../codec/personal.js';
import { boundedText, stringMatching } from '../codec/text.js';
import type { Command } from '../decider.js';
import { CheckInInput } from '../fieldwork/check-in.js';
import { FieldworkId, fieldworkIdPattern } from '../fieldwork/origin.js';
import { HouseholdCategory, HouseholdConsent, pairingStreamId } from './events.js';

const text = boundedText;

/** Ids travel in stream names and URLs, and pairing and visit ids in an item's origin (fieldwork/origin.ts). */
const fieldworkId = stringMatching('an id of letters, digits, . _ : - (at most 128)', (s) => FieldworkId.is(s), {
  pattern: fieldworkIdPattern.source,
  minLength: 1,
  maxLength: 128,
});
const identifierPattern = /^[\x21-\x7e]{1,128}$/;
const identifier = stringMatching(
  'an id of 1-128 printable ASCII characters without spaces',
  (s) => identifierPattern.test(s),
  { pattern: identifierPattern.source, minLength: 1, maxLength: 128 },
);

/** A pairing id, e.g. from a URL path, checked as the command bodies check it. */
export const PairingId = fieldworkId;

const phonePattern = /^\+?[0-9][0-9 -]{2,23}$/;
const phoneNumber = stringMatching('a phone number', (s) => phonePattern.test(s), { pattern: phonePattern.source });

/** The household as the organiser records it. Every field is the household's personal data. */
export const HouseholdInput = t.exact(
  t.intersection([
    t.type({ name: personal(text(50), 'name') }),
    t.partial({
      phone: personal(phoneNumber, 'phone'),
      address: personal(text(200), 'address'),
      /** Where the household is registered: visits' check-ins are compared with it. */
      location: personal(
        stringMatching('a point, lat,long in decimal degrees (36.270100,120.033300)', (s) => GeoPoint.is(s), {}),
        'location',
      ),
    }),
  ]),
  'HouseholdInput',
);

/** 结对 */
export const PairHouseholdData = t.exact(
  t.type({
    pairingId: PairingId,
    unitId: identifier,
    officialId: identifier,
    category: HouseholdCategory,
    household: HouseholdInput,
  }),
  'PairHousehold',
);
export type PairHouseholdData = t.TypeOf<typeof PairHouseholdData>;

/** 换人 */
export const ReassignPairingData = t.exact(
  t.intersection([t.type({ pairingId: PairingId, officialId: identifier }), t.partial({ reason: text(500) })]),
  'ReassignPairing',
);
export type ReassignPairingData = t.TypeOf<typeof ReassignPairingData>;

/** 结束 */
export const EndPairingData = t.exact(
  t.intersection([t.type({ pairingId: PairingId }), t.partial({ reason: text(500) })]),
  'EndPairing',
);
export type EndPairingData = t.TypeOf<typeof EndPairingData>;

/** The household's word on its excerpts being shown, as the official or organiser records it. */
export const RecordHouseholdConsentData = t.exact(
  t.type({ pairingId: PairingId, consent: HouseholdConsent }),
  'RecordHouseholdConsent',
);
export type RecordHouseholdConsentData = t.TypeOf<typeof RecordHouseholdConsentData>;

/** 探亲 */
export const RecordPairingVisitData = t.exact(
  t.intersection([
    t.type({
      pairingId: PairingId,
      visitId: fieldworkId,
      visitedAt: isoTimestamp,
      /** 探亲日记: personal text, never shown. */
      diary: personal(text(4000), 'free_text_contact'),
    }),
    t.partial({
      checkIn: CheckInInput,
      /** For display, anonymised: no name of the household, no run of digits (phones, ID numbers). */
      excerpt: text(500),
    }),
  ]),
  'RecordPairingVisit',
);
export type RecordPairingVisitData = t.TypeOf<typeof RecordPairingVisitData>;

export const PairingNeedKind = t.keyof({ problem: null, wish: null }, 'PairingNeedKind');
export type PairingNeedKind = t.TypeOf<typeof PairingNeedKind>;

/** 结亲对象随时提报: note on the pairing the problem or wish a need became. */
export const LinkPairingNeedData = t.exact(
  t.intersection([
    t.type({ pairingId: PairingId, kind: PairingNeedKind, itemId: identifier }),
    t.partial({ visitId: fieldworkId }),
  ]),
  'LinkPairingNeed',
);
export type LinkPairingNeedData = t.TypeOf<typeof LinkPairingNeedData>;

export type PairHousehold = Command<'pairHousehold', PairHouseholdData>;
export type ReassignPairing = Command<'reassignPairing', ReassignPairingData>;
export type EndPairing = Command<'endPairing', EndPairingData>;
export type RecordHouseholdConsent = Command<'recordHouseholdConsent', RecordHouseholdConsentData>;
export type RecordPairingVisit = Command<'recordPairingVisit', RecordPairingVisitData>;
export type LinkPairingNeed = Command<'linkPairingNeed', LinkPairingNeedData>;

export type PairingCommand =
  | PairHousehold
  | ReassignPairing
  | EndPairing
  | RecordHouseholdConsent
  | RecordPairingVisit
  | LinkPairingNeed;

/** The data codec of every pairing command, by command type. */
export const pairingCommandCodecs = {
  pairHousehold: PairHouseholdData,
  reassignPairing: ReassignPairingData,
  endPairing: EndPairingData,
  recordHouseholdConsent: RecordHouseholdConsentData,
  recordPairingVisit: RecordPairingVisitData,
  linkPairingNeed: LinkPairingNeedData,
} as const satisfies {
  readonly [K in PairingCommand['type']]: t.Type<Extract<PairingCommand, { type: K }>['data'], unknown, unknown>;
};

/** The stream a pairing command acts on, for `commandHandler`'s `streamIdOf`. */
export const pairingStreamIdOf = (command: PairingCommand): string => pairingStreamId(command.data.pairingId);
