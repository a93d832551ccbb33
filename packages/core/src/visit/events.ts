// The facts of a visit (入户走访, 五问五解决, 处长网格员), as stored in the stream `visit-<visitId>`.
// Payload codecs are lenient (plain strings): input is validated once, by the command codecs, and a stored
// event must stay readable if the command rules are tightened later. The visitor acts in role and is
// public; the household (its address, a name), the check-in position and the notes are personal data.
import * as t from 'io-ts';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';
import { CheckInRecord } from '../fieldwork/check-in.js';

export const visitStreamId = (visitId: string): string => `visit-${visitId}`;

/** 入户走访 · 五问五解决 · 处长网格员 (an official's day as a grid worker). */
export const VisitKind = t.keyof(
  { door_to_door: null, grid_five_questions: null, official_grid_day: null },
  'VisitKind',
);
export type VisitKind = t.TypeOf<typeof VisitKind>;
export const visitKinds = Object.keys(VisitKind.keys) as VisitKind[];

/** Roles a visitor may act in. */
export const VisitorRole = t.keyof(
  { grid_worker: null, member: null, secretary: null, department_handler: null, office: null },
  'VisitorRole',
);
export type VisitorRole = t.TypeOf<typeof VisitorRole>;

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** The visitor as they acted: public, as an official on a 公示 notice. */
export const VisitorRecord = t.exact(
  t.type({
    personId: t.string,
    role: VisitorRole,
    /** The unit where the visitor holds the role they visited in. */
    unitId: t.string,
  }),
  'VisitorRecord',
);
export type VisitorRecord = t.TypeOf<typeof VisitorRecord>;

/** The household visited: its address and, if given, a name. Both are the residents' personal data. */
export const VisitedHouseholdRecord = t.exact(
  t.type({
    address: personal(t.string, 'address'),
    name: personal(nullable(t.string), 'name'),
  }),
  'VisitedHouseholdRecord',
);
export type VisitedHouseholdRecord = t.TypeOf<typeof VisitedHouseholdRecord>;

/** The household of this one visit is the data subject of its personal fields (docs/privacy.md). */
export const visitDataSubject = (_data: unknown, streamId: string): string => `${streamId}#household`;

/** 走访: recorded by the visitor, on the day it happened (or later, never ahead). */
export const VisitRecorded = defineEvent(
  'VisitRecorded',
  t.exact(
    t.intersection([
      t.type({
        visitId: t.string,
        unitId: t.string,
        /** The calendar day of the visit, `YYYY-MM-DD`. */
        date: t.string,
        kind: VisitKind,
        /** 五问五解决's topics brought up (fieldwork/topics.ts); empty for the other kinds. */
        topics: t.array(t.string),
        visitor: VisitorRecord,
        household: VisitedHouseholdRecord,
        /** The visitor's own words about the household: personal, never public. */
        notes: personal(nullable(t.string), 'free_text_contact'),
      }),
      /** 定位打卡, when the visitor checked in: near, far or unchecked (recorded, never refused). */
      t.partial({ checkIn: CheckInRecord }),
    ]),
  ),
  // Born sealed: sealing starts at version 2 (docs/privacy.md), so 2 is this event's first version.
  { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2, dataSubject: visitDataSubject },
);
export type VisitRecorded = EventOf<typeof VisitRecorded>;

/** A visit recorded in error (wrong household, never happened): it stops counting, its record stays. */
export const VisitCancelled = defineEvent('VisitCancelled', t.exact(t.type({ visitId: t.string, reason: t.string })));
export type VisitCancelled = EventOf<typeof VisitCancelled>;

export const visitEvents = [VisitRecorded, VisitCancelled] as const;
export type VisitEvent = EventOf<(typeof visitEvents)[number]>;
export const visitEventRegistry = createEventRegistry(visitEvents);
