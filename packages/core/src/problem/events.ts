// The events of the problem lifecycle (征题 → 领题 → 解题 → 评题) and the vocabulary they share with
// the commands. Payloads are io-ts codecs; residents' personal data is marked with `personal(...)` so
// read models can tell which fields must never reach a public table. Officials acting in their role
// (claimant, unit) are public, as on a 公示 notice.
import * as t from 'io-ts';
import { addDays, calendarDateOf, isoDate } from '../codec/dates.js';
import { personal } from '../codec/personal.js';
import { createEventRegistry, defineEvent, type EventOf, sameShape } from '../codec/registry.js';
import { withSchemaHint } from '../codec/schema-hint.js';
import { ItemOrigin } from '../fieldwork/origin.js';

export const problemStreamId = (problemId: string): string => `problem-${problemId}`;

/** Problem ids become part of a stream id, so they are kept to a safe, unambiguous alphabet. */
const problemIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const isProblemId = (u: unknown): u is string => typeof u === 'string' && problemIdPattern.test(u);
export const ProblemId = withSchemaHint(
  new t.Type<string, string, unknown>(
    'ProblemId (letters, digits, . _ : -; at most 128)',
    isProblemId,
    (u, c) => (isProblemId(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  { type: 'string', pattern: problemIdPattern.source, description: 'letters, digits, . _ : -; at most 128' },
);

/** Where a problem came from (征题 channels, seed 002). */
export const problemSource = t.keyof({
  resident: null,
  enterprise: null,
  grid_visit: null,
  suggestion_drive: null,
  /** 督查件: a case handed down by the supervision office. */
  supervision_case: null,
});
export type ProblemSource = t.TypeOf<typeof problemSource>;

/** 微事, 小事, 中事, 大事难事. */
export const problemGrade = t.keyof({ minor: null, small: null, medium: null, major: null });
export type ProblemGrade = t.TypeOf<typeof problemGrade>;

/**
 * Days within which a problem of each grade should be claimed: the defaults after the 12345 hotline draft
 * standard (docs/read-models.md, "Which items count where"). The decider uses them only to check a 督办 on
 * the ground of being overdue; the read side keeps its own configurable windows for its rates.
 */
export const responseWindowDays: Readonly<Record<ProblemGrade, number>> = {
  minor: 1,
  small: 3,
  medium: 7,
  major: 15,
};

/** 百姓评, 企业评, 考核评. */
export const problemEvaluationKind = t.keyof({ resident: null, enterprise: null, assessment: null });
export type ProblemEvaluationKind = t.TypeOf<typeof problemEvaluationKind>;

export const problemVerdict = t.keyof({ satisfied: null, basically_satisfied: null, unsatisfied: null });
export type ProblemVerdict = t.TypeOf<typeof problemVerdict>;

export const problemRejectionGround = t.keyof({ duplicate: null, out_of_scope: null, other: null });
export type ProblemRejectionGround = t.TypeOf<typeof problemRejectionGround>;

export const problemSupervisionGround = t.keyof({ overdue: null, reopened: null });
export type ProblemSupervisionGround = t.TypeOf<typeof problemSupervisionGround>;

import { GeoPoint } from '../codec/geo.js';

export { GeoPoint, geoPointOf } from '../codec/geo.js';

/**
 * A resident who raised a problem. `personId` is set when they are known to the directory and can rate it.
 * `email` and `location` came with Open311 intake; events written before them simply lack them.
 */
export const residentRaiser = t.exact(
  t.intersection([
    t.type({ kind: t.literal('resident') }),
    t.partial({
      personId: t.string,
      name: personal(t.string, 'name'),
      phone: personal(t.string, 'phone'),
      address: personal(t.string, 'address'),
      email: personal(t.string, 'email'),
      location: personal(GeoPoint, 'location'),
    }),
  ]),
);

/** An enterprise that raised a problem. The enterprise's name is public; the person to call is not. */
export const enterpriseRaiser = t.exact(
  t.intersection([
    t.type({ kind: t.literal('enterprise'), enterpriseName: t.string }),
    t.partial({
      enterpriseId: t.string,
      contactName: personal(t.string, 'name'),
      contactPhone: personal(t.string, 'phone'),
    }),
  ]),
);

export const problemRaiser = t.union([residentRaiser, enterpriseRaiser]);
export type ProblemRaiser = t.TypeOf<typeof problemRaiser>;

export const problemEvidence = t.exact(
  t.intersection([
    t.type({ kind: t.keyof({ photo: null, video: null, document: null, link: null }), uri: t.string }),
    t.partial({ caption: t.string }),
  ]),
);
export type ProblemEvidence = t.TypeOf<typeof problemEvidence>;

/**
 * The data subject of a problem's personal fields (docs/privacy.md): the raiser as a person of the
 * directory when known, so forgetting them reaches every problem they raised; otherwise the raiser of
 * this one problem (an unregistered caller, an enterprise's contact person).
 */
export const problemDataSubject = (data: unknown, streamId: string): string => {
  const raiser = (data as { raiser?: { kind?: unknown; personId?: unknown } } | null)?.raiser;
  return raiser?.kind === 'resident' && typeof raiser.personId === 'string'
    ? `person:${raiser.personId}`
    : `${streamId}#raiser`;
};

/** v2 seals the personal fields (the raiser's details, the description); v1 holds them in the clear. */
export const ProblemSolicited = defineEvent(
  'ProblemSolicited',
  t.exact(
    t.intersection([
      t.type({
        problemId: ProblemId,
        unitId: t.string,
        source: problemSource,
        grade: problemGrade,
        title: t.string,
        /** When the response window starts; it keeps running through escalations, as the raiser keeps waiting. */
        solicitedAt: t.string,
      }),
      t.partial({
        /** Written by the raiser, so it often carries names and numbers: never public as a whole. */
        description: personal(t.string, 'free_text_contact'),
        category: t.string,
        raiser: problemRaiser,
        /** The relationship or visit it came from (fieldwork/origin.ts); absent for an item raised on its own. */
        origin: ItemOrigin,
      }),
    ]),
  ),
  { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2, dataSubject: problemDataSubject },
);

export const ProblemAssigned = defineEvent(
  'ProblemAssigned',
  t.exact(
    t.intersection([
      t.type({ problemId: ProblemId, fromUnitId: t.string, toUnitId: t.string }),
      t.partial({ note: t.string }),
    ]),
  ),
);

const claimBase = {
  problemId: ProblemId,
  claimantId: t.string,
  claimantRole: t.keyof({ secretary: null, department_handler: null }),
  /** The unit in which the claimant holds the role that let them claim. */
  claimantUnitId: t.string,
  plan: t.string,
};

/**
 * v1 stored a number of days (`promisedDays`); a day count means nothing on a board without the day it
 * counts from, so v2 stores the date itself. v1 events read as v2 by counting from their occurredAt.
 */
export const ProblemClaimed = defineEvent('ProblemClaimed', t.exact(t.type({ ...claimBase, promisedBy: isoDate })), {
  schemaVersion: 2,
  upcasters: {
    1: (data, event) => {
      const { promisedDays, ...rest } = data as Record<string, unknown>;
      if (typeof promisedDays !== 'number' || !Number.isInteger(promisedDays))
        throw new Error(`promisedDays must be a whole number, got ${JSON.stringify(promisedDays)}`);
      return { ...rest, promisedBy: addDays(calendarDateOf(event.occurredAt), promisedDays) };
    },
  },
});

export const ProblemEscalated = defineEvent(
  'ProblemEscalated',
  t.exact(
    t.type({
      problemId: ProblemId,
      fromUnitId: t.string,
      toUnitId: t.string,
      reason: t.string,
      releasedClaimantId: t.string,
    }),
  ),
);

export const ProblemSupervised = defineEvent(
  'ProblemSupervised',
  t.exact(
    t.intersection([t.type({ problemId: ProblemId, ground: problemSupervisionGround }), t.partial({ note: t.string })]),
  ),
);

export const ProblemRejected = defineEvent(
  'ProblemRejected',
  t.exact(
    t.intersection([
      t.type({ problemId: ProblemId, ground: problemRejectionGround, reason: t.string }),
      t.partial({ duplicateOf: ProblemId }),
    ]),
  ),
);

export const ProblemProgressNoted = defineEvent(
  'ProblemProgressNoted',
  t.exact(t.type({ problemId: ProblemId, note: t.string })),
);

export const ProblemSolved = defineEvent(
  'ProblemSolved',
  t.exact(
    t.intersection([
      t.type({ problemId: ProblemId, summary: t.string, evidence: t.array(problemEvidence) }),
      t.partial({
        /**
         * 现场解决: solved on the spot, on the visit it was met on (resolveProblemOnSite). Present only when
         * true, so problems solved the ordinary way keep the shape and hashes they always had.
         */
        onSite: t.boolean,
      }),
    ]),
  ),
);

export const ProblemEvaluated = defineEvent(
  'ProblemEvaluated',
  t.exact(
    t.intersection([
      t.type({ problemId: ProblemId, kind: problemEvaluationKind, verdict: problemVerdict }),
      t.partial({
        /** Residents and enterprises write what they like here, contact details included. */
        comment: personal(t.string, 'free_text_contact'),
        /** An assessment stating that the raiser could not be reached, which lets it close the item. */
        raiserUnreachable: t.boolean,
        /**
         * 回访: the raiser's verdict, taken by the office on their behalf (by telephone or visit). Present only
         * when true (the decider omits it otherwise), so verdicts given by raisers themselves keep the shape and
         * hashes they always had.
         */
        onBehalfOfRaiser: t.boolean,
      }),
    ]),
  ),
  { schemaVersion: 2, upcasters: { 1: sameShape }, sealedSince: 2 },
);

/** 销号. */
export const ProblemClosed = defineEvent(
  'ProblemClosed',
  t.exact(
    t.type({
      problemId: ProblemId,
      basis: t.keyof({ raiser_verdict: null, assessment: null }),
      verdict: t.keyof({ satisfied: null, basically_satisfied: null }),
    }),
  ),
);

/** An unsatisfied verdict sends the work back to the same claimant. */
export const ProblemReopened = defineEvent(
  'ProblemReopened',
  t.exact(t.type({ problemId: ProblemId, claimantId: t.string, reworkCount: t.number })),
);

export const problemEvents = [
  ProblemSolicited,
  ProblemAssigned,
  ProblemClaimed,
  ProblemEscalated,
  ProblemSupervised,
  ProblemRejected,
  ProblemProgressNoted,
  ProblemSolved,
  ProblemEvaluated,
  ProblemClosed,
  ProblemReopened,
] as const;

export const problemEventRegistry = createEventRegistry(problemEvents);

export type ProblemSolicited = EventOf<typeof ProblemSolicited>;
export type ProblemAssigned = EventOf<typeof ProblemAssigned>;
export type ProblemClaimed = EventOf<typeof ProblemClaimed>;
export type ProblemEscalated = EventOf<typeof ProblemEscalated>;
export type ProblemSupervised = EventOf<typeof ProblemSupervised>;
export type ProblemRejected = EventOf<typeof ProblemRejected>;
export type ProblemProgressNoted = EventOf<typeof ProblemProgressNoted>;
export type ProblemSolved = EventOf<typeof ProblemSolved>;
export type ProblemEvaluated = EventOf<typeof ProblemEvaluated>;
export type ProblemClosed = EventOf<typeof ProblemClosed>;
export type ProblemReopened = EventOf<typeof ProblemReopened>;
export type ProblemEvent = EventOf<(typeof problemEvents)[number]>;
