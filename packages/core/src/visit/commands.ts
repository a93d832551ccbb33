// What callers ask of a visit, and the codecs that admit a request's body at the boundary (the HTTP API's
// `decodeWith`). Strict where events are lenient: blank texts, unknown kinds and topics, malformed dates
// and ids stop here, with the path of the offending field, before anything is stored.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isoDate } from '../codec/dates.js';
import { GeoPoint } from '../codec/geo.js';
import { personal } from '../codec/personal.js';
import { withSchemaHint } from '../codec/schema-hint.js';
import { boundedText, stringMatching } from '../codec/text.js';
import type { Command } from '../decider.js';
import { CheckInInput } from '../fieldwork/check-in.js';
import { fieldworkIdPattern } from '../fieldwork/origin.js';
import { VisitTopic } from '../fieldwork/topics.js';
import { VisitKind, visitStreamId } from './events.js';

const text = boundedText;

/** A visit id, e.g. from a URL path: it becomes part of the stream id. */
export const VisitId = stringMatching(
  'a visit id (letters, digits, . _ : -; at most 128)',
  (s) => fieldworkIdPattern.test(s),
  { pattern: fieldworkIdPattern.source },
);
const unitIdentifier = stringMatching(
  'an id of 1-128 printable ASCII characters without spaces',
  (s) => /^[\x21-\x7e]{1,128}$/.test(s),
  { pattern: '^[\\x21-\\x7e]{1,128}$', minLength: 1, maxLength: 128 },
);

const topicList = (() => {
  const array = t.array(VisitTopic);
  const fits = (a: readonly unknown[]) => a.length <= 5;
  return withSchemaHint(
    new t.Type<VisitTopic[], string[], unknown>(
      'a list of at most 5 topics',
      (u): u is VisitTopic[] => array.is(u) && fits(u),
      (u, c) => {
        const decoded = array.validate(u, c);
        return E.isRight(decoded) && !fits(decoded.right) ? t.failure(u, c) : decoded;
      },
      array.encode,
    ),
    { type: 'array', items: VisitTopic, maxItems: 5, description: 'a list of at most 5 topics' },
  );
})();

/** The household as the visitor records it: its address, a name if given, and where it is registered. */
export const VisitedHouseholdInput = t.exact(
  t.intersection([
    t.type({ address: personal(text(200), 'address') }),
    t.partial({
      name: personal(text(50), 'name'),
      /** The household's registered location, to compare a check-in with; used, never stored. */
      registeredLocation: personal(GeoPoint, 'location'),
    }),
  ]),
  'VisitedHouseholdInput',
);
export type VisitedHouseholdInput = t.TypeOf<typeof VisitedHouseholdInput>;

/** 走访: record a visit. */
export const RecordVisitData = t.exact(
  t.intersection([
    t.type({
      visitId: VisitId,
      unitId: unitIdentifier,
      date: isoDate,
      kind: VisitKind,
      household: VisitedHouseholdInput,
    }),
    t.partial({
      /** 五问五解决: which of the five topics the household brought up (at least one for that kind). */
      topics: topicList,
      checkIn: CheckInInput,
      notes: personal(text(2000), 'free_text_contact'),
    }),
  ]),
  'RecordVisit',
);
export type RecordVisitData = t.TypeOf<typeof RecordVisitData>;

/** A visit recorded in error stops counting. */
export const CancelVisitData = t.exact(t.type({ visitId: VisitId, reason: text(500) }), 'CancelVisit');
export type CancelVisitData = t.TypeOf<typeof CancelVisitData>;

export type RecordVisit = Command<'recordVisit', RecordVisitData>;
export type CancelVisit = Command<'cancelVisit', CancelVisitData>;
export type VisitCommand = RecordVisit | CancelVisit;

/** The data codec of every visit command, by command type. */
export const visitCommandCodecs = {
  recordVisit: RecordVisitData,
  cancelVisit: CancelVisitData,
} as const satisfies {
  readonly [K in VisitCommand['type']]: t.Type<Extract<VisitCommand, { type: K }>['data'], unknown, unknown>;
};

/** The stream a visit command acts on, for `commandHandler`'s `streamIdOf`. */
export const visitStreamIdOf = (command: VisitCommand): string => visitStreamId(command.data.visitId);
