// Every refusal of the visit lifecycle: the stable rule names, and one error factory per rule with its
// code and message. Clients, dashboards and auditors key on the names (never on messages), so a name,
// once shipped, keeps its meaning; docs/domain.md lists them.
import { conflict, type DomainError, forbidden, invalidState, notFound, validationError } from '../errors.js';

export const visitRules = {
  /** Cancelling a visit that was never recorded. */
  notFound: 'visit.not_found',
  /** Any command on a cancelled visit: cancellation is final. */
  cancelled: 'visit.cancelled',
  recordAlreadyRecorded: 'visit.record.already_recorded',
  recordUnknownUnit: 'visit.record.unknown_unit',
  /** A retired unit keeps its old visits but takes no new ones. */
  recordRetiredUnit: 'visit.record.retired_unit',
  /** Grid workers, members, secretaries, department handlers and the office visit; residents do not. */
  recordNotAVisitor: 'visit.record.not_a_visitor',
  /** The visitor does not hold the role they act in. */
  recordRoleNotHeld: 'visit.record.role_not_held',
  /** A visitor visits inside the unit where they hold their role (a department's officials: its district). */
  recordOutsideVisitorUnit: 'visit.record.outside_visitor_unit',
  /** 处长网格员 is an official's day: a secretary, department handler or the office. */
  recordNotAnOfficial: 'visit.record.not_an_official',
  /** A visit is recorded on or after its day, never ahead of it. */
  recordFutureDate: 'visit.record.future_date',
  /** 五问五解决 names at least one of the five topics. */
  recordTopicsRequired: 'visit.record.topics_required',
  /** Topics belong to 五问五解决 only. */
  recordTopicsNotAsked: 'visit.record.topics_not_asked',
  /** Only the visitor, or a secretary over the visit's unit, cancels a visit. */
  cancelNotVisitorOrSecretary: 'visit.cancel.not_visitor_or_secretary',
} as const;
export type VisitRule = (typeof visitRules)[keyof typeof visitRules];

const r = visitRules;

export const visitErrors = {
  notFound: (visitId: string): DomainError => notFound(r.notFound, `visit ${visitId} was never recorded`, { visitId }),
  cancelled: (visitId: string): DomainError => invalidState(r.cancelled, `visit ${visitId} was cancelled`),
  recordAlreadyRecorded: (visitId: string): DomainError =>
    conflict(r.recordAlreadyRecorded, `visit ${visitId} is already recorded`),
  recordUnknownUnit: (unitId: string): DomainError =>
    validationError(r.recordUnknownUnit, `unit ${unitId} is not in the directory`, { unitId }),
  recordRetiredUnit: (unitId: string): DomainError =>
    invalidState(r.recordRetiredUnit, `unit ${unitId} is retired and takes no new visits`, { unitId }),
  recordNotAVisitor: (role: string): DomainError =>
    forbidden(
      r.recordNotAVisitor,
      `a visit is recorded by a grid worker, member, secretary, department handler or the office, not as ${role}`,
    ),
  recordRoleNotHeld: (personId: string, role: string): DomainError =>
    forbidden(r.recordRoleNotHeld, `${personId} does not hold the role ${role}`),
  recordOutsideVisitorUnit: (personId: string, role: string, unitId: string): DomainError =>
    forbidden(
      r.recordOutsideVisitorUnit,
      `${personId} visits as ${role} only inside their own unit, not in ${unitId}`,
      {
        unitId,
      },
    ),
  recordNotAnOfficial: (role: string): DomainError =>
    forbidden(
      r.recordNotAnOfficial,
      `处长网格员 is a day for a secretary, department handler or the office, not a ${role}`,
    ),
  recordFutureDate: (date: string, today: string): DomainError =>
    validationError(r.recordFutureDate, `the visit's date ${date} lies after today, ${today}`, {
      fields: [{ path: 'body.date', message: `body.date: must not lie after ${today}` }],
    }),
  recordTopicsRequired: (): DomainError =>
    validationError(r.recordTopicsRequired, '五问五解决 names at least one of the five topics', {
      fields: [{ path: 'body.topics', message: 'body.topics: at least one topic for grid_five_questions' }],
    }),
  recordTopicsNotAsked: (kind: string): DomainError =>
    validationError(r.recordTopicsNotAsked, `topics belong to 五问五解决 (grid_five_questions), not to ${kind}`, {
      fields: [{ path: 'body.topics', message: 'body.topics: only for grid_five_questions' }],
    }),
  cancelNotVisitorOrSecretary: (): DomainError =>
    forbidden(r.cancelNotVisitorOrSecretary, "only the visitor, or a secretary over the visit's unit, cancels a visit"),
};
