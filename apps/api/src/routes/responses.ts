// What the API answers, as io-ts codecs: the OpenAPI document describes responses from these, and the
// specs check real answers against them, so the document cannot drift from what is sent.
import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** RFC 9457 problem details, with the domain error's code, rule and the bad fields. */
export const ProblemDetails = t.intersection(
  [
    t.type({ type: t.string, title: t.string, status: t.number, code: t.string, rule: t.string }),
    t.partial({
      detail: t.string,
      instance: t.string,
      fields: t.array(t.type({ path: t.string, message: t.string })),
      /** With a 412: the revision the item is at now. */
      currentRevision: nullable(t.number),
      correlationId: t.string,
    }),
  ],
  'ProblemDetails',
);

const StoredEventRef = t.type(
  { eventId: t.string, type: t.string, revision: t.number, occurredAt: t.string },
  'StoredEventRef',
);

/** A command's answer: the events it stored (or found stored, on a replay) and the item's revision after. */
export const CommandAccepted = t.type(
  {
    streamId: t.string,
    /** The ETag: the stream's revision after the command (-1 when nothing was ever stored). */
    revision: t.number,
    events: t.array(StoredEventRef),
    /** True when an Idempotency-Key retry found its first result and stored nothing new. */
    replayed: t.boolean,
    /** The item's state as folded from its events; personal fields show as sealed markers. */
    state: t.UnknownRecord,
    links: t.type({ self: t.string }),
  },
  'CommandAccepted',
);

/** Where a read's answer comes from and how fresh it is. */
export const Freshness = t.intersection(
  [
    t.type({ source: t.keyof({ events: null, read_models: null }), asOf: t.string }),
    t.partial({
      /** Read models only: the newest event they include, and how far behind the log they are. */
      dataAsOf: nullable(t.string),
      lagEvents: nullable(t.number),
      lagSeconds: nullable(t.number),
    }),
  ],
  'Freshness',
);

export const ItemState = t.type(
  {
    streamId: t.string,
    revision: t.number,
    status: t.string,
    state: t.UnknownRecord,
    freshness: Freshness,
    links: t.type({ self: t.string, board: t.string }),
  },
  'ItemState',
);

const RoleHeld = t.type(
  { role: t.string, unitId: t.string, unitName: nullable(t.string), since: t.string },
  'RoleHeld',
);

export const Me = t.type(
  {
    personId: t.string,
    roles: t.array(RoleHeld),
    /** The client app named in the token, and whether it may send acts recorded offline. */
    clientId: nullable(t.string),
    mayBackdate: t.boolean,
  },
  'Me',
);

const ProblemWork = t.type(
  {
    problemId: t.string,
    title: t.string,
    status: t.string,
    grade: t.string,
    unitId: t.string,
    unitName: nullable(t.string),
    solicitedAt: t.string,
    claimedAt: nullable(t.string),
    promisedBy: nullable(t.string),
    overdue: t.boolean,
    solvedAt: nullable(t.string),
    /** Times an unsatisfied verdict sent it back to the claimant. */
    reworkCount: t.number,
    supervisionCount: t.number,
    lastVerdict: nullable(t.string),
  },
  'ProblemWork',
);

const WishWork = t.type(
  {
    wishId: t.string,
    category: t.string,
    status: t.string,
    unitId: t.string,
    unitName: nullable(t.string),
    collectedAt: t.string,
    claimedAt: nullable(t.string),
    /** What the wisher consented to be shown (亮梦): none, anonymous or named. */
    consent: t.string,
    fulfilledAt: nullable(t.string),
    confirmedAt: nullable(t.string),
  },
  'WishWork',
);

export const MyWork = t.type(
  {
    problems: t.array(ProblemWork),
    wishes: t.array(WishWork),
    /** A member's open wish claims and the campaign's limit on them (null for anyone else). */
    wishClaims: nullable(t.type({ open: t.number, limit: t.number })),
    freshness: Freshness,
  },
  'MyWork',
);

/** 我的诉求: the problems and wishes the caller raised, newest first. */
export const MyItems = t.type(
  { problems: t.array(ProblemWork), wishes: t.array(WishWork), freshness: Freshness },
  'MyItems',
);

/** The office's dispatch queue (派单) over the districts it acts for, each list oldest first. */
export const OfficeQueue = t.type(
  {
    /** The districts the lists cover: where the caller holds the office role. */
    units: t.array(t.string),
    /** 转办: raised and not yet routed or claimed. */
    toRoute: t.array(ProblemWork),
    /** 督办 (overdue): claimed and past the promised day. */
    overdue: t.array(ProblemWork),
    /** 督办 (reopened): back with the claimant after an unsatisfied verdict. */
    reopened: t.array(ProblemWork),
    /** Solved, awaiting the raiser's verdict, a 回访 or a 考核评. */
    awaitingVerdict: t.array(ProblemWork),
    /** 亮梦: confirmed wishes whose wisher consented to be shown. */
    toShowcase: t.array(WishWork),
    /** Wishes no member has claimed. */
    unclaimedWishes: t.array(WishWork),
    freshness: Freshness,
  },
  'OfficeQueue',
);

export const PersonalDataRead = t.type(
  {
    streamId: t.string,
    /** The personal fields in the clear; a forgotten person's show the forgotten marker. */
    fields: t.UnknownRecord,
    /** The event that records this read (who, when, why), in `access-<subject>`. */
    recordedAs: t.array(t.type({ streamId: t.string, eventId: t.string })),
  },
  'PersonalDataRead',
);

export const Health = t.type({ status: t.string }, 'Health');
