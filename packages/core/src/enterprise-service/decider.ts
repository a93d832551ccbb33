// The enterprise-service decider (企业服务经理人 / 服务专员): the office assigns one official to an enterprise,
// may replace them (history kept) or end the service; the current officer records contacts (对接) in the four
// roles and links the needs they could not settle to the problems they became. Every refusal names its rule
// from `serviceRules`; who holds which role comes from the decision context's directory.
import * as E from 'fp-ts/lib/Either.js';
import { calendarDateOf } from '../codec/dates.js';
import type { Decider } from '../decider.js';
import { holdsRole } from '../directory/static-view.js';
import type { Actor } from '../envelope.js';
import type { DomainError } from '../errors.js';
import type { DecisionContext } from '../handling/decision-context.js';
import type {
  AssignServiceOfficer,
  EndService,
  RaiseServiceNeedAsProblem,
  RecordServiceContact,
  ReplaceServiceOfficer,
  ServiceCommand,
} from './commands.js';
import { serviceErrors as errors } from './errors.js';
import type { ServiceEvent, ServiceOfficerRecord, ServiceOfficerRole } from './events.js';

/** One official's term of service: [from, until), `until` null while they serve. */
export interface ServiceTerm {
  readonly officer: ServiceOfficerRecord;
  readonly from: string;
  readonly until: string | null;
}

export interface Service {
  readonly status: 'active' | 'ended';
  readonly enterpriseId: string;
  readonly enterpriseName: string;
  readonly unitId: string;
  /** Every term, oldest first; the last one is the current officer's while the service is active. */
  readonly terms: readonly ServiceTerm[];
  /** Contact ids with the ids of the needs found on each. */
  readonly contacts: Readonly<Record<string, readonly string[]>>;
  readonly linkedProblemIds: readonly string[];
}

export type ServiceStatus = Service['status'];
export type ServiceState = { readonly status: 'none' } | Service;

export const initialServiceState: ServiceState = { status: 'none' };

/** The term of the official serving now, if the service is active. */
export const currentTerm = (service: Service): ServiceTerm | undefined =>
  service.status === 'active' ? service.terms[service.terms.length - 1] : undefined;

const closeLast = (terms: readonly ServiceTerm[], until: string): ServiceTerm[] =>
  terms.map((term, i) => (i === terms.length - 1 && term.until === null ? { ...term, until } : term));

export const evolveService = (state: ServiceState, event: ServiceEvent): ServiceState => {
  if (event.type === 'ServiceAssigned') {
    if (state.status === 'active') return state;
    const { enterpriseId, enterpriseName, unitId, officer, since } = event.data;
    const term = { officer, from: since, until: null };
    return state.status === 'none'
      ? { status: 'active', enterpriseId, enterpriseName, unitId, terms: [term], contacts: {}, linkedProblemIds: [] }
      : { ...state, status: 'active', enterpriseName, unitId, terms: [...state.terms, term] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ServiceOfficerReplaced':
      return state.status !== 'active'
        ? state
        : {
            ...state,
            terms: [
              ...closeLast(state.terms, event.data.since),
              { officer: event.data.officer, from: event.data.since, until: null },
            ],
          };
    case 'ServiceEnded':
      return state.status !== 'active'
        ? state
        : { ...state, status: 'ended', terms: closeLast(state.terms, event.data.until) };
    case 'ServiceContactRecorded':
      return {
        ...state,
        contacts: { ...state.contacts, [event.data.contactId]: event.data.needs.map((n) => n.needId) },
      };
    case 'ServiceNeedRaisedAsProblem':
      return { ...state, linkedProblemIds: [...state.linkedProblemIds, event.data.problemId] };
  }
};

type Decision = E.Either<DomainError, readonly ServiceEvent[]>;

const refuse = (error: DomainError): Decision => E.left(error);
const emit = (...events: ServiceEvent[]): Decision => E.right(events);

/** The order a role is chosen in when the office does not name one. */
const servingRoles: readonly ServiceOfficerRole[] = ['secretary', 'department_handler', 'member'];

/** The district (区) a unit lies in: its top ancestor. */
const districtOf = (context: DecisionContext, unitId: string): string | undefined => {
  const ancestry = context.directory.ancestry(unitId);
  return ancestry[ancestry.length - 1]?.unitId;
};

/** The office acting on an enterprise of `unitId`: null when allowed, else the refusal. */
const officeRefusal = (actor: Actor, context: DecisionContext, unitId: string): DomainError | null => {
  if (actor.role !== 'office' || !holdsRole(context.directory, actor.personId, 'office')) return errors.notOffice();
  return holdsRole(context.directory, actor.personId, 'office', unitId, true)
    ? null
    : errors.officeOutsideDistrict(actor.personId, unitId);
};

/** The official as they will serve: a serving role they hold inside the enterprise's district. */
const officerFor = (
  context: DecisionContext,
  officerId: string,
  unitId: string,
  role: ServiceOfficerRole | undefined,
): E.Either<DomainError, ServiceOfficerRecord> => {
  const districtId = districtOf(context, unitId) ?? unitId;
  const holdings = context.directory
    .rolesOf(officerId)
    .filter((h) => context.directory.isWithin(h.unitId, districtId))
    .flatMap((h) => {
      const serving = servingRoles.find((r) => r === h.role);
      return serving === undefined ? [] : [{ role: serving, unitId: h.unitId }];
    })
    .sort((a, b) => servingRoles.indexOf(a.role) - servingRoles.indexOf(b.role));
  if (holdings.length === 0) return E.left(errors.officerCannotServe(officerId, unitId));
  const chosen = role === undefined ? holdings[0] : holdings.find((h) => h.role === role);
  if (chosen === undefined) return E.left(errors.officerRoleNotHeld(officerId, role!));
  return E.right({ personId: officerId, role: chosen.role, unitId: chosen.unitId });
};

const assign = (command: AssignServiceOfficer, state: ServiceState, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor, now } = command.metadata;
  if (state.status === 'active')
    return refuse(errors.assignAlreadyAssigned(data.enterpriseId, currentTerm(state)!.officer.personId));
  const unit = context.directory.unit(data.unitId);
  if (unit === undefined) return refuse(errors.assignUnknownUnit(data.unitId));
  if (unit.retired === true) return refuse(errors.assignRetiredUnit(data.unitId));
  const office = officeRefusal(actor, context, data.unitId);
  if (office !== null) return refuse(office);
  const officer = officerFor(context, data.officerId, data.unitId, data.officerRole);
  if (E.isLeft(officer)) return officer;
  return emit({
    type: 'ServiceAssigned',
    data: {
      enterpriseId: data.enterpriseId,
      enterpriseName: data.enterpriseName,
      unitId: data.unitId,
      officer: officer.right,
      since: now,
    },
  });
};

const replace = (command: ReplaceServiceOfficer, service: Service, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor, now } = command.metadata;
  const office = officeRefusal(actor, context, service.unitId);
  if (office !== null) return refuse(office);
  const current = currentTerm(service)!;
  if (data.officerId === current.officer.personId) return refuse(errors.replaceSameOfficer(data.officerId));
  const officer = officerFor(context, data.officerId, service.unitId, data.officerRole);
  if (E.isLeft(officer)) return officer;
  return emit({
    type: 'ServiceOfficerReplaced',
    data: {
      enterpriseId: service.enterpriseId,
      previousOfficerId: current.officer.personId,
      officer: officer.right,
      since: now,
      reason: data.reason ?? null,
    },
  });
};

const end = (command: EndService, service: Service, context: DecisionContext): Decision => {
  const office = officeRefusal(command.metadata.actor, context, service.unitId);
  if (office !== null) return refuse(office);
  return emit({
    type: 'ServiceEnded',
    data: {
      enterpriseId: service.enterpriseId,
      officerId: currentTerm(service)!.officer.personId,
      until: command.metadata.now,
      reason: command.data.reason,
    },
  });
};

const recordContact = (command: RecordServiceContact, service: Service, context: DecisionContext): Decision => {
  const { data } = command;
  const { actor, now } = command.metadata;
  const term = currentTerm(service)!;
  if (actor.personId !== term.officer.personId)
    return refuse(errors.contactNotOfficer(actor.personId, service.enterpriseId));
  if (!holdsRole(context.directory, actor.personId, term.officer.role))
    return refuse(errors.contactRoleNotHeld(actor.personId, term.officer.role));
  if (service.contacts[data.contactId] !== undefined) return refuse(errors.contactAlreadyRecorded(data.contactId));
  const roles = new Set<string>();
  for (const w of data.work) {
    if (roles.has(w.role)) return refuse(errors.contactRepeatedRole(w.role));
    roles.add(w.role);
  }
  const needs = data.needs ?? [];
  const known = new Set(Object.values(service.contacts).flat());
  for (const n of needs) {
    if (known.has(n.needId)) return refuse(errors.contactRepeatedNeed(n.needId));
    known.add(n.needId);
  }
  const today = calendarDateOf(now);
  if (data.date > today) return refuse(errors.contactInFuture(data.date, today));
  const since = calendarDateOf(term.from);
  if (data.date < since) return refuse(errors.contactBeforeAssignment(data.date, since));
  const person = data.contactPerson;
  return emit({
    type: 'ServiceContactRecorded',
    data: {
      enterpriseId: service.enterpriseId,
      contactId: data.contactId,
      officerId: actor.personId,
      date: data.date,
      kind: data.kind,
      work: data.work.map((w) => ({ role: w.role, summary: w.summary })),
      needs: needs.map((n) => ({ needId: n.needId, description: n.description })),
      contactPerson:
        person === undefined || (person.name === undefined && person.phone === undefined)
          ? null
          : {
              ...(person.name === undefined ? {} : { name: person.name }),
              ...(person.phone === undefined ? {} : { phone: person.phone }),
            },
    },
  });
};

const raiseNeed = (command: RaiseServiceNeedAsProblem, service: Service): Decision => {
  const { data } = command;
  const { actor } = command.metadata;
  if (actor.personId !== currentTerm(service)!.officer.personId)
    return refuse(errors.raiseNotOfficer(actor.personId, service.enterpriseId));
  const needs = service.contacts[data.contactId];
  if (needs === undefined) return refuse(errors.raiseUnknownContact(data.contactId));
  if (data.needId !== undefined && !needs.includes(data.needId))
    return refuse(errors.raiseUnknownNeed(data.needId, data.contactId));
  if (service.linkedProblemIds.includes(data.problemId)) return refuse(errors.raiseAlreadyLinked(data.problemId));
  return emit({
    type: 'ServiceNeedRaisedAsProblem',
    data: {
      enterpriseId: service.enterpriseId,
      contactId: data.contactId,
      needId: data.needId ?? null,
      problemId: data.problemId,
      officerId: actor.personId,
    },
  });
};

export const decideService = (command: ServiceCommand, state: ServiceState, context: DecisionContext): Decision => {
  if (command.type === 'assignServiceOfficer') return assign(command, state, context);
  if (state.status === 'none') return refuse(errors.notAssigned(command.data.enterpriseId));
  if (state.status === 'ended') return refuse(errors.ended(state.enterpriseId));
  switch (command.type) {
    case 'replaceServiceOfficer':
      return replace(command, state, context);
    case 'endService':
      return end(command, state, context);
    case 'recordServiceContact':
      return recordContact(command, state, context);
    case 'raiseServiceNeedAsProblem':
      return raiseNeed(command, state);
  }
};

export const serviceDecider: Decider<ServiceCommand, ServiceEvent, ServiceState, DecisionContext> = {
  initialState: initialServiceState,
  evolve: evolveService,
  decide: decideService,
};
