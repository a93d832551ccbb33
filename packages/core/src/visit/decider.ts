// The visit decider: 走访 recorded, or cancelled when recorded in error. Pure: "now" and the actor come
// from the command's metadata, who holds which role from the directory in the decision context. Checks run
// in one order — the visit exists and stands, the unit takes visits, the actor may visit there, the content
// fits the kind — so a refusal names the first thing a person would have to change. A located check-in
// far from the household is recorded as far, never refused (fieldwork/check-in.ts).
import * as E from 'fp-ts/lib/Either.js';
import { calendarDateOf } from '../codec/dates.js';
import type { Decider } from '../decider.js';
import { holdsRole } from '../directory/static-view.js';
import type { DirectoryView, RoleHolding } from '../directory/view.js';
import type { DomainError } from '../errors.js';
import { checkInRecordOf, defaultCheckInThresholdMeters } from '../fieldwork/check-in.js';
import { visitTopics } from '../fieldwork/topics.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type { CancelVisit, RecordVisit, VisitCommand } from './commands.js';
import { visitErrors as errors } from './errors.js';
import {
  type VisitEvent,
  type VisitKind,
  type VisitorRecord,
  type VisitorRole,
  VisitorRole as VisitorRoleCodec,
} from './events.js';

export interface ExistingVisit {
  readonly status: 'recorded' | 'cancelled';
  readonly visitId: string;
  readonly unitId: string;
  readonly date: string;
  readonly kind: VisitKind;
  readonly visitorId: string;
}

export type VisitState = { readonly status: 'none' } | ExistingVisit;

type Decision = E.Either<DomainError, readonly VisitEvent[]>;

const officialRoles: readonly VisitorRole[] = ['secretary', 'department_handler', 'office'];

/**
 * The holding that lets the person visit `unitId` in `role`: one in the unit or above it, or, for a
 * department's officials (处长网格员), one in a department of the district the unit lies in.
 */
export const visitingHolding = (
  directory: DirectoryView,
  personId: string,
  role: VisitorRole,
  unitId: string,
): RoleHolding | undefined =>
  directory
    .rolesOf(personId)
    .filter((h) => h.role === role)
    .find((h) => {
      if (directory.isWithin(unitId, h.unitId)) return true;
      const held = directory.unit(h.unitId);
      return held?.kind === 'department' && held.parentId !== null && directory.isWithin(unitId, held.parentId);
    });

const record = (command: RecordVisit, state: VisitState, context: DecisionContext): Decision => {
  const { actor, now } = command.metadata;
  const data = command.data;
  if (state.status === 'cancelled') return E.left(errors.cancelled(data.visitId));
  if (state.status !== 'none') return E.left(errors.recordAlreadyRecorded(data.visitId));
  const unit = context.directory.unit(data.unitId);
  if (unit === undefined) return E.left(errors.recordUnknownUnit(data.unitId));
  if (unit.retired === true) return E.left(errors.recordRetiredUnit(data.unitId));
  if (!VisitorRoleCodec.is(actor.role)) return E.left(errors.recordNotAVisitor(actor.role));
  const role = actor.role;
  if (!holdsRole(context.directory, actor.personId, role))
    return E.left(errors.recordRoleNotHeld(actor.personId, role));
  const holding = visitingHolding(context.directory, actor.personId, role, data.unitId);
  if (holding === undefined) return E.left(errors.recordOutsideVisitorUnit(actor.personId, role, data.unitId));
  if (data.kind === 'official_grid_day' && !officialRoles.includes(role))
    return E.left(errors.recordNotAnOfficial(role));
  const today = calendarDateOf(now);
  if (data.date > today) return E.left(errors.recordFutureDate(data.date, today));
  const topics = data.topics ?? [];
  if (data.kind === 'grid_five_questions' && topics.length === 0) return E.left(errors.recordTopicsRequired());
  if (data.kind !== 'grid_five_questions' && topics.length > 0) return E.left(errors.recordTopicsNotAsked(data.kind));
  const visitor: VisitorRecord = { personId: actor.personId, role, unitId: holding.unitId };
  const { household, checkIn, notes } = data;
  return E.right([
    {
      type: 'VisitRecorded',
      data: {
        visitId: data.visitId,
        unitId: data.unitId,
        date: data.date,
        kind: data.kind,
        // Each topic once, in the order of the five questions.
        topics: visitTopics.filter((topic) => topics.includes(topic)),
        visitor,
        household: { address: household.address, name: household.name ?? null },
        notes: notes ?? null,
        ...(checkIn === undefined
          ? {}
          : { checkIn: checkInRecordOf(checkIn, household.registeredLocation, defaultCheckInThresholdMeters) }),
      },
    },
  ]);
};

const cancel = (command: CancelVisit, state: VisitState, context: DecisionContext): Decision => {
  const { actor } = command.metadata;
  const { visitId, reason } = command.data;
  if (state.status === 'none') return E.left(errors.notFound(visitId));
  if (state.status === 'cancelled') return E.left(errors.cancelled(visitId));
  const isVisitor = actor.personId === state.visitorId;
  const isSecretary =
    actor.role === 'secretary' && holdsRole(context.directory, actor.personId, 'secretary', state.unitId, true);
  if (!isVisitor && !isSecretary) return E.left(errors.cancelNotVisitorOrSecretary());
  return E.right([{ type: 'VisitCancelled', data: { visitId, reason } }]);
};

const evolve = (state: VisitState, event: VisitEvent): VisitState => {
  switch (event.type) {
    case 'VisitRecorded':
      return {
        status: 'recorded',
        visitId: event.data.visitId,
        unitId: event.data.unitId,
        date: event.data.date,
        kind: event.data.kind,
        visitorId: event.data.visitor.personId,
      };
    case 'VisitCancelled':
      return state.status === 'none' ? state : { ...state, status: 'cancelled' };
  }
};

export const visitDecider: Decider<VisitCommand, VisitEvent, VisitState, DecisionContext> = {
  initialState: { status: 'none' },
  evolve,
  decide: (command, state, context) => {
    switch (command.type) {
      case 'recordVisit':
        return record(command, state, context);
      case 'cancelVisit':
        return cancel(command, state, context);
    }
  },
};
